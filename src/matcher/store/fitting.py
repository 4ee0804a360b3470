"""The fitting pairs a full run's vacancy blocks keep, from which its candidate side is ranked.

One binary payload of numpy arrays per vacancy block (:class:`matcher.batch.fitting.KeptPairs`),
written in the transaction before the block is marked done, so a block that counts as done always
has its pairs; they go with their run (``ON DELETE CASCADE``) and are dropped once the run's
candidate side is stored.
"""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Integer, LargeBinary, Table, delete

from .base import StoreBase
from .schema import metadata

run_fitting_pairs = Table(
    "run_fitting_pairs",
    metadata,
    Column("run_id", Integer, ForeignKey("rescoring_runs.id", ondelete="CASCADE"), primary_key=True),
    Column("block_no", Integer, primary_key=True),
    Column("payload", LargeBinary, nullable=False),
)


class FittingPairStore(StoreBase):
    """Run-scoped fitting pairs (see the module docstring)."""

    def put_fitting_pairs(self, run_id: int, block_no: int, payload: bytes) -> None:
        """Keep one vacancy block's pairs; a block scored again (after a crash) replaces what it left."""
        self._put_block_payload(run_fitting_pairs, run_id, block_no, payload)

    def fitting_pairs(self, run_id: int) -> list[bytes]:
        """The run's pair payloads in block order."""
        return self._block_payloads(run_fitting_pairs, run_id)

    def drop_fitting_pairs(self, run_id: int) -> None:
        """Forget the run's pairs (its candidate side is stored)."""
        with self.engine.begin() as conn:
            conn.execute(delete(run_fitting_pairs).where(run_fitting_pairs.c.run_id == run_id))
