"""Vacancies as arrays: requirement slots for the must-checks, support offered, constraints."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from ..profiles import EducationLevel, RequirementKind, Vacancy
from .encoding import LICENCE_BITS, MAX_MUST_SLOTS, Encoding, day_number, shift_mask, unit_vectors
from .rows import Columns, RowStore, SparseRows

MAX_EXPERIENCE = 4
MAX_LICENCES = 4
MAX_LANGUAGE_REQS = 4


class VacancyPool(RowStore[Vacancy]):
    """Vacancies as arrays: requirement slots for the must-checks, support offered, constraints.

    Each must-requirement gets a slot number (its bit in a failure bitmask). Coaching is checked
    too and gets the bit after the last requirement, so a pair's failed checks fit one integer.
    """

    def __init__(self, encoding: Encoding, vacancies: Iterable[Vacancy] = (), keep_profiles: bool = True) -> None:
        super().__init__(keep_profiles)
        self.encoding = encoding
        n_skills = encoding.n_skills
        self._must_skills = SparseRows(n_skills)  # 1 per must competence
        self._must_bits = SparseRows(n_skills, np.float64)  # 2**slot per must competence
        self._other_skills = SparseRows(n_skills)  # should/nice competences
        self._trainable_bits: list[int] = []
        self._slots: list[list[SlotInfo]] = []
        self._lang: list[np.ndarray] = []  # (MAX_LANGUAGE_REQS, 4): column, level, slot, must
        self._exp: list[np.ndarray] = []  # (MAX_EXPERIENCE, 3): isco group, months, slot
        self._lic: list[np.ndarray] = []  # (MAX_LICENCES, 2): licence bit, slot
        self._columns = Columns(
            {
                "x": np.float32,
                "y": np.float32,
                "z": np.float32,
                "remote": bool,
                "hours_min": np.float32,
                "hours_max": np.float32,
                "shifts": np.int16,
                "language_support": np.int8,
                "coaching_offer": np.int8,
                "coaching_free": np.int32,
                "training_on_the_job": bool,
                "education": np.int8,
                "education_slot": np.int8,
                "coaching_slot": np.int8,
                "workplace_language": np.int8,
                "contact_languages": np.int64,
                "occupation": np.int32,
                "isco": np.int32,
                "valid_day": np.int32,
                "n_must_skills": np.float32,
                "n_other_skills": np.float32,
                "needs_car": bool,
                "positions": np.int32,
            }
        )
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
            must = req.is_must
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
            raise ValueError(
                f"vacancy {vac.id!r} has {len(slots) - 1} must-requirements; at most {MAX_MUST_SLOTS - 1} are supported"
            )
        contact = 0
        for code in vac.contact_languages:
            contact |= 1 << enc.languages.column(code)
        cols = sorted(must_cols)
        other = sorted(other_cols - set(must_cols))
        self._place(vac)
        self._must_skills.append(cols)
        self._must_bits.append(cols, [float(2 ** must_cols[c]) for c in cols])
        self._other_skills.append(other)
        self._trainable_bits.append(trainable_bits)
        self._slots.append(slots)
        self._lang.append(lang)
        self._exp.append(exp)
        self._lic.append(lic)
        support = vac.support
        self._columns.append(
            x=xyz[0],
            y=xyz[1],
            z=xyz[2],
            remote=vac.remote,
            hours_min=vac.hours_min,
            hours_max=vac.hours_max,
            shifts=shift_mask(vac.shifts),
            language_support=int(support.language_support),
            coaching_offer=int(support.workplace_coaching),
            coaching_free=support.coaching_places_free,
            training_on_the_job=support.training_on_the_job,
            education=education,
            education_slot=education_slot,
            coaching_slot=coaching_slot,
            workplace_language=enc.languages.column(vac.workplace_language),
            contact_languages=contact,
            occupation=enc.occupation_row(vac.occupation_uri),
            isco=enc.occupation_isco(vac.occupation_uri),
            valid_day=day_number(vac.valid_through),
            n_must_skills=len(cols),
            n_other_skills=len(other),
            needs_car=any(
                r.is_must and r.kind is RequirementKind.licence and r.value in ("B", "BE") for r in vac.requirements
            ),
            positions=vac.positions,
        )

    def slots(self, vacancy_id: str) -> list[SlotInfo]:
        """The checks of a vacancy in bit order: its must-requirements, then coaching."""
        return self._slots[self.row_of[vacancy_id]]

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
                active=self.active,
                id_rank=self.id_rank(),
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
    must_skills_t: sp.csc_matrix  # skills × vacancies
    must_bits_t: sp.csc_matrix  # skills × vacancies, 2**slot
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
    needs_car: np.ndarray  # a must licence B or BE: the job is reached or done by car
    positions: np.ndarray  # openings: what an allocating run spreads candidates over
