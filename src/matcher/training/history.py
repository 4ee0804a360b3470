"""Historical placement outcomes: the file format, its reader and writer, and its pair features.

The format (``matcher-history/1``) is JSON Lines, optionally gzip-compressed (``.jsonl.gz``); each
line is one record, told apart by ``"record"``:

* ``{"record": "meta", "format": "matcher-history/1", ...}``: optional, first line; free keys that
  describe the file (``"simulated": true`` marks simulated outcomes).
* ``{"record": "candidate", "ref": "...", "profile": {...}}``: a candidate's profile *as it was
  when proposed*, in the :class:`matcher.profiles.Candidate` schema (the JSON Lines import
  format). ``ref`` names this snapshot; a profile that changed gets a new ref.
* ``{"record": "vacancy", "ref": "...", "profile": {...}}``: the same for a vacancy
  (:class:`matcher.profiles.Vacancy`); the profile's ``id`` is the vacancy, shared by its snapshots.
* ``{"record": "placement", "candidate": ref, "vacancy": ref, "proposed_on": "YYYY-MM-DD",
  "hired": bool, "retained_6m": bool | null}``: one proposal. ``retained_6m`` is true when the
  person was hired and still employed 6 months later, false otherwise (always false when not
  hired), null when hired less than 6 months ago (left out of training and evaluation).

Profiles hold competences as ESCO URIs, as an import leaves them after normalisation; free text
without a URI counts as not held, exactly as in ranking. Personal data has no place in the file.
"""

from __future__ import annotations

import gzip
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO

import numpy as np
from pydantic import ValidationError

from matcher.features import FEATURES, compute_block
from matcher.pool import CandidatePool, Encoding, VacancyPool
from matcher.profiles import CEFR, Candidate, Vacancy
from matcher.taxonomy import Taxonomy

FORMAT = "matcher-history/1"
PLACEMENT_KEYS = {"record", "candidate", "vacancy", "proposed_on", "hired", "retained_6m"}
VACANCIES_PER_BLOCK = 64
MAX_REPORTED_ERRORS = 20

DUTCH_BANDS = ("A0-A1", "A2", "B1", "B2+")
"""Groups of candidates by Dutch level for the per-group report."""


class HistoryError(ValueError):
    """A history file that does not follow the format; lists each bad line with its reason."""


@dataclass
class History:
    """A history file's profile snapshots and placements, in file order."""

    candidates: dict[str, Candidate]
    vacancies: dict[str, Vacancy]
    candidate_ref: list[str]
    vacancy_ref: list[str]
    proposed_on: list[date]
    hired: np.ndarray  # (n,) bool
    retained_6m: np.ndarray  # (n,) int8: 1, 0, or -1 when not yet known
    meta: dict = field(default_factory=dict)

    def __len__(self) -> int:
        return len(self.candidate_ref)


@dataclass
class PairData:
    """Training rows: features of the placements with a known outcome, and what groups them."""

    X: np.ndarray  # (n, F) float32, from the real feature pipeline
    retained: np.ndarray  # (n,) int: the target, hired and still employed after 6 months
    hired: np.ndarray  # (n,) bool
    vacancy_id: np.ndarray  # (n,) object: the vacancy (profile id), the CV group
    candidate_id: np.ndarray  # (n,) object: the candidate (profile id)
    coaching_need: np.ndarray  # (n,) object: none, light, intensive
    dutch_band: np.ndarray  # (n,) object: one of DUTCH_BANDS


def _open_text(path: Path, mode: str) -> IO[str]:
    if path.suffix != ".gz":
        return open(path, mode, encoding="utf-8")
    if mode.startswith("r"):
        return gzip.open(path, "rt", encoding="utf-8")
    # mtime=0 keeps a written file byte-identical for the same content.
    return io.TextIOWrapper(gzip.GzipFile(path, "wb", mtime=0), encoding="utf-8")


