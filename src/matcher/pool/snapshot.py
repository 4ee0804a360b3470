"""Encoded pools kept on disk between runs, so a run after an import encodes only what changed.

Reading and validating a million stored profiles takes minutes; the encoded arrays of the same
pool load in seconds. A snapshot holds both pools without their profile objects, the language
columns they share, and the digest of every profile version each row encodes, so whoever loads it
(:mod:`matcher.batch.pools`) re-encodes only the profiles whose digest differs from the store's.

A snapshot is only read back by the same encoding: its key covers the pool code, the profile
schema, the packaged postcodes and the taxonomy's skills. Any other snapshot counts as absent and
is rewritten. The file is a pickle written by this process's own kind (the same trust as the
model directory), through a temporary name and a rename, so a reader never sees half a file.
"""

from __future__ import annotations

import functools
import hashlib
import os
import pickle
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

from ..taxonomy import Taxonomy
from .candidates import CandidatePool
from .encoding import Encoding
from .vacancies import VacancyPool

FORMAT = 1


@dataclass
class EncodedPools:
    """Both sides' arrays-only pools over one encoding, with the digest each pooled profile had."""

    candidates: CandidatePool
    vacancies: VacancyPool
    digests: tuple[dict[str, str], dict[str, str]] = field(default_factory=lambda: ({}, {}))

    @classmethod
    def empty(cls, taxonomy: Taxonomy) -> EncodedPools:
        encoding = Encoding(taxonomy)
        return cls(CandidatePool(encoding, keep_profiles=False), VacancyPool(encoding, keep_profiles=False))

    @property
    def tombstones(self) -> int:
        """Rows of replaced or removed profiles still in the arrays (both sides)."""
        return sum(len(p.ids) - len(p) for p in (self.candidates, self.vacancies))


@functools.cache
def _code_key() -> str:
    """A digest of everything an encoded row depends on besides the taxonomy."""
    h = hashlib.sha256(f"format {FORMAT}".encode())
    package = resources.files("matcher")
    for name in sorted(p.name for p in package.joinpath("pool").iterdir() if p.name.endswith(".py")):
        h.update(package.joinpath("pool", name).read_bytes())
    for name in ("profiles.py", "geo.py"):
        h.update(package.joinpath(name).read_bytes())
    h.update(package.joinpath("data", "postcodes_be.csv").read_bytes())
    return h.hexdigest()


def snapshot_key(taxonomy: Taxonomy) -> str:
    """The key a snapshot must carry to be read back with ``taxonomy``."""
    h = hashlib.sha256(_code_key().encode())
    h.update(taxonomy.esco_version.encode())
    h.update("\n".join(taxonomy.skill_uris).encode())
    h.update("\n".join(taxonomy.occupation_uris).encode())
    return h.hexdigest()


def save_snapshot(path: Path, pools: EncodedPools, taxonomy: Taxonomy) -> None:
    """Write ``pools`` to ``path`` (atomically: a temporary file, then a rename)."""
    encoding = pools.candidates.encoding
    state = {
        "key": snapshot_key(taxonomy),
        "languages": encoding.languages,
        "candidates": pools.candidates.snapshot_state(),
        "vacancies": pools.vacancies.snapshot_state(),
        "digests": pools.digests,
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f"{path.name}.{os.getpid()}.tmp")
    with open(partial, "wb") as f:
        pickle.dump(state, f, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(partial, path)


def load_snapshot(path: Path, taxonomy: Taxonomy) -> EncodedPools | None:
    """The pools saved at ``path``; None when there is none or it was written by another encoding."""
    try:
        with open(path, "rb") as f:
            state = pickle.load(f)
    except FileNotFoundError:
        return None
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, TypeError):
        return None  # unreadable or from another version of the code: encode again
    if not isinstance(state, dict) or state.get("key") != snapshot_key(taxonomy):
        return None
    encoding = Encoding(taxonomy, languages=state["languages"])
    return EncodedPools(
        CandidatePool.from_snapshot_state(encoding, state["candidates"]),
        VacancyPool.from_snapshot_state(encoding, state["vacancies"]),
        state["digests"],
    )
