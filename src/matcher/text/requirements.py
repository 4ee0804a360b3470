"""Requirements of a vacancy from the spans found in its texts (JobPosting fields, free text)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from ..profiles import Importance, Requirement, RequirementKind
from .extract import ExtractingTaxonomy, Span, extract_batch

#: JobPosting fields whose text is read for requirements, in the order they are reported.
JOBPOSTING_TEXT_FIELDS = (
    "qualifications",
    "skills",
    "experienceRequirements",
    "educationRequirements",
    "responsibilities",
    "description",
)
_RULE_KIND = {
    "language": RequirementKind.language,
    "licence": RequirementKind.licence,
    "experience": RequirementKind.experience,
    "education": RequirementKind.education,
}


@dataclass(slots=True)
class TextRequirements:
    """What the texts of a vacancy ask for: requirements (each with the text it came from), the
    shifts and weekly hours they mention, the language they are written in, and findings."""

    requirements: list[Requirement] = field(default_factory=list)
    shifts: list[str] = field(default_factory=list)
    hours_per_week: float | None = None
    lang: str | None = None
    findings: list[str] = field(default_factory=list)


def requirements_from_spans(spans: Sequence[Span], *, skills: bool = True) -> list[Requirement]:
    """One requirement per distinct (kind, value) among ``spans``; the first mention wins.

    An experience span becomes "any occupation" experience (value ""); a skill span keeps its
    text and score so normalisation can mark a weak link as to confirm.
    """
    out: dict[tuple[str, str], Requirement] = {}
    for span in spans:
        importance = Importance(span.importance)
        if span.kind in _RULE_KIND:
            kind = _RULE_KIND[span.kind]
            key = (kind.value, span.value if kind is not RequirementKind.experience else "")
            if key in out:
                continue
            if kind is RequirementKind.language:
                req = Requirement(kind=kind, value=span.value, level=span.level, importance=importance, text=span.text)
            elif kind is RequirementKind.experience:
                req = Requirement(
                    kind=kind, value="", months=int(span.number or 0), importance=importance, text=span.text
                )
            else:
                req = Requirement(kind=kind, value=span.value, importance=importance, text=span.text)
            out[key] = req
        elif span.kind == "skill" and skills and ("competence", span.value) not in out:
            out[("competence", span.value)] = Requirement(
                kind=RequirementKind.competence,
                value=span.value,
                text=span.text,
                match_score=min(max(span.score, 0.0), 1.0),
                importance=importance,
                alternatives=list(span.alternatives[:3]),
            )
    return list(out.values())


def requirements_from_jobposting_fields(fields: Mapping[str, str], tax: ExtractingTaxonomy) -> TextRequirements:
    """Requirements from the text fields of a schema.org JobPosting (HTML allowed).

    Every field in :data:`JOBPOSTING_TEXT_FIELDS` that has text is read; the spans become
    requirements (:func:`requirements_from_spans`), shifts and hours are reported beside them.
    The original texts are not changed; a finding names each field and what was taken from it.
    """
    names = [name for name in JOBPOSTING_TEXT_FIELDS if str(fields.get(name) or "").strip()]
    extractions = extract_batch([str(fields[name]) for name in names], tax)
    result = TextRequirements()
    seen: set[tuple[str, str]] = set()
    for name, extraction in zip(names, extractions, strict=True):
        result.lang = result.lang or extraction.lang
        taken = []
        for req in requirements_from_spans(extraction.spans):
            key = (req.kind.value, req.value)
            if key not in seen:
                seen.add(key)
                result.requirements.append(req)
                taken.append(f"{req.kind.value} '{req.text}'")
        for span in extraction.spans:
            if span.kind == "shift" and span.value not in result.shifts:
                result.shifts.append(span.value)
            elif span.kind == "hours" and span.number and result.hours_per_week is None:
                result.hours_per_week = span.number
        if taken:
            result.findings.append(f"{name}: read {len(taken)} requirement(s) from the text: " + ", ".join(taken))
    return result
