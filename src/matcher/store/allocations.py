"""A run's allocation: the compact pairs its blocks kept for it, and the spread lists with their figures.

A rescoring run that allocates keeps, per vacancy block, each vacancy's best fitting pairs as one
binary payload of numpy arrays (written before the block is marked done, so a block that counts as
done always has its pairs), and, once every block is done, the allocated lists and the metrics of
both rankings. The allocation is then read back by run id instead of scoring the pool again, and a
resumed run finds which phase is left. Both tables go with their run (``ON DELETE CASCADE``).
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, Table, delete, insert, select

from .base import StoreBase, utcnow
from .schema import Json, When, metadata

run_allocation_pairs = Table(
    "run_allocation_pairs",
    metadata,
    Column("run_id", Integer, ForeignKey("rescoring_runs.id", ondelete="CASCADE"), primary_key=True),
    Column("block_no", Integer, primary_key=True),
    Column("payload", LargeBinary, nullable=False),  # matcher.allocation.pairs.AllocationPairs.to_bytes()
)

run_allocations = Table(
    "run_allocations",
    metadata,
    Column("run_id", Integer, ForeignKey("rescoring_runs.id", ondelete="CASCADE"), primary_key=True),
    Column("metrics", Json, nullable=False),
    Column("lists", Json, nullable=False),  # {vacancy id: [[candidate id, score], ...]} best first
    Column("created_at", When, nullable=False),
)


class AllocationStore(StoreBase):
    """Run-scoped allocation pairs and results (see the module docstring)."""

    def put_allocation_pairs(self, run_id: int, block_no: int, payload: bytes) -> None:
        """Keep one block's pairs; a block scored again (after a crash) replaces what it left."""
        self._put_block_payload(run_allocation_pairs, run_id, block_no, payload)

    def allocation_pairs(self, run_id: int) -> list[bytes]:
        """The run's pair payloads in block order."""
        return self._block_payloads(run_allocation_pairs, run_id)

    def put_run_allocation(self, run_id: int, metrics: dict[str, Any], lists: dict[str, Any]) -> None:
        """Keep the run's allocation (replacing an earlier one: the same input gives the same lists)."""
        with self.engine.begin() as conn:
            conn.execute(delete(run_allocations).where(run_allocations.c.run_id == run_id))
            conn.execute(
                insert(run_allocations).values(run_id=run_id, metrics=metrics, lists=lists, created_at=utcnow())
            )

    def run_allocation(self, run_id: int) -> dict[str, Any] | None:
        """``{"metrics": ..., "lists": ..., "created_at": ...}`` of the run's allocation, or None if not made yet."""
        with self.engine.connect() as conn:
            row = conn.execute(select(run_allocations).where(run_allocations.c.run_id == run_id)).first()
        if row is None:
            return None
        return {"metrics": row.metrics, "lists": row.lists, "created_at": row.created_at}