def write_history(
    path: Path, meta: dict, candidates: dict[str, Candidate], vacancies: dict[str, Vacancy], placements: Iterable[dict]
) -> None:
    """Write a history file: the meta line, the profile snapshots, then the placements."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with _open_text(path, "wt") as out:
        out.write(json.dumps({"record": "meta", "format": FORMAT, **meta}, ensure_ascii=False) + "\n")
        for kind, profiles in (("candidate", candidates), ("vacancy", vacancies)):
            for ref, profile in profiles.items():
                out.write(
                    json.dumps(
                        {"record": kind, "ref": ref, "profile": profile.model_dump(mode="json")}, ensure_ascii=False
                    )
                    + "\n"
                )
        for placement in placements:
            out.write(json.dumps({"record": "placement", **placement}, ensure_ascii=False) + "\n")


def _lines(path: Path) -> Iterator[tuple[int, dict | None, str | None]]:
    with _open_text(path, "rt") as lines:
        for number, line in enumerate(lines, start=1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                yield number, None, f"not JSON: {exc.msg}"
                continue
            yield (number, record, None) if isinstance(record, dict) else (number, None, "not a JSON object")


def _placement(record: dict) -> tuple[str, str, date, bool, int]:
    extra = set(record) - PLACEMENT_KEYS
    if extra:
        raise ValueError(f"unknown key {sorted(extra)[0]!r}; a placement has {', '.join(sorted(PLACEMENT_KEYS))}")
    hired, retained = record.get("hired"), record.get("retained_6m", "missing")
    if not isinstance(hired, bool):
        raise ValueError(f"'hired' must be true or false; got {hired!r}")
    if retained is not None and not isinstance(retained, bool):
        raise ValueError(f"'retained_6m' must be true, false or null; got {retained!r}")
    if retained and not hired:
        raise ValueError("'retained_6m' is true but 'hired' is false")
    if not hired and retained is None:
        raise ValueError("'retained_6m' is null but 'hired' is false; it must be false")
    proposed = date.fromisoformat(str(record.get("proposed_on")))
    return str(record["candidate"]), str(record["vacancy"]), proposed, hired, -1 if retained is None else int(retained)


def read_history(path: Path) -> History:
    """Read and validate a history file; every bad line is reported, nothing is skipped silently.

    Raises
    ------
    HistoryError
        Listing up to :data:`MAX_REPORTED_ERRORS` bad lines with their line numbers and reasons.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no history file {path}")
    errors: list[str] = []
    meta: dict = {}
    profiles: dict[str, dict] = {"candidate": {}, "vacancy": {}}
    rows: list[tuple[int, tuple[str, str, date, bool, int]]] = []
    for number, record, problem in _lines(path):
        try:
            if problem or record is None:
                raise ValueError(problem or "no record on this line")
            kind = record.get("record")
            if kind == "meta":
                if record.get("format", FORMAT) != FORMAT:
                    raise ValueError(f"format {record.get('format')!r} is not {FORMAT!r}")
                meta = {k: v for k, v in record.items() if k != "record"}
            elif kind in profiles:
                ref = str(record.get("ref") or "")
                if not ref:
                    raise ValueError(f"a {kind} record needs a non-empty 'ref'")
                if ref in profiles[kind]:
                    raise ValueError(f"{kind} ref {ref!r} appears twice")
                model = Candidate if kind == "candidate" else Vacancy
                profiles[kind][ref] = model.model_validate(record.get("profile"))
            elif kind == "placement":
                rows.append((number, _placement(record)))
            else:
                raise ValueError(f"'record' must be meta, candidate, vacancy or placement; got {kind!r}")
        except (ValueError, KeyError, TypeError, ValidationError) as exc:
            errors.append(f"{path}:{number}: {exc}".splitlines()[0])
    for number, (cand, vac, *_rest) in rows:
        for kind, ref in (("candidate", cand), ("vacancy", vac)):
            if ref not in profiles[kind]:
                errors.append(f"{path}:{number}: placement refers to unknown {kind} ref {ref!r}")
    if errors:
        shown = errors[:MAX_REPORTED_ERRORS]
        more = f"\n... and {len(errors) - len(shown)} more" if len(errors) > len(shown) else ""
        raise HistoryError(f"{len(errors)} bad line(s) in {path}:\n" + "\n".join(shown) + more)
    if not rows:
        raise HistoryError(f"{path} holds no placements")
    cands, vacs, proposed, hired, retained = zip(*(row for _, row in rows), strict=False)
    return History(
        candidates=profiles["candidate"],
        vacancies=profiles["vacancy"],
        candidate_ref=list(cands),
        vacancy_ref=list(vacs),
        proposed_on=list(proposed),
        hired=np.array(hired, dtype=bool),
        retained_6m=np.array(retained, dtype=np.int8),
        meta=meta,
    )


