"""Ranking with explanations, for one query or many, and the log of what was served to whom.

Every served list is logged compactly (ids, ranks, scores, model version and, per suggestion, a
reference to what its explanation was made from instead of the rendered text) and audited with who
was served it, in one transaction (:meth:`matcher.store.Store.log_served`). The reference is a
digest of the two profiles' stored digests, the model version and the language: the explanation
shown can be rebuilt from those inputs, and a changed profile shows as a changed reference.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from typing import Any, Literal

from ..batch import suggestion_list
from ..explain import Lang
from ..profiles import Vacancy
from ..ranking import RankedList, Ranker
from ..store import ApiKey, Role, Store
from ..store.bulk import inputs_ref as explanation_ref  # one reference formula for runs and served lists
from .errors import NotFound
from .live import LivePool
from .serialise import Audience, ranked_list, ranked_lists

Direction = Literal["candidates", "vacancies"]


def audience_of(key: ApiKey) -> Audience:
    """Employers see anonymous suggestions; every other role sees the broker's view."""
    return "employer" if key.role is Role.employer else "broker"


def visible_vacancy(live: LivePool, key: ApiKey, vacancy_id: str) -> Vacancy:
    """A pooled vacancy this key may see, else :class:`NotFound` (also for another employer's)."""
    pool = live.ranker.vacancies
    vacancy = pool.profile(vacancy_id) if vacancy_id in pool.row_of else None
    if vacancy is None or (key.role is Role.employer and vacancy.employer_id != key.employer_id):
        raise NotFound.profile("vacancy", vacancy_id)
    return vacancy


def rank(
    ranker: Ranker,
    direction: Direction,
    ids: Sequence[str] | None,
    k: int,
    lang: Lang,
    audience: Audience = "broker",
    secret: bytes | None = None,
) -> list[dict[str, Any]]:
    """Ranked, explained lists for ``ids`` (default: every active query of that direction)."""
    if direction == "candidates":
        results = ranker.top_candidates(list(ids or ranker.vacancies.ids_active()), k=k)
    else:
        results = ranker.top_vacancies(list(ids or ranker.candidates.ids_active()), k=k)
    return ranked_lists(ranker, results, lang, audience, secret)


def _audit_detail(ranked: RankedList, model_version: str, lang: str, k: int, key: ApiKey) -> dict[str, Any]:
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


def compact_explanations(
    ranked: RankedList,
    explained: Sequence[dict[str, Any]],
    model_version: str,
    lang: str,
    digests: tuple[dict[str, str], dict[str, str]] | None = None,
    esco_version: str | None = None,
) -> list[dict[str, Any]]:
    """Per suggestion, the reference to its explanation's inputs (``digests``: the pool's profile digests by id).

    Without digests (a ranking from files), the reference is a digest of the explanation itself.
    ``esco_version`` (the taxonomy the competences were linked with) is kept with each, for an auditor.
    """
    extra = {} if esco_version is None else {"esco_version": esco_version}
    if digests is None:
        return [
            {"content": hashlib.sha256(json.dumps(e, sort_keys=True).encode()).hexdigest()[:32], "lang": lang, **extra}
            for e in explained
        ]
    cands, vacs = digests
    return [
        {
            "inputs": explanation_ref(cands.get(s.candidate_id, ""), vacs.get(s.vacancy_id, ""), model_version, lang),
            **extra,
        }
        for s in ranked
    ]


def log_served(
    store: Store,
    key: ApiKey,
    ranked: RankedList,
    explained: Sequence[dict[str, Any]],
    model_version: str,
    lang: str,
    k: int,
    digests: tuple[dict[str, str], dict[str, str]] | None = None,
    esco_version: str | None = None,
) -> None:
    """Log a served list compactly, and audit who was served it, in one transaction."""
    action = "serve_candidates" if ranked.direction == "candidates" else "serve_vacancies"
    compact = compact_explanations(ranked, explained, model_version, lang, digests, esco_version)
    store.log_served(
        [suggestion_list(ranked, compact)],
        model_version,
        action,
        key,
        target=ranked.query_id,
        detail=_audit_detail(ranked, model_version, lang, k, key),
    )


def serve_candidates(live: LivePool, key: ApiKey, vacancy_id: str, k: int, lang: Lang) -> dict[str, Any]:
    """The best candidates for a vacancy this key may see, explained for its audience, and logged."""
    with live.lock.reading():
        visible_vacancy(live, key, vacancy_id)
        ranked = live.ranker.top_candidates([vacancy_id], k=k)[0]
        explained = live.ranker.explain_list(ranked, lang)
        body = ranked_list(live.ranker, ranked, explained, lang, audience_of(key), live.handle_secret)
    log_served(
        live.store, key, ranked, explained, body["model_version"], lang, k, live.digests, live.taxonomy.esco_version
    )
    return body


def serve_vacancies(live: LivePool, key: ApiKey, candidate_id: str, k: int, lang: Lang) -> dict[str, Any]:
    """The best vacancies for a candidate (brokers only), explained, and logged."""
    with live.lock.reading():
        if candidate_id not in live.ranker.candidates.row_of:
            raise NotFound.profile("candidate", candidate_id)
        ranked = live.ranker.top_vacancies([candidate_id], k=k)[0]
        explained = live.ranker.explain_list(ranked, lang)
        body = ranked_list(live.ranker, ranked, explained, lang, "broker")
    log_served(
        live.store, key, ranked, explained, body["model_version"], lang, k, live.digests, live.taxonomy.esco_version
    )
    return body
