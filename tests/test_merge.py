"""Merging a list's stored rows with the new pairs gives the list a full ranking would, whenever it says it can."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.batch.merge import NewPairs, exact_merge, merged_lists

SCORES = [0.2, 0.35, 0.5, 0.5, 0.65, 0.8]  # few values: ties are common, so the id tie-break matters

pair = st.tuples(st.sampled_from(SCORES), st.sampled_from(["strict", "one_off", "neither"]))


def ranked(pairs: dict[str, tuple[float, str]], k: int, thin: int) -> tuple[int, int, list[tuple]]:
    """A list as the ranker builds it: pool sizes, then the best k strict and (while thin) k stretch pairs."""
    strict = sorted((-s, o) for o, (s, c) in pairs.items() if c == "strict")
    stretch = sorted((-s, o) for o, (s, c) in pairs.items() if c == "one_off")
    shown = [(o, False, -s) for s, o in strict[:k]]
    if len(strict) < thin:
        shown += [(o, True, -s) for s, o in stretch[:k]]
    return len(strict), len(stretch), shown


@settings(max_examples=400, deadline=None)
@given(
    old=st.dictionaries(st.sampled_from([f"v{i:02d}" for i in range(14)]), pair, max_size=14),
    changes=st.dictionaries(
        st.sampled_from([f"v{i:02d}" for i in range(18)]), st.one_of(st.none(), pair), min_size=1, max_size=8
    ),
    k=st.integers(1, 5),
    extra_thin=st.integers(0, 4),
)
def test_an_exact_merge_equals_ranking_again(old, changes, k, extra_thin) -> None:
    thin = k + extra_thin
    s, t, shown = ranked(old, k, thin)
    rows = [("c1", o, r, float(np.float32(sc)), stretch, 0, 1.5) for r, (o, stretch, sc) in enumerate(shown, start=1)]
    touched = {o for o in changes if o in old}  # changed or removed
    now = {o: p for o, p in old.items() if o not in changes} | {o: p for o, p in changes.items() if p is not None}
    s_new, t_new, expected = ranked(now, k, thin)
    entering = [(o, p) for o, p in changes.items() if p is not None and p[1] != "neither"]
    new = NewPairs(
        query_ids=np.array(["c1"] * len(entering), dtype=object),
        other_ids=np.array([o for o, _ in entering], dtype=object),
        strict=np.array([p[1] == "strict" for _, p in entering], dtype=bool),
        score=np.array([p[0] for _, p in entering], dtype=np.float32),
        failed=np.zeros(len(entering), dtype=np.int64),
        distance_km=np.full(len(entering), 1.5, dtype=np.float32),
    )
    if not exact_merge(rows, touched, (s, t), s_new, k, thin):
        return
    merged = merged_lists("vacancies", ["c1"], {"c1": rows}, new.by_query(), {"c1": (s_new, t_new)}, touched, k, thin)
    got = list(zip(merged.vacancy_ids.tolist(), merged.stretch.tolist(), merged.score.tolist(), strict=True))
    assert got == [(o, stretch, float(np.float32(sc))) for o, stretch, sc in expected]
    assert merged.rank.tolist() == list(range(1, len(expected) + 1))
    assert (merged.strict_count.tolist(), merged.stretch_count.tolist()) == ([s_new], [t_new])
    assert set(merged.candidate_ids.tolist()) <= {"c1"}


def test_a_full_part_that_lost_a_row_is_not_merged() -> None:
    rows = [("c1", f"v{i}", i + 1, 0.9 - i / 10, False, 0, 1.0) for i in range(3)]
    assert not exact_merge(rows, {"v1"}, (5, 0), 4, k=3, thin=3)  # two strict pairs were never shown
    assert exact_merge(rows, {"v1"}, (3, 0), 3, k=3, thin=3)  # every strict pair was shown
    assert not exact_merge(rows, set(), (4, 2), 2, k=3, thin=3)  # the stretch part appears: never stored
