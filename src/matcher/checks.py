"""Plain-Python checks of one candidate against one vacancy: the reference for the fast kernel.

:func:`check_pair` states each rule of :mod:`matcher.features` once more, per pair and readable,
and returns the outcome of every requirement. Explanations are built from it, and the tests
compare the vectorised block features with it pair by pair.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

import numpy as np

from .features import (
    AVAILABILITY_TOLERANCE_DAYS,
    BRIDGE_STEPS,
    CYCLING_KM,
    FEATURES,
    MAX_EXPERIENCE_GAP_YEARS,
    MIN_LEVEL_FOR_COACHING,
)
from .geo import haversine_km
from .pool import LICENCE_IMPLIES, NEAR_SKILL_CREDIT, Encoding
from .profiles import (
    CEFR,
    Candidate,
    CoachingNeed,
    EducationLevel,
    LanguageSupport,
    Requirement,
    RequirementKind,
    Shift,
    Vacancy,
    WorkplaceCoaching,
)


@dataclass(frozen=True)
class RequirementOutcome:
    """How a candidate meets one requirement.

    ``status`` is "met", "near" (a broader or sibling skill held), "bridged" (a language gap the
    offered support closes), "contact_language" (an accepted contact language removes the gap),
    "trainable" (missing but learnable on the job), "missing", or "unrecognised" (free text that
    links to no ESCO skill: neither met nor failed, shown so the broker checks it). A link marked
    ``to_confirm`` is used in matching like any other; explanations mark it.
    """

    position: int
    requirement: Requirement
    status: str
    have: object = None  # the candidate's level, months or licences, where relevant
    gap: float = 0.0

    @property
    def fails(self) -> bool:
        return self.requirement.is_must and self.status in ("missing", "near")


@dataclass(frozen=True)
class CoachingOutcome:
    need: CoachingNeed
    offered: WorkplaceCoaching
    places_free: int
    unmet_steps: int

    @property
    def fails(self) -> bool:
        return self.unmet_steps > 0


@dataclass
class PairChecks:
    """Every rule's outcome for one pair, plus the hard constraints and the feature values."""

    candidate: Candidate
    vacancy: Vacancy
    distance_km: float
    hard_failures: list[str]
    outcomes: list[RequirementOutcome]
    coaching: CoachingOutcome
    features: dict[str, float] = field(default_factory=dict)

    @property
    def failed_checks(self) -> list[RequirementOutcome | CoachingOutcome]:
        failed: list[RequirementOutcome | CoachingOutcome] = [o for o in self.outcomes if o.fails]
        if self.coaching.fails:
            failed.append(self.coaching)
        return failed

    @property
    def allowed(self) -> bool:
        return not self.hard_failures

    @property
    def strict(self) -> bool:
        return self.allowed and not self.failed_checks


def _held_skills(candidate: Candidate, enc: Encoding) -> tuple[set[str], set[str]]:
    """Skills held (a narrower skill grants its broader one) and skills near them."""
    tax = enc.taxonomy
    held = {c.uri for c in candidate.competences if c.uri and tax.is_skill(c.uri)}
    held |= {b for uri in list(held) for b in tax.skill(uri).broader}
    near: set[str] = set()
    for uri in held:
        skill = tax.skill(uri)
        near |= set(skill.narrower)
        for broader in skill.broader:
            near |= set(tax.skill(broader).narrower)
    return held, near - held


def support_bridges(support: LanguageSupport, have: CEFR, gap: int) -> bool:
    """Whether ``support`` bridges a workplace-language gap of ``gap`` CEFR steps above level ``have``.

    Coaching on the job needs basic knowledge (:data:`MIN_LEVEL_FOR_COACHING`) to build on; each
    support bridges at most :data:`BRIDGE_STEPS` steps. (Whether the candidate wants language
    training is checked by the caller.)
    """
    can_build = have >= MIN_LEVEL_FOR_COACHING or support is not LanguageSupport.on_the_job
    return bool(can_build and gap <= BRIDGE_STEPS[int(support)])


