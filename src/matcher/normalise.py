"""Normalise free text in profiles to ESCO: competences and requirements to skills, titles to occupations.

All texts of an import go to the taxonomy search in one batch call per concept type (each distinct
text once), because the search is a sparse matrix product that costs little more for 10,000 texts
than for one. The original text is always kept beside the URI and the match score, so a broker
sees what the person wrote; a match below the configured minimum leaves the text unresolved with
a warning, never a guess. A given URI that ESCO does not know is a rejection of its record.
Inputs are never mutated: changed records are new objects.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, Protocol, TypeVar

from .profiles import ESCO_OCCUPATION_PREFIX, Candidate, Competence, Experience, Requirement, RequirementKind, Vacancy
from .settings import Settings

T = TypeVar("T", Candidate, Vacancy)


class _Hit(Protocol):
    @property
    def uri(self) -> str: ...
    @property
    def label(self) -> str: ...
    @property
    def score(self) -> float: ...


class SearchableTaxonomy(Protocol):
    """What normalisation needs of :class:`matcher.taxonomy.Taxonomy`."""

    def is_skill(self, uri: str) -> bool: ...
    def is_occupation(self, uri: str) -> bool: ...
    def search_skills_batch(self, texts: Sequence[str], k: int = 10) -> Sequence[Sequence[_Hit]]: ...
    def search_occupations_batch(self, texts: Sequence[str], k: int = 10) -> Sequence[Sequence[_Hit]]: ...


@dataclass(frozen=True, slots=True)
class Finding:
    """A warning or a rejection reason for the record at ``index`` of the input list."""

    index: int
    field: str
    message: str


@dataclass(slots=True)
class Normalised(Generic[T]):
    """The records that passed (``indices`` are their positions in the input), warnings and rejections."""

    records: list[T] = field(default_factory=list)
    indices: list[int] = field(default_factory=list)
    warnings: list[Finding] = field(default_factory=list)
    rejections: list[Finding] = field(default_factory=list)


class _Matches:
    """Best hits per distinct text, from one batch search; ``resolve`` applies the minimum score."""

    def __init__(
        self, search: Callable[..., Sequence[Sequence[_Hit]]], texts: set[str], minimum: float, what: str
    ) -> None:
        ordered = sorted(texts)
        hits = search(ordered, k=4) if ordered else []
        self.best = {text: (found[0] if found else None) for text, found in zip(ordered, hits, strict=False)}
        self.others = {text: [h.uri for h in found[1:4]] for text, found in zip(ordered, hits, strict=False)}
        self.minimum, self.what = minimum, what

    def resolve(self, text: str) -> _Hit | None:
        """The best hit for the stripped ``text``, if it scores at least the minimum."""
        hit = self.best.get(text)
        return hit if hit is not None and hit.score >= self.minimum else None

    def unresolved_message(self, text: str, written: str) -> str:
        """Why the stripped ``text`` stays unresolved, quoting it as ``written``."""
        hit = self.best.get(text)
        best = f"the best, '{hit.label}', scored {hit.score:.2f}" if hit else "nothing was found"
        return (
            f"'{written}' matched no ESCO {self.what} closely enough ({best}; the minimum is {self.minimum:.2f}); "
            f"kept as text, unrecognised (neither met nor failed; shown for a broker to check): "
            f"give the ESCO URI or clearer wording"
        )


def _score(hit: _Hit) -> float:
    return round(min(max(float(hit.score), 0.0), 1.0), 3)


def _needs_text(value: str | None, text: str | None) -> str | None:
    """The text to search for, when a concept has free text but no URI yet."""
    return text.strip() if not value and text and text.strip() else None


def _resolve(
    matches: _Matches, text: str | None, written: str | None, index: int, path: str, warnings: list[Finding]
) -> _Hit | None:
    """The hit for the stripped ``text`` (None: nothing to resolve); below the minimum, None and a
    warning on the field ``path`` quoting the text as ``written`` (what the person wrote)."""
    if text is None:
        return None
    hit = matches.resolve(text)
    if hit is None:
        warnings.append(Finding(index, path, matches.unresolved_message(text, written or text)))
    return hit


def normalise_candidates(
    candidates: Sequence[Candidate], taxonomy: SearchableTaxonomy, settings: Settings | None = None
) -> Normalised[Candidate]:
    """Resolve free-text competences to ESCO skills and experience titles to occupations."""
    settings = settings or Settings()
    skill_texts = {t for c in candidates for comp in c.competences if (t := _needs_text(comp.uri, comp.text))}
    title_texts = {t for c in candidates for exp in c.experience if (t := _needs_text(exp.occupation_uri, exp.title))}
    skills = _Matches(taxonomy.search_skills_batch, skill_texts, settings.min_skill_match, "skill")
    titles = _Matches(taxonomy.search_occupations_batch, title_texts, settings.min_occupation_match, "occupation")
    out: Normalised[Candidate] = Normalised()
    for index, candidate in enumerate(candidates):
        problems = [
            Finding(index, f"competences[{i}].uri", _unknown(comp.uri, "skill"))
            for i, comp in enumerate(candidate.competences)
            if comp.uri and not taxonomy.is_skill(comp.uri)
        ]
        problems += [
            Finding(index, f"experience[{i}].occupation_uri", _unknown(exp.occupation_uri, "occupation"))
            for i, exp in enumerate(candidate.experience)
            if exp.occupation_uri and not taxonomy.is_occupation(exp.occupation_uri)
        ]
        problems += [
            Finding(index, f"desired_occupations[{i}]", _unknown(uri, "occupation"))
            for i, uri in enumerate(candidate.desired_occupations)
            if not taxonomy.is_occupation(uri)
        ]
        if problems:
            out.rejections += problems
            continue
        warnings: list[Finding] = []
        competences = [_competence(comp, skills, index, i, warnings) for i, comp in enumerate(candidate.competences)]
        experience = [_experience(exp, titles, index, i, warnings) for i, exp in enumerate(candidate.experience)]
        changed = competences != candidate.competences or experience != candidate.experience
        out.records.append(
            candidate.model_copy(update={"competences": competences, "experience": experience})
            if changed
            else candidate
        )
        out.indices.append(index)
        out.warnings += warnings
    return out


def _unknown(uri: str | None, what: str) -> str:
    if what == "occupation" and not (uri or "").startswith(ESCO_OCCUPATION_PREFIX):
        return f"{uri!r} is not an ESCO occupation URI; give one like {ESCO_OCCUPATION_PREFIX}<id>"
    return (
        f"{uri!r} is not an ESCO {what} in the packaged ESCO v1.1.1; check the URI "
        f"(copy it from esco.ec.europa.eu) or give the {what} as free text"
    )


def _competence(comp: Competence, skills: _Matches, index: int, position: int, warnings: list[Finding]) -> Competence:
    hit = _resolve(skills, _needs_text(comp.uri, comp.text), comp.text, index, f"competences[{position}]", warnings)
    return comp if hit is None else Competence(uri=hit.uri, text=comp.text, match_score=_score(hit))


def _experience(exp: Experience, titles: _Matches, index: int, position: int, warnings: list[Finding]) -> Experience:
    hit = _resolve(
        titles, _needs_text(exp.occupation_uri, exp.title), exp.title, index, f"experience[{position}].title", warnings
    )
    return exp if hit is None else exp.model_copy(update={"occupation_uri": hit.uri, "match_score": _score(hit)})


def normalise_vacancies(
    vacancies: Sequence[Vacancy], taxonomy: SearchableTaxonomy, settings: Settings | None = None
) -> Normalised[Vacancy]:
    """Resolve free-text competence requirements to ESCO skills and titles to occupations."""
    settings = settings or Settings()
    skill_texts = {
        t
        for v in vacancies
        for req in v.requirements
        if req.kind is RequirementKind.competence and (t := _needs_text(req.value, req.text))
    }
    title_texts = {t for v in vacancies if (t := _needs_text(v.occupation_uri, v.title))}
    skills = _Matches(taxonomy.search_skills_batch, skill_texts, settings.min_skill_match, "skill")
    titles = _Matches(taxonomy.search_occupations_batch, title_texts, settings.min_occupation_match, "occupation")
    sure = settings.sure_skill_match
    out: Normalised[Vacancy] = Normalised()
    for index, vacancy in enumerate(vacancies):
        problems = _vacancy_uri_problems(vacancy, taxonomy, index)
        if problems:
            out.rejections += problems
            continue
        warnings: list[Finding] = []
        requirements = [
            _requirement(req, skills, sure, index, i, warnings) for i, req in enumerate(vacancy.requirements)
        ]
        update: dict[str, object] = {}
        if requirements != vacancy.requirements:
            update["requirements"] = requirements
        if vacancy.occupation_uri is None:  # not _needs_text: a blank title is warned about too
            hit = _resolve(titles, vacancy.title.strip(), vacancy.title, index, "title", warnings)
            if hit is not None:
                update.update(occupation_uri=hit.uri, occupation_match_score=_score(hit))
        out.records.append(vacancy.model_copy(update=update) if update else vacancy)
        out.indices.append(index)
        out.warnings += warnings
    return out


def _vacancy_uri_problems(vacancy: Vacancy, taxonomy: SearchableTaxonomy, index: int) -> list[Finding]:
    problems = []
    if vacancy.occupation_uri and not taxonomy.is_occupation(vacancy.occupation_uri):
        problems.append(Finding(index, "occupation_uri", _unknown(vacancy.occupation_uri, "occupation")))
    for i, req in enumerate(vacancy.requirements):
        if req.kind is RequirementKind.competence and req.value and not taxonomy.is_skill(req.value):
            problems.append(Finding(index, f"requirements[{i}].value", _unknown(req.value, "skill")))
        elif req.kind is RequirementKind.experience and req.value and not taxonomy.is_occupation(req.value):
            problems.append(Finding(index, f"requirements[{i}].value", _unknown(req.value, "occupation")))
    return problems


def _requirement(
    req: Requirement, skills: _Matches, sure: float, index: int, position: int, warnings: list[Finding]
) -> Requirement:
    """``req`` linked to its skill; a language, licence or diploma written as a competence
    ("Je spreekt vlot Nederlands") becomes that kind of requirement; a weak must-link is marked
    to confirm with its alternatives; text that links to nothing stays, unrecognised."""
    text = _needs_text(req.value, req.text) if req.kind is RequirementKind.competence else None
    if text is not None:
        rewritten = _as_rule_requirement(req, text)
        if rewritten is not None:
            return rewritten
    hit = _resolve(skills, text, req.text, index, f"requirements[{position}].text", warnings)
    if hit is None:
        return req
    update: dict[str, object] = {"value": hit.uri, "match_score": _score(hit)}
    if req.is_must and not req.confirmed_by and hit.score < sure:
        update.update(to_confirm=True, alternatives=skills.others.get(text or "", [])[:3])
        warnings.append(
            Finding(
                index,
                f"requirements[{position}].text",
                f"'{req.text}' was linked to ESCO skill '{hit.label}' with score {hit.score:.2f} (below the sure "
                f"score {sure:.2f}): marked to confirm, with {len(update['alternatives'])} alternatives",  # type: ignore[arg-type]
            )
        )
    return req.model_copy(update=update)


def _as_rule_requirement(req: Requirement, text: str) -> Requirement | None:
    """The language, licence, education or experience requirement ``text`` states, if it states
    exactly one and little else; None otherwise."""
    from .text.extract import rule_spans
    from .text.requirements import requirements_from_spans

    spans = rule_spans(text)
    if len(spans) != 1 or spans[0].kind not in ("language", "licence", "education", "experience"):
        return None
    found = requirements_from_spans(spans)
    if not found:
        return None
    return found[0].model_copy(update={"importance": req.importance, "text": req.text})
