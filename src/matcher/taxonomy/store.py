"""Load the packaged ESCO files into a :class:`Taxonomy` and answer look-ups on it."""

from __future__ import annotations

import gzip
import json
from collections import defaultdict
from collections.abc import Sequence
from functools import cached_property
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import scipy.sparse as sp

from .model import DATA_PACKAGE, IscoGroup, Occupation, Skill

if TYPE_CHECKING:
    from ..text.extract import Extraction
    from .search import Hit, LabelIndex


class UnknownConceptError(KeyError):
    """An ESCO URI or ISCO code that the packaged taxonomy does not contain."""

    def __str__(self) -> str:  # KeyError quotes its argument; a person wants a sentence.
        return str(self.args[0])


class Taxonomy:
    """ESCO occupations and skills with Dutch and English labels, relations and search.

    Build it with :func:`load_taxonomy`. Concepts are numbered in a fixed order
    (``occupation_uris``, ``skill_uris``) so that encoders can use the indices as matrix columns.
    """

    def __init__(
        self,
        occupations: dict[str, Occupation],
        skills: dict[str, Skill],
        isco_groups: dict[str, IscoGroup],
        skill_groups: dict[str, Skill],
        esco_version: str,
        source: str,
    ) -> None:
        self.occupations = occupations
        self.skills = skills
        self.isco_groups = isco_groups
        self.skill_groups = skill_groups
        self.esco_version = esco_version
        self.source = source
        self.occupation_uris: list[str] = list(occupations)
        self.skill_uris: list[str] = list(skills)
        self.occupation_index: dict[str, int] = {uri: i for i, uri in enumerate(self.occupation_uris)}
        self.skill_index: dict[str, int] = {uri: i for i, uri in enumerate(self.skill_uris)}

    @property
    def attribution(self) -> str:
        return f"ESCO v{self.esco_version}, European Commission"

    # -- look-ups ---------------------------------------------------------------------------
    def occupation(self, uri: str) -> Occupation:
        """The occupation with this ESCO URI; raises :class:`UnknownConceptError` naming it."""
        try:
            return self.occupations[uri]
        except KeyError:
            raise UnknownConceptError(f"unknown ESCO occupation URI: {uri!r}") from None

    def skill(self, uri: str) -> Skill:
        """The skill with this ESCO URI; raises :class:`UnknownConceptError` naming it."""
        try:
            return self.skills[uri]
        except KeyError:
            raise UnknownConceptError(f"unknown ESCO skill URI: {uri!r}") from None

    def isco_group(self, code: str) -> IscoGroup:
        try:
            return self.isco_groups[code]
        except KeyError:
            raise UnknownConceptError(f"unknown ISCO-08 code: {code!r}") from None

    def occupation_isco_group(self, uri: str) -> IscoGroup:
        """The ISCO-08 unit group of an occupation."""
        return self.isco_group(self.occupation(uri).isco_group)

    def skill_broader(self, uri: str) -> list[Skill]:
        """Broader skills of a skill in the ESCO skill hierarchy (skill groups excluded)."""
        return [self.skills[b] for b in self.skill(uri).broader if b in self.skills]

    def skill_narrower(self, uri: str) -> list[Skill]:
        """Narrower skills of a skill in the ESCO skill hierarchy."""
        return [self.skills[n] for n in self.skill(uri).narrower]

    def label(self, uri: str, lang: str = "nl") -> tuple[str, str]:
        """Preferred label of an occupation, skill or skill group in ``lang`` and the language it
        is in: ``("heftruck besturen", "nl")``, or ``("...", "en")`` where ESCO has no ``lang`` label,
        so the caller can mark an English label as such."""
        concept = self.occupations.get(uri) or self.skills.get(uri) or self.skill_groups.get(uri)
        if concept is None:
            raise UnknownConceptError(f"unknown ESCO URI: {uri!r}")
        return concept.label_in(lang)

    def search(self, text: str, kind: str = "skill", lang: str = "nl", k: int = 10) -> list[dict[str, object]]:
        """Hits for a picker (``GET /taxonomy/search``): URI, label in ``lang`` (and its language),
        the label variant that matched and the score, best first."""
        if kind not in ("skill", "occupation"):
            raise ValueError(f"kind must be 'skill' or 'occupation'; got {kind!r}")
        hits = self.search_skills(text, k) if kind == "skill" else self.search_occupations(text, k)
        out = []
        for hit in hits:
            label, label_lang = self.label(hit.uri, lang)
            out.append(
                {
                    "uri": hit.uri,
                    "label": label,
                    "label_lang": label_lang,
                    "matched": hit.matched,
                    "score": round(hit.score, 3),
                }
            )
        return out

    def extract(self, text: str) -> Extraction:
        """Skills, occupations, languages, licences, experience, education, shifts and hours in ``text``."""
        from ..text.extract import extract

        return extract(text, self)

    def extract_batch(self, texts: Sequence[str]) -> list[Extraction]:
        """:meth:`extract` for many texts with one batch of ESCO look-ups."""
        from ..text.extract import extract_batch

        return extract_batch(texts, self)

    def is_skill(self, uri: str) -> bool:
        return uri in self.skills

    def is_occupation(self, uri: str) -> bool:
        return uri in self.occupations

    # -- matrices for encoders --------------------------------------------------------------
    @cached_property
    def skill_parent_matrix(self) -> sp.csr_matrix:
        """Boolean skills×skills matrix: entry (i, j) is set when skill j is broader than skill i."""
        rows, cols = [], []
        for i, uri in enumerate(self.skill_uris):
            for broader in self.skills[uri].broader:
                j = self.skill_index.get(broader)
                if j is not None:
                    rows.append(i)
                    cols.append(j)
        n = len(self.skill_uris)
        return sp.csr_matrix((np.ones(len(rows), dtype=np.float32), (rows, cols)), shape=(n, n))

    # -- search -----------------------------------------------------------------------------
    @cached_property
    def _occupation_search(self) -> LabelIndex:
        from .search import build_occupation_index

        return build_occupation_index(self.occupations.values())

    @cached_property
    def _skill_search(self) -> LabelIndex:
        from .search import build_skill_index

        return build_skill_index(self.skills.values())

    def search_occupations(self, text: str, k: int = 10) -> list[Hit]:
        """ESCO occupations best matching a job title in Dutch or English, best first."""
        return self._occupation_search.search(text, k)

    def search_skills(self, text: str, k: int = 10) -> list[Hit]:
        """ESCO skills best matching a competence phrase in Dutch or English, best first."""
        return self._skill_search.search(text, k)

    def search_occupations_batch(
        self, texts: Sequence[str], k: int = 10, rescue_words: int | None = None
    ) -> list[list[Hit]]:
        """:meth:`search_occupations` for many titles at once; one hit list per title
        (``rescue_words``: see :meth:`LabelIndex.search_batch`)."""
        return self._occupation_search.search_batch(texts, k, rescue_words)

    def search_skills_batch(
        self, texts: Sequence[str], k: int = 10, rescue_words: int | None = None
    ) -> list[list[Hit]]:
        """:meth:`search_skills` for many phrases at once; one hit list per phrase
        (``rescue_words``: see :meth:`LabelIndex.search_batch`)."""
        return self._skill_search.search_batch(texts, k, rescue_words)


