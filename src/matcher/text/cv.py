"""A CV file (.txt, .docx, .pdf) read into text and a candidate draft for a broker to complete."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .extract import ExtractingTaxonomy, Extraction, extract

CV_SUFFIXES = (".txt", ".docx", ".pdf")


class UnreadableCVError(ValueError):
    """A CV file of a kind that cannot be read, or with no text in it."""


def read_cv_text(path: Path) -> str:
    """The text of a .txt, .docx or .pdf CV; raises :class:`UnreadableCVError` with a sentence."""
    suffix = path.suffix.lower()
    if suffix not in CV_SUFFIXES:
        raise UnreadableCVError(
            f"{path.name}: a CV must be one of {', '.join(CV_SUFFIXES)}; got {suffix or 'no suffix'!r}"
        )
    try:
        if suffix == ".txt":
            text = path.read_text(encoding="utf-8", errors="replace")
        elif suffix == ".docx":
            import docx

            document = docx.Document(str(path))
            cells = [cell.text for table in document.tables for row in table.rows for cell in row.cells]
            text = "\n".join([p.text for p in document.paragraphs] + cells)
        else:
            from pypdf import PdfReader

            text = "\n".join(page.extract_text() or "" for page in PdfReader(str(path)).pages)
    except (OSError, ValueError, KeyError) as error:  # a broken zip or PDF
        raise UnreadableCVError(f"{path.name}: cannot read this file ({error})") from None
    if not text.strip():
        raise UnreadableCVError(f"{path.name}: no text found (a scanned PDF needs OCR first)")
    return text


@dataclass(slots=True)
class CandidateDraft:
    """What a CV says, as fields of :class:`matcher.profiles.Candidate` for a broker to check.

    No personal data is taken: names, addresses and birth dates stay in the file.
    """

    competences: list[dict[str, Any]] = field(default_factory=list)
    experience: list[dict[str, Any]] = field(default_factory=list)
    languages: list[dict[str, str]] = field(default_factory=list)
    driving_licences: list[str] = field(default_factory=list)
    education: str | None = None
    shifts: list[str] = field(default_factory=list)
    lang: str = "nl"
    extraction: Extraction | None = None

    def to_dict(self) -> dict[str, Any]:
        out = {
            k: getattr(self, k)
            for k in ("competences", "experience", "languages", "driving_licences", "education", "shifts", "lang")
        }
        out["spans"] = [s.to_dict() for s in self.extraction.spans] if self.extraction else []
        return out


EDUCATION_ORDER = ("none", "lower_secondary", "secondary", "higher_vocational", "bachelor", "master")


def candidate_draft(text: str, tax: ExtractingTaxonomy) -> CandidateDraft:
    """A :class:`CandidateDraft` from CV text: ESCO skills, occupations (as experience titles),
    languages with levels, licences, the highest diploma and the shifts mentioned."""
    extraction = extract(text, tax)
    draft = CandidateDraft(lang=extraction.lang, extraction=extraction)
    for span in extraction.spans:
        if span.kind == "skill" and all(c["uri"] != span.value for c in draft.competences):
            draft.competences.append({"uri": span.value, "text": span.text, "match_score": span.score})
        elif span.kind == "occupation" and all(e["occupation_uri"] != span.value for e in draft.experience):
            draft.experience.append(
                {"occupation_uri": span.value, "title": span.text, "months": 0, "match_score": span.score}
            )
        elif span.kind == "language" and all(lang["language"] != span.value for lang in draft.languages):
            draft.languages.append({"language": span.value, "level": span.level or "B1"})
        elif span.kind == "licence" and span.value not in draft.driving_licences:
            draft.driving_licences.append(span.value)
        elif span.kind == "education" and (
            draft.education is None or EDUCATION_ORDER.index(span.value) > EDUCATION_ORDER.index(draft.education)
        ):
            draft.education = span.value
        elif (
            span.kind == "shift"
            and span.value in ("day", "evening", "night", "weekend")
            and span.value not in draft.shifts
        ):
            draft.shifts.append(span.value)
    return draft


def read_cv(path: Path, tax: ExtractingTaxonomy) -> CandidateDraft:
    """:func:`candidate_draft` of the text of the CV file at ``path``."""
    return candidate_draft(read_cv_text(path), tax)
