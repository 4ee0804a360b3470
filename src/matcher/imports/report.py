"""What an import hands back: the accepted records, and every rejection and warning a person can act on."""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Generic, TypeVar

from ..profiles import PersonalData

T = TypeVar("T")

#: ``to_text`` lists every rejection but at most this many warnings; ``to_dict`` always has all.
MAX_WARNINGS_IN_TEXT = 50
#: ``summary_text`` shows this many rejections; the report file (``write_report_csv``) has them all.
FIRST_REJECTIONS = 10
REPORT_COLUMNS = ("line", "record", "record_id", "field", "severity", "reason", "fix")
_VALUES = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"|\d[\d,.]*|\[\d+\]")


def reason_class(text: str) -> str:
    """A reason without its values, so equal problems count together: ``postcode … must be …``."""
    return " ".join(_VALUES.sub("…", text.split(";")[0]).split())


def split_fix(reason: str) -> tuple[str, str]:
    """``(what is wrong, what to do)``: matcher's reasons say the fix after the first ``; ``."""
    what, sep, fix = reason.partition("; ")
    return (what, fix) if sep else (reason, "")


def _where(record: int | None, line: int | None, field_path: str | None) -> str:
    """``line 7 (record 5), field requirements[0].level`` with the parts that are known."""
    parts = []
    if line is not None:
        parts.append(f"line {line}" + (f" (record {record})" if record is not None else ""))
    elif record is not None:
        parts.append(f"record {record}")
    if field_path:
        parts.append(f"field {field_path}")
    return ", ".join(parts) or "file"


class ImportFormatError(ValueError):
    """The file cannot be read as any supported format, or not as the kind or format asked for."""


@dataclass(frozen=True, slots=True)
class Rejection:
    """One problem that keeps a record out: where it is (record number from 1, physical line), which
    field (a dotted path such as ``requirements[2].level``) and what to change."""

    record: int
    line: int | None
    field: str | None
    reason: str
    id: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return {"record": self.record, "line": self.line, "field": self.field, "reason": self.reason, "id": self.id}

    def __str__(self) -> str:
        return f"{_where(self.record, self.line, self.field)}: {self.reason}"


@dataclass(frozen=True, slots=True)
class ImportWarning:
    """Something accepted but worth a look: a free-text skill left unresolved, an unused column.

    ``record`` is None for a warning about the whole file (an unknown column).
    """

    record: int | None
    line: int | None
    field: str | None
    message: str

    def to_dict(self) -> dict[str, Any]:
        return {"record": self.record, "line": self.line, "field": self.field, "message": self.message}

    def __str__(self) -> str:
        return f"{_where(self.record, self.line, self.field)}: {self.message}"


@dataclass(slots=True)
class ImportResult(Generic[T]):
    """Accepted records (in file order), personal data split off candidates, rejections and warnings.

    ``personal`` holds one :class:`PersonalData` per accepted candidate that came with any; it is
    empty for vacancies. A record with several problems has one :class:`Rejection` per problem.
    """

    kind: str
    format: str
    records: list[T] = field(default_factory=list)
    personal: list[PersonalData] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    source: str | None = None
    total: int = 0

    @property
    def accepted(self) -> int:
        return len(self.records)

    @property
    def rejected(self) -> int:
        """Records rejected (a record with three problems counts once)."""
        return len({r.record for r in self.rejections})

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "format": self.format,
            "source": self.source,
            "total": self.total,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "rejections": [r.to_dict() for r in self.rejections],
            "warnings": [w.to_dict() for w in self.warnings],
        }

    def summary_text(self, first: int = FIRST_REJECTIONS) -> str:
        """For a batch operator: counts, rejections and warnings per reason, and the first rejections."""
        source = f" from {self.source}" if self.source else ""
        lines = [
            f"{self.kind} ({self.format}){source}: {self.total} records, {self.accepted} accepted, "
            f"{self.rejected} rejected, {len(self.warnings)} warnings"
        ]
        lines += _per_reason("rejections", (r.reason for r in self.rejections))
        lines += _per_reason("warnings", (w.message for w in self.warnings))
        if self.rejections:
            lines.append(f"First rejections (of {len(self.rejections)}):")
            lines += [f"  {r}" for r in self.rejections[:first]]
        return "\n".join(lines)

    def to_text(self) -> str:
        """A report for a person: counts, then each rejection with line, record, field and reason."""
        source = f" from {self.source}" if self.source else ""
        lines = [
            f"{self.kind} ({self.format}){source}: {self.total} records, {self.accepted} accepted, "
            f"{self.rejected} rejected, {len(self.warnings)} warnings"
        ]
        if self.rejections:
            lines.append("Rejected (fix these and import again; the accepted records do not need to be resent):")
            lines += [f"  {r}" for r in self.rejections]
        if self.warnings:
            lines.append("Warnings (accepted, worth a look):")
            lines += [f"  {w}" for w in self.warnings[:MAX_WARNINGS_IN_TEXT]]
            if len(self.warnings) > MAX_WARNINGS_IN_TEXT:
                lines.append(f"  ... and {len(self.warnings) - MAX_WARNINGS_IN_TEXT} more warnings (see --json)")
        return "\n".join(lines)


def _per_reason(title: str, reasons: Iterable[str], top: int = 10) -> list[str]:
    counts = Counter(reason_class(r) for r in reasons)
    if not counts:
        return []
    lines = [f"{title.capitalize()} per reason:"]
    lines += [f"  {n:>6}  {reason}" for reason, n in counts.most_common(top)]
    if len(counts) > top:
        lines.append(f"  ... and {len(counts) - top} other reasons")
    return lines


def write_report_csv(result: ImportResult[Any], path: Path | str) -> Path:
    """Every rejection and warning as CSV (line, record, record id, field, severity, reason, fix)."""
    path = Path(path)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(REPORT_COLUMNS)
        for r in result.rejections:
            what, fix = split_fix(r.reason)
            writer.writerow([r.line or "", r.record, r.id or "", r.field or "", "rejected", what, fix])
        for w in result.warnings:
            what, fix = split_fix(w.message)
            writer.writerow([w.line or "", w.record or "", "", w.field or "", "warning", what, fix])
    return path
