"""What an employer sees of one suggested candidate: coarse bands, per-vacancy handles, no assessment.

Exact values are quasi-identifiers: with "189 months" and "Dutch B1" in every list, an employer can
follow one person across its vacancies (226 of 269 such combinations identified exactly one
candidate on the demo pool). So an employer gets:

- experience in three bands (< 1 year, 1-3 years, 3+ years), never months;
- per language only whether it is met, bridged with language coaching, or not met, never a level
  of the candidate (the level the vacancy asks is the employer's own and is kept);
- no coaching need and no "coaching met": a stretch that fails on coaching says "fits if the
  employer offers support" without naming how much;
- a handle per (vacancy, candidate), an HMAC with a server secret: stable for one vacancy, unrelated
  across vacancies, and useless to anyone without the secret.

Built from the pair's checks (:meth:`matcher.ranking.Ranker.check`), not from the broker's text,
so no broker-only value can slip through a sentence.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from typing import Any

from ..checks import CoachingOutcome, PairChecks, RequirementOutcome
from ..explain import EDUCATION_NAMES, Lang, language_name
from ..profiles import RequirementKind
from ..ranking import Ranker, Suggestion

# Used only where no secret is configured nor stored (a CLI ranking from files): stable in this process.
_PROCESS_SECRET = secrets.token_bytes(32)

EXPERIENCE_BANDS = {
    "nl": ("< 1 jaar", "1–3 jaar", "3+ jaar"),
    "en": ("< 1 year", "1–3 years", "3+ years"),
}
LANGUAGE_BANDS = {
    "nl": {"met": "voldoet", "bridged": "overbrugd met taalcoaching", "not_met": "niet"},
    "en": {"met": "meets", "bridged": "bridged with language coaching", "not_met": "not met"},
}
# A language outcome as an employer may see it: an accepted contact language meets the requirement.
LANGUAGE_STATUS = {"met": "met", "contact_language": "met", "bridged": "bridged"}


def candidate_handle(vacancy_id: str, candidate_id: str, secret: bytes | None = None) -> str:
    """An anonymous name for a candidate in one vacancy's list: the same every time, different per vacancy."""
    message = f"{vacancy_id}\x1f{candidate_id}".encode()
    digest = hmac.new(secret or _PROCESS_SECRET, message, hashlib.sha256).hexdigest()
    return f"c-{digest[:16]}"


def experience_band(months: float, lang: Lang) -> str:
    bands = EXPERIENCE_BANDS[lang]
    return bands[0] if months < 12 else bands[1] if months < 36 else bands[2]


def _languages(checks: PairChecks, lang: Lang) -> list[dict[str, Any]]:
    notes = []
    for o in checks.outcomes:
        if o.requirement.kind is not RequirementKind.language:
            continue
        status = LANGUAGE_STATUS.get(o.status, "not_met")
        notes.append(
            {
                "language": o.requirement.value,
                "asked_level": o.requirement.level.name if o.requirement.level is not None else "A0",
                "importance": o.requirement.importance.value,
                "status": status,
                "band": LANGUAGE_BANDS[lang][status],
            }
        )
    return notes


def _competences(ranker: Ranker, checks: PairChecks, lang: Lang) -> list[dict[str, Any]]:
    """Per competence requirement: met or not; an unrecognised one shows the employer's own text."""
    notes = []
    for o in checks.outcomes:
        req = o.requirement
        if req.kind is not RequirementKind.competence:
            continue
        unrecognised = req.is_unrecognised
        notes.append(
            {
                "uri": req.value,
                "label": req.text or "" if unrecognised else ranker.explainer.taxonomy.skill(req.value).label(lang),
                "status": "unrecognised" if unrecognised else o.status,
                "importance": req.importance.value,
                "training_weeks": req.training_weeks,
                "to_confirm": bool(req.to_confirm and not req.confirmed_by),
            }
        )
    return notes