def _read_json_gz(directory: Path | None, name: str) -> dict:
    if directory is not None:
        with gzip.open(directory / name, "rt", encoding="utf-8") as handle:
            return json.load(handle)
    with (
        resources.files(DATA_PACKAGE).joinpath(name).open("rb") as raw,
        gzip.open(raw, "rt", encoding="utf-8") as handle,
    ):
        return json.load(handle)


def _load_relations(directory: Path | None) -> dict[str, np.ndarray]:
    source = (
        (directory / "esco_relations.npz")
        if directory is not None
        else resources.files(DATA_PACKAGE).joinpath("esco_relations.npz")
    )
    with source.open("rb") as handle, np.load(handle) as npz:
        return {key: npz[key] for key in npz.files}


def _at(row: list, i: int) -> Any:
    """Field ``i`` of a packaged row, None for files written before the field existed."""
    return row[i] if len(row) > i else None


def load_taxonomy_from(directory: Path | None = None) -> Taxonomy:
    """Read the packaged ESCO files (or those in ``directory``) into a new :class:`Taxonomy`."""
    occ_payload = _read_json_gz(directory, "esco_occupations.json.gz")
    skill_payload = _read_json_gz(directory, "esco_skills.json.gz")
    isco_payload = _read_json_gz(directory, "esco_isco_groups.json.gz")
    relations = _load_relations(directory)

    occ_rows, skill_rows = occ_payload["rows"], skill_payload["rows"]
    occ_uris = [row[0] for row in occ_rows]
    node_uris = [row[0] for row in skill_rows] + list(skill_payload["groups"])
    n_skills = len(skill_rows)

    essential: dict[int, list[str]] = defaultdict(list)
    optional: dict[int, list[str]] = defaultdict(list)
    for o, s, is_essential in zip(
        relations["occupation_skill_occupation"].tolist(),
        relations["occupation_skill_skill"].tolist(),
        relations["occupation_skill_essential"].tolist(),
        strict=False,
    ):
        (essential if is_essential else optional)[o].append(node_uris[s])

    broader: dict[int, list[str]] = defaultdict(list)
    narrower: dict[int, list[str]] = defaultdict(list)
    groups: dict[int, list[str]] = defaultdict(list)
    for n, b in zip(
        relations["skill_broader_narrower"].tolist(), relations["skill_broader_broader"].tolist(), strict=False
    ):
        if n < n_skills and b < n_skills:
            broader[n].append(node_uris[b])
            narrower[b].append(node_uris[n])
        elif n < n_skills:
            groups[n].append(node_uris[b])

    occupations = {
        row[0]: Occupation(
            uri=row[0],
            code=row[1],
            isco_group=row[2],
            label_nl=row[3],
            label_en=row[4],
            alt_labels_nl=tuple(row[5]),
            alt_labels_en=tuple(row[6]),
            hidden_labels_nl=tuple(row[7]),
            hidden_labels_en=tuple(row[8]),
            essential_skills=tuple(essential[i]),
            optional_skills=tuple(optional[i]),
            label_fr=_at(row, 9),
            alt_labels_fr=tuple(_at(row, 10) or ()),
            hidden_labels_fr=tuple(_at(row, 11) or ()),
        )
        for i, row in enumerate(occ_rows)
    }
    skills = {
        row[0]: Skill(
            uri=row[0],
            label_en=row[1],
            label_nl=row[2],
            alt_labels_en=tuple(row[3]),
            skill_type=row[4],
            reuse_level=row[5],
            broader=tuple(broader[i]),
            narrower=tuple(narrower[i]),
            groups=tuple(groups[i]),
            alt_labels_nl=tuple(_at(row, 6) or ()),
            label_fr=_at(row, 7),
            alt_labels_fr=tuple(_at(row, 8) or ()),
            hidden_labels_en=tuple(_at(row, 9) or ()),
        )
        for i, row in enumerate(skill_rows)
    }
    skill_groups = {
        uri: Skill(uri=uri, label_en=g["label_en"], label_nl=g["label_nl"])
        for uri, g in skill_payload["groups"].items()
    }
    isco_groups = {
        code: IscoGroup(code=code, label_en=g["label_en"], label_nl=g["label_nl"])
        for code, g in isco_payload["groups"].items()
    }
    assert len(occ_uris) == len(occupations)
    return Taxonomy(
        occupations,
        skills,
        isco_groups,
        skill_groups,
        esco_version=occ_payload["esco_version"],
        source=occ_payload["source"],
    )
