"""Candidates and vacancies encoded once as arrays, ready for vectorised pair features.

A pool encodes each profile into a row of numpy arrays and sparse matrices. Adding or updating a
profile encodes only that profile: the new row goes to a small staging area, the old row is
marked inactive, and the packed matrices are rebuilt from the arrays (no Python work per
profile) the next time a query needs them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Generic, Iterable, Sequence, TypeVar

import numpy as np
import scipy.sparse as sp

from .geo import PostcodeTable, load_postcodes
from .profiles import Candidate, EducationLevel, Importance, RequirementKind, Shift, Vacancy
from .taxonomy import Taxonomy

NEAR_SKILL_CREDIT = 0.5
"""Credit for a required skill when the candidate holds a broader or sibling skill instead."""

MAX_LANGUAGES = 32
MAX_MUST_SLOTS = 48  # must-requirement bits per vacancy; float64 sums stay exact below 2**53
EPOCH = date(2000, 1, 1)
NO_DATE = np.iinfo(np.int32).max

SHIFT_BITS = {shift: 1 << i for i, shift in enumerate(Shift)}
LICENCE_IMPLIES = {
    # Holding the key category also gives the listed ones (Belgian/EU licence rules).
    "AM": ("AM",), "A": ("A", "AM"), "B": ("B", "AM"), "BE": ("BE", "B", "AM"),
    "C1": ("C1", "B", "AM"), "C": ("C", "C1", "B", "AM"), "CE": ("CE", "C", "C1", "BE", "B", "AM"),
    "D": ("D", "B", "AM"), "DE": ("DE", "D", "BE", "B", "AM"), "G": ("G",),
}
LICENCE_BITS = {name: 1 << i for i, name in enumerate(LICENCE_IMPLIES)}

P = TypeVar("P", Candidate, Vacancy)


def day_number(value: date | None) -> int:
    return NO_DATE if value is None else (value - EPOCH).days


def unit_vectors(lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
    """(n, 3) points on the unit sphere, so a distance needs no trigonometry but one arcsin."""
    lat_r, lon_r = np.radians(lat), np.radians(lon)
    return np.column_stack([np.cos(lat_r) * np.cos(lon_r), np.cos(lat_r) * np.sin(lon_r), np.sin(lat_r)]
                           ).astype(np.float32)


def shift_mask(shifts: Iterable[Shift]) -> int:
    mask = 0
    for shift in shifts:
        mask |= SHIFT_BITS[shift]
    return mask


def licence_mask(categories: Iterable[str]) -> int:
    mask = 0
    for category in categories:
        for implied in LICENCE_IMPLIES.get(category, ()):
            mask |= LICENCE_BITS[implied]
    return mask


class LanguageColumns:
    """Stable column numbers for language codes, shared by a candidate and a vacancy pool."""

    def __init__(self) -> None:
        self.codes: list[str] = []
        self.index: dict[str, int] = {}

    def column(self, code: str) -> int:
        if code not in self.index:
            if len(self.codes) >= MAX_LANGUAGES:
                raise ValueError(f"more than {MAX_LANGUAGES} distinct languages in one pool")
            self.index[code] = len(self.codes)
            self.codes.append(code)
        return self.index[code]


@dataclass
class Encoding:
    """Shared context of a candidate pool and a vacancy pool: taxonomy, postcodes, languages."""

    taxonomy: Taxonomy
    postcodes: PostcodeTable = field(default_factory=load_postcodes)
    languages: LanguageColumns = field(default_factory=LanguageColumns)

    def __post_init__(self) -> None:
        tax = self.taxonomy
        self.n_skills = len(tax.skill_uris)
        self.isco_codes = sorted({o.isco_group for o in tax.occupations.values()})
        self.isco_index = {code: i for i, code in enumerate(self.isco_codes)}
        parent = tax.skill_parent_matrix.tocsr()
        # Holding a narrower skill counts as holding its broader one; a broader or sibling skill
        # earns partial credit. Precomputed once so encoding a profile is a sparse product.
        self.narrower_to_broader = parent
        related = (parent.T + parent @ parent.T).tocsr()
        related.data[:] = 1.0
        self.related = related

    def skill_columns(self, uris: Iterable[str]) -> list[int]:
        index = self.taxonomy.skill_index
        return sorted({index[u] for u in uris if u in index})

    def occupation_isco(self, uri: str | None) -> int:
        if uri is None or uri not in self.taxonomy.occupations:
            return -1
        return self.isco_index[self.taxonomy.occupations[uri].isco_group]

    def occupation_row(self, uri: str | None) -> int:
        return self.taxonomy.occupation_index.get(uri, -1) if uri else -1


class _RowStore(Generic[P]):
    """Rows addressed by id, with tombstones, so an update re-encodes only one profile."""

    def __init__(self) -> None:
        self.ids: list[str] = []
        self.profiles: list[P] = []
        self.row_of: dict[str, int] = {}
        self._active: list[bool] = []

    def _place(self, profile: P) -> int:
        old = self.row_of.get(profile.id)
        if old is not None:
            self._active[old] = False
        row = len(self.ids)
        self.ids.append(profile.id)
        self.profiles.append(profile)
        self._active.append(True)
        self.row_of[profile.id] = row
        return row

    def remove(self, profile_id: str) -> None:
        row = self.row_of.pop(profile_id, None)
        if row is None:
            raise KeyError(f"no profile with id {profile_id!r} in the pool")
        self._active[row] = False
        self._invalidate()

    def rows(self, ids: Sequence[str]) -> np.ndarray:
        missing = [i for i in ids if i not in self.row_of]
        if missing:
            raise KeyError(f"unknown id {missing[0]!r}" + (f" and {len(missing) - 1} more" if len(missing) > 1 else ""))
        return np.fromiter((self.row_of[i] for i in ids), dtype=np.int64, count=len(ids))

    @property
    def active(self) -> np.ndarray:
        return np.asarray(self._active, dtype=bool)

    def __len__(self) -> int:
        return len(self.row_of)

    def ids_active(self) -> list[str]:
        """Ids of the profiles currently in the pool, in insertion order."""
        return list(self.row_of)

    def profile(self, profile_id: str) -> P:
        return self.profiles[self.row_of[profile_id]]

    def id_rank(self) -> np.ndarray:
        """Position of each row's id in sorted order: the deterministic tie-break of rankings."""
        order = np.argsort(np.asarray(self.ids, dtype=object), kind="stable")
        rank = np.empty(len(order), dtype=np.int64)
        rank[order] = np.arange(len(order))
        return rank

    def _invalidate(self) -> None:  # pragma: no cover - overridden
        pass


