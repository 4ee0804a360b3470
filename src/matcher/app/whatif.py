"""The vacancy check with "what if": review a rewritten copy of a vacancy without saving it.

An employer toggles requirements (drop, make a wish, lower a level) and support levers; the copy is
reviewed by :func:`matcher.review.review_vacancy` against the same candidate pool, so the pool shown
is exact, and the funnel counts the reachable candidates left after each must-check in turn.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import SimpleNamespace
from typing import Any, Literal

import numpy as np

from ..explain import Lang
from ..pool import VacancyPool
from ..profiles import CEFR, EducationLevel, Importance, LanguageSupport, RequirementKind, Vacancy, WorkplaceCoaching
from ..ranking import Ranker
from ..review import review_vacancy, white_raven_index
from ..review.counts import PoolCounter
from ..review.render import describe_check
from ..store import ApiKey
from .errors import InvalidInput
from .live import LivePool
from .serialise import review
from .suggestions import visible_vacancy

Toggle = Literal["keep", "drop", "wish", "lower"]
TOGGLES: tuple[Toggle, ...] = ("keep", "drop", "wish", "lower")
LEVERS = ("language_coaching", "language_course", "mentor", "job_coach", "training_on_the_job")
EXPERIENCE_STEPS_MONTHS = (24, 12, 6, 0)


@dataclass(frozen=True)
class Changes:
    """What to try: a toggle per requirement position (absent: keep) and the levers to offer."""

    requirements: Mapping[int, Toggle] = field(default_factory=dict)
    levers: frozenset[str] = frozenset()

    @property
    def empty(self) -> bool:
        return not self.levers and all(t == "keep" for t in self.requirements.values())

    @classmethod
    def parse(cls, requirements: Mapping[int, str], levers: set[str] | frozenset[str]) -> Changes:
        """Validated changes; an unknown toggle or lever is refused with the values allowed."""
        for position, toggle in requirements.items():
            if toggle not in TOGGLES:
                raise InvalidInput(f"req_{position}", f"toggle must be one of {', '.join(TOGGLES)}; got {toggle!r}")
        unknown = set(levers) - set(LEVERS)
        if unknown:
            raise InvalidInput("lever", f"levers must be among {', '.join(LEVERS)}; got {', '.join(sorted(unknown))}")
        return cls(dict(requirements), frozenset(levers))  # type: ignore[arg-type]


def _lowered(req: Any) -> Any:
    """One step milder: a CEFR level down, the next experience step down, a diploma level down."""
    if req.kind is RequirementKind.language and req.level is not None and req.level > CEFR.A0:
        return req.model_copy(update={"level": CEFR(req.level - 1)})
    if req.kind is RequirementKind.experience and req.months:
        lower = next((m for m in EXPERIENCE_STEPS_MONTHS if m < req.months), 0)
        return req.model_copy(update={"months": lower})
    if req.kind is RequirementKind.education:
        level = EducationLevel[req.value]
        if level > EducationLevel.none:
            return req.model_copy(update={"value": EducationLevel(level - 1).name})
    return req


def can_lower(req: Any) -> bool:
    return _lowered(req) is not req


def rewrite(vacancy: Vacancy, changes: Changes) -> Vacancy:
    """A copy of ``vacancy`` with the changes applied; the original is untouched."""
    requirements = []
    for position, req in enumerate(vacancy.requirements):
        toggle = changes.requirements.get(position, "keep")
        if toggle == "drop":
            continue
        if toggle == "wish":
            req = req.model_copy(update={"importance": Importance.should})
        elif toggle == "lower":
            req = _lowered(req)
        requirements.append(req)
    support = vacancy.support
    update: dict[str, Any] = {}
    if "language_coaching" in changes.levers:
        update["language_support"] = max(support.language_support, LanguageSupport.on_the_job)
    if "language_course" in changes.levers:
        update["language_support"] = LanguageSupport.course  # the strongest language support there is
    coaching = [
        c
        for c, lever in ((WorkplaceCoaching.mentor, "mentor"), (WorkplaceCoaching.job_coach, "job_coach"))
        if lever in changes.levers
    ]
    if coaching:
        update["workplace_coaching"] = max(support.workplace_coaching, *coaching)
        update["coaching_capacity"] = max(support.coaching_capacity, support.coaching_places_taken + 1)
    if "training_on_the_job" in changes.levers:
        update["training_on_the_job"] = True
        requirements = [
            r.model_copy(update={"trainable": True}) if r.kind is RequirementKind.competence and r.value else r
            for r in requirements
        ]
    return vacancy.model_copy(update={"requirements": requirements, "support": support.model_copy(update=update)})


def _ranker_for(ranker: Ranker, vacancy: Vacancy) -> Ranker:
    """The same candidates and scorer, with only ``vacancy`` on the other side."""
    pool = VacancyPool(ranker.vacancies.encoding, [vacancy])
    return Ranker(ranker.candidates, pool, scorer=ranker.scorer, today=ranker.today)


def funnel_counts(ranker: Ranker, vacancy_id: str, fit_threshold: float) -> list[int]:
    """Reachable candidates, then those left after each must-check in slot order, then the fitting pool."""
    counter = PoolCounter(ranker, vacancy_id, fit_threshold)
    counts = [int(counter.allowed.sum())]
    mask = np.int64(0)
    for slot in ranker.vacancies.slots(vacancy_id):
        mask |= np.int64(1 << slot.slot)
        counts.append(int(np.count_nonzero(counter.allowed & ((counter.failed & mask) == 0))))
    counts.append(int(counter.strict.sum()))
    return counts


def pool_after(ranker: Ranker, vacancy: Vacancy, fit_threshold: float) -> dict[str, Any]:
    """Reachable, fitting pool, white-raven index and funnel counts of a (rewritten) vacancy, without a review."""
    local = _ranker_for(ranker, vacancy)
    counts = funnel_counts(local, vacancy.id, fit_threshold)
    return {
        "reachable": counts[0],
        "strict": counts[-1],
        "white_raven_index": white_raven_index(counts[0], counts[-1]),
        "counts": counts,
    }


def _funnel(local: Ranker, vacancy: Vacancy, counts: list[int], lang: Lang) -> list[dict[str, Any]]:
    """The funnel's steps: reachable, one per must-check (in slot order, as counted), fitting."""
    taxonomy = local.candidates.encoding.taxonomy
    named = SimpleNamespace(requirements=vacancy.requirements)
    labels = [
        describe_check(
            named,
            SimpleNamespace(
                kind="coaching" if slot.is_coaching else vacancy.requirements[slot.position].kind.value,
                position=slot.position,
            ),
            lang,
            taxonomy,
        )
        for slot in local.vacancies.slots(vacancy.id)
    ]
    return [
        {"step": "reachable", "label": None, "count": counts[0]},
        *({"step": "check", "label": label, "count": n} for label, n in zip(labels, counts[1:-1], strict=True)),
        {"step": "fitting", "label": None, "count": counts[-1]},
    ]