def _other(o: RequirementOutcome, lang: Lang) -> str:
    """Experience, education or licence against the vacancy's own requirement, in coarse words."""
    nl = lang == "nl"
    req = o.requirement
    ok = o.status == "met"
    tag = "" if req.is_must else (" (wens)" if nl else " (wish)")
    if req.kind is RequirementKind.experience:
        band = experience_band(float(o.have or 0), lang)  # type: ignore[arg-type]  # months, for experience
        asked = req.months or 0
        return (
            f"Ervaring {band}, {asked} maanden gevraagd{tag}: {'in orde' if ok else 'te weinig'}."
            if nl
            else f"Experience {band}, {asked} months asked{tag}: {'fine' if ok else 'short'}."
        )
    if req.kind is RequirementKind.education:
        name = EDUCATION_NAMES[lang][req.value]
        return (
            f"Diploma {name} gevraagd{tag}: {'in orde' if ok else 'niet behaald'}."
            if nl
            else f"{name.capitalize()} asked{tag}: {'fine' if ok else 'not held'}."
        )
    return (
        f"Rijbewijs {req.value} gevraagd{tag}: {'in orde' if ok else 'ontbreekt'}."
        if nl
        else f"Driving licence {req.value} asked{tag}: {'fine' if ok else 'missing'}."
    )


def _change(ranker: Ranker, failed: RequirementOutcome | CoachingOutcome, lang: Lang) -> str:
    """What would let this stretch fit, without a value of the candidate in it."""
    nl = lang == "nl"
    if isinstance(failed, CoachingOutcome):
        return "past als de werkgever begeleiding biedt" if nl else "fits if the employer offers support"
    req = failed.requirement
    if req.kind is RequirementKind.competence:
        label = ranker.explainer.taxonomy.skill(req.value).label(lang)
        return (
            f"past als '{label}' op de werkvloer aangeleerd mag worden"
            if nl
            else f"fits if '{label}' can be learned on the job"
        )
    if req.kind is RequirementKind.language:
        name = language_name(req.value, lang)
        asked = req.level.name if req.level is not None else "A0"
        return f"past als de eis {name} {asked} versoepeld wordt" if nl else f"fits if {name} {asked} is relaxed"
    if req.kind is RequirementKind.experience:
        return (
            f"past als minder dan {req.months or 0} maanden ervaring volstaat"
            if nl
            else f"fits if less than {req.months or 0} months of experience will do"
        )
    if req.kind is RequirementKind.education:
        name = EDUCATION_NAMES[lang][req.value]
        return f"past als de eis '{name}' vervalt" if nl else f"fits if the requirement '{name}' is dropped"
    return (
        f"past als rijbewijs {req.value} niet vereist is"
        if nl
        else f"fits if driving licence {req.value} is not required"
    )


def _summary(score: float, stretch: bool, matched: int, must: int, changes: list[str], lang: Lang) -> str:
    pct = f"{score:.0%}"
    if stretch:
        change = changes[0] if changes else ""
        return f"Stretchmatch ({pct}): {change}." if lang == "nl" else f"Stretch match ({pct}): {change}."
    if lang == "nl":
        return f"Past ({pct}): {matched} van {must} vereiste competenties aanwezig."
    return f"Fits ({pct}): has {matched} of {must} required competences."


def employer_explanation(ranker: Ranker, s: Suggestion, lang: Lang) -> dict[str, Any]:
    """The employer's explanation of one suggested candidate (see the module docstring for what is left out)."""
    checks = ranker.check(s.candidate_id, s.vacancy_id)
    competences = _competences(ranker, checks, lang)
    must = [c for c in competences if c["importance"] == "must"]
    matched = sum(c["status"] == "met" for c in must)
    changes = [_change(ranker, o, lang) for o in checks.failed_checks] if s.stretch else []
    other_kinds = (RequirementKind.experience, RequirementKind.education, RequirementKind.licence)
    return {
        "lang": lang,
        "score": round(s.score, 4),
        "stretch": s.stretch,
        "summary": _summary(s.score, s.stretch, matched, len(must), changes, lang),
        "competences": competences,
        "languages": _languages(checks, lang),
        "coaching_offered": checks.coaching.offered.name,
        "other": [_other(o, lang) for o in checks.outcomes if o.requirement.kind in other_kinds],
        "would_fit_if": changes,
    }
