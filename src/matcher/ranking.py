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
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Literal

import numpy as np

from .checks import PairChecks, check_pair
from .explain import Explainer, Explanation, Lang
from .features import PairBlock, compute_block
from .pool import CandidatePool, Encoding, VacancyPool, day_number
from .profiles import Candidate, Vacancy
from .scoring import PairScorer, default_scorer
from .settings import Settings
from .taxonomy import Taxonomy

Direction = Literal["candidates", "vacancies"]

THIN_POOL = 10
"""A strict list shorter than max(k, THIN_POOL) is thin and gets stretch matches appended."""

PAIRS_PER_BLOCK = 2_000_000


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

    def top_candidates(self, vacancy_ids: Sequence[str], k: int = 10, stretch: bool = True) -> list[RankedList]:
        """The k best candidates for each vacancy, with stretch matches where the pool is thin."""
        vac_rows = self.vacancies.rows(list(vacancy_ids))
        id_rank = self.candidates.arrays().id_rank
        results = []
        for rows, block, scores in self.scored_blocks(vac_rows):
            block_id_rank = id_rank[block.cand_rows]
            for j, vac_row in enumerate(rows):
                results.append(
                    self._rank_one(
                        "candidates",
                        self.vacancies.ids[vac_row],
                        block,
                        scores,
                        (slice(None), j),
                        other_rows=block.cand_rows,
                        id_rank=block_id_rank,
                        k=k,
                        stretch=stretch,
                    )
                )
        return results

    def top_vacancies(self, candidate_ids: Sequence[str], k: int = 10, stretch: bool = True) -> list[RankedList]:
        """The k best vacancies for each candidate, with stretch matches where the list is thin."""
        cand_rows = self.candidates.rows(list(candidate_ids))
        n_vac = len(self.vacancies.ids)
        all_vac = np.arange(n_vac)
        per_block = max(1, PAIRS_PER_BLOCK // max(n_vac, 1))
        results = []
        id_rank = self.vacancies.arrays().id_rank
        for start in range(0, len(cand_rows), per_block):
            rows = cand_rows[start : start + per_block]
            block, scores = self.score_block(rows, all_vac)
            for i, cand_row in enumerate(rows):
                results.append(
                    self._rank_one(
                        "vacancies",
                        self.candidates.ids[cand_row],
                        block,
                        scores,
                        (i, slice(None)),
                        other_rows=all_vac,
                        id_rank=id_rank,
                        k=k,
                        stretch=stretch,
                    )
                )
        return results

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