class _Columns:
    """Growable per-row numeric columns, packed to numpy arrays on demand."""

    def __init__(self, spec: dict[str, type]) -> None:
        self._spec = spec
        self._lists: dict[str, list] = {name: [] for name in spec}
        self._packed: dict[str, np.ndarray] | None = None

    def append(self, **values: object) -> None:
        for name in self._spec:
            self._lists[name].append(values[name])
        self._packed = None

    def packed(self) -> dict[str, np.ndarray]:
        if self._packed is None:
            self._packed = {name: np.asarray(self._lists[name], dtype=dtype) for name, dtype in self._spec.items()}
        return self._packed


class _SparseRows:
    """Growable sparse rows (column index lists with values), packed to CSR on demand."""

    def __init__(self, n_cols: int, dtype: type = np.float32) -> None:
        self.n_cols = n_cols
        self.dtype = dtype
        self._indptr = [0]
        self._indices: list[np.ndarray] = []
        self._data: list[np.ndarray] = []
        self._nnz = 0
        self._packed: sp.csr_matrix | None = None

    def append(self, cols: Sequence[int] | np.ndarray, values: Sequence[float] | np.ndarray | None = None) -> None:
        cols = np.asarray(cols, dtype=np.int32)
        vals = np.ones(len(cols), dtype=self.dtype) if values is None else np.asarray(values, dtype=self.dtype)
        self._indices.append(cols)
        self._data.append(vals)
        self._nnz += len(cols)
        self._indptr.append(self._nnz)
        self._packed = None

    def packed(self) -> sp.csr_matrix:
        if self._packed is None:
            n_rows = len(self._indptr) - 1
            indices = np.concatenate(self._indices) if self._indices else np.zeros(0, np.int32)
            data = np.concatenate(self._data) if self._data else np.zeros(0, self.dtype)
            self._packed = sp.csr_matrix((data, indices, np.asarray(self._indptr, dtype=np.int64)),
                                         shape=(n_rows, self.n_cols))
        return self._packed


