"""Build matcher's packaged reference data from the raw ESCO and postcode downloads.

Reads ``../shared/data`` (ESCO v1.1.1 CSV exports and the Belgian postcode table) and writes
compact files into ``src/matcher/data/``. Those files are committed; nothing reads the raw
downloads at run time. Re-run after updating the raw data::

    python tools/build_data.py --source ../shared/data
"""

from __future__ import annotations

import argparse
import csv
import gzip
import json
from collections import defaultdict
from pathlib import Path

import numpy as np

ESCO_VERSION = "1.1.1"
OCCUPATION_FIELDS = (
    "uri",
    "code",
    "isco_group",
    "label_nl",
    "label_en",
    "alt_labels_nl",
    "alt_labels_en",
    "hidden_labels_nl",
    "hidden_labels_en",
    "label_fr",
    "alt_labels_fr",
    "hidden_labels_fr",
)
SKILL_FIELDS = (
    "uri",
    "label_en",
    "label_nl",
    "alt_labels_en",
    "skill_type",
    "reuse_level",
    "alt_labels_nl",
    "label_fr",
    "alt_labels_fr",
    "hidden_labels_en",
)

csv.field_size_limit(10**9)


def read_csv(path: Path) -> list[dict[str, str]]:
    """All rows of a gzipped ESCO CSV export (fields contain embedded newlines)."""
    with gzip.open(path, "rt", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def split_labels(cell: str | None) -> list[str]:
    """ESCO packs alternative labels into one cell, one per line; keep order, drop duplicates."""
    seen: dict[str, None] = {}
    for label in (cell or "").split("\n"):
        label = label.strip()
        if label:
            seen.setdefault(label, None)
    return list(seen)


def build_occupations(esco: Path) -> list[list]:
    english = {row["conceptUri"]: row for row in read_csv(esco / "occupations_en.csv.gz")}
    dutch = {row["conceptUri"]: row for row in read_csv(esco / "occupations_nl.csv.gz")}
    french = {row["conceptUri"]: row for row in read_csv(esco / "occupations_fr.csv.gz")}
    rows = []
    for uri in sorted(english):
        en, nl, fr = english[uri], dutch.get(uri, {}), french.get(uri, {})
        label_fr = (fr.get("preferredLabel") or "").strip() or None
        label_nl = (nl.get("preferredLabel") or "").strip() or None
        alt_nl = [a for a in split_labels(nl.get("altLabels")) if a != label_nl]
        alt_en = [a for a in split_labels(en["altLabels"]) if a != en["preferredLabel"]]
        rows.append(
            [
                uri,
                en["code"],
                en["iscoGroup"],
                label_nl,
                en["preferredLabel"].strip(),
                alt_nl,
                alt_en,
                split_labels(nl.get("hiddenLabels")),
                split_labels(en["hiddenLabels"]),
                label_fr,
                [a for a in split_labels(fr.get("altLabels")) if a != label_fr],
                split_labels(fr.get("hiddenLabels")),
            ]
        )
    return rows


def build_skills(esco: Path) -> list[list]:
    english = read_csv(esco / "skills_en.csv.gz")
    dutch = {
        row["conceptUri"]: row["preferredLabel"].strip() for row in read_csv(esco / "skills_nl_preferred_labels.csv.gz")
    }
    # The collection files add Dutch and French labels for ESCO's cross-sector collections; a Dutch
    # preferred label there that differs from the Competent one is kept as an alternative.
    dutch_more = {row["conceptUri"]: row for row in read_csv(esco / "skills_nl_collections.csv.gz")}
    french = {row["conceptUri"]: row for row in read_csv(esco / "skills_fr_collections.csv.gz")}
    rows = []
    for row in sorted(english, key=lambda r: r["conceptUri"]):
        uri, label_en = row["conceptUri"], row["preferredLabel"].strip()
        alt_en = [a for a in split_labels(row["altLabels"]) if a != label_en]
        more, fr = dutch_more.get(uri, {}), french.get(uri, {})
        more_nl = (more.get("preferredLabel") or "").strip() or None
        label_nl = dutch.get(uri) or more_nl
        alt_nl = [a for a in split_labels(f"{more_nl or ''}\n{more.get('altLabels') or ''}") if a != label_nl]
        label_fr = (fr.get("preferredLabel") or "").strip() or None
        rows.append(
            [
                uri,
                label_en,
                label_nl,
                alt_en,
                row["skillType"] or None,
                row["reuseLevel"] or None,
                alt_nl,
                label_fr,
                [a for a in split_labels(fr.get("altLabels")) if a != label_fr],
                split_labels(row["hiddenLabels"]),
            ]
        )
    return rows


def build_skill_groups(esco: Path) -> dict[str, dict[str, str]]:
    english = read_csv(esco / "skillGroups_en.csv.gz")
    dutch = {row["conceptUri"]: row["preferredLabel"] for row in read_csv(esco / "skillGroups_nl.csv.gz")}
    return {
        row["conceptUri"]: {"label_en": row["preferredLabel"], "label_nl": dutch.get(row["conceptUri"])}
        for row in english
    }


def build_isco_groups(esco: Path) -> dict[str, dict[str, str]]:
    english = read_csv(esco / "ISCOGroups_en.csv.gz")
    dutch = {row["code"]: row["preferredLabel"] for row in read_csv(esco / "ISCOGroups_nl.csv.gz")}
    return {
        row["code"]: {"label_en": row["preferredLabel"], "label_nl": dutch.get(row["code"])}
        for row in sorted(english, key=lambda r: r["code"])
    }


def build_relations(
    esco: Path, occupation_uris: list[str], skill_uris: list[str], group_uris: list[str]
) -> dict[str, np.ndarray]:
    """Index-coded relation arrays: occupation→skill (essential/optional) and the skill hierarchy.

    Skill-pillar nodes are numbered skills first, then skill groups, so one edge list covers
    skill→skill and skill→group broader relations.
    """
    occ_index = {uri: i for i, uri in enumerate(occupation_uris)}
    node_index = {uri: i for i, uri in enumerate(skill_uris + group_uris)}
    occ, skill, essential = [], [], []
    for row in read_csv(esco / "occupationSkillRelations.csv.gz"):
        o, s = occ_index.get(row["occupationUri"]), node_index.get(row["skillUri"])
        if o is None or s is None or s >= len(skill_uris):
            continue
        occ.append(o)
        skill.append(s)
        essential.append(row["relationType"] == "essential")
    narrower, broader = [], []
    for row in read_csv(esco / "broaderRelationsSkillPillar.csv.gz"):
        n, b = node_index.get(row["conceptUri"]), node_index.get(row["broaderUri"])
        if n is not None and b is not None:
            narrower.append(n)
            broader.append(b)
    return {
        "occupation_skill_occupation": np.asarray(occ, dtype=np.int32),
        "occupation_skill_skill": np.asarray(skill, dtype=np.int32),
        "occupation_skill_essential": np.asarray(essential, dtype=bool),
        "skill_broader_narrower": np.asarray(narrower, dtype=np.int32),
        "skill_broader_broader": np.asarray(broader, dtype=np.int32),
    }


def build_postcodes(geo: Path) -> list[tuple[str, str, float, float]]:
    """One row per postcode: the mean coordinate over its localities and their names."""
    by_code: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    with open(geo / "zipcode-belgium.csv", encoding="utf-8", newline="") as handle:
        for code, locality, lon, lat in csv.reader(handle):
            by_code[code.strip()].append((locality.strip(), float(lon), float(lat)))
    rows = []
    for code in sorted(by_code):
        places = by_code[code]
        names = " / ".join(dict.fromkeys(name for name, _, _ in places))
        lon = sum(p[1] for p in places) / len(places)
        lat = sum(p[2] for p in places) / len(places)
        rows.append((code, names, round(lat, 6), round(lon, 6)))
    return rows


def write_json_gz(path: Path, payload: object) -> None:
    # mtime=0 keeps the gzip bytes identical between builds, so git sees no spurious change.
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        handle.write(json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, default=Path(__file__).resolve().parents[2] / "shared" / "data")
    parser.add_argument("--out", type=Path, default=Path(__file__).resolve().parents[1] / "src" / "matcher" / "data")
    args = parser.parse_args()
    esco, out = args.source / "esco", args.out
    out.mkdir(parents=True, exist_ok=True)

    occupations = build_occupations(esco)
    skills = build_skills(esco)
    groups = build_skill_groups(esco)
    source = (
        f"ESCO v{ESCO_VERSION}, European Commission. (c) European Union, reused under "
        "Commission Decision 2011/833/EU. Dutch skill labels: ESCO-VDAB Competent mapping "
        "(ESCO v1.0.3 labels) and ESCO v1.1.0 Dutch collection labels; French occupation labels "
        "(ESCO v1.1.1) and French collection skill labels; skills without a Dutch label fall back to English."
    )
    write_json_gz(
        out / "esco_occupations.json.gz",
        {"esco_version": ESCO_VERSION, "source": source, "fields": OCCUPATION_FIELDS, "rows": occupations},
    )
    write_json_gz(
        out / "esco_skills.json.gz",
        {"esco_version": ESCO_VERSION, "source": source, "fields": SKILL_FIELDS, "rows": skills, "groups": groups},
    )
    write_json_gz(
        out / "esco_isco_groups.json.gz",
        {"esco_version": ESCO_VERSION, "source": source, "groups": build_isco_groups(esco)},
    )
    relations = build_relations(esco, [o[0] for o in occupations], [s[0] for s in skills], list(groups))
    np.savez_compressed(out / "esco_relations.npz", **relations)

    with open(out / "postcodes_be.csv", "w", encoding="utf-8", newline="") as handle:
        handle.write(
            "# Belgian postcodes: bpost codes, OpenStreetMap coordinates (c) OpenStreetMap "
            "contributors, ODbL; via jief/zipcode-belgium. Mean coordinate per postcode.\n"
        )
        writer = csv.writer(handle)
        writer.writerow(["postcode", "localities", "lat", "lon"])
        writer.writerows(build_postcodes(args.source / "geo"))
    print(
        f"wrote {len(occupations)} occupations, {len(skills)} skills, {len(groups)} skill groups, "
        f"{len(relations['occupation_skill_skill'])} occupation-skill relations to {out}"
    )


if __name__ == "__main__":
    main()
