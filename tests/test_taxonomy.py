"""The packaged ESCO taxonomy: content, relations, attribution (search has its own tests)."""

from __future__ import annotations

import pytest

from matcher import ESCO_ATTRIBUTION
from matcher.taxonomy import UnknownConceptError, isco_skill_level
from profiles_factory import CLEANER, FORKLIFT


def test_counts_and_attribution(taxonomy) -> None:
    assert len(taxonomy.occupations) == 3007 and len(taxonomy.skills) == 13896
    assert taxonomy.esco_version == "1.1.1"
    assert "European Commission" in taxonomy.source and "ESCO v1.1.1" in ESCO_ATTRIBUTION


def test_occupation_has_isco_group_and_skills(taxonomy) -> None:
    forklift = taxonomy.occupation(FORKLIFT)
    assert forklift.label_nl == "heftruckchauffeur" and forklift.label_en == "forklift operator"
    assert forklift.isco_group == "8344"
    assert taxonomy.occupation_isco_group(FORKLIFT).label_en.lower().startswith("lifting truck")
    assert len(forklift.essential_skills) >= 20 and forklift.optional_skills
    assert set(forklift.essential_skills) <= set(taxonomy.skills)
    assert (
        "kinesist"
        in taxonomy.occupation(
            next(o.uri for o in taxonomy.occupations.values() if o.label_nl == "fysiotherapeut")
        ).alt_labels_nl
    )


def test_skill_hierarchy_neighbours(taxonomy) -> None:
    skill = next(s for s in taxonomy.skills.values() if s.narrower and s.broader)
    for narrower in taxonomy.skill_narrower(skill.uri):
        assert skill.uri in narrower.broader
    for broader in taxonomy.skill_broader(skill.uri):
        assert skill.uri in broader.narrower
    assert taxonomy.skill_parent_matrix.nnz == sum(
        1 for s in taxonomy.skills.values() for b in s.broader if b in taxonomy.skills
    )


def test_unknown_uri_is_named(taxonomy) -> None:
    with pytest.raises(UnknownConceptError, match="unknown ESCO occupation URI: 'http://x'"):
        taxonomy.occupation("http://x")


def test_isco_skill_levels(taxonomy) -> None:
    assert isco_skill_level(taxonomy.occupation(CLEANER).isco_group) == 1
    assert isco_skill_level(taxonomy.occupation(FORKLIFT).isco_group) == 2
    assert isco_skill_level("2211") == 4 and isco_skill_level("3112") == 3


def test_french_titles_and_skills_resolve() -> None:
    from matcher.taxonomy import load_taxonomy

    tax = load_taxonomy()
    nurse = tax.search("Infirmier / Infirmière", kind="occupation", lang="fr", k=1)[0]
    assert nurse["label"] == "infirmier de soins généraux/infirmière de soins généraux" and nurse["label_lang"] == "fr"
    assert tax.search("Magasinier (h/f)", kind="occupation", lang="fr", k=1)[0]["label"] == "magasinier/magasinière"
    assert tax.search("travailler en équipe", kind="skill", lang="fr", k=1)[0]["score"] == 1.0


def test_label_says_which_language_it_is_in() -> None:
    from matcher.taxonomy import UnknownConceptError, load_taxonomy

    tax = load_taxonomy()
    with_dutch = next(s for s in tax.skills.values() if s.label_nl and not s.label_fr)
    assert tax.label(with_dutch.uri, "nl") == (with_dutch.label_nl, "nl")
    assert tax.label(with_dutch.uri, "fr") == (with_dutch.label_en, "en")
    occupation = next(iter(tax.occupations.values()))
    assert tax.label(occupation.uri, "fr") == (occupation.label_fr, "fr")
    with pytest.raises(UnknownConceptError, match="unknown ESCO URI"):
        tax.label("http://data.europa.eu/esco/skill/nope", "nl")
    with pytest.raises(ValueError, match="kind must be"):
        tax.search("lasser", kind="beroep")
