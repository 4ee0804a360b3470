"""The ESCO concepts matcher works with: occupations, skills and ISCO groups, as plain values."""

from __future__ import annotations

from dataclasses import dataclass

#: The package that holds the packaged ESCO files and the synonyms table.
DATA_PACKAGE = "matcher.data"


@dataclass(frozen=True, slots=True)
class Occupation:
    """An ESCO occupation with its ISCO-08 unit group and the skills ESCO links to it."""

    uri: str
    code: str
    isco_group: str
    label_nl: str | None
    label_en: str
    alt_labels_nl: tuple[str, ...] = ()
    alt_labels_en: tuple[str, ...] = ()
    hidden_labels_nl: tuple[str, ...] = ()
    hidden_labels_en: tuple[str, ...] = ()
    essential_skills: tuple[str, ...] = ()
    optional_skills: tuple[str, ...] = ()
    label_fr: str | None = None
    alt_labels_fr: tuple[str, ...] = ()
    hidden_labels_fr: tuple[str, ...] = ()

    def label(self, lang: str = "nl") -> str:
        """Preferred label in ``lang`` ("nl", "fr" or "en"), falling back to English."""
        return self.label_in(lang)[0]

    def label_in(self, lang: str) -> tuple[str, str]:
        """Preferred label in ``lang`` and the language it is in ("en" where ``lang`` has none)."""
        own = {"nl": self.label_nl, "fr": self.label_fr}.get(lang)
        return (own, lang) if own else (self.label_en, "en")

    @property
    def isco_major_group(self) -> int:
        """ISCO-08 major group (first digit): 9 is elementary occupations, 1 managers."""
        return int(self.isco_group[0])


@dataclass(frozen=True, slots=True)
class Skill:
    """An ESCO skill or knowledge concept; ``label_nl`` is None where ESCO has no Dutch label."""

    uri: str
    label_en: str
    label_nl: str | None
    alt_labels_en: tuple[str, ...] = ()
    skill_type: str | None = None
    reuse_level: str | None = None
    broader: tuple[str, ...] = ()
    narrower: tuple[str, ...] = ()
    groups: tuple[str, ...] = ()  # ESCO skill groups (skill pillar) the skill sits under
    alt_labels_nl: tuple[str, ...] = ()
    label_fr: str | None = None
    alt_labels_fr: tuple[str, ...] = ()
    hidden_labels_en: tuple[str, ...] = ()

    def label(self, lang: str = "nl") -> str:
        """Preferred label in ``lang`` ("nl", "fr" or "en"), falling back to English."""
        return self.label_in(lang)[0]

    def label_in(self, lang: str) -> tuple[str, str]:
        """Preferred label in ``lang`` and the language it is in ("en" where ``lang`` has none)."""
        own = {"nl": self.label_nl, "fr": self.label_fr}.get(lang)
        return (own, lang) if own else (self.label_en, "en")


@dataclass(frozen=True, slots=True)
class IscoGroup:
    """An ISCO-08 group (major, sub-major, minor or unit) with its labels."""

    code: str
    label_en: str
    label_nl: str | None

    def label(self, lang: str = "nl") -> str:
        return (self.label_nl if lang == "nl" else None) or self.label_en

    def label_in(self, lang: str) -> tuple[str, str]:
        return (self.label_nl, "nl") if lang == "nl" and self.label_nl else (self.label_en, "en")

    @property
    def skill_level(self) -> int:
        """ISCO-08 skill level (1 elementary … 4 professional) of the group's major group."""
        return isco_skill_level(self.code)


def isco_skill_level(code: str) -> int:
    """ISCO-08 skill level by major group, as defined by the ILO (ISCO-08 vol. 1, table 1).

    Major groups 1-2 need skill level 4 (3 and 4 for managers), 3 needs level 3, 4-8 need
    level 2, 9 needs level 1; armed forces (0) span levels and are treated as level 2.
    """
    major = int(code[0])
    if major in (1, 2):
        return 4
    if major == 3:
        return 3
    if major == 9:
        return 1
    return 2
