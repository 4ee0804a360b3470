"""Small helpers that turn profiles into words and shapes for the templates (no use-case logic)."""

from __future__ import annotations

from typing import Any

from matcher.explain import COACHING_NAMES, EDUCATION_NAMES, SUPPORT_NAMES, language_name
from matcher.profiles import Requirement, RequirementKind, Vacancy
from matcher.taxonomy import Taxonomy

from .i18n import engine_lang


def _skill(taxonomy: Taxonomy, uri: str, lang: str) -> str:
    return taxonomy.skill(uri).label(lang) if taxonomy.is_skill(uri) else uri


def requirement_text(req: Requirement, taxonomy: Taxonomy, lang: str) -> str:
    if req.kind is RequirementKind.competence:
        return _skill(taxonomy, req.value, lang) if req.value else (req.text or "")
    if req.kind is RequirementKind.language:
        return (
            f"{language_name(req.value, engine_lang(lang))} {req.level.name if req.level is not None else ''}".strip()
        )
    if req.kind is RequirementKind.experience:
        what = taxonomy.occupation(req.value).label(lang) if req.value else ""
        unit = "maanden" if lang == "nl" else "months"
        return f"{req.months} {unit} {what}".strip()
    if req.kind is RequirementKind.education:
        return EDUCATION_NAMES[lang].get(req.value, req.value)
    return req.value


def requirement_rows(vacancy: Vacancy, taxonomy: Taxonomy, lang: str) -> list[dict[str, Any]]:
    return [
        {
            "kind": r.kind.value,
            "text": requirement_text(r, taxonomy, lang),
            "importance": r.importance.value,
            "trainable": r.trainable,
            "unrecognised": r.is_unrecognised,
            "to_confirm": r.to_confirm,
            "free_text": r.text,
            "alternatives": [_skill(taxonomy, a, lang) for a in r.alternatives],
        }
        for r in vacancy.requirements
    ]


def support_text(vacancy: Vacancy, lang: str) -> list[str]:
    s = vacancy.support
    out = []
    if s.language_support:
        out.append(SUPPORT_NAMES[lang][s.language_support])
    if s.workplace_coaching:
        out.append(f"{COACHING_NAMES[lang][s.workplace_coaching]} ({s.coaching_places_taken}/{s.coaching_capacity})")
    if s.training_on_the_job:
        out.append("opleiding op de werkvloer" if lang == "nl" else "training on the job")
    return out


FUNNEL_WIDTH, BAR_HEIGHT, GAP, LABEL_WIDTH = 640, 30, 12, 0


def funnel_bars(steps: list[dict[str, Any]], words: dict[str, str]) -> dict[str, Any]:
    """Bar geometry for the SVG funnel: one centred bar per step, width proportional to its count."""
    top = max((s["count"] for s in steps), default=0) or 1
    bars = []
    for i, step in enumerate(steps):
        width = max(2.0, FUNNEL_WIDTH * step["count"] / top)
        label = step["label"] or words["reachable_pool" if step["step"] == "reachable" else "fitting_pool"]
        bars.append(
            {
                "x": round((FUNNEL_WIDTH - width) / 2, 1),
                "y": i * (BAR_HEIGHT + GAP + 18),
                "width": round(width, 1),
                "count": step["count"],
                "label": label,
                "final": step["step"] == "fitting",
            }
        )
    return {
        "bars": bars,
        "width": FUNNEL_WIDTH,
        "height": len(steps) * (BAR_HEIGHT + GAP + 18),
        "bar_height": BAR_HEIGHT,
    }
