"""Batch rescoring: score every affected pair in blocks, store top-k both ways, resume after a crash.

See :func:`run_rescoring`; the plan is in :mod:`.plan`, the worker task in :mod:`.work`.
"""

from __future__ import annotations

from .plan import RunParams
from .run import BACKENDS, Backend, Progress, run_rescoring, start_run
from .work import SnapshotChanged, suggestion_list

__all__ = [
    "BACKENDS",
    "Backend",
    "Progress",
    "RunParams",
    "SnapshotChanged",
    "run_rescoring",
    "start_run",
    "suggestion_list",
]
