"""Ranked suggestions both ways: candidates for vacancies, vacancies for candidates.

Both directions run the same code on the same (candidates × vacancies) blocks, so a pair gets the
same score whichever way it is asked. Strict matches ("Past", "Fits") pass every hard constraint
and every must-check and score at or above the fit threshold (``Settings.fit_threshold``, the same
number the review, the service and batch runs use). When a vacancy's (or candidate's) strict list
is thin, *stretch matches* follow: pairs that fail exactly one check and score at least the stretch
floor (``Settings.stretch_floor``), each marked with what would have to change. They are ranked
after the strict matches and never mixed in unmarked.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal, Protocol

import numpy as np

from .checks import PairChecks, check_pair
from .explain import Explainer, Explanation, Lang
from .features import PairBlock, compute_block
from .kernel import GroupBy, PairList, allowed_pairs
from .pool import CandidatePool, Encoding, VacancyPool, day_number
from .pool.spatial import PlaceGrid, commute_band, segment_of
from .profiles import Candidate, Vacancy
from .scoring import PairScorer, default_scorer
from .settings import Settings
from .taxonomy import Taxonomy

Direction = Literal["candidates", "vacancies"]

THIN_POOL = 10
"""A strict list shorter than max(k, THIN_POOL) is thin and gets stretch matches appended."""

PAIRS_PER_BLOCK = 2_000_000
"""Pairs per block of the dense lane (:meth:`Ranker.scored_blocks`: every feature of every pair)."""
NEAR_PAIRS_PER_BLOCK = 8_000_000
"""Vacancies × near candidates per block of the pair lane: only a few bytes per pair are dense."""
CANDIDATES_PER_BLOCK = 2_000
"""Candidates per block when ranking vacancies for candidates (in map order, so they are neighbours)."""
VACANCIES_PER_BLOCK = 32
"""Vacancies per block when ranking candidates for vacancies (in map order)."""


@dataclass(frozen=True)
class Suggestion:
    """One ranked pair. ``failed`` is the bitmask of failed checks (0 for a strict match)."""

    candidate_id: str
    vacancy_id: str
    score: float
    rank: int
    stretch: bool
    failed: int
    distance_km: float
    features: np.ndarray = field(repr=False, compare=False)


@dataclass
class RankedList:
    """The suggestions for one query (a vacancy or a candidate), best first."""

    query_id: str
    direction: Direction
    suggestions: list[Suggestion]
    strict_count: int  # size of the strict pool (no failed check, score ≥ fit threshold), not just the part returned
    stretch_count: int  # pairs failing exactly one check, score ≥ stretch floor (before truncation to k)

    @property
    def ids(self) -> np.ndarray:
        key = "candidate_id" if self.direction == "candidates" else "vacancy_id"
        return np.array([getattr(s, key) for s in self.suggestions], dtype=object)

    @property
    def scores(self) -> np.ndarray:
        return np.array([s.score for s in self.suggestions], dtype=np.float32)

    @property
    def stretch(self) -> np.ndarray:
        return np.array([s.stretch for s in self.suggestions], dtype=bool)

    def __iter__(self) -> Iterator[Suggestion]:
        return iter(self.suggestions)

    def __len__(self) -> int:
        return len(self.suggestions)


def top_k_rows(scores: np.ndarray, eligible: np.ndarray, id_rank: np.ndarray, k: int) -> np.ndarray:
    """Indices of the k best eligible entries by score, ties broken by id order; best first."""
    idx = np.flatnonzero(eligible)
    if len(idx) > k:
        kth = np.partition(scores[idx], len(idx) - k)[len(idx) - k]
        idx = idx[scores[idx] >= kth]  # keeps every tie at the boundary for the id tie-break
    order = np.lexsort((id_rank[idx], -scores[idx]))
    return idx[order[:k]]


class Ranker:
    """Scores and ranks pairs from a candidate pool and a vacancy pool.

    Parameters
    ----------
    candidates, vacancies : pools sharing one :class:`~matcher.pool.Encoding`.
    scorer : a fitted scorer (default: the transparent scorer).
    today : reference date for vacancy expiry and availability (default: the current date at each call).
    fit_threshold, stretch_floor : default from :class:`~matcher.settings.Settings`.
    """

    def __init__(
        self,
        candidates: CandidatePool,
        vacancies: VacancyPool,
        scorer: PairScorer | None = None,
        today: date | None = None,
        thin_pool: int = THIN_POOL,
        fit_threshold: float | None = None,
        stretch_floor: float | None = None,
    ) -> None:
        if candidates.encoding is not vacancies.encoding:
            raise ValueError("candidate and vacancy pools must share one Encoding")
        self.candidates = candidates
        self.vacancies = vacancies
        self.scorer = scorer or default_scorer()
        self.today = today
        self.thin_pool = thin_pool
        if fit_threshold is None or stretch_floor is None:
            settings = Settings()
            fit_threshold = settings.fit_threshold if fit_threshold is None else fit_threshold
            stretch_floor = settings.stretch_floor if stretch_floor is None else stretch_floor
        self.fit_threshold = float(fit_threshold)
        self.stretch_floor = float(stretch_floor)
        self.explainer = Explainer(candidates.encoding.taxonomy)

    @classmethod
    def from_profiles(
        cls,
        taxonomy: Taxonomy,
        candidates: Iterable[Candidate],
        vacancies: Iterable[Vacancy],
        scorer: PairScorer | None = None,
        today: date | None = None,
        **options,
    ) -> Ranker:
        """Encode both sides with one :class:`Encoding` over ``taxonomy`` and rank them with ``scorer``."""
        encoding = Encoding(taxonomy)
        return cls(
            CandidatePool(encoding, candidates), VacancyPool(encoding, vacancies), scorer=scorer, today=today, **options
        )

    @classmethod
    def from_settings(
        cls,
        settings: Settings,
        taxonomy: Taxonomy,
        candidates: Iterable[Candidate],
        vacancies: Iterable[Vacancy],
        today: date | None = None,
    ) -> Ranker:
        """:meth:`from_profiles` with the settings' scorer, fit threshold and stretch floor, as every front end uses."""
        from .scoring import load_scorer

        return cls.from_profiles(
            taxonomy,
            candidates,
            vacancies,
            scorer=load_scorer(settings),
            today=today,
            fit_threshold=settings.fit_threshold,
            stretch_floor=settings.stretch_floor,
        )

    def _today(self) -> date:
        return self.today or date.today()

    def _today_day(self) -> int:
        return day_number(self._today())

    def check(self, candidate_id: str, vacancy_id: str) -> PairChecks:
        """Every rule's outcome for one pair (the readable reference of the fast kernel)."""
        return check_pair(
            self.candidates.profile(candidate_id),
            self.vacancies.profile(vacancy_id),
            self.candidates.encoding,
            self._today(),
        )

    def explain(self, suggestion: Suggestion, lang: Lang = "nl") -> Explanation:
        """The broker-facing explanation of a suggestion, in Dutch or English."""
        checks = self.check(suggestion.candidate_id, suggestion.vacancy_id)
        changes = None
        if suggestion.stretch:
            from .review.pair import fitting_changes  # the review's options, checked for this pair

            changes = fitting_changes(self, checks, lang)
        return self.explainer.explain(checks, suggestion.score, suggestion.stretch, lang, changes)

    def explain_list(self, ranked: RankedList, lang: Lang = "nl") -> list[dict[str, Any]]:
        """Every suggestion's explanation as JSON-ready data, in order: computed once per served list."""
        return [self.explain(s, lang).to_dict() for s in ranked]

    def score_block(
        self, cand_rows: np.ndarray | slice, vac_rows: np.ndarray, prefilter: bool = False
    ) -> tuple[PairBlock, np.ndarray]:
        """Features and (n, m) scores for candidates × vacancies given by row numbers.

        With ``prefilter``, candidates allowed for none of the vacancies are dropped first
        (``block.cand_rows`` lists the candidates kept).
        """
        if prefilter and isinstance(cand_rows, slice) and cand_rows == slice(None):
            cand_rows = self._near_candidates(np.asarray(vac_rows))  # the prefilter would drop the others
        block = compute_block(
            self.candidates.arrays(),
            self.vacancies.arrays(),
            cand_rows,
            vac_rows,
            self._today_day(),
            prefilter=prefilter,
        )
        n, m = block.allowed.shape
        scores = self.scorer.predict_fit(block.feature_matrix()).reshape(n, m)
        return block, scores

    def scored_blocks(
        self, vac_rows: np.ndarray, n_threads: int = 1, pairs_per_block: int = PAIRS_PER_BLOCK
    ) -> Iterator[tuple[np.ndarray, PairBlock, np.ndarray]]:
        """All candidates × blocks of ``vac_rows``, scored, in order; ``n_threads`` blocks at a time.

        numpy and scipy release the GIL in their kernels, so threads use every core without
        copying the pools into worker processes.
        """
        per_block = max(1, pairs_per_block // max(len(self.candidates.ids), 1))
        vac_rows = self._spatial_order(np.asarray(vac_rows))
        chunks = [vac_rows[i : i + per_block] for i in range(0, len(vac_rows), per_block)]
        self.candidates.arrays(), self.vacancies.arrays()  # pack once, before threads share them
        if n_threads <= 1:
            for rows in chunks:
                yield (rows, *self.score_block(slice(None), rows, prefilter=True))
            return
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            pending: list[Any] = [pool.submit(self.score_block, slice(None), rows, True) for rows in chunks[:n_threads]]
            for i, rows in enumerate(chunks):
                block, scores = pending[i].result()
                pending[i] = None  # let the finished block's memory go
                if i + n_threads < len(chunks):
                    pending.append(pool.submit(self.score_block, slice(None), chunks[i + n_threads], True))
                yield rows, block, scores

    def _spatial_order(self, vac_rows: np.ndarray) -> np.ndarray:
        """Vacancies ordered by a coarse map grid, so a block holds neighbours and shares candidates.

        The hard-constraint prefilter then drops most candidates of a block: they live too far
        from every vacancy in it.
        """
        xyz = self.vacancies.arrays().xyz[vac_rows]
        cells = np.floor(xyz / 0.004).astype(np.int64)  # ~25 km cells on the unit sphere
        return vac_rows[np.lexsort((vac_rows, cells[:, 2], cells[:, 1], cells[:, 0]))]

    def _candidate_grid(self) -> PlaceGrid:
        """The map grid over the candidates, built once per packing of the pool."""
        arrays = self.candidates.arrays()
        cached = self.__dict__.get("_cand_grid")
        if cached is None or cached[0] is not arrays.xyz:
            cached = (arrays.xyz, PlaceGrid.build(arrays.xyz, arrays.max_commute_km))
            self.__dict__["_cand_grid"] = cached
        return cached[1]

    def _vacancy_grid(self) -> PlaceGrid:
        """The map grid over the vacancies (radius 0: the candidates' commute is the reach)."""
        arrays = self.vacancies.arrays()
        cached = self.__dict__.get("_vac_grid")
        if cached is None or cached[0] is not arrays.xyz:
            cached = (arrays.xyz, PlaceGrid.build(arrays.xyz, np.zeros(len(arrays.xyz), np.float32)))
            self.__dict__["_vac_grid"] = cached
        return cached[1]

    def _near_candidates(self, vac_rows: np.ndarray) -> np.ndarray:
        """Candidate rows that may be within commute of these vacancies (every row if one is remote)."""
        vac = self.vacancies.arrays()
        if vac.remote[vac_rows].any():
            return np.arange(len(self.candidates.ids), dtype=np.int64)
        return self._candidate_grid().near(vac.xyz[vac_rows])

    def _near_count(self, vac_rows: np.ndarray) -> int:
        """``len(self._near_candidates(vac_rows))``, without gathering the rows (planning blocks)."""
        vac = self.vacancies.arrays()
        if vac.remote[vac_rows].any():
            return len(self.candidates.ids)
        return self._candidate_grid().near_count(vac.xyz[vac_rows])

    def _near_vacancies(self, cand_rows: np.ndarray) -> np.ndarray:
        """Vacancy rows within the largest commute of these candidates, and every remote one."""
        cand, vac = self.candidates.arrays(), self.vacancies.arrays()
        if not len(cand_rows):
            return np.zeros(0, dtype=np.int64)
        reach = float(cand.max_commute_km[cand_rows].max())
        near = self._vacancy_grid().near(cand.xyz[cand_rows], reach_km=reach)
        return np.union1d(near, np.flatnonzero(vac.remote))

    def score_pairs(
        self, cand_rows: np.ndarray, vac_rows: np.ndarray, by: GroupBy, max_failed: int | None = None
    ) -> tuple[PairList, np.ndarray]:
        """The allowed pairs of candidates × vacancies (see :mod:`matcher.kernel`) and their scores.

        With ``max_failed``, only the pairs failing at most that many checks (ranking asks 1: the
        strict and the stretch matches).
        """
        pairs = allowed_pairs(
            self.candidates.arrays(),
            self.vacancies.arrays(),
            cand_rows,
            vac_rows,
            self._today_day(),
            by=by,
            max_failed=max_failed,
        )
        return pairs, self.scorer.predict_fit(pairs.feature_matrix())

    def _vacancy_blocks(self, vac_rows: np.ndarray, pairs_per_block: int) -> list[np.ndarray]:
        """Vacancies in map order cut into blocks of neighbours.

        A block holds at most :data:`VACANCIES_PER_BLOCK` vacancies (more would widen the near set
        faster than it saves work) and is halved while it would exceed ``pairs_per_block`` pairs
        with its near candidates (found again when the block is scored: they are not kept, since
        at a million candidates they would outweigh the pool).
        """
        vac = self.vacancies.arrays()
        vac_rows = np.asarray(vac_rows, dtype=np.int64)
        vac_rows = vac_rows[self._candidate_grid().map_order(vac.xyz[vac_rows])]
        # remote vacancies reach every candidate: blocked apart, so they do not widen their neighbours' blocks
        remote = vac.remote[vac_rows]
        blocks: list[np.ndarray] = []
        pending = [
            group[i : i + VACANCIES_PER_BLOCK]
            for group in (vac_rows[~remote], vac_rows[remote])
            for i in range(0, len(group), VACANCIES_PER_BLOCK)
        ]
        while pending:
            rows = pending.pop(0)
            if len(rows) > 1 and self._near_count(rows) * len(rows) > pairs_per_block:
                half = len(rows) // 2
                pending[:0] = [rows[:half], rows[half:]]
                continue
            blocks.append(rows)
        return blocks

    def _map_order(self, cand_rows: np.ndarray) -> np.ndarray:
        """Positions of ``cand_rows`` by commute band, then in map order.

        A block of candidates then holds neighbours with similar commutes, so the largest commute
        in the block (its reach over the vacancies) is close to each one's.
        """
        cand = self.candidates.arrays()
        along_map = np.empty(len(cand_rows), dtype=np.int64)
        along_map[self._candidate_grid().map_order(cand.xyz[cand_rows])] = np.arange(len(cand_rows))
        return np.lexsort((along_map, commute_band(cand.max_commute_km[cand_rows])))

    def _in_threads(self, jobs: list, work, n_threads: int) -> Iterator:
        """``work(*job)`` for each job, in order, ``n_threads`` at a time (numpy releases the GIL)."""
        self.candidates.arrays(), self.vacancies.arrays()  # pack once, before threads share them
        if n_threads <= 1:
            for job in jobs:
                yield work(*job)
            return
        with ThreadPoolExecutor(max_workers=n_threads) as pool:
            pending: list[Future | None] = [pool.submit(work, *job) for job in jobs[:n_threads]]
            for i in range(len(jobs)):
                result = pending[i].result()  # type: ignore[union-attr]  # set until taken
                pending[i] = None  # let the finished block's memory go
                if i + n_threads < len(jobs):
                    pending.append(pool.submit(work, *jobs[i + n_threads]))
                yield result

    def top_candidates(
        self, vacancy_ids: Sequence[str], k: int = 10, stretch: bool = True, n_threads: int = 1
    ) -> list[RankedList]:
        """The k best candidates for each vacancy, with stretch matches where the pool is thin.

        Vacancies are taken in blocks of neighbours, each against the candidates near it (a map
        grid), and only the pairs that pass the hard constraints get features; ``n_threads``
        blocks run at a time.
        """
        order = list(vacancy_ids)
        vac_rows = self.vacancies.rows(order)
        id_rank = self.candidates.arrays().id_rank

        def rank_block(rows: np.ndarray) -> list[RankedList]:
            pairs, scores = self.score_pairs(self._near_candidates(rows), rows, by="vacancy", max_failed=1)
            return [
                self._rank_pair_line("candidates", self.vacancies.ids[row], pairs, scores, q, id_rank, k, stretch)
                for q, row in enumerate(rows)
            ]

        blocks = self._vacancy_blocks(np.unique(vac_rows), NEAR_PAIRS_PER_BLOCK)
        by_row: dict[int, RankedList] = {}
        for rows, ranked in zip(blocks, self._in_threads([(b,) for b in blocks], rank_block, n_threads), strict=True):
            by_row.update(zip(rows.tolist(), ranked, strict=True))
        return [by_row[row] for row in vac_rows.tolist()]

    def top_vacancies(
        self, candidate_ids: Sequence[str], k: int = 10, stretch: bool = True, n_threads: int = 1
    ) -> list[RankedList]:
        """The k best vacancies for each candidate, with stretch matches where the list is thin.

        Candidates are taken in blocks of neighbours, each against the vacancies within the
        block's largest commute (and every remote one); ``n_threads`` blocks run at a time.
        """
        cand_rows = self.candidates.rows(list(candidate_ids))
        unique = np.unique(cand_rows)
        ordered = unique[self._map_order(unique)]
        id_rank = self.vacancies.arrays().id_rank
        chunks = [ordered[i : i + CANDIDATES_PER_BLOCK] for i in range(0, len(ordered), CANDIDATES_PER_BLOCK)]

        def rank_block(rows: np.ndarray) -> list[RankedList]:
            pairs, scores = self.score_pairs(rows, self._near_vacancies(rows), by="candidate", max_failed=1)
            return [
                self._rank_pair_line("vacancies", self.candidates.ids[row], pairs, scores, q, id_rank, k, stretch)
                for q, row in enumerate(rows)
            ]

        by_row: dict[int, RankedList] = {}
        for rows, ranked in zip(chunks, self._in_threads([(c,) for c in chunks], rank_block, n_threads), strict=True):
            by_row.update(zip(rows.tolist(), ranked, strict=True))
        return [by_row[row] for row in cand_rows.tolist()]

    def _rank_pair_line(
        self,
        direction: Direction,
        query_id: str,
        pairs: PairList,
        scores: np.ndarray,
        q: int,
        id_rank: np.ndarray,
        k: int,
        stretch: bool,
    ) -> RankedList:
        """Rank query ``q`` of a pair list: its pairs are one slice, every one allowed."""
        line = slice(int(pairs.starts[q]), int(pairs.starts[q + 1]))
        other_rows = pairs.cand_rows[line] if direction == "candidates" else pairs.vac_rows[line]
        block = PairBlock(
            features=pairs.features[:, line],
            allowed=np.ones(line.stop - line.start, dtype=bool),
            failed=pairs.failed[line],
            distance_km=pairs.distance_km[line],
            cand_rows=pairs.cand_rows[line],
        )
        return self._rank_one(
            direction, query_id, block, scores[line], (slice(None),), other_rows, id_rank[other_rows], k, stretch
        )

    def _rank_one(
        self,
        direction: Direction,
        query_id: str,
        block: PairBlock,
        scores: np.ndarray,
        where: tuple,
        other_rows: np.ndarray,
        id_rank: np.ndarray,
        k: int,
        stretch: bool,
    ) -> RankedList:
        """Rank the line ``where`` of a block for one query; ``other_rows`` are the pool rows along it."""
        line_scores, failed = scores[where], block.failed[where]
        features, distance_km = block.features[(slice(None), *where)], block.distance_km[where]
        allowed = block.allowed[where]
        strict = allowed & (failed == 0) & (line_scores >= np.float32(self.fit_threshold))
        one_off = allowed & (np.bitwise_count(failed) == 1) & (line_scores >= np.float32(self.stretch_floor))
        other_ids = self.candidates.ids if direction == "candidates" else self.vacancies.ids

        def suggestion(i: int, rank: int, is_stretch: bool) -> Suggestion:
            other_id = other_ids[other_rows[i]]
            candidate_id, vacancy_id = (other_id, query_id) if direction == "candidates" else (query_id, other_id)
            return Suggestion(
                candidate_id=candidate_id,
                vacancy_id=vacancy_id,
                score=float(line_scores[i]),
                rank=rank,
                stretch=is_stretch,
                failed=int(failed[i]),
                distance_km=float(distance_km[i]),
                features=features[:, i].copy(),
            )

        chosen = top_k_rows(line_scores, strict, id_rank, k)
        suggestions = [suggestion(i, rank, False) for rank, i in enumerate(chosen, start=1)]
        strict_count, stretch_count = int(strict.sum()), int(one_off.sum())
        if stretch and strict_count < max(k, self.thin_pool):
            extra = top_k_rows(line_scores, one_off, id_rank, k)
            suggestions += [suggestion(i, rank, True) for rank, i in enumerate(extra, start=len(suggestions) + 1)]
        return RankedList(query_id, direction, suggestions, strict_count, stretch_count)


# --- array output for batch runs ---------------------------------------------------------------


@dataclass
class RankedArrays:
    """Ranked lists of many queries as flat arrays: what a batch run stores, without a Python object per row.

    The lists of query ``q`` are the rows ``starts[q]:starts[q + 1]``, best first, ranked exactly as
    :meth:`Ranker.top_candidates` / :meth:`Ranker.top_vacancies` rank them (same scores, same
    tie-break by id, strict matches then stretch matches when the strict pool is thin).
    """

    direction: Direction
    query_rows: np.ndarray  # (Q,) pool rows of the queries (vacancies for "candidates", else candidates)
    strict_count: np.ndarray  # (Q,) int64
    stretch_count: np.ndarray  # (Q,) int64
    starts: np.ndarray  # (Q + 1,) int64
    other_rows: np.ndarray  # (R,) pool rows of the suggested side
    rank: np.ndarray  # (R,) int64, from 1
    score: np.ndarray  # (R,) float32, bitwise the scorer's
    stretch: np.ndarray  # (R,) bool
    failed: np.ndarray  # (R,) int64 bitmask
    distance_km: np.ndarray  # (R,) float32

    def __len__(self) -> int:
        return len(self.rank)


class ListRules(Protocol):
    """What turns scored pairs into lists: a :class:`Ranker`, or the same numbers from the settings."""

    @property
    def fit_threshold(self) -> float: ...

    @property
    def stretch_floor(self) -> float: ...

    @property
    def thin_pool(self) -> int: ...


def list_classes(rules: ListRules, failed: np.ndarray, scores: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Which pairs are strict matches and which stretch matches (one failed check, above the floor)."""
    strict = (failed == 0) & (scores >= np.float32(rules.fit_threshold))
    one_off = (np.bitwise_count(failed) == 1) & (scores >= np.float32(rules.stretch_floor))
    return strict, one_off


def _rank_arrays_of_block(
    ranker: ListRules,
    direction: Direction,
    pairs: PairList | FittingPairs,
    scores: np.ndarray,
    query_rows: np.ndarray,
    id_rank: np.ndarray,
    k: int,
    stretch: bool,
    classes: tuple[np.ndarray, np.ndarray] | None = None,
) -> RankedArrays:
    """Every query of one block ranked at once: one lexsort over the block's pairs instead of a loop.

    ``classes``: the pairs' :func:`list_classes`, when the caller has them already.
    """
    n_q = len(pairs.starts) - 1
    q = segment_of(np.diff(pairs.starts))  # each pair's query
    other = pairs.cand_rows if direction == "candidates" else pairs.vac_rows
    strict, one_off = classes if classes is not None else list_classes(ranker, pairs.failed, scores)
    strict_count = np.bincount(q[strict], minlength=n_q).astype(np.int64)
    stretch_count = np.bincount(q[one_off], minlength=n_q).astype(np.int64)
    cls = np.where(strict, 0, 1).astype(np.int64)  # strict pairs have no failed check: never one-off
    thin = strict_count < max(k, ranker.thin_pool)
    idx = np.flatnonzero(strict | (one_off & thin[q])) if stretch else np.flatnonzero(strict)
    order = np.lexsort((id_rank[other[idx]], -scores[idx], cls[idx], q[idx]))
    idx = idx[order]
    group = q[idx] * 2 + cls[idx]
    first = np.flatnonzero(np.r_[True, group[1:] != group[:-1]]) if len(idx) else np.zeros(0, np.int64)
    lengths = np.diff(np.r_[first, len(idx)])
    pos = np.arange(len(idx), dtype=np.int64) - first[segment_of(lengths)]
    kept = pos < k
    idx, pos = idx[kept], pos[kept]
    row_q, row_cls = q[idx], cls[idx]
    rank = pos + 1 + np.where(row_cls == 1, np.minimum(strict_count[row_q], k), 0)
    starts = np.zeros(n_q + 1, dtype=np.int64)
    np.cumsum(np.bincount(row_q, minlength=n_q), out=starts[1:])
    return RankedArrays(
        direction=direction,
        query_rows=np.asarray(query_rows, dtype=np.int64),
        strict_count=strict_count,
        stretch_count=stretch_count,
        starts=starts,
        other_rows=other[idx],
        rank=rank,
        score=scores[idx],
        stretch=row_cls == 1,
        failed=pairs.failed[idx],
        distance_km=pairs.distance_km[idx],
    )


def concat_ranked_arrays(direction: Direction, parts: Sequence[RankedArrays]) -> RankedArrays:
    """Blocks' arrays as one, in the order given."""
    if not parts:
        empty_i = np.zeros(0, dtype=np.int64)
        return RankedArrays(
            direction,
            empty_i,
            empty_i,
            empty_i,
            np.zeros(1, np.int64),
            empty_i,
            empty_i,
            np.zeros(0, np.float32),
            np.zeros(0, bool),
            empty_i,
            np.zeros(0, np.float32),
        )
    sizes = np.array([len(p) for p in parts], dtype=np.int64)
    offsets = np.r_[0, np.cumsum(sizes)[:-1]]
    starts = np.concatenate([p.starts[:-1] + o for p, o in zip(parts, offsets, strict=True)] + [[int(sizes.sum())]])

    def cat(name: str) -> np.ndarray:
        return np.concatenate([getattr(p, name) for p in parts])

    return RankedArrays(
        direction=direction,
        query_rows=cat("query_rows"),
        strict_count=cat("strict_count"),
        stretch_count=cat("stretch_count"),
        starts=starts.astype(np.int64),
        other_rows=cat("other_rows"),
        rank=cat("rank"),
        score=cat("score"),
        stretch=cat("stretch"),
        failed=cat("failed"),
        distance_km=cat("distance_km"),
    )


def top_candidates_arrays(
    ranker: Ranker, vacancy_ids: Sequence[str], k: int = 10, stretch: bool = True, n_threads: int = 1
) -> RankedArrays:
    """:meth:`Ranker.top_candidates` as arrays: the same lists, one entry per distinct vacancy (in map order)."""
    return _vacancy_side(ranker, vacancy_ids, k, stretch, n_threads, keep_fitting=False)[0]


def top_vacancies_arrays(
    ranker: Ranker, candidate_ids: Sequence[str], k: int = 10, stretch: bool = True, n_threads: int = 1
) -> RankedArrays:
    """:meth:`Ranker.top_vacancies` as arrays: the same lists, one entry per distinct candidate (in map order)."""
    unique = np.unique(ranker.candidates.rows(list(candidate_ids)))
    ordered = unique[ranker._map_order(unique)]
    id_rank = ranker.vacancies.arrays().id_rank
    chunks = [ordered[i : i + CANDIDATES_PER_BLOCK] for i in range(0, len(ordered), CANDIDATES_PER_BLOCK)]

    def rank_block(rows: np.ndarray) -> RankedArrays:
        pairs, scores = ranker.score_pairs(rows, ranker._near_vacancies(rows), by="candidate", max_failed=1)
        return _rank_arrays_of_block(ranker, "vacancies", pairs, scores, rows, id_rank, k, stretch)

    parts = list(ranker._in_threads([(c,) for c in chunks], rank_block, n_threads))
    return concat_ranked_arrays("vacancies", parts)


@dataclass
class FittingPairs:
    """Pairs that can enter a ranked list (strict, or failing one check above the stretch floor), grouped by query.

    What :func:`_rank_arrays_of_block` reads of a :class:`~matcher.kernel.PairList`, without the
    features: kept from one direction's blocks, it ranks the other direction.
    """

    cand_rows: np.ndarray
    vac_rows: np.ndarray
    failed: np.ndarray
    distance_km: np.ndarray
    starts: np.ndarray

    @classmethod
    def concat_by_candidate(
        cls, parts: Sequence[tuple[FittingPairs, np.ndarray]], query_rows: np.ndarray
    ) -> tuple[FittingPairs, np.ndarray]:
        """``(pairs, scores)`` parts as one list grouped by candidate, in the order of ``query_rows``."""
        cand = np.concatenate([p.cand_rows for p, _ in parts]) if parts else np.zeros(0, np.int64)
        vac = np.concatenate([p.vac_rows for p, _ in parts]) if parts else np.zeros(0, np.int64)
        failed = np.concatenate([p.failed for p, _ in parts]) if parts else np.zeros(0, np.int64)
        distance = np.concatenate([p.distance_km for p, _ in parts]) if parts else np.zeros(0, np.float32)
        scores = np.concatenate([s for _, s in parts]) if parts else np.zeros(0, np.float32)
        place = np.full(int(max(cand.max(initial=-1), query_rows.max(initial=-1))) + 1, -1, dtype=np.int64)
        place[query_rows] = np.arange(len(query_rows))
        query = place[cand]
        keep = np.flatnonzero(query >= 0)
        order = keep[np.argsort(query[keep], kind="stable")]
        starts = np.zeros(len(query_rows) + 1, dtype=np.int64)
        np.cumsum(np.bincount(query[order], minlength=len(query_rows)), out=starts[1:])
        pairs = cls(cand[order], vac[order], failed[order], distance[order], starts)
        return pairs, scores[order]


def _fitting(
    pairs: PairList, scores: np.ndarray, classes: tuple[np.ndarray, np.ndarray]
) -> tuple[FittingPairs, np.ndarray]:
    """The pairs of a block that can enter a list in either direction (``classes``), and their scores."""
    kept = np.flatnonzero(classes[0] | classes[1])
    ungrouped = np.zeros(1, dtype=np.int64)
    fitting = FittingPairs(
        pairs.cand_rows[kept], pairs.vac_rows[kept], pairs.failed[kept], pairs.distance_km[kept], ungrouped
    )
    return fitting, scores[kept]


def top_candidates_with_fitting(
    ranker: Ranker, vacancy_ids: Sequence[str], k: int = 10, stretch: bool = True, n_threads: int = 1
) -> tuple[RankedArrays, list[tuple[FittingPairs, np.ndarray]]]:
    """:func:`top_candidates_arrays`, and per block the pairs that can enter any list with their scores.

    Over every vacancy, those pairs rank every candidate's vacancies (:func:`rank_fitting_by_candidate`).
    """
    return _vacancy_side(ranker, vacancy_ids, k, stretch, n_threads, keep_fitting=True)


def _vacancy_side(
    ranker: Ranker, vacancy_ids: Sequence[str], k: int, stretch: bool, n_threads: int, keep_fitting: bool
) -> tuple[RankedArrays, list[tuple[FittingPairs, np.ndarray]]]:
    """Vacancy blocks in map order, each against its near candidates: ranked, and their fitting pairs if kept."""
    vac_rows = np.unique(ranker.vacancies.rows(list(vacancy_ids)))
    id_rank = ranker.candidates.arrays().id_rank

    def rank_block(rows: np.ndarray) -> tuple[RankedArrays, tuple[FittingPairs, np.ndarray] | None]:
        pairs, scores = ranker.score_pairs(ranker._near_candidates(rows), rows, by="vacancy", max_failed=1)
        classes = list_classes(ranker, pairs.failed, scores)
        ranked = _rank_arrays_of_block(ranker, "candidates", pairs, scores, rows, id_rank, k, stretch, classes)
        return ranked, _fitting(pairs, scores, classes) if keep_fitting else None

    blocks = ranker._vacancy_blocks(vac_rows, NEAR_PAIRS_PER_BLOCK)
    parts = list(ranker._in_threads([(b,) for b in blocks], rank_block, n_threads))
    fitting = [kept for _, kept in parts if kept is not None]
    return concat_ranked_arrays("candidates", [ranked for ranked, _ in parts]), fitting


def rank_fitting_by_candidate(
    rules: ListRules,
    parts: Sequence[tuple[FittingPairs, np.ndarray]],
    cand_rows: np.ndarray,
    vac_id_rank: np.ndarray,
    k: int = 10,
    stretch: bool = True,
) -> RankedArrays:
    """Each of ``cand_rows``'s vacancies ranked from fitting pairs kept over every vacancy.

    Ranked as :meth:`Ranker.top_vacancies` ranks them: the pairs that can enter a list are all
    there, with the same scores, so the lists, counts and tie-breaks are the same.
    """
    fitting, scores = FittingPairs.concat_by_candidate(parts, cand_rows)
    return _rank_arrays_of_block(rules, "vacancies", fitting, scores, cand_rows, vac_id_rank, k, stretch)


def top_both_arrays(
    ranker: Ranker, k: int = 10, stretch: bool = True, n_threads: int = 1
) -> tuple[RankedArrays, RankedArrays]:
    """Top-k both ways over the whole pool from one pass over the pairs.

    The vacancy blocks decide every pair once (:func:`top_candidates_arrays`); the pairs that can
    enter a list (strict, or failing one check above the stretch floor: about one per candidate at
    demo density) are kept, and grouped by candidate they rank every candidate's vacancies. A
    pair is decided and scored the same way in either direction, so the lists equal
    :func:`top_vacancies_arrays` over every candidate (in its order), without a second pass.
    """
    by_vacancy, parts = top_candidates_with_fitting(ranker, ranker.vacancies.ids, k, stretch, n_threads)
    every = np.arange(len(ranker.candidates.ids), dtype=np.int64)
    cand_rows = every[ranker._map_order(every)]
    vac_id_rank = ranker.vacancies.arrays().id_rank
    return by_vacancy, rank_fitting_by_candidate(ranker, parts, cand_rows, vac_id_rank, k, stretch)
