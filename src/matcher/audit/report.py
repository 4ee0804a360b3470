"""The front door: ``run_audit(lists, candidates, attributes)`` → an :class:`AuditReport`."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..profiles import Candidate
from ..ranking import RankedList
from .groups import AUDIT_ATTRIBUTES, attribute_groups, profile_groups
from .metrics import (
    MIN_GROUP_SIZE,
    N_BOOTSTRAP,
    AuditInputs,
    GroupFigures,
    bootstrap_weights,
    group_figures,
    position_weight,
)
from .outcomes import Outcomes
from .render import audit_html, model_card_section

if TYPE_CHECKING:  # the store (and SQLAlchemy) is not needed to audit plain lists
    from ..store.records import StoredSuggestion

ListsIn = Sequence[RankedList] | Mapping[str, Sequence[tuple[str, float]]]

NOTE = (
    "Outcomes for the TPR gap are simulated (no real placement history exists). Protected attributes "
    "(age band, gender, nationality group) come only from a table supplied for the audit and never "
    "reach scoring."
)


@dataclass
class AuditReport:
    """Per grouping, the figures of each group; ``to_dict`` is the JSON form, ``to_html`` the page."""

    k: int
    lists: int
    candidates: int
    min_group_size: int
    n_bootstrap: int
    groupings: dict[str, tuple[str, list[GroupFigures]]]
    note: str = NOTE
    created: str = field(default_factory=lambda: datetime.now(UTC).isoformat(timespec="seconds"))

    def to_dict(self) -> dict:
        return {
            "format": "matcher-audit/1",
            "created": self.created,
            "k": self.k,
            "lists": self.lists,
            "candidates": self.candidates,
            "min_group_size": self.min_group_size,
            "n_bootstrap": self.n_bootstrap,
            "note": self.note,
            "groupings": {
                name: {"source": source, "groups": [g.to_dict() for g in groups]}
                for name, (source, groups) in self.groupings.items()
            },
            "flagged": [
                {"grouping": name, "group": g.group, "certain": g.flag_certain}
                for name, (_, groups) in self.groupings.items()
                for g in groups
                if g.flagged
            ],
        }

    def to_html(self) -> str:
        return audit_html(self.to_dict())

    def model_card_section(self) -> str:
        return model_card_section(self.to_dict())

    def write(self, out_dir: Path) -> tuple[Path, Path]:
        """Write ``audit-<created>.json`` and ``.html`` into ``out_dir`` (the JSON feeds the model card)."""
        out_dir = Path(out_dir)
        out_dir.mkdir(parents=True, exist_ok=True)
        stem = "audit-" + self.created.replace(":", "").replace("+0000", "Z")
        js, page = out_dir / f"{stem}.json", out_dir / f"{stem}.html"
        js.write_text(json.dumps(self.to_dict(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        page.write_text(self.to_html(), encoding="utf-8")
        return js, page


def latest_audit_section(audit_dir: Path) -> str | None:
    """The model-card section of the newest ``audit-*.json`` in ``audit_dir``, or None when there is none."""
    files = sorted(Path(audit_dir).glob("audit-*.json"))
    if not files:
        return None
    return model_card_section(json.loads(files[-1].read_text(encoding="utf-8")))


def lists_from_stored(stored: Iterable[StoredSuggestion]) -> dict[str, list[tuple[str, float]]]:
    """A store's or a run's suggestions (``Store.run_suggestions``) as ``{vacancy id: [(candidate id, score), …]}``.

    Only lists of candidates for vacancies count; each list is ordered by its stored rank.
    """
    rows = sorted(
        (s for s in stored if s.direction == "candidates"),
        key=lambda s: (s.run_id or 0, s.query_id, s.rank),
    )
    lists: dict[str, list[tuple[str, float]]] = {}
    for s in rows:
        lists.setdefault(s.query_id, []).append((s.candidate_id, s.score))
    return lists


def _flatten(lists: ListsIn) -> tuple[int, list[tuple[str, int, float]]]:
    """(number of lists, [(candidate id, 1-based rank, score)]) from either input form."""
    if isinstance(lists, Mapping):
        rows = [(cid, rank, float(score)) for items in lists.values() for rank, (cid, score) in enumerate(items, 1)]
        return len(lists), rows
    if any(lst.direction != "candidates" for lst in lists):
        raise ValueError("the audit takes lists of candidates for vacancies (direction 'candidates')")
    return len(lists), [(s.candidate_id, s.rank, s.score) for lst in lists for s in lst.suggestions]


def audit_inputs(
    lists: ListsIn, candidate_ids: Sequence[str], k: int, outcomes: Outcomes | None = None
) -> tuple[int, AuditInputs]:
    """Per-candidate selection, exposure and scores in the top-k, and the outcome pairs, as arrays."""
    n_lists, rows = _flatten(lists)
    row_of = {cid: i for i, cid in enumerate(candidate_ids)}
    n = len(candidate_ids)
    top = [(row_of[c], r, s) for c, r, s in rows if r <= k and c in row_of]
    cand = np.array([t[0] for t in top], dtype=np.int64)
    rank = np.array([t[1] for t in top], dtype=np.int64)
    score = np.array([t[2] for t in top], dtype=np.float64)
    if outcomes is not None and len(outcomes.candidate_id):
        known = np.array([c in row_of for c in outcomes.candidate_id.tolist()])
        o_cand = np.array([row_of[c] for c in outcomes.candidate_id[known].tolist()], dtype=np.int64)
        o_pos, o_sel = outcomes.positive[known].astype(bool), outcomes.selected[known].astype(bool)
    else:
        o_cand, o_pos, o_sel = np.zeros(0, np.int64), np.zeros(0, bool), np.zeros(0, bool)
    return n_lists, AuditInputs(
        selected=np.bincount(cand, minlength=n) > 0,
        exposure=np.bincount(cand, weights=position_weight(rank), minlength=n),
        score_sum=np.bincount(cand, weights=score, minlength=n),
        score_count=np.bincount(cand, minlength=n),
        outcome_candidate=o_cand,
        outcome_positive=o_pos,
        outcome_selected=o_sel,
    )


def run_audit(
    lists: ListsIn,
    candidates: Sequence[Candidate],
    attributes: Mapping[str, Mapping[str, str]] | None = None,
    k: int = 10,
    outcomes: Outcomes | None = None,
    min_group_size: int = MIN_GROUP_SIZE,
    n_bootstrap: int = N_BOOTSTRAP,
    seed: int = 0,
) -> AuditReport:
    """Audit ranked lists for disparate impact across groups of ``candidates`` (the eligible pool).

    Parameters
    ----------
    lists : RankedList objects (candidates for vacancies), or ``{vacancy id: [(candidate id, score), …]}``
        best first. Entries past ``k`` count only for the outcome pairs.
    candidates : the population the rates are taken over (usually every active candidate).
    attributes : ``{candidate id: {"age_band": …, "gender": …, "nationality_group": …}}``, supplied
        apart from the profiles (never stored with them); adds those groupings.
    outcomes : simulated outcome pairs (:func:`matcher.audit.simulated_outcomes`) for the TPR gap.
    """
    if k < 1:
        raise ValueError(f"k must be at least 1; got {k}")
    if min_group_size < 1:
        raise ValueError(f"min_group_size must be at least 1; got {min_group_size}")
    ids = [c.id for c in candidates]
    n_lists, inputs = audit_inputs(lists, ids, k, outcomes)
    labelled: dict[str, tuple[str, np.ndarray]] = {
        name: ("profile", labels) for name, labels in profile_groups(candidates).items()
    }
    if attributes:
        for name, labels in attribute_groups(ids, attributes).items():
            labelled[name] = ("audit attributes, supplied separately", labels)
    weights = bootstrap_weights(len(ids), n_bootstrap, seed)
    groupings = {
        name: (source, group_figures(labels, inputs, min_group_size, weights=weights))
        for name, (source, labels) in labelled.items()
    }
    return AuditReport(k, n_lists, len(ids), min_group_size, n_bootstrap, groupings)


__all__ = ["AUDIT_ATTRIBUTES", "AuditReport", "latest_audit_section", "lists_from_stored", "run_audit"]
