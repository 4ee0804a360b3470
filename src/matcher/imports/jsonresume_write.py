"""Write candidates as a JSON list of JSON Resumes, with the ``matcher`` extension block, so that
:mod:`.jsonresume` reads back every field (personal data included, in ``basics`` and
``matcher.personal``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from typing import IO, Any

from ..profiles import Candidate, Competence, Experience, PersonalData
from .jsonresume import EXTENSION_FIELDS, PERSONAL_FIELDS

SCHEMA = "https://raw.githubusercontent.com/jsonresume/resume-schema/v1.0.0/schema.json"


def _skill(comp: Competence) -> dict[str, Any]:
    if comp.text is None:
        return {"name": comp.uri}
    extra = {k: v for k, v in (("uri", comp.uri), ("matchScore", comp.match_score)) if v is not None}
    return {"name": comp.text, **({"matcher": extra} if extra else {})}


def _work(exp: Experience, today: date) -> dict[str, Any]:
    """Dates ending this month and starting ``months`` earlier, so the reader gets the months back."""
    start = today.year * 12 + today.month - 1 - exp.months
    job: dict[str, Any] = {
        "startDate": f"{start // 12:04d}-{start % 12 + 1:02d}",
        "endDate": f"{today.year:04d}-{today.month:02d}",
    }
    if exp.title is not None:
        job["position"] = exp.title
    extra = {k: v for k, v in (("occupationUri", exp.occupation_uri), ("matchScore", exp.match_score)) if v is not None}
    return {**job, **({"matcher": extra} if extra else {})}


def resume(candidate: Candidate, personal: PersonalData | None, today: date) -> dict[str, Any]:
    data = candidate.model_dump(mode="json", exclude_none=True)
    basics: dict[str, Any] = {"location": {"postalCode": candidate.postcode, "countryCode": "BE"}}
    block: dict[str, Any] = {camel: data[snake] for camel, snake in EXTENSION_FIELDS.items() if snake in data}
    if personal is not None:
        person = personal.model_dump(mode="json", exclude_none=True)
        basics.update({k: person[k] for k in ("name", "email", "phone") if k in person})
        extra = {camel: person[snake] for camel, snake in PERSONAL_FIELDS.items() if snake in person}
        if extra:
            block["personal"] = extra
    return {
        "$schema": SCHEMA,
        "basics": basics,
        "skills": [_skill(c) for c in candidate.competences],
        "languages": [{"language": lang.language, "fluency": lang.level.name} for lang in candidate.languages],
        "work": [_work(e, today) for e in candidate.experience],
        "matcher": block,
    }


def write_candidates(
    candidates: Sequence[Candidate], personal: dict[str, PersonalData], out: IO[str], today: date | None = None
) -> None:
    """A JSON list, one resume per line, so line numbers in a rejection point at the resume."""
    today = today or date.today()
    out.write("[\n")
    for n, candidate in enumerate(candidates):
        text = json.dumps(resume(candidate, personal.get(candidate.id), today), ensure_ascii=False)
        out.write(text + (",\n" if n < len(candidates) - 1 else "\n"))
    out.write("]\n")
