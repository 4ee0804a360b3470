"""Plain records the store hands out and takes in: no SQLAlchemy rows leave the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Any


class Role(StrEnum):
    """What an API key may do; an employer key is bound to one employer's vacancies."""

    admin = "admin"
    broker = "broker"
    employer = "employer"
    batch = "batch"

    @classmethod
    def parse(cls, value: str | Role) -> Role:
        try:
            return cls(value)
        except ValueError:
            raise ValueError(f"role must be one of {', '.join(r.value for r in cls)}; got {value!r}") from None


DIRECTIONS = ("candidates", "vacancies")
"""``candidates``: the best candidates for a vacancy; ``vacancies``: the best vacancies for a candidate."""


@dataclass(frozen=True)
class SuggestionRow:
    """One ranked pair as stored; the scoring side produces it, the store keeps it verbatim."""

    vacancy_id: str
    candidate_id: str
    rank: int
    score: float
    stretch: bool
    failed: int
    distance_km: float
    explanation: dict[str, Any]


@dataclass(frozen=True)
class SuggestionList:
    """The ranked suggestions for one query (a vacancy or a candidate), best first."""

    direction: str
    query_id: str
    strict_count: int
    stretch_count: int
    rows: list[SuggestionRow] = field(default_factory=list)


@dataclass(frozen=True)
class StoredSuggestion(SuggestionRow):
    """A stored suggestion with where it came from: the query, the run, the model and the time."""

    run_id: int | None
    direction: str
    query_id: str
    model_version: str
    created_at: datetime


@dataclass(frozen=True)
class Block:
    """A unit of rescoring work: the queries of one direction scored against the whole other side."""

    run_id: int
    block_no: int
    direction: str
    query_ids: list[str]
    status: str


@dataclass(frozen=True)
class RunInfo:
    """A rescoring run and how far it got."""

    id: int
    status: str
    scope: str
    params: dict[str, Any]
    model_version: str
    snapshot: str
    total_blocks: int
    done_blocks: int
    pairs: int
    error: str | None
    created_at: datetime
    updated_at: datetime

    @property
    def progress(self) -> float:
        """Share of the planned blocks that are stored (the candidate side is planned last)."""
        return self.done_blocks / self.total_blocks if self.total_blocks else 0.0


@dataclass(frozen=True)
class ImportSummary:
    id: int
    kind: str
    source: str
    accepted: int
    rejected: int
    created_at: datetime
    status: str = "completed"  # running | completed | interrupted (a running import whose writes stopped)


@dataclass(frozen=True)
class ApiKey:
    """An API key's public part; the secret itself is never stored."""

    id: str
    role: Role
    employer_id: str | None
    label: str
    created_at: datetime
    revoked: bool
    expires_at: datetime | None = None


@dataclass(frozen=True)
class AuditEntry:
    id: int
    at: datetime
    key_id: str | None
    role: str | None
    action: str
    target: str | None
    detail: dict[str, Any]
