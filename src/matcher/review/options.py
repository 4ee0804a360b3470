"""The relaxations and support levers an employer could apply to a vacancy.

Each :class:`Option` knows which of the vacancy's checks it can clear (bits of the failure mask)
and how to rewrite the vacancy. No option ever adds a failure, so a candidate whose failed checks
are not all among an option's bits stays out, whatever the option does. Most options cannot lower
a score either; those that can (``may_lower``: wishes change the share of must-skills held,
language support moves a should-language gap from open to bridged) have every strict candidate
re-scored too, so a gain counts exactly what re-ranking the rewritten vacancy gives.

Cost (the order of a path to a workable pool, documented in docs/review.md): a support lever 1,
making a requirement a wish 4, lowering a level 16 per step, dropping a requirement (to no
experience, to the lowest language level) 64.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from ..pool import SlotInfo
from ..profiles import (
    CEFR,
    EducationLevel,
    Importance,
    LanguageSupport,
    Requirement,
    RequirementKind,
    Shift,
    Vacancy,
    WorkplaceCoaching,
)

MOBILITY_BIT = 1 << 62
"""A review-only failure bit: the candidate lacks a car for a job with night shifts or a must
licence B or BE (a hard constraint, see :data:`matcher.features.CYCLING_KM`). Dropping that licence
or the night shifts can clear it, so those candidates count among the ones the option may bring in."""
HOURS_BIT = 1 << 61
"""A review-only failure bit: the candidate's hours do not overlap the vacancy's (a hard constraint);
accepting part-time work can clear it."""
PART_TIME_HOURS = (30, 19)
"""Weekly hours from which part-time work is accepted when relaxing the hours (4/5 and half time)."""
EXPERIENCE_STEPS_MONTHS = (24, 12, 6, 0)
"""Experience levels tried when relaxing an experience requirement (only those below the ask)."""


@dataclass(frozen=True)
class Option:
    """One relaxation of a requirement, or one support lever.

    ``group`` names what the option changes: two options of one group (two Dutch levels, mentor
    and job coach) are alternatives and never combined.
    """

    key: str
    kind: str  # "relaxation" or "lever"
    group: str
    bits: int  # failure-mask bits this option can clear
    action: str  # machine-readable: lower_language, train_on_the_job, lower_experience, ...
    params: dict
    rewrite: Callable[[Vacancy], Vacancy]
    severity: float = 1.0  # how far it moves from the employer's ask; among equal gains the mildest wins
    may_lower: bool = False  # can lower a strict candidate's score: strict candidates are re-scored
    cost: float = 16.0  # see the module docstring

    def apply(self, vacancy: Vacancy) -> Vacancy:
        return self.rewrite(vacancy)


def _replace_requirement(position: int, **changes) -> Callable[[Vacancy], Vacancy]:
    def rewrite(vacancy: Vacancy) -> Vacancy:
        reqs = list(vacancy.requirements)
        reqs[position] = reqs[position].model_copy(update=changes)
        return vacancy.model_copy(update={"requirements": reqs})

    return rewrite


def _with_support(
    language: LanguageSupport | None = None, coaching: WorkplaceCoaching | None = None
) -> Callable[[Vacancy], Vacancy]:
    """Offer at least this support; a coaching lever also frees one coaching place."""

    def rewrite(vacancy: Vacancy) -> Vacancy:
        support = vacancy.support
        changes: dict = {}
        if language is not None:
            changes["language_support"] = max(support.language_support, language)
        if coaching is not None:
            changes["workplace_coaching"] = max(support.workplace_coaching, coaching)
            changes["coaching_capacity"] = max(support.coaching_capacity, support.coaching_places_taken + 1)
        return vacancy.model_copy(update={"support": support.model_copy(update=changes)})

    return rewrite


def _language_options(slot: SlotInfo, req: Requirement, vacancy: Vacancy) -> list[Option]:
    asked = req.level or CEFR.A0
    bit = 1 << slot.slot
    options = [
        Option(
            key=f"language:{req.value}:{lower.name}",
            kind="relaxation",
            group=f"language-level:{slot.position}",
            bits=bit,
            action="lower_language",
            params={"language": req.value, "from": asked.name, "to": lower.name, "position": slot.position},
            rewrite=_replace_requirement(slot.position, level=lower),
            severity=float(asked - lower),
            cost=64.0 if lower == CEFR.A0 else 16.0 * (asked - lower),
        )
        for lower in reversed([CEFR(level) for level in range(int(asked))])
        if lower >= CEFR.A1 or asked == CEFR.A1
    ]
    if req.value == vacancy.workplace_language:
        for support in (LanguageSupport.on_the_job, LanguageSupport.course):
            if vacancy.support.language_support < support:
                options.append(
                    Option(
                        key=f"lever:language:{support.name}",
                        kind="lever",
                        group="language-support",
                        bits=bit,
                        action="offer_language_support",
                        params={"support": support.name, "language": req.value},
                        rewrite=_with_support(language=support),
                        severity=0.5 * int(support),
                        may_lower=True,
                        cost=1.0,
                    )
                )
    return options


def _coaching_options(slot: SlotInfo, vacancy: Vacancy) -> list[Option]:
    """A more intense coaching offer, or one more place in the coaching already offered.

    A mentor is never offered where a job coach already is: the rewrite would have to keep the job
    coach (the offer is one level), so "a mentor" would be counted as a job-coach place.
    """
    support = vacancy.support
    options = []
    for coaching in (WorkplaceCoaching.mentor, WorkplaceCoaching.job_coach):
        more_intense = support.workplace_coaching < coaching
        extra_place = support.workplace_coaching == coaching and support.coaching_places_free == 0
        if more_intense or extra_place:
            options.append(
                Option(
                    key=f"lever:coaching:{coaching.name}" + (":place" if extra_place else ""),
                    kind="lever",
                    group="coaching",
                    bits=1 << slot.slot,
                    action="add_coaching_place" if extra_place else "offer_coaching",
                    params={"coaching": coaching.name},
                    rewrite=_with_support(coaching=coaching),
                    severity=0.5 * int(coaching),
                    cost=1.0,
                )
            )
    return options


def _requirement_options(slot: SlotInfo, req: Requirement) -> list[Option]:
    bit, position = 1 << slot.slot, slot.position
    if req.kind is RequirementKind.competence:
        if req.trainable:
            return []  # already learnable on the job: the check cannot fail
        return [
            Option(
                key=f"train:{req.value}",
                kind="lever",
                group=f"competence:{position}",
                bits=bit,
                action="train_on_the_job",
                params={"skill": req.value, "position": position},
                rewrite=_replace_requirement(position, trainable=True),
                severity=0.5,
                cost=1.0,
            )
        ]
    if req.kind is RequirementKind.experience:
        asked = req.months or 0
        return [
            Option(
                key=f"experience:{position}:{months}",
                kind="relaxation",
                group=f"experience:{position}",
                bits=bit,
                action="lower_experience",
                params={"from_months": asked, "to_months": months, "position": position},
                rewrite=_replace_requirement(position, months=months),
                severity=(asked - months) / 12,
                cost=64.0 if months == 0 else 16.0 * sum(1 for m in EXPERIENCE_STEPS_MONTHS if months <= m < asked),
            )
            for months in EXPERIENCE_STEPS_MONTHS
            if months < asked
        ]
    if req.kind is RequirementKind.education:
        return [
            Option(
                key=f"drop:education:{position}",
                kind="relaxation",
                group=f"education:{position}",
                bits=bit,
                action="drop_education",
                params={"level": EducationLevel[req.value].name, "position": position},
                rewrite=_replace_requirement(position, importance=Importance.should),
                cost=4.0,
            )
        ]
    if req.kind is RequirementKind.licence:
        return [
            Option(
                key=f"drop:licence:{position}",
                kind="relaxation",
                group=f"licence:{position}",
                bits=bit | (MOBILITY_BIT if req.value in ("B", "BE") else 0),
                action="drop_licence",
                params={"licence": req.value, "position": position},
                rewrite=_replace_requirement(position, importance=Importance.should),
                cost=4.0,
            )
        ]
    return []


def _wishes_option(slots: list[SlotInfo], positions: set[int]) -> list[Option]:
    """Turn the must-competences ESCO does not list as essential into wishes, in one step.

    Extras like these are usually several at once; relaxing them one by one would use up the
    combination budget on what an employer sees as one decision.
    """
    chosen = [slot for slot in slots if slot.position in positions]
    if len(chosen) < 2:
        return []
    bits = 0
    for slot in chosen:
        bits |= 1 << slot.slot

    def rewrite(vacancy: Vacancy) -> Vacancy:
        reqs = [
            r.model_copy(update={"importance": Importance.should}) if i in positions else r
            for i, r in enumerate(vacancy.requirements)
        ]
        return vacancy.model_copy(update={"requirements": reqs})

    return [
        Option(
            key="wishes:" + ",".join(str(s.position) for s in chosen),
            kind="relaxation",
            group="extras",
            bits=bits,
            action="extras_to_wishes",
            params={"positions": sorted(positions)},
            rewrite=rewrite,
            may_lower=True,
            cost=4.0,
        )
    ]


def _with_hours_from(hours: int) -> Callable[[Vacancy], Vacancy]:
    def rewrite(vacancy: Vacancy) -> Vacancy:
        return vacancy.model_copy(update={"hours_min": float(hours)})

    return rewrite


def _without_night_shifts(vacancy: Vacancy) -> Vacancy:
    return vacancy.model_copy(update={"shifts": [s for s in vacancy.shifts if s is not Shift.night]})


def _hard_options(vacancy: Vacancy) -> list[Option]:
    """Relaxations of the hours and shifts, which change who passes the hard constraints.

    Both can lower a strict candidate's score (the share of the hours or shifts they accept).
    """
    options = []
    for hours in PART_TIME_HOURS:
        if hours < vacancy.hours_min:
            options.append(
                Option(
                    key=f"hours:{hours}",
                    kind="relaxation",
                    group="hours",
                    bits=HOURS_BIT,
                    action="accept_part_time",
                    params={"from_hours": vacancy.hours_min, "to_hours": hours},
                    rewrite=_with_hours_from(hours),
                    severity=(vacancy.hours_min - hours) / 8,
                    may_lower=True,
                    cost=16.0 * (1 + sum(1 for h in PART_TIME_HOURS if hours < h < vacancy.hours_min)),
                )
            )
    if Shift.night in vacancy.shifts and len(vacancy.shifts) > 1:
        options.append(
            Option(
                key="shifts:no-night",
                kind="relaxation",
                group="shifts",
                bits=MOBILITY_BIT,
                action="drop_night_shifts",
                params={"shifts": [s.value for s in vacancy.shifts if s is not Shift.night]},
                rewrite=_without_night_shifts,
                may_lower=True,
                cost=16.0,
            )
        )
    return options


def vacancy_options(
    vacancy: Vacancy, slots: list[SlotInfo], extra_competences: frozenset[int] | set[int] = frozenset()
) -> list[Option]:
    """Every relaxation and lever for this vacancy's checks, in check order.

    ``extra_competences`` are the positions of must-competences that ESCO does not list as
    essential for the occupation (see :mod:`.flags`); with two or more, one option relaxes all.
    """
    options: list[Option] = _wishes_option(slots, set(extra_competences))
    for slot in slots:
        if slot.is_coaching:
            options += _coaching_options(slot, vacancy)
            continue
        req = vacancy.requirements[slot.position]
        if req.kind is RequirementKind.language:
            options += _language_options(slot, req, vacancy)
        else:
            options += _requirement_options(slot, req)
    return options + _hard_options(vacancy)