class CandidatePool(_RowStore[Candidate]):
    """Candidates as arrays: held skills (with hierarchy credit), languages, constraints."""

    def __init__(self, encoding: Encoding, candidates: Iterable[Candidate] = ()) -> None:
        super().__init__()
        self.encoding = encoding
        n_skills = encoding.n_skills
        self._held = _SparseRows(n_skills)         # 1 for a held skill or a broader skill of one
        self._credit = _SparseRows(n_skills)       # 1 held, NEAR_SKILL_CREDIT for a related skill
        self._isco_months = _SparseRows(len(encoding.isco_codes))
        self._occupations = _SparseRows(len(encoding.taxonomy.occupation_uris))
        self._isco_groups = _SparseRows(len(encoding.isco_codes))
        self._languages: list[np.ndarray] = []
        self._columns = _Columns({
            "x": np.float32, "y": np.float32, "z": np.float32, "max_commute_km": np.float32,
            "hours_min": np.float32, "hours_max": np.float32, "shifts": np.int16, "licences": np.int32,
            "work_permit": bool, "wants_training": bool, "coaching_need": np.int8, "education": np.int8,
            "total_months": np.float32, "available_day": np.int32,
        })
        self._cache: dict[str, object] = {}
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
        for i, cand in enumerate(batch):
            self._place(cand)
            self._held.append(held_or_broader.indices[held_or_broader.indptr[i]:held_or_broader.indptr[i + 1]])
            self._credit.append(credit.indices[credit.indptr[i]:credit.indptr[i + 1]],
                                credit.data[credit.indptr[i]:credit.indptr[i + 1]])
            self._encode_experience(cand)
            self._encode_languages(cand)
            self._columns.append(
                x=xyz[i, 0], y=xyz[i, 1], z=xyz[i, 2], max_commute_km=cand.max_commute_km,
                hours_min=cand.hours_min, hours_max=cand.hours_max, shifts=shift_mask(cand.shifts),
                licences=licence_mask(cand.driving_licences), work_permit=cand.work_permit,
                wants_training=cand.wants_language_training, coaching_need=int(cand.coaching_need),
                education=int(cand.education), total_months=sum(e.months for e in cand.experience),
                available_day=day_number(cand.available_from),
            )
        self._invalidate()

    def add(self, candidate: Candidate) -> None:
        self.extend([candidate])

    def _encode_experience(self, cand: Candidate) -> None:
        enc = self.encoding
        months: dict[int, float] = {}
        for exp in cand.experience:
            group = enc.occupation_isco(exp.occupation_uri)
            if group >= 0:
                months[group] = months.get(group, 0.0) + exp.months
        self._isco_months.append(list(months), list(months.values()))
        occupations = {enc.occupation_row(e.occupation_uri) for e in cand.experience}
        occupations |= {enc.occupation_row(uri) for uri in cand.desired_occupations}
        occupations.discard(-1)
        self._occupations.append(sorted(occupations))
        groups = {enc.occupation_isco(e.occupation_uri) for e in cand.experience}
        groups |= {enc.occupation_isco(uri) for uri in cand.desired_occupations}
        groups.discard(-1)
        self._isco_groups.append(sorted(groups))

    def _encode_languages(self, cand: Candidate) -> None:
        levels = np.zeros(MAX_LANGUAGES, dtype=np.int8)
        for lang in cand.languages:
            levels[self.encoding.languages.column(lang.language)] = int(lang.level)
        self._languages.append(levels)

    def _invalidate(self) -> None:
        self._cache.clear()

    def arrays(self) -> CandidateArrays:
        """The packed arrays of all rows (inactive rows included; see ``active``)."""
        if "arrays" not in self._cache:
            cols = self._columns.packed()
            self._cache["arrays"] = CandidateArrays(
                held_csc=self._held.packed().tocsc(), credit_csc=self._credit.packed().tocsc(),
                isco_months_csc=self._isco_months.packed().tocsc(), occupations_csc=self._occupations.packed().tocsc(),
                isco_groups_csc=self._isco_groups.packed().tocsc(), languages=np.vstack(self._languages) if self._languages
                else np.zeros((0, MAX_LANGUAGES), np.int8),
                xyz=np.column_stack([cols["x"], cols["y"], cols["z"]]).astype(np.float32), active=self.active,
                id_rank=self.id_rank(), **{k: v for k, v in cols.items() if k not in ("x", "y", "z")},
            )
        return self._cache["arrays"]  # type: ignore[return-value]


