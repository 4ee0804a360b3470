"""A broker's ranked list as a table: rows, CSV text, and an Excel workbook (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import Any

from .decisions import Decision

COLUMNS = (
    "rank",
    "candidate_id",
    "vacancy_id",
    "title",
    "score",
    "stretch",
    "summary",
    "missing",
    "would_fit_if",
    "language",
    "coaching_need",
    "coaching_offered",
    "commute_km",
    "decision",
    "outcome",
    "model_version",
)


def _missing(explanation: Mapping[str, Any]) -> str:
    return "; ".join(c["label"] for c in explanation.get("competences", []) if c.get("status") != "met")


def _language(explanation: Mapping[str, Any]) -> str:
    return "; ".join(
        f"{row['language']} {row.get('candidate_level') or '-'}/{row.get('asked_level') or '-'} {row['status']}"
        + (f" ({row['bridged_by']})" if row.get("bridged_by") else "")
        for row in explanation.get("languages", [])
    )


def rows(body: Mapping[str, Any], decisions: Mapping[tuple[str, str], Decision] | None = None) -> list[dict[str, Any]]:
    """One row per suggestion of a broker's ranked list (``serve_candidates`` or ``serve_vacancies``)."""
    decisions = decisions or {}
    out = []
    for item in body["suggestions"]:
        e = item["explanation"]
        vacancy_id = body.get("vacancy_id") or item.get("vacancy_id")
        candidate_id = body.get("candidate_id") or item.get("candidate_id")
        decision = decisions.get((vacancy_id, candidate_id))
        out.append(
            {
                "rank": item["rank"],
                "candidate_id": candidate_id,
                "vacancy_id": vacancy_id,
                "title": item.get("title", ""),
                "score": item["score"],
                "stretch": item["stretch"],
                "summary": e.get("summary", ""),
                "missing": _missing(e),
                "would_fit_if": "; ".join(str(w) for w in e.get("would_fit_if", [])),
                "language": _language(e),
                "coaching_need": e.get("coaching_need", ""),
                "coaching_offered": e.get("coaching_offered", ""),
                "commute_km": e.get("commute_km"),
                "decision": decision.decision if decision else "",
                "outcome": decision.outcome if decision and decision.outcome else "",
                "model_version": body["model_version"],
            }
        )
    return out


def _cell(value: Any) -> Any:
    """Text that a spreadsheet would run as a formula is quoted (CSV/formula injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def to_csv(table: Sequence[Mapping[str, Any]], columns: Sequence[str] = COLUMNS) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(columns), extrasaction="ignore")
    writer.writeheader()
    for row in table:
        writer.writerow({c: _cell(row.get(c)) for c in columns})
    return buffer.getvalue()


def to_xlsx(table: Sequence[Mapping[str, Any]], columns: Sequence[str] = COLUMNS, title: str = "suggestions") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = title[:31]
    sheet.append(list(columns))
    for row in table:
        sheet.append([_cell(row.get(c)) for c in columns])
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
