"""The demo run behind ``make run``: a demo pool imported, normalised, ranked and reviewed.

It shows a new user, on the embedded default (packaged ESCO data, the default scorer), what
matcher does: free text mapped to ESCO, ranked and explained suggestions both ways, stretch
matches, and the white-raven review of the rarest vacancy.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Any

from ..demo import REFERENCE_DATE as DEMO_REFERENCE_DATE
from ..demo import main_demo_data
from ..demo.writing import CANDIDATES_JSONL, VACANCIES_JSONL
from ..explain import Lang
from ..imports import ImportResult, import_file
from ..profiles import Candidate, Vacancy
from ..ranking import Ranker
from ..review import rank_by_white_raven, review_vacancy
from ..settings import Settings
from ..taxonomy import Taxonomy, load_taxonomy
from .serialise import ranked_lists, ranked_lists_text

DEMO_CANDIDATES = 10_000
DEMO_VACANCIES = 200
DEMO_SEED = 7


def ensure_demo_pool(
    out: Path, n_candidates: int = DEMO_CANDIDATES, n_vacancies: int = DEMO_VACANCIES, seed: int = DEMO_SEED
) -> tuple[Path, Path]:
    """Write the demo pool once; later runs reuse the files."""
    candidates, vacancies = out / CANDIDATES_JSONL, out / VACANCIES_JSONL
    if not (candidates.exists() and vacancies.exists()):
        print(main_demo_data(n_candidates, n_vacancies, seed, out))
    return candidates, vacancies


def _title_lines(vacancies: Sequence[Vacancy], taxonomy: Taxonomy, lang: str) -> list[str]:
    """Vacancy titles as an employer wrote them, searched in ESCO, against the occupation given."""
    hits = taxonomy.search_occupations_batch([v.title for v in vacancies], k=1)
    lines = []
    for vacancy, found in zip(vacancies, hits, strict=False):
        hit = found[0] if found else None
        given = vacancy.occupation_uri
        agrees = (
            ""
            if given is None or hit is None
            else (" ✓" if hit.uri == given else f" (given: {taxonomy.occupation(given).label(lang)})")
        )
        lines.append(
            f"  '{vacancy.title}' → {hit.label if hit else '?'} ({hit.score:.2f}){agrees}"
            if hit
            else f"  '{vacancy.title}' → no occupation"
        )
    return lines


def _free_text_lines(candidates: Sequence[Candidate], taxonomy: Taxonomy, lang: str, limit: int = 6) -> list[str]:
    """Free-text competences with the ESCO skill normalisation gave them: first the phrases that are
    not an ESCO label as written (synonyms, typos), then one that stayed text, then exact labels."""
    rewritten: list[Any] = []
    unresolved: list[Any] = []
    exact: list[Any] = []
    for c in {c.text: c for cand in candidates for c in cand.competences if c.text}.values():
        if c.uri is None:
            unresolved.append(c)
        else:
            same = (c.text or "").casefold() == taxonomy.skill(c.uri).label(lang).casefold()
            (exact if same else rewritten).append(c)
    shown = rewritten[: limit - 2] + unresolved[:1]
    shown += exact[: limit - len(shown)]
    return [
        f"  '{c.text}' → {taxonomy.skill(c.uri).label(lang)} ({c.match_score:.2f})"
        if c.uri
        else f"  '{c.text}' → kept as text: no ESCO skill close enough"
        for c in shown
    ]


def run_showcase(
    out: Path, settings: Settings, lang: Lang = "nl", today: date | None = None
) -> dict[Path, ImportResult[Any]]:
    """Print the showcase; returns the imports it made (file → result), for the demo service to store."""
    tax = load_taxonomy()
    candidates_file, vacancies_file = ensure_demo_pool(out)
    imported_vacancies = import_file(vacancies_file, kind="vacancies", taxonomy=tax)
    imported_candidates = import_file(candidates_file, kind="candidates", taxonomy=tax)
    print(
        f"Imported {len(imported_vacancies.records)} vacancies and {len(imported_candidates.records)} candidates "
        f"({len(imported_vacancies.rejections) + len(imported_candidates.rejections)} rejected) from {out}"
    )
    print(f"Reference data: {tax.attribution}\n")

    vacancies = imported_vacancies.records
    print("Vacancy titles searched in ESCO (Dutch and English labels, Flemish synonyms):")
    print("\n".join(_title_lines(vacancies[:5], tax, lang)))
    print("Free-text competences normalised to ESCO (original text kept with the match score):")
    print("\n".join(_free_text_lines(imported_candidates.records, tax, lang)))

    ranker = Ranker.from_settings(
        settings, tax, imported_candidates.records, vacancies, today=today or DEMO_REFERENCE_DATE
    )
    rarest = rank_by_white_raven(ranker, ranker.vacancies.ids_active(), settings.fit_threshold)
    raven_id = rarest[0][0]
    ordinary = [v for v, wri, reachable, strict in rarest if strict >= 10][:2]
    by_vacancy = ranker.top_candidates([*ordinary, raven_id], k=5)
    print("\n" + ranked_lists_text(ranker, ranked_lists(ranker, by_vacancy, lang), lang))
    # two candidates the ranking found: one strict match and one stretch match, seen from their side
    found = [
        next((s.candidate_id for lst in by_vacancy for s in lst if s.stretch is stretch), None)
        for stretch in (False, True)
    ]
    people = [p for p in dict.fromkeys(found) if p is not None]
    print(ranked_lists_text(ranker, ranked_lists(ranker, ranker.top_vacancies(people, k=3), lang), lang))
    print(review_vacancy(ranker, raven_id, settings.fit_threshold).to_text(lang, tax))
    return {candidates_file: imported_candidates, vacancies_file: imported_vacancies}