def _language_outcome(position: int, req: Requirement, candidate: Candidate, vacancy: Vacancy) -> RequirementOutcome:
    have = candidate.language_level(req.value)
    asked = req.level or CEFR.A0
    gap = max(int(asked) - int(have), 0)
    if gap == 0:
        return RequirementOutcome(position, req, "met", have)
    if req.value == vacancy.workplace_language:
        if any(candidate.language_level(code) >= asked for code in vacancy.contact_languages):
            return RequirementOutcome(position, req, "contact_language", have)
        if candidate.wants_language_training and support_bridges(vacancy.support.language_support, have, gap):
            return RequirementOutcome(position, req, "bridged", have, gap)
    return RequirementOutcome(position, req, "missing", have, gap)


def _experience_months(candidate: Candidate, req: Requirement, enc: Encoding) -> float:
    group = enc.occupation_isco(req.value or None)
    if group < 0:
        return float(sum(e.months for e in candidate.experience))
    return float(sum(e.months for e in candidate.experience if enc.occupation_isco(e.occupation_uri) == group))


def _holds_licence(candidate: Candidate, category: str) -> bool:
    return any(category in LICENCE_IMPLIES.get(held, ()) for held in candidate.driving_licences)


def check_pair(candidate: Candidate, vacancy: Vacancy, enc: Encoding, today: date) -> PairChecks:
    """Check every rule for one pair, the slow and obvious way."""
    tax = enc.taxonomy
    coords = enc.postcodes.coordinates([candidate.postcode, vacancy.postcode])
    distance = float(haversine_km(coords[0], coords[1]))
    hard = []
    if not candidate.work_permit:
        hard.append("work_permit")
    if distance > candidate.max_commute_km and not vacancy.remote:
        hard.append("commute")
    if candidate.hours_min > vacancy.hours_max or vacancy.hours_min > candidate.hours_max:
        hard.append("hours")
    if vacancy.valid_through is not None and vacancy.valid_through < today:
        hard.append("expired")
    if candidate.available_from is not None and candidate.available_from > today + timedelta(
        days=AVAILABILITY_TOLERANCE_DAYS
    ):
        hard.append("available")
    if not _mobile(candidate, vacancy, distance):
        hard.append("mobility")

    held, near = _held_skills(candidate, enc)
    outcomes: list[RequirementOutcome] = []
    seen_must: set[str] = set()
    must_credit, must_missing_trainable, must_missing = 0.0, 0, 0
    other_skills: set[str] = set()
    language_open = language_bridged = 0.0
    experience_gap = 0.0
    licence_missing = education_gap = 0.0
    for position, req in enumerate(vacancy.requirements):
        must = req.is_must
        if req.kind is RequirementKind.competence:
            if not req.value or not tax.is_skill(req.value):
                if req.is_unrecognised:
                    outcomes.append(RequirementOutcome(position, req, "unrecognised"))
                continue
            status = "met" if req.value in held else "near" if req.value in near else "missing"
            if status != "met" and req.trainable:
                status = "trainable"
            outcome = RequirementOutcome(position, req, status)
            credit = 1.0 if req.value in held else NEAR_SKILL_CREDIT if req.value in near else 0.0
            if must and req.value not in seen_must:
                seen_must.add(req.value)
                must_credit += credit
                must_missing_trainable += status == "trainable"
                must_missing += status in ("missing", "near")
            elif not must:
                other_skills.add(req.value)
            outcomes.append(outcome)
        elif req.kind is RequirementKind.language:
            outcome = _language_outcome(position, req, candidate, vacancy)
            language_open += outcome.gap if outcome.status == "missing" else 0
            language_bridged += outcome.gap if outcome.status == "bridged" else 0
            outcomes.append(outcome)
        elif req.kind is RequirementKind.experience:
            have = _experience_months(candidate, req, enc)
            short = max((req.months or 0) - have, 0.0)
            if must:
                experience_gap += short / 12.0
            outcomes.append(RequirementOutcome(position, req, "missing" if short > 0 else "met", have, short))
        elif req.kind is RequirementKind.education:
            gap = max(int(EducationLevel[req.value]) - int(candidate.education), 0)
            if must:
                education_gap = gap
            outcomes.append(RequirementOutcome(position, req, "missing" if gap else "met", candidate.education, gap))
        elif req.kind is RequirementKind.licence:
            holds = _holds_licence(candidate, req.value)
            if must:
                licence_missing += not holds
            outcomes.append(
                RequirementOutcome(position, req, "met" if holds else "missing", tuple(candidate.driving_licences))
            )
    other_skills -= seen_must
    other_credit = sum(1.0 if s in held else NEAR_SKILL_CREDIT if s in near else 0.0 for s in other_skills)

    support = vacancy.support
    offered = support.workplace_coaching if support.coaching_places_free > 0 else WorkplaceCoaching.none
    coaching = CoachingOutcome(
        candidate.coaching_need,
        support.workplace_coaching,
        support.coaching_places_free,
        max(int(candidate.coaching_need) - int(offered), 0),
    )

    n_must, n_other = len(seen_must), len(other_skills)
    features = {
        "must_coverage": must_credit / n_must if n_must else 1.0,
        "other_coverage": other_credit / n_other if n_other else 1.0,
        "trainable_gap": must_missing_trainable / max(n_must, 1),
        "missing_must_skills": must_missing / max(n_must, 1),
        "language_gap_open": language_open,
        "language_gap_bridged": language_bridged,
        "coaching_unmet": float(coaching.unmet_steps),
        "commute_ratio": 0.0 if vacancy.remote else min(distance / max(candidate.max_commute_km, 1.0), 1.0),
        "hours_fit": _hours_fit(candidate, vacancy),
        "shift_fit": len(set(candidate.shifts) & set(vacancy.shifts)) / max(len(set(vacancy.shifts)), 1),
        "experience_gap_years": min(experience_gap, MAX_EXPERIENCE_GAP_YEARS),
        "occupation_match": _occupation_match(candidate, vacancy, enc),
        "licence_missing": licence_missing,
        "education_gap": float(education_gap),
    }
    assert set(features) == set(FEATURES)
    return PairChecks(candidate, vacancy, distance, hard, outcomes, coaching, features)


