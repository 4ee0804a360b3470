"""The demo run behind ``make run``: a demo pool imported, normalised, ranked and reviewed.

It shows a new user, on the embedded default (packaged ESCO data, the default scorer), what
matcher does: free text mapped to ESCO, ranked and explained suggestions both ways, stretch
matches, and the white-raven review of the rarest vacancy.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from .demo import REFERENCE_DATE as DEMO_REFERENCE_DATE, main_demo_data
from .imports import import_file
from .pool import CandidatePool, Encoding, VacancyPool
from .ranking import Ranker
from .report import ranked_lists_table
from .review import rank_by_white_raven, review_vacancy
from .scoring import load_scorer
from .settings import Settings
from .taxonomy import load_taxonomy

DEMO_CANDIDATES = 10_000
DEMO_VACANCIES = 200
DEMO_SEED = 7


def ensure_demo_pool(out: Path, seed: int = DEMO_SEED) -> tuple[Path, Path]:
    """Write the demo pool once; later runs reuse the files."""
    candidates, vacancies = out / "candidates.jsonl", out / "vacancies.jsonl"
    if not (candidates.exists() and vacancies.exists()):
        print(main_demo_data(DEMO_CANDIDATES, DEMO_VACANCIES, seed, out))
    return candidates, vacancies


def _normalisation_lines(vacancy, taxonomy, lang: str) -> list[str]:
    occupation = taxonomy.occupation(vacancy.occupation_uri).label(lang) if vacancy.occupation_uri else "?"
    score = f"{vacancy.occupation_match_score:.2f}" if vacancy.occupation_match_score is not None else "given"
    lines = [f"  '{vacancy.title}' → {occupation} ({score})"]
    for req in vacancy.requirements:
        if req.text:
            target = taxonomy.skill(req.value).label(lang) if req.value else "(unresolved, kept as text)"
            match = f"{req.match_score:.2f}" if req.match_score is not None else "-"
            lines.append(f"      '{req.text}' → {target} ({match})")
    return lines


def run_showcase(out: Path, settings: Settings, lang: str = "nl", today: date | None = None) -> None:
    tax = load_taxonomy()
    candidates_file, vacancies_file = ensure_demo_pool(out)
    imported_vacancies = import_file(vacancies_file, kind="vacancies", taxonomy=tax)
    imported_candidates = import_file(candidates_file, kind="candidates", taxonomy=tax)
    print(f"Imported {len(imported_vacancies.records)} vacancies and {len(imported_candidates.records)} candidates "
          f"({len(imported_vacancies.rejections) + len(imported_candidates.rejections)} rejected) from {out}")
    print(f"Reference data: {tax.attribution}\n")

    vacancies = imported_vacancies.records
    print("Free text normalised to ESCO:")
    with_text = [v for v in vacancies if any(r.text for r in v.requirements)][:3] or vacancies[:3]
    for vacancy in with_text:
        print("\n".join(_normalisation_lines(vacancy, tax, lang)))

    encoding = Encoding(tax)
    ranker = Ranker(CandidatePool(encoding, imported_candidates.records), VacancyPool(encoding, vacancies),
                    scorer=load_scorer(settings), today=today or DEMO_REFERENCE_DATE)
    rarest = rank_by_white_raven(ranker, ranker.vacancies.ids_active(), settings.fit_threshold)
    raven_id = rarest[0][0]
    ordinary = [v for v, wri, reachable, strict in rarest if strict >= 10][:2]
    print("\n" + ranked_lists_table(ranker, ranker.top_candidates(ordinary + [raven_id], k=5), lang))
    print(ranked_lists_table(ranker, ranker.top_vacancies(ranker.candidates.ids_active()[:2], k=3), lang))
    print(review_vacancy(ranker, raven_id, settings.fit_threshold).to_text(lang, tax))