@dataclass
class CandidateArrays:
    held_csc: sp.csc_matrix        # candidates × skills: held, or broader than a held skill
    credit_csc: sp.csc_matrix      # candidates × skills: 1 held, NEAR_SKILL_CREDIT related
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
    available_day: np.ndarray


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


# --------------------------------------------------------------------------------------------
# Vacancies
# --------------------------------------------------------------------------------------------

MAX_EXPERIENCE = 4
MAX_LICENCES = 4
MAX_LANGUAGE_REQS = 4


class VacancyPool(_RowStore[Vacancy]):
    """Vacancies as arrays: requirement slots for the must-checks, support offered, constraints.

    Each must-requirement gets a slot number (its bit in a failure bitmask). Coaching is checked
    too and gets the bit after the last requirement, so a pair's failed checks fit one integer.
    """

    def __init__(self, encoding: Encoding, vacancies: Iterable[Vacancy] = ()) -> None:
        super().__init__()
        self.encoding = encoding
        n_skills = encoding.n_skills
        self._must_skills = _SparseRows(n_skills)      # 1 per must competence
        self._must_bits = _SparseRows(n_skills, np.float64)  # 2**slot per must competence
        self._other_skills = _SparseRows(n_skills)     # should/nice competences
        self._trainable_bits: list[int] = []
        self._slots: list[list[SlotInfo]] = []
        self._lang: list[np.ndarray] = []     # (MAX_LANGUAGE_REQS, 4): column, level, slot, must
        self._exp: list[np.ndarray] = []      # (MAX_EXPERIENCE, 3): isco group, months, slot
        self._lic: list[np.ndarray] = []      # (MAX_LICENCES, 2): licence bit, slot
        self._columns = _Columns({
            "x": np.float32, "y": np.float32, "z": np.float32, "remote": bool,
            "hours_min": np.float32, "hours_max": np.float32, "shifts": np.int16,
            "language_support": np.int8, "coaching_offer": np.int8, "coaching_free": np.int32,
            "training_on_the_job": bool, "education": np.int8, "education_slot": np.int8,
            "coaching_slot": np.int8, "workplace_language": np.int8, "contact_languages": np.int64,
            "occupation": np.int32, "isco": np.int32, "valid_day": np.int32, "n_must_skills": np.float32,
            "n_other_skills": np.float32, "all_bits": np.int64,
        })
        self._cache: dict[str, object] = {}
        self.extend(vacancies)

    def extend(self, vacancies: Iterable[Vacancy]) -> None:
        """Add or replace vacancies; each is encoded once."""
        enc = self.encoding
        batch = list(vacancies)
        if not batch:
            return
        coords = enc.postcodes.coordinates(v.postcode for v in batch)
        xyz = unit_vectors(coords[:, 0], coords[:, 1])
        for i, vac in enumerate(batch):
            self._encode(vac, xyz[i])
        self._invalidate()

    def add(self, vacancy: Vacancy) -> None:
        self.extend([vacancy])

    def _encode(self, vac: Vacancy, xyz: np.ndarray) -> None:
        enc = self.encoding
        slots: list[SlotInfo] = []
        must_cols: dict[int, int] = {}
        other_cols: set[int] = set()
        trainable_bits = 0
        lang = np.full((MAX_LANGUAGE_REQS, 4), -1, dtype=np.int32)
        exp = np.full((MAX_EXPERIENCE, 3), -1, dtype=np.int32)
        lic = np.full((MAX_LICENCES, 2), -1, dtype=np.int64)
        education, education_slot = 0, -1
        n_lang = n_exp = n_lic = 0
        for position, req in enumerate(vac.requirements):
            must = req.importance is Importance.must
            if req.kind is RequirementKind.competence:
                col = enc.taxonomy.skill_index.get(req.value) if req.value else None
                if col is None:
                    continue  # unresolved free text: shown to the broker, not scored
                if must and col not in must_cols:
                    slot = len(slots)
                    slots.append(SlotInfo(slot, position, req.kind))
                    must_cols[col] = slot
                    if req.trainable:
                        trainable_bits |= 1 << slot
                elif not must:
                    other_cols.add(col)
            elif req.kind is RequirementKind.language:
                if n_lang >= MAX_LANGUAGE_REQS:
                    raise ValueError(f"vacancy {vac.id!r}: at most {MAX_LANGUAGE_REQS} language requirements")
                slot = len(slots) if must else -1
                if must:
                    slots.append(SlotInfo(slot, position, req.kind))
                lang[n_lang] = (enc.languages.column(req.value), int(req.level or 0), slot, int(must))
                n_lang += 1
            elif not must:
                continue  # should/nice experience, education and licences only feed explanations
            elif req.kind is RequirementKind.experience:
                if n_exp >= MAX_EXPERIENCE:
                    raise ValueError(f"vacancy {vac.id!r}: at most {MAX_EXPERIENCE} experience requirements")
                slots.append(SlotInfo(len(slots), position, req.kind))
                exp[n_exp] = (enc.occupation_isco(req.value or None), req.months or 0, len(slots) - 1)
                n_exp += 1
            elif req.kind is RequirementKind.education:
                slots.append(SlotInfo(len(slots), position, req.kind))
                education, education_slot = int(EducationLevel[req.value]), len(slots) - 1
            elif req.kind is RequirementKind.licence:
                if n_lic >= MAX_LICENCES:
                    raise ValueError(f"vacancy {vac.id!r}: at most {MAX_LICENCES} licence requirements")
                slots.append(SlotInfo(len(slots), position, req.kind))
                lic[n_lic] = (LICENCE_BITS[req.value], len(slots) - 1)
                n_lic += 1
        coaching_slot = len(slots)
        slots.append(SlotInfo(coaching_slot, -1, None))
        if len(slots) > MAX_MUST_SLOTS:
            raise ValueError(f"vacancy {vac.id!r} has {len(slots) - 1} must-requirements; at most "
                             f"{MAX_MUST_SLOTS - 1} are supported")
        contact = 0
        for code in vac.contact_languages:
            contact |= 1 << enc.languages.column(code)
        cols = sorted(must_cols)
        self._place(vac)
        self._must_skills.append(cols)
        self._must_bits.append(cols, [float(2 ** must_cols[c]) for c in cols])
        self._other_skills.append(sorted(other_cols - set(must_cols)))
        self._trainable_bits.append(trainable_bits)
        self._slots.append(slots)
        self._lang.append(lang)
        self._exp.append(exp)
        self._lic.append(lic)
        support = vac.support
        self._columns.append(
            x=xyz[0], y=xyz[1], z=xyz[2], remote=vac.remote, hours_min=vac.hours_min, hours_max=vac.hours_max,
            shifts=shift_mask(vac.shifts), language_support=int(support.language_support),
            coaching_offer=int(support.workplace_coaching), coaching_free=support.coaching_places_free,
            training_on_the_job=support.training_on_the_job, education=education,
            education_slot=education_slot, coaching_slot=coaching_slot,
            workplace_language=enc.languages.column(vac.workplace_language), contact_languages=contact,
            occupation=enc.occupation_row(vac.occupation_uri), isco=enc.occupation_isco(vac.occupation_uri),
            valid_day=day_number(vac.valid_through), n_must_skills=len(cols),
            n_other_skills=len(other_cols - set(must_cols)), all_bits=(1 << len(slots)) - 1,
        )

    def slots(self, vacancy_id: str) -> list[SlotInfo]:
        """The checks of a vacancy in bit order: its must-requirements, then coaching."""
        return self._slots[self.row_of[vacancy_id]]

    def slots_of_row(self, row: int) -> list[SlotInfo]:
        return self._slots[row]

    def _invalidate(self) -> None:
        self._cache.clear()

    def arrays(self) -> VacancyArrays:
        if "arrays" not in self._cache:
            cols = self._columns.packed()
            self._cache["arrays"] = VacancyArrays(
                must_skills_t=self._must_skills.packed().T.tocsc(),
                must_bits_t=self._must_bits.packed().T.tocsc(),
                other_skills_t=self._other_skills.packed().T.tocsc(),
                trainable_bits=np.asarray(self._trainable_bits, dtype=np.int64),
                lang=np.stack(self._lang) if self._lang else np.zeros((0, MAX_LANGUAGE_REQS, 4), np.int32),
                exp=np.stack(self._exp) if self._exp else np.zeros((0, MAX_EXPERIENCE, 3), np.int32),
                lic=np.stack(self._lic) if self._lic else np.zeros((0, MAX_LICENCES, 2), np.int64),
                xyz=np.column_stack([cols["x"], cols["y"], cols["z"]]).astype(np.float32),
                active=self.active, id_rank=self.id_rank(),
                **{k: v for k, v in cols.items() if k not in ("x", "y", "z")},
            )
        return self._cache["arrays"]  # type: ignore[return-value]


