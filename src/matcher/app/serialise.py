"""Ranked lists and reviews as JSON-ready dicts, once per audience: the only serialiser there is.

The CLI prints these dicts, the HTTP service validates them into its response models, the batch
run stores them and the web pages render them, so the same ranking reads the same everywhere.
Two audiences exist: a ``broker`` (job broker, admin, batch operator) sees who the candidate is and
the whole explanation; an ``employer`` sees rank, score, a per-vacancy handle and an explanation per
requirement in coarse bands (:mod:`.employer_view`), never a candidate id, an exact value of the
candidate, the commute (with the vacancy's postcode it narrows down where a person lives), the
broker's assessment of the coaching need, or the full text.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from ..explain import Lang
from ..ranking import RankedList, Ranker, Suggestion
from .employer_view import candidate_handle, employer_explanation

Audience = Literal["broker", "employer"]
AUDIENCES: tuple[Audience, ...] = ("broker", "employer")

# The keys of an employer's explanation (built by :func:`.employer_view.employer_explanation`).
EMPLOYER_EXPLANATION_KEYS = (
    "lang",
    "score",
    "stretch",
    "summary",
    "competences",
    "languages",
    "coaching_offered",
    "other",
    "would_fit_if",
)


def _suggestion(
    ranker: Ranker,
    s: Suggestion,
    explanation: dict[str, Any],
    direction: str,
    audience: Audience,
    lang: Lang,
    secret: bytes | None,
) -> dict[str, Any]:
    item: dict[str, Any] = {"rank": s.rank}
    if direction == "candidates":
        if audience == "broker":
            item["candidate_id"] = s.candidate_id
        else:
            item["handle"] = candidate_handle(s.vacancy_id, s.candidate_id, secret)
    else:
        vacancy = ranker.vacancies.profile(s.vacancy_id)
        item.update(vacancy_id=s.vacancy_id, employer_id=vacancy.employer_id, title=vacancy.title)
    item.update(score=round(s.score, 4), stretch=s.stretch)
    item["explanation"] = explanation if audience == "broker" else employer_explanation(ranker, s, lang)
    return item


def ranked_list(
    ranker: Ranker,
    ranked: RankedList,
    explained: Sequence[dict[str, Any]],
    lang: Lang,
    audience: Audience = "broker",
    secret: bytes | None = None,
) -> dict[str, Any]:
    """One ranked list for ``audience``; ``explained`` from :meth:`Ranker.explain_list` for the same list.

    Candidates for a vacancy carry ``view`` (broker or employer) and ``vacancy_id``; vacancies for a
    candidate carry ``candidate_id`` and exist for brokers only. ``secret`` keys the employer's
    per-vacancy candidate handles (the service passes the store's; without one they hold for this
    process only).
    """
    if audience not in AUDIENCES:
        raise ValueError(f"audience must be one of {', '.join(AUDIENCES)}; got {audience!r}")
    head: dict[str, Any]
    if ranked.direction == "candidates":
        head = {"view": audience, "vacancy_id": ranked.query_id}
    else:
        if audience != "broker":
            raise ValueError("vacancies for a candidate are shown to brokers only")
        head = {"candidate_id": ranked.query_id}
    return {
        **head,
        "model_version": ranker.scorer.version,
        "lang": lang,
        "strict_pool": ranked.strict_count,
        "stretch_pool": ranked.stretch_count,
        "suggestions": [
            _suggestion(ranker, s, e, ranked.direction, audience, lang, secret)
            for s, e in zip(ranked.suggestions, explained, strict=True)
        ],
    }


def ranked_lists(
    ranker: Ranker,
    results: Sequence[RankedList],
    lang: Lang,
    audience: Audience = "broker",
    secret: bytes | None = None,
) -> list[dict[str, Any]]:
    """Several ranked lists, each explained once."""
    return [ranked_list(ranker, r, ranker.explain_list(r, lang), lang, audience, secret) for r in results]


HEADERS: dict[str, dict[str, Any]] = {
    "nl": {
        "candidates": "Kandidaten voor vacature",
        "vacancies": "Vacatures voor kandidaat",
        "strict": ("passend (geen eis gemist, score ≥ drempel)",) * 2,
        "stretch": ("stretchmatch", "stretchmatches"),
        "none": "Geen suggesties.",
        "expired": "Geen suggesties: de vacature is vervallen op {date}.",
        "below": "Geen suggesties: geen bereikbare kandidaat past (score ≥ {fit:.0%}) of mist maar één eis "
        "met een score ≥ {floor:.0%}.",
    },
    "en": {
        "candidates": "Candidates for vacancy",
        "vacancies": "Vacancies for candidate",
        "strict": ("fitting (no requirement missed, score ≥ threshold)",) * 2,
        "stretch": ("stretch match", "stretch matches"),
        "none": "No suggestions.",
        "expired": "No suggestions: the vacancy expired on {date}.",
        "below": "No suggestions: no reachable candidate fits (score ≥ {fit:.0%}) or misses only one "
        "requirement with a score ≥ {floor:.0%}.",
    },
}


def _why_none(ranker: Ranker, body: dict[str, Any], words: dict[str, Any]) -> str:
    """Why a list is empty: an expired vacancy, or nobody above the fit threshold and stretch floor."""
    if "vacancy_id" in body:
        valid = ranker.vacancies.profile(body["vacancy_id"]).valid_through
        if valid is not None and valid < ranker._today():
            return str(words["expired"]).format(date=valid.isoformat())
    return str(words["below"]).format(fit=ranker.fit_threshold, floor=ranker.stretch_floor)


def _count(n: int, words: tuple[str, str]) -> str:
    return f"{n} {words[0] if n == 1 else words[1]}"


def ranked_lists_text(ranker: Ranker, lists: Sequence[dict[str, Any]], lang: Lang) -> str:
    """Serialised ranked lists (from :func:`ranked_list`) as a plain-text table for a terminal."""
    words = HEADERS[lang]
    lines: list[str] = []
    for body in lists:
        direction = "candidates" if "vacancy_id" in body else "vacancies"
        if direction == "candidates":
            vacancy = ranker.vacancies.profile(body["vacancy_id"])
            title = f"{vacancy.title} [{body['vacancy_id']}, {vacancy.postcode}]"
        else:
            title = body["candidate_id"]
        lines.append(
            f"== {words[direction]} {title}: {_count(body['strict_pool'], words['strict'])}, "
            f"{_count(body['stretch_pool'], words['stretch'])}"
        )
        if not body["suggestions"]:
            lines.append("   " + _why_none(ranker, body, words))
        for item in body["suggestions"]:
            if direction == "candidates":
                other = item.get("candidate_id") or item.get("handle", f"#{item['rank']}")
            else:
                other = f"{item['title']} [{item['vacancy_id']}]"
            mark = "~" if item["stretch"] else " "
            lines.append(f" {mark}{item['rank']:>2}. {item['score']:5.2f}  {other}")
            text = item["explanation"].get("text") or item["explanation"]["summary"]
            lines.append(f"       {text}")
        lines.append("")
    return "\n".join(lines)


def review(review: Any, lang: Lang, taxonomy: Any) -> dict[str, Any]:
    """A white-raven review as JSON: the same for every front end (it never names a candidate)."""
    body: dict[str, Any] = review.to_dict(lang, taxonomy)
    return body


def white_raven_rows(ranker: Ranker, rows: Sequence[tuple[str, float, int, int]]) -> list[dict[str, Any]]:
    """Vacancies ordered by white-raven index, as JSON rows."""
    return [
        {
            "vacancy_id": v,
            "title": ranker.vacancies.profile(v).title,
            "white_raven_index": w,
            "reachable": r,
            "strict": s,
        }
        for v, w, r, s in rows
    ]
