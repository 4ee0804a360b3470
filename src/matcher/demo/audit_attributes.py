"""SIMULATED audit attributes for the demo pool: age band, gender and nationality group.

A disparate-impact audit needs protected attributes, which matcher never stores with a profile and
never scores on. For the demo they are derived from the pool's generated (synthetic) personal data,
coarsened to the bands an audit reads, and written to their own file, ``audit_attributes.simulated.csv``,
whose every row says ``simulated``. Nothing is drawn afresh, so the demo's other files stay
byte-identical, and the bands agree with the personal data a broker sees.
"""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from ..profiles import PersonalData
from .pool import DemoPool
from .shares import REFERENCE_DATE

AUDIT_ATTRIBUTES_CSV = "audit_attributes.simulated.csv"
COLUMNS = ("candidate_id", "age_band", "gender", "nationality_group", "simulated")

AGE_BANDS = ((0, 25, "under 25"), (25, 40, "25-39"), (40, 55, "40-54"), (55, 200, "55+"))
EU = frozenset(("AT", "BG", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FR", "GR", "HR", "HU"))
EU |= frozenset(("IE", "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK"))
"""EU member states other than Belgium (ISO 3166 alpha-2)."""


def age_band(birth: date | None, today: date = REFERENCE_DATE) -> str:
    if birth is None:
        return "unknown"
    age = today.year - birth.year - ((today.month, today.day) < (birth.month, birth.day))
    return next(name for low, high, name in AGE_BANDS if low <= age < high)


def nationality_group(nationality: str | None) -> str:
    """Belgian, other EU or outside the EU (ISO 3166 alpha-2)."""
    if not nationality:
        return "unknown"
    code = nationality.strip().upper()
    return "Belgian" if code == "BE" else "other EU" if code in EU else "outside EU"


def audit_attributes(personal: list[PersonalData], today: date = REFERENCE_DATE) -> dict[str, dict[str, str]]:
    """``{candidate id: {"age_band", "gender", "nationality_group"}}``, as :func:`matcher.audit.run_audit` takes it."""
    return {
        p.candidate_id: {
            "age_band": age_band(p.birth_date, today),
            "gender": p.gender or "unknown",
            "nationality_group": nationality_group(p.nationality),
        }
        for p in personal
    }


def write_audit_attributes(pool: DemoPool, out_dir: Path) -> Path:
    """Write the pool's simulated audit attributes to their own CSV in ``out_dir``."""
    path = Path(out_dir) / AUDIT_ATTRIBUTES_CSV
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(COLUMNS)
        for cid, row in audit_attributes(pool.personal).items():
            writer.writerow([cid, row["age_band"], row["gender"], row["nationality_group"], "simulated"])
    return path


def read_audit_attributes(path: Path) -> dict[str, dict[str, str]]:
    """Read an audit-attribute CSV (``candidate_id`` plus any of age_band, gender, nationality_group)."""
    with Path(path).open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        if not reader.fieldnames or "candidate_id" not in reader.fieldnames:
            raise ValueError(f"{path}: an audit-attribute file needs a 'candidate_id' column")
        keep = [c for c in reader.fieldnames if c in ("age_band", "gender", "nationality_group")]
        return {row["candidate_id"]: {c: row[c] for c in keep if row[c]} for row in reader}
