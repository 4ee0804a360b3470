"""Turn the library's ranked lists and runs into the per-role response models and the audit log.

Explanations are computed once per served list (:func:`explained`) and feed both the response and
the log of served suggestions (:func:`log_served`). The employer builder never reads a candidate id.
"""

from __future__ import annotations

from typing import Any

from matcher.batch import suggestion_list
from matcher.ranking import RankedList, Ranker
from matcher.store import ApiKey, RunInfo, Store, StoredSuggestion

from . import schemas


def explained(ranker: Ranker, ranked: RankedList, lang: str) -> list[dict[str, Any]]:
    return [ranker.explain(s, lang).to_dict() for s in ranked]  # type: ignore[arg-type]


def candidates_for_broker(
    ranked: RankedList, explanations: list[dict[str, Any]], model_version: str, lang: str
) -> schemas.CandidatesForBroker:
    return schemas.CandidatesForBroker(
        vacancy_id=ranked.query_id,
        model_version=model_version,
        lang=lang,  # type: ignore[arg-type]
        strict_pool=ranked.strict_count,
        stretch_pool=ranked.stretch_count,
        suggestions=[
            schemas.SuggestionForBroker(
                rank=s.rank,
                candidate_id=s.candidate_id,
                score=round(s.score, 4),
                stretch=s.stretch,
                explanation=schemas.Explanation(**e),
            )
            for s, e in zip(ranked.suggestions, explanations, strict=False)
        ],
    )


def candidates_for_employer(
    ranked: RankedList, explanations: list[dict[str, Any]], model_version: str, lang: str
) -> schemas.CandidatesForEmployer:
    return schemas.CandidatesForEmployer(
        vacancy_id=ranked.query_id,
        model_version=model_version,
        lang=lang,  # type: ignore[arg-type]
        strict_pool=ranked.strict_count,
        stretch_pool=ranked.stretch_count,
        suggestions=[
            schemas.SuggestionForEmployer(
                rank=s.rank,
                score=round(s.score, 4),
                stretch=s.stretch,
                explanation=schemas.ExplanationForEmployer.model_validate(e),
            )
            for s, e in zip(ranked.suggestions, explanations, strict=False)
        ],
    )


def vacancies_for_candidate(
    ranker: Ranker, ranked: RankedList, explanations: list[dict[str, Any]], lang: str
) -> schemas.VacanciesForCandidate:
    suggestions = []
    for s, e in zip(ranked.suggestions, explanations, strict=False):
        vacancy = ranker.vacancies.profile(s.vacancy_id)
        suggestions.append(
            schemas.VacancySuggestion(
                rank=s.rank,
                vacancy_id=s.vacancy_id,
                employer_id=vacancy.employer_id,
                title=vacancy.title,
                score=round(s.score, 4),
                stretch=s.stretch,
                explanation=schemas.Explanation(**e),
            )
        )
    return schemas.VacanciesForCandidate(
        candidate_id=ranked.query_id,
        model_version=ranker.scorer.version,
        lang=lang,  # type: ignore[arg-type]
        strict_pool=ranked.strict_count,
        stretch_pool=ranked.stretch_count,
        suggestions=suggestions,
    )


def log_served(
    store: Store,
    key: ApiKey,
    action: str,
    ranked: RankedList,
    explanations: list[dict[str, Any]],
    model_version: str,
    lang: str,
    k: int,
) -> None:
    """Log a served list with the explanations that were shown, and audit who was served it, in one go."""
    store.log_served(
        [suggestion_list(ranked, explanations)],
        model_version,
        action,
        key,
        target=ranked.query_id,
        detail=audit_detail(ranked, model_version, lang, k, key),
    )


def audit_detail(ranked: RankedList, model_version: str, lang: str, k: int, key: ApiKey) -> dict[str, Any]:
    """Who was shown what: the ids served (kept in the log even when the employer saw none), scores, model."""
    other = "candidate_id" if ranked.direction == "candidates" else "vacancy_id"
    return {
        "direction": ranked.direction,
        "model_version": model_version,
        "lang": lang,
        "k": k,
        "view": key.role.value,
        "served": [getattr(s, other) for s in ranked],
        "scores": [round(s.score, 4) for s in ranked],
        "stretch": [s.stretch for s in ranked],
        "strict_pool": ranked.strict_count,
        "stretch_pool": ranked.stretch_count,
    }


def run_public(run: RunInfo) -> schemas.RunPublic:
    return schemas.RunPublic(
        id=run.id,
        status=run.status,
        scope=run.scope,
        model_version=run.model_version,
        total_blocks=run.total_blocks,
        done_blocks=run.done_blocks,
        progress=round(run.progress, 4),
        pairs=run.pairs,
        error=run.error,
        created_at=run.created_at,
        updated_at=run.updated_at,
    )


def stored_suggestion(row: StoredSuggestion) -> schemas.StoredSuggestion:
    return schemas.StoredSuggestion(
        run_id=row.run_id,
        direction=row.direction,
        query_id=row.query_id,
        vacancy_id=row.vacancy_id,
        candidate_id=row.candidate_id,
        rank=row.rank,
        score=row.score,
        stretch=row.stretch,
        distance_km=row.distance_km,
        explanation=row.explanation,
        model_version=row.model_version,
        created_at=row.created_at,
    )
