"""Text in: the ESCO picker and extraction of requirements from a whole vacancy or CV text.

``GET /taxonomy/search`` feeds pickers (Dutch or French label where ESCO has one, the English one
marked where it does not); ``POST /extract`` returns the spans found in a text, each with its
offsets, kind and value. Neither reads or writes a profile.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, ConfigDict, Field

from ..deps import State, VacancyReader
from . import ERRORS

router = APIRouter(tags=["text"], responses=ERRORS)

MAX_EXTRACT_CHARS = 20_000


class ExtractIn(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {"text": "Je spreekt vlot Nederlands en hebt rijbewijs C+CE. Minstens 3 jaar ervaring als chauffeur."}
            ]
        },
    )

    text: str = Field(min_length=1, max_length=MAX_EXTRACT_CHARS, description="plain text or HTML, nl, fr or en")


@router.get("/taxonomy/search", summary="ESCO occupations or skills for a picker, best first")
def taxonomy_search(
    state: State,
    key: VacancyReader,
    q: Annotated[str, Query(min_length=1, max_length=200, description="what the user typed")],
    kind: Annotated[Literal["occupation", "skill"], Query()] = "skill",
    lang: Annotated[Literal["nl", "fr", "en"], Query(description="language of the labels shown")] = "nl",
    k: Annotated[int, Query(ge=1, le=50)] = 10,
) -> list[dict[str, Any]]:
    """Each hit has ``uri``, ``label`` (in ``lang`` where ESCO has one), ``label_lang`` (``en`` where it has
    not), the label it ``matched`` and a ``score``."""
    return [dict(hit) for hit in state.taxonomy.search(q, kind=kind, lang=lang, k=k)]


@router.post("/extract", summary="Skills, occupations, languages, licences, experience, education and hours in a text")
def extract(state: State, key: VacancyReader, body: ExtractIn) -> dict[str, Any]:
    """The detected language and every span found, with start/end offsets, text, kind, value and score;
    an ESCO link below the sure threshold is marked to confirm."""
    found: dict[str, Any] = state.taxonomy.extract(body.text).to_dict()
    return found
