"""Candidates as arrays: held skills with hierarchy credit, languages, experience, constraints."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..profiles import Candidate
from .encoding import (
    LICENCE_BITS,
    MAX_LANGUAGES,
    NEAR_SKILL_CREDIT,
    NO_DATE,
    Encoding,
    day_number,
    licence_mask,
    shift_mask,
    unit_vectors,
)
from .rows import Columns, RowStore, SparseRows


class CandidatePool(RowStore[Candidate]):
    """Candidates as arrays: held skills (with hierarchy credit), languages, constraints."""

    def __init__(self, encoding: Encoding, candidates: Iterable[Candidate] = (), keep_profiles: bool = True) -> None:
        super().__init__(keep_profiles)
        self.encoding = encoding
        n_skills = encoding.n_skills
        self._held = SparseRows(n_skills)  # 1 for a held skill or a broader skill of one
        self._credit = SparseRows(n_skills)  # 1 held, NEAR_SKILL_CREDIT for a related skill
        self._isco_months = SparseRows(len(encoding.isco_codes))
        self._occupations = SparseRows(len(encoding.taxonomy.occupation_uris))
        self._isco_groups = SparseRows(len(encoding.isco_codes))
        self._languages: list[np.ndarray] = []  # one level row per candidate, or packed rows (see arrays)
        self._columns = Columns(
            {
                "x": np.float32,
                "y": np.float32,
                "z": np.float32,
                "max_commute_km": np.float32,
                "hours_min": np.float32,
                "hours_max": np.float32,
                "shifts": np.int16,
                "licences": np.int32,
                "work_permit": bool,
                "wants_training": bool,
                "coaching_need": np.int8,
                "education": np.int8,
                "total_months": np.float32,
                "available_day": np.int32,
                "mobile": bool,
            }
        )
        self.extend(candidates)

    def extend(self, candidates: Iterable[Candidate]) -> None:
        """Add or replace candidates; each is encoded once, the pool is not re-encoded."""
        batch = list(candidates)
        if not batch:
            return
        enc = self.encoding
        held_rows = [enc.skill_columns(c.uri for c in cand.competences if c.uri) for cand in batch]
        held = _indicator(held_rows, enc.n_skills)
        held_or_broader = _binary(held + held @ enc.narrower_to_broader)
        related = _binary(held_or_broader @ enc.related)
        near = _binary(related - related.multiply(held_or_broader))
        credit = (held_or_broader + NEAR_SKILL_CREDIT * near).tocsr()
        credit.sort_indices()
        coords = enc.postcodes.coordinates(c.postcode for c in batch)
        xyz = unit_vectors(coords[:, 0], coords[:, 1])
        held_or_broader.sort_indices()  # a _binary matrix: CSR, every entry 1
        self._held.extend(held_or_broader)
        self._credit.extend(credit)
        for i, cand in enumerate(batch):
            self._place(cand)
            self._encode_experience(cand)
            self._encode_languages(cand)
            self._columns.append(
                x=xyz[i, 0],
                y=xyz[i, 1],
                z=xyz[i, 2],
                max_commute_km=cand.max_commute_km,
                hours_min=cand.hours_min,
                hours_max=cand.hours_max,
                shifts=shift_mask(cand.shifts),
                licences=licence_mask(cand.driving_licences),
                work_permit=cand.work_permit,
                wants_training=cand.wants_language_training,
                coaching_need=int(cand.coaching_need),
                education=int(cand.education),
                total_months=sum(e.months for e in cand.experience),
                available_day=day_number(cand.available_from) if cand.available_from else -NO_DATE,
                mobile=cand.has_car and bool(licence_mask(cand.driving_licences) & LICENCE_BITS["B"]),
            )
        self._invalidate()

    def add(self, candidate: Candidate) -> None:
        self.extend([candidate])

    def _encode_experience(self, cand: Candidate) -> None:
        enc = self.encoding
        months: dict[int, float] = {}
        experience_groups = [enc.occupation_isco(exp.occupation_uri) for exp in cand.experience]
        for group, exp in zip(experience_groups, cand.experience, strict=False):
            if group >= 0:
                months[group] = months.get(group, 0.0) + exp.months
        self._isco_months.append(list(months), list(months.values()))
        occupations = {enc.occupation_row(e.occupation_uri) for e in cand.experience}
        occupations |= {enc.occupation_row(uri) for uri in cand.desired_occupations}
        occupations.discard(-1)
        self._occupations.append(sorted(occupations))
        groups = set(experience_groups)
        groups |= {enc.occupation_isco(uri) for uri in cand.desired_occupations}
        groups.discard(-1)
        self._isco_groups.append(sorted(groups))

    def _encode_languages(self, cand: Candidate) -> None:
        levels = np.zeros(MAX_LANGUAGES, dtype=np.int8)
        for lang in cand.languages:
            levels[self.encoding.languages.column(lang.language)] = int(lang.level)
        self._languages.append(levels)

    def _packed_languages(self) -> np.ndarray:
        """(rows, MAX_LANGUAGES) levels, a copy; the rows are kept as one array from then on."""
        if not self._languages:
            return np.zeros((0, MAX_LANGUAGES), np.int8)
        stacked = np.vstack(self._languages).astype(np.int8, copy=False)
        self._languages = [stacked]
        return stacked.copy()

    def arrays(self) -> CandidateArrays:
        """The packed arrays of all rows (inactive rows included; see ``active``)."""
        if "arrays" not in self._cache:
            cols = self._columns.packed()
            self._cache["arrays"] = CandidateArrays(
                held_csc=self._held.packed().tocsc(),
                credit_csc=self._credit.packed().tocsc(),
                isco_months_csc=self._isco_months.packed().tocsc(),
                occupations_csc=self._occupations.packed().tocsc(),
                isco_groups_csc=self._isco_groups.packed().tocsc(),
                languages=self._packed_languages(),
                xyz=np.column_stack([cols["x"], cols["y"], cols["z"]]).astype(np.float32),
                active=self.active,
                id_rank=self.id_rank(),
                **{k: v for k, v in cols.items() if k not in ("x", "y", "z")},
            )
        return self._cache["arrays"]  # type: ignore[return-value]


@dataclass
class CandidateArrays:
    held_csc: sp.csc_matrix  # candidates × skills: held, or broader than a held skill
    credit_csc: sp.csc_matrix  # candidates × skills: 1 held, NEAR_SKILL_CREDIT related
    isco_months_csc: sp.csc_matrix  # candidates × ISCO unit groups: months of experience
    occupations_csc: sp.csc_matrix  # candidates × occupations: experienced or desired
    isco_groups_csc: sp.csc_matrix  # candidates × ISCO unit groups: experienced or desired
    languages: np.ndarray
    xyz: np.ndarray
    active: np.ndarray
    id_rank: np.ndarray
    max_commute_km: np.ndarray
    hours_min: np.ndarray
    hours_max: np.ndarray
    shifts: np.ndarray
    licences: np.ndarray
    work_permit: np.ndarray
    wants_training: np.ndarray
    coaching_need: np.ndarray
    education: np.ndarray
    total_months: np.ndarray
    available_day: np.ndarray  # day number from which the candidate can start (very early if unknown)
    mobile: np.ndarray  # has a car of their own and a licence B


def _indicator(rows: Sequence[Sequence[int]], n_cols: int) -> sp.csr_matrix:
    indptr = np.zeros(len(rows) + 1, dtype=np.int64)
    indptr[1:] = np.cumsum([len(r) for r in rows])
    indices = np.fromiter((c for r in rows for c in r), dtype=np.int32, count=int(indptr[-1]))
    return sp.csr_matrix((np.ones(len(indices), np.float32), indices, indptr), shape=(len(rows), n_cols))


def _binary(matrix: sp.spmatrix) -> sp.csr_matrix:
    matrix = sp.csr_matrix(matrix)
    matrix.eliminate_zeros()
    matrix.data[:] = 1.0
    return matrix
