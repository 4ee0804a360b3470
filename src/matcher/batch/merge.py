"""Lists brought up to date by merging: their stored rows, less the changed profiles, plus the new pairs.

After an import, most lists that a change reaches need no ranking against the whole other side.
A list shows its best ``k`` strict pairs and, while its strict pool is thin, its best ``k``
stretch pairs. Every pair of it not involving a changed profile is unchanged, so its new rows
are the best ``k`` of its kept rows and its new pairs (the changed profiles' new versions that are
strict or one-off for it), by score and then id, as the ranker orders them. That is exact unless a
dropped row leaves a gap only an unshown pair could fill (a full part lost a row), or the stretch
part appears (its pairs were never stored): those lists are ranked again in full.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from ..store.bulk import SuggestionArrays

StoredRow = tuple[str, str, int, float, bool, int, float]
"""A stored row as :meth:`matcher.store.Store.list_rows` gives it: query, other, rank, score, stretch, failed, km."""


@dataclass(frozen=True)
class NewPairs:
    """The changed side's new pairs that can enter a list, each with the query (other side) it is for."""

    query_ids: np.ndarray  # the list's query: a profile of the side that did not change
    other_ids: np.ndarray  # the changed profile the list would show
    strict: np.ndarray
    score: np.ndarray  # float32, as ranked
    failed: np.ndarray
    distance_km: np.ndarray

    def by_query(self) -> dict[str, list[tuple[str, bool, float, int, float]]]:
        out: dict[str, list[tuple[str, bool, float, int, float]]] = {}
        for q, o, strict, score, failed, km in zip(
            self.query_ids.tolist(),
            self.other_ids.tolist(),
            self.strict.tolist(),
            self.score.tolist(),
            self.failed.tolist(),
            self.distance_km.tolist(),
            strict=True,
        ):
            out.setdefault(q, []).append((o, not strict, score, failed, km))
        return out


def exact_merge(
    rows: Sequence[StoredRow], touched: set[str], old: tuple[int, int], new_strict: int, k: int, thin: int
) -> bool:
    """Whether merging gives the list a full ranking would: no gap an unshown pair could fill."""
    s, t = old
    strict_lost = any(not row[4] and row[1] in touched for row in rows)
    stretch_lost = any(row[4] and row[1] in touched for row in rows)
    strict_ok = not strict_lost or s <= k  # all strict pairs were shown
    stretch_ok = new_strict >= thin or (s < thin and (not stretch_lost or t <= k))
    return strict_ok and stretch_ok


def merged_lists(
    direction: str,
    queries: Sequence[str],
    rows: Mapping[str, Sequence[StoredRow]],
    new: Mapping[str, Sequence[tuple[str, bool, float, int, float]]],
    counts: Mapping[str, tuple[int, int]],
    touched: set[str],
    k: int,
    thin: int,
) -> SuggestionArrays:
    """The merged lists of ``queries`` (in id order) as one block's arrays, with their new pool sizes."""
    ordered = sorted(queries)
    out_q, out_o, rank, score, stretch, failed, km = [], [], [], [], [], [], []
    starts = [0]
    for q in ordered:
        stored = rows.get(q, ())
        entries = [(o, st, float(np.float32(sc)), f, d) for _, o, _, sc, st, f, d in stored if o not in touched]
        entries += list(new.get(q, ()))
        strict_part = sorted((e for e in entries if not e[1]), key=lambda e: (-e[2], e[0]))[:k]
        stretch_part = (
            sorted((e for e in entries if e[1]), key=lambda e: (-e[2], e[0]))[:k] if counts[q][0] < thin else []
        )
        for r, (o, st, sc, f, d) in enumerate(strict_part + stretch_part, start=1):
            out_q.append(q)
            out_o.append(o)
            rank.append(r)
            score.append(sc)
            stretch.append(st)
            failed.append(f)
            km.append(d)
        starts.append(len(rank))
    queries_a, others_a = np.array(out_q, dtype=object), np.array(out_o, dtype=object)
    vacancy_ids, candidate_ids = (queries_a, others_a) if direction == "candidates" else (others_a, queries_a)
    return SuggestionArrays(
        direction=direction,
        query_ids=np.array(ordered, dtype=object),
        strict_count=np.array([counts[q][0] for q in ordered], dtype=np.int64),
        stretch_count=np.array([counts[q][1] for q in ordered], dtype=np.int64),
        starts=np.array(starts, dtype=np.int64),
        vacancy_ids=vacancy_ids,
        candidate_ids=candidate_ids,
        rank=np.array(rank, dtype=np.int64),
        score=np.array(score, dtype=np.float32),
        stretch=np.array(stretch, dtype=bool),
        failed=np.array(failed, dtype=np.int64),
        distance_km=np.array(km, dtype=np.float32),
        explanations=(),
    )