def check_vacancy(ranker: Ranker, vacancy: Vacancy, fit_threshold: float, lang: Lang) -> dict[str, Any]:
    """The review of ``vacancy`` (in the pool or a rewritten copy) with its funnel."""
    local = _ranker_for(ranker, vacancy)
    body = review(review_vacancy(local, vacancy.id, fit_threshold), lang, ranker.candidates.encoding.taxonomy)
    body["funnel"] = _funnel(local, vacancy, funnel_counts(local, vacancy.id, fit_threshold), lang)
    return body


def _tried(ranker: Ranker, vacancy: Vacancy, fit_threshold: float, lang: Lang) -> dict[str, Any]:
    """The changed copy's pool and funnel, labelled with its own checks."""
    body = pool_after(ranker, vacancy, fit_threshold)
    body["funnel"] = _funnel(_ranker_for(ranker, vacancy), vacancy, body.pop("counts"), lang)
    return body


def what_if(live: LivePool, key: ApiKey, vacancy_id: str, changes: Changes, lang: Lang) -> dict[str, Any]:
    """The check of a vacancy this key may see, as it is and (if anything changed) with ``changes``, audited."""
    with live.lock.reading():
        vacancy = visible_vacancy(live, key, vacancy_id)
        current = check_vacancy(live.ranker, vacancy, live.settings.fit_threshold, lang)
        tried = (
            None
            if changes.empty
            else check_vacancy(live.ranker, rewrite(vacancy, changes), live.settings.fit_threshold, lang)
        )
    live.store.audit(
        "review_vacancy",
        key,
        target=vacancy_id,
        detail={
            "model_version": current["model_version"],
            "lang": lang,
            "what_if": None
            if tried is None
            else {
                "requirements": {str(p): t for p, t in changes.requirements.items()},
                "levers": sorted(changes.levers),
            },
        },
    )
    return {"current": current, "what_if": tried}


def main_obstacles(ranker: Ranker, vacancy_ids: list[str], fit_threshold: float = 0.35) -> dict[str, dict[str, Any]]:
    """Per vacancy, in one scoring pass: reachable and fitting pool, white-raven index, and the main obstacle.

    The obstacle is (requirement position, reachable candidates it keeps out) of the check that keeps
    out most, -1 for the coaching check, None when no check keeps anyone out. The pools are those of
    :func:`matcher.review.rank_by_white_raven` (the same blocks and threshold).
    """
    out: dict[str, dict[str, Any]] = {}
    if not vacancy_ids:
        return out
    threshold = np.float32(fit_threshold)
    for vac_rows, block, scores in ranker.scored_blocks(ranker.vacancies.rows(vacancy_ids)):
        strict = (block.strict & (scores >= threshold)).sum(axis=0)
        reachable = block.allowed.sum(axis=0)
        for j, vac_row in enumerate(vac_rows.tolist()):
            vacancy_id = ranker.vacancies.ids[vac_row]
            allowed, failed = block.allowed[:, j], block.failed[:, j]
            best: tuple[int, int] | None = None
            for slot in ranker.vacancies.slots(vacancy_id):
                n = int(np.count_nonzero(allowed & ((failed >> slot.slot) & 1).astype(bool)))
                if n and (best is None or n > best[1]):
                    best = (slot.position, n)
            r, st = int(reachable[j]), int(strict[j])
            out[vacancy_id] = {
                "reachable": r,
                "strict": st,
                "white_raven_index": white_raven_index(r, st),
                "obstacle": best,
            }
    return out


def apply_changes(live: LivePool, key: ApiKey, vacancy_id: str, changes: Changes) -> Vacancy:
    """Store the vacancy with ``changes`` applied (the "apply" of the what-if panel), audited."""
    if changes.empty:
        raise InvalidInput("changes", "nothing to apply: change a requirement or choose a lever first")
    with live.lock.reading():
        changed = rewrite(visible_vacancy(live, key, vacancy_id), changes)
    live.put_vacancies([changed])
    live.store.audit(
        "apply_what_if",
        key,
        target=vacancy_id,
        detail={"requirements": {str(p): t for p, t in changes.requirements.items()}, "levers": sorted(changes.levers)},
    )
    return changed