def dutch_band(level: CEFR) -> str:
    """The per-group report's Dutch band of a CEFR level."""
    if level <= CEFR.A1:
        return DUTCH_BANDS[0]
    if level == CEFR.A2:
        return DUTCH_BANDS[1]
    return DUTCH_BANDS[2] if level == CEFR.B1 else DUTCH_BANDS[3]


def pair_features(
    candidates: dict[str, Candidate],
    vacancies: dict[str, Vacancy],
    candidate_ref: list[str],
    vacancy_ref: list[str],
    taxonomy: Taxonomy,
) -> np.ndarray:
    """(n, F) features of the given pairs, through the real feature pipeline (:func:`compute_block`).

    Each snapshot gets its own pool row (its ref as id). Pairs are computed in blocks of up to
    :data:`VACANCIES_PER_BLOCK` vacancies × the candidates proposed to them; a pair's features do
    not depend on the block it is in.
    """
    encoding = Encoding(taxonomy)
    cand_refs, vac_refs = sorted(set(candidate_ref)), sorted(set(vacancy_ref))
    cand_pool = CandidatePool(encoding, [candidates[r].model_copy(update={"id": r}) for r in cand_refs])
    vac_pool = VacancyPool(encoding, [vacancies[r].model_copy(update={"id": r}) for r in vac_refs])
    cand_rows, vac_rows = cand_pool.rows(candidate_ref), vac_pool.rows(vacancy_ref)
    cand_arrays, vac_arrays = cand_pool.arrays(), vac_pool.arrays()
    out = np.zeros((len(candidate_ref), len(FEATURES)), dtype=np.float32)
    order = np.argsort(vac_rows, kind="stable")
    sorted_vac = vac_rows[order]
    unique_vac = np.unique(vac_rows)
    for start in range(0, len(unique_vac), VACANCIES_PER_BLOCK):
        block_vac = unique_vac[start : start + VACANCIES_PER_BLOCK]
        first, last = (
            np.searchsorted(sorted_vac, block_vac[0], "left"),
            np.searchsorted(sorted_vac, block_vac[-1], "right"),
        )
        pairs = order[first:last]
        block_cand = np.unique(cand_rows[pairs])
        block = compute_block(cand_arrays, vac_arrays, block_cand, block_vac, today_day=0)
        i = np.searchsorted(block_cand, cand_rows[pairs])
        j = np.searchsorted(block_vac, vac_rows[pairs])
        out[pairs] = block.features[:, i, j].T
    return out


def history_pairs(history: History, taxonomy: Taxonomy) -> PairData:
    """The placements with a known outcome as training rows, with their groups for the report."""
    known = np.flatnonzero(history.retained_6m >= 0)
    cand_ref = [history.candidate_ref[k] for k in known]
    vac_ref = [history.vacancy_ref[k] for k in known]
    X = pair_features(history.candidates, history.vacancies, cand_ref, vac_ref, taxonomy)
    cands = [history.candidates[r] for r in cand_ref]
    return PairData(
        X=X,
        retained=history.retained_6m[known].astype(np.int64),
        hired=history.hired[known],
        vacancy_id=np.array([history.vacancies[r].id for r in vac_ref], dtype=object),
        candidate_id=np.array([c.id for c in cands], dtype=object),
        coaching_need=np.array([c.coaching_need.name for c in cands], dtype=object),
        dutch_band=np.array([dutch_band(c.language_level("nl")) for c in cands], dtype=object),
    )
