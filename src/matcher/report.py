"""Ranked lists rendered for people: a plain-text table or JSON, in Dutch or English."""

from __future__ import annotations

from .explain import Lang
from .ranking import RankedList, Ranker

HEADERS = {
    "nl": {
        "candidates": "Kandidaten voor vacature",
        "vacancies": "Vacatures voor kandidaat",
        "strict": "passend (geen eis gemist, score ≥ drempel)",
        "stretch": "stretchmatches",
        "none": "Geen suggesties.",
        "expired": "Geen suggesties: de vacature is vervallen op {date}.",
        "below": "Geen suggesties: geen bereikbare kandidaat past (score ≥ {fit:.0%}) of mist maar één eis "
        "met een score ≥ {floor:.0%}.",
    },
    "en": {
        "candidates": "Candidates for vacancy",
        "vacancies": "Vacancies for candidate",
        "strict": "fitting (no requirement missed, score ≥ threshold)",
        "stretch": "stretch matches",
        "none": "No suggestions.",
        "expired": "No suggestions: the vacancy expired on {date}.",
        "below": "No suggestions: no reachable candidate fits (score ≥ {fit:.0%}) or misses only one "
        "requirement with a score ≥ {floor:.0%}.",
    },
}


def ranked_lists_json(ranker: Ranker, results: list[RankedList], lang: Lang) -> list[dict]:
    out = []
    for ranked in results:
        out.append(
            {
                "query_id": ranked.query_id,
                "direction": ranked.direction,
                "strict_pool": ranked.strict_count,
                "stretch_pool": ranked.stretch_count,
                "model_version": ranker.scorer.version,
                "suggestions": [
                    {
                        "rank": s.rank,
                        "candidate_id": s.candidate_id,
                        "vacancy_id": s.vacancy_id,
                        "score": round(s.score, 4),
                        "stretch": s.stretch,
                        "explanation": ranker.explain(s, lang).to_dict(),
                    }
                    for s in ranked
                ],
            }
        )
    return out


def _title(ranker: Ranker, ranked: RankedList) -> str:
    if ranked.direction == "candidates":
        vacancy = ranker.vacancies.profile(ranked.query_id)
        return f"{vacancy.title} [{ranked.query_id}, {vacancy.postcode}]"
    return ranked.query_id


def _why_none(ranker: Ranker, ranked: RankedList, words: dict[str, str]) -> str:
    """Why a list is empty: an expired vacancy, or nobody above the fit threshold and stretch floor."""
    if ranked.direction == "candidates":
        valid = ranker.vacancies.profile(ranked.query_id).valid_through
        if valid is not None and valid < ranker._today():
            return words["expired"].format(date=valid.isoformat())
    return words["below"].format(fit=ranker.fit_threshold, floor=ranker.stretch_floor)


def ranked_lists_table(ranker: Ranker, results: list[RankedList], lang: Lang) -> str:
    words = HEADERS[lang]
    lines: list[str] = []
    for ranked in results:
        lines.append(
            f"== {words[ranked.direction]} {_title(ranker, ranked)}: "
            f"{ranked.strict_count} {words['strict']}, {ranked.stretch_count} {words['stretch']}"
        )
        if not len(ranked):
            lines.append("   " + _why_none(ranker, ranked, words))
        for s in ranked:
            if ranked.direction == "candidates":
                other = s.candidate_id
            else:
                other = f"{ranker.vacancies.profile(s.vacancy_id).title} [{s.vacancy_id}]"
            mark = "~" if s.stretch else " "
            lines.append(f" {mark}{s.rank:>2}. {s.score:5.2f}  {other}")
            lines.append(f"       {ranker.explain(s, lang).text}")
        lines.append("")
    return "\n".join(lines)
