"""The command line end to end: demo data, import check, ranking and review, on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.cli import main
from matcher.profiles import PERSONAL_FIELDS


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo-data", "--candidates", "400", "--vacancies", "20", "--seed", "5", "--out", str(out)]) == 0
    return out


def test_rank_table_both_directions(demo_dir: Path, capsys) -> None:
    args = [
        "rank",
        "--vacancies",
        str(demo_dir / "vacancies.jsonl"),
        "--candidates",
        str(demo_dir / "candidates.jsonl"),
        "--top",
        "3",
        "--today",
        "2026-11-23",
        "--lang",
        "en",
    ]
    assert main([*args, "--id", "vac-00001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("== Candidates for vacancy") and "fitting (no requirement missed, score ≥ threshold)" in out
    assert main([*args, "--direction", "vacancies", "--id", "cand-000001"]) == 0
    assert "Vacancies for candidate cand-000001" in capsys.readouterr().out


def test_rank_json_has_explanations_and_no_personal_data(demo_dir: Path, capsys, monkeypatch) -> None:
    # the 400-candidate demo has no pair at the default fit threshold: list every pair to check the texts
    monkeypatch.setenv("MATCHER_FIT_THRESHOLD", "0")
    monkeypatch.setenv("MATCHER_STRETCH_FLOOR", "0")
    assert (
        main(
            [
                "rank",
                "--vacancies",
                str(demo_dir / "vacancies.jsonl"),
                "--candidates",
                str(demo_dir / "candidates.jsonl"),
                "--top",
                "5",
                "--format",
                "json",
                "--today",
                "2026-11-23",
            ]
        )
        == 0
    )
    lists = json.loads(capsys.readouterr().out)
    assert len(lists) == 20
    suggestions = [s for lst in lists for s in lst["suggestions"]]
    assert suggestions and all(s["explanation"]["text"] for s in suggestions)
    assert all(s["stretch"] == bool(s["explanation"]["would_fit_if"]) for s in suggestions)
    personal = json.loads((demo_dir / "candidates.jsonl").read_text().splitlines()[0])["personal"]
    text = json.dumps(lists)
    assert personal["name"] not in text
    assert not any(f'"{field}"' in text for field in PERSONAL_FIELDS)


def test_review_by_id_and_ranking_of_vacancies(demo_dir: Path, capsys) -> None:
    files = [
        "--vacancies",
        str(demo_dir / "vacancies.jsonl"),
        "--candidates",
        str(demo_dir / "candidates.jsonl"),
        "--today",
        "2026-11-23",
    ]
    assert main(["review", "--vacancy", "vac-00002", "--format", "json", "--lang", "en", *files]) == 0
    review = json.loads(capsys.readouterr().out)
    assert review["vacancy_id"] == "vac-00002" and "white_raven_index" in review
    assert "cand-" not in json.dumps(review)
    assert main(["review", *files]) == 0
    header, *rows, meaning = capsys.readouterr().out.strip().splitlines()
    assert header.split() == ["index", "passend", "/", "bereikbaar", "vacature"]
    assert meaning.startswith("De witte-raafindex is log10")
    assert len(rows) == 19  # vac-00016 expired on 2026-11-10: left out
    indexes = [float(row.split()[0]) for row in rows]
    assert indexes == sorted(indexes, reverse=True)


def test_import_check_reports_rejections_with_lines(tmp_path: Path, demo_dir: Path, capsys) -> None:
    lines = (demo_dir / "vacancies.jsonl").read_text().splitlines()[:3]
    broken = json.loads(lines[1])
    broken["postcode"] = "12"
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([lines[0], json.dumps(broken), "{not json", lines[2]]) + "\n")
    assert main(["import-check", str(path), "--kind", "vacancies", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    rejected = {(r["line"], r["field"]) for r in report["rejections"]}
    assert (2, "postcode") in rejected and any(line == 3 for line, _ in rejected)
    assert report["accepted"] == 2


def test_user_errors_are_one_line_with_exit_code_2(tmp_path: Path, capsys) -> None:
    assert main(["rank", "--vacancies", str(tmp_path / "nope.jsonl"), "--candidates", str(tmp_path / "x.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err


def test_python_api_cli_review_and_cli_ranking_give_the_same_strict_pool(demo_dir: Path, capsys) -> None:
    """One fit threshold: the Python API with its defaults, ``matcher review`` and ``matcher rank`` agree."""
    from datetime import date

    from matcher.imports import import_file
    from matcher.ranking import Ranker
    from matcher.review import review_vacancy
    from matcher.scoring import load_scorer
    from matcher.settings import Settings
    from matcher.taxonomy import load_taxonomy

    tax = load_taxonomy()
    cands = import_file(demo_dir / "candidates.jsonl", kind="candidates", taxonomy=tax).records
    vacs = import_file(demo_dir / "vacancies.jsonl", kind="vacancies", taxonomy=tax).records
    ranker = Ranker.from_profiles(tax, cands, vacs, scorer=load_scorer(Settings()), today=date(2026, 11, 23))
    files = ["--vacancies", str(demo_dir / "vacancies.jsonl"), "--candidates", str(demo_dir / "candidates.jsonl")]
    files += ["--today", "2026-11-23"]
    assert main(["rank", "--format", "json", "--top", "1", *files]) == 0
    ranked = {lst["vacancy_id"]: lst["strict_pool"] for lst in json.loads(capsys.readouterr().out)}
    for vac in vacs[:8]:
        assert main(["review", "--vacancy", vac.id, "--format", "json", *files]) == 0
        cli = json.loads(capsys.readouterr().out)
        api = review_vacancy(ranker, vac.id)
        assert cli["strict"] == api.counts.strict == ranked[vac.id]
        assert cli["fit_threshold"] == api.fit_threshold == Settings().fit_threshold