@dataclass(frozen=True)
class SlotInfo:
    """A vacancy check: ``slot`` is its bit, ``position`` its index in ``requirements`` (-1: coaching)."""

    slot: int
    position: int
    kind: RequirementKind | None

    @property
    def is_coaching(self) -> bool:
        return self.kind is None


@dataclass
class VacancyArrays:
    must_skills_t: sp.csc_matrix   # skills × vacancies
    must_bits_t: sp.csc_matrix     # skills × vacancies, 2**slot
    other_skills_t: sp.csc_matrix
    trainable_bits: np.ndarray
    lang: np.ndarray
    exp: np.ndarray
    lic: np.ndarray
    xyz: np.ndarray
    active: np.ndarray
    id_rank: np.ndarray
    remote: np.ndarray
    hours_min: np.ndarray
    hours_max: np.ndarray
    shifts: np.ndarray
    language_support: np.ndarray
    coaching_offer: np.ndarray
    coaching_free: np.ndarray
    training_on_the_job: np.ndarray
    education: np.ndarray
    education_slot: np.ndarray
    coaching_slot: np.ndarray
    workplace_language: np.ndarray
    contact_languages: np.ndarray
    occupation: np.ndarray
    isco: np.ndarray
    valid_day: np.ndarray
    n_must_skills: np.ndarray
    n_other_skills: np.ndarray
    all_bits: np.ndarray
