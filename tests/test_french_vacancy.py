"""A French vacancy in Brussels, as the issue found it: its title resolves, and competences that do not
resolve stay as unrecognised requirements in the ranking instead of vanishing ("0 of 0 competences")."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from matcher.app import read_file
from matcher.cli import main
from matcher.demo import REFERENCE_DATE, generate_pool, write_pool
from matcher.settings import Settings

VACANCY = {
    "id": "vac-bxl-1",
    "employer_id": "emp-bxl",
    "title": "Magasinier / Magasinière",
    "postcode": "1000",
    "workplace_language": "fr",
    "requirements": [
        {"kind": "competence", "text": "zqxw plorf en entrepôt", "importance": "must"},
        {"kind": "competence", "text": "préparer les commandes", "importance": "must"},
        {"kind": "language", "value": "fr", "level": "A2"},
    ],
}


def test_a_french_warehouse_vacancy_keeps_what_it_cannot_link(tmp_path: Path, taxonomy, monkeypatch) -> None:
    monkeypatch.setenv("MATCHER_STRETCH_FLOOR", "0")  # a small pool: show every pair that misses one check
    pool = generate_pool(n_candidates=1500, n_vacancies=4, seed=2, taxonomy=taxonomy)
    paths = {p.name: p for p in write_pool(pool, tmp_path / "demo")}
    vacancies = tmp_path / "vacatures.jsonl"
    vacancies.write_text(json.dumps(VACANCY, ensure_ascii=False) + "\n", encoding="utf-8")

    [vacancy] = read_file(vacancies, "vacancies", Settings(), taxonomy).records
    occupation = taxonomy.occupation(vacancy.occupation_uri).label("en").lower()
    assert "warehouse" in occupation or "store" in occupation, occupation  # not a commando officer
    kept = [r for r in vacancy.requirements if r.kind.value == "competence"]
    assert len(kept) == 2 and kept[0].is_unrecognised and kept[0].text == "zqxw plorf en entrepôt"

    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(io.StringIO()):
        code = main(
            ["rank", "--vacancies", str(vacancies), "--candidates", str(paths["candidates.jsonl"]), "--format",
             "json", "--top", "5", "--today", REFERENCE_DATE.isoformat()]
        )  # fmt: skip
    assert code == 0
    [ranked] = json.loads(out.getvalue())
    assert ranked["suggestions"], ranked  # not vacuous: candidates near Brussels are ranked
    for suggestion in ranked["suggestions"]:
        explanation = suggestion["explanation"]
        assert "0 van 0" not in explanation["summary"]
        assert any(n["status"] == "unrecognised" for n in explanation["competences"])
        assert "niet herkend" in explanation["text"]