def _mobile(candidate: Candidate, vacancy: Vacancy, distance: float) -> bool:
    """Own car (with licence B), cycling distance, remote work, or a job that needs no car."""
    own_car = candidate.has_car and _holds_licence(candidate, "B")
    car_licence = any(
        r.is_must and r.kind is RequirementKind.licence and r.value in ("B", "BE") for r in vacancy.requirements
    )
    needs_car = (car_licence or Shift.night in vacancy.shifts) and not vacancy.remote
    return own_car or not needs_car or distance <= CYCLING_KM


def _hours_fit(candidate: Candidate, vacancy: Vacancy) -> float:
    if candidate.hours_min <= vacancy.hours_min and vacancy.hours_max <= candidate.hours_max:
        return 1.0
    width = vacancy.hours_max - vacancy.hours_min
    if width <= 0:
        return 0.0
    overlap = min(candidate.hours_max, vacancy.hours_max) - max(candidate.hours_min, vacancy.hours_min)
    return max(overlap, 0.0) / width


def _occupation_match(candidate: Candidate, vacancy: Vacancy, enc: Encoding) -> float:
    if vacancy.occupation_uri is None or not enc.taxonomy.is_occupation(vacancy.occupation_uri):
        return 0.0
    own = {e.occupation_uri for e in candidate.experience} | set(candidate.desired_occupations)
    if vacancy.occupation_uri in own:
        return 1.0
    group = enc.occupation_isco(vacancy.occupation_uri)
    return 0.5 if any(enc.occupation_isco(uri) == group for uri in own) else 0.0


def feature_vector(checks: PairChecks) -> np.ndarray:
    return np.array([checks.features[name] for name in FEATURES], dtype=np.float32)
