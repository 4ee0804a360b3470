"""White-raven reviews: one vacancy's pool per requirement, and vacancies ordered by the index."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..explain import Lang
from ..ranking import Ranker
from ..review import rank_by_white_raven, review_vacancy
from ..review.render import white_raven_table
from ..settings import Settings
from ..store import ApiKey
from .errors import NotFound
from .live import LivePool
from .serialise import review, white_raven_rows
from .suggestions import visible_vacancy


def review_one(ranker: Ranker, settings: Settings, vacancy_id: str, lang: Lang) -> dict[str, Any]:
    """The review of one vacancy in ``ranker``'s pool, at the settings' fit threshold."""
    if vacancy_id not in ranker.vacancies.row_of:
        raise NotFound.profile("vacancy", vacancy_id)
    found = review_vacancy(ranker, vacancy_id, settings.fit_threshold)
    return review(found, lang, ranker.candidates.encoding.taxonomy)


def review_text(ranker: Ranker, settings: Settings, vacancy_id: str, lang: Lang) -> str:
    """The same review as :func:`review_one`, as text for a terminal."""
    if vacancy_id not in ranker.vacancies.row_of:
        raise NotFound.profile("vacancy", vacancy_id)
    found = review_vacancy(ranker, vacancy_id, settings.fit_threshold)
    text: str = found.to_text(lang, ranker.candidates.encoding.taxonomy)
    return text


def white_ravens(
    ranker: Ranker, settings: Settings, employer_id: str | None = None, vacancy_ids: Sequence[str] | None = None
) -> list[dict[str, Any]]:
    """Vacancies (of one employer, or the ones given, or all) ordered by white-raven index, rarest first."""
    ids = list(vacancy_ids) if vacancy_ids is not None else ranker.vacancies.ids_active()
    if employer_id is not None:
        ids = [v for v in ids if ranker.vacancies.profile(v).employer_id == employer_id]
    return white_raven_rows(ranker, rank_by_white_raven(ranker, ids, settings.fit_threshold))


def white_ravens_text(rows: Sequence[dict[str, Any]], lang: Lang) -> str:
    """:func:`white_ravens` as a table with column headers and what the index means."""
    tuples = [(r["vacancy_id"], r["white_raven_index"], r["reachable"], r["strict"]) for r in rows]
    return white_raven_table(tuples, {r["vacancy_id"]: r["title"] for r in rows}, lang)


def serve_review(live: LivePool, key: ApiKey, vacancy_id: str, lang: Lang) -> dict[str, Any]:
    """The review of a vacancy this key may see, audited."""
    with live.lock.reading():
        visible_vacancy(live, key, vacancy_id)
        body = review_one(live.ranker, live.settings, vacancy_id, lang)
    live.store.audit(
        "review_vacancy", key, target=vacancy_id, detail={"model_version": body["model_version"], "lang": lang}
    )
    return body
