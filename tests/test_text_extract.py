"""Extraction from vacancy and CV text: the annotated nl/fr/en set, the issue's cases, HTML, CVs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from matcher.profiles import RequirementKind
from matcher.taxonomy import Taxonomy, load_taxonomy
from matcher.text import extract, plain_text, requirements_from_jobposting_fields
from matcher.text.command import extract_file
from matcher.text.cv import UnreadableCVError, read_cv
from matcher.text.evaluate import evaluate_rules, read_eval

EVAL = Path(__file__).parent / "data" / "extraction_eval.jsonl"


@pytest.fixture(scope="module")
def tax() -> Taxonomy:
    return load_taxonomy()


def test_annotated_set_has_150_sentences_in_three_languages() -> None:
    cases = read_eval(EVAL)
    assert len(cases) >= 150
    assert {c["lang"] for c in cases} == {"nl", "fr", "en"}
    for case in cases:
        plain = plain_text(case["text"])
        for span in case["spans"]:
            assert plain[span["start"] : span["end"]] == span["text"]


def test_rule_extraction_precision_and_recall_per_kind() -> None:
    report = evaluate_rules(read_eval(EVAL))
    for kind, counts in report["kinds"].items():
        assert counts["precision"] >= 0.8, (kind, counts)
        assert counts["recall"] >= 0.8, (kind, counts)
    assert report["level_accuracy"] >= 0.9
    assert report["language_detection_accuracy"] >= 0.9


@pytest.mark.parametrize(
    "text, kind, value, detail, importance",
    [
        ("Je spreekt vlot Nederlands.", "language", "nl", "B2", "must"),
        ("Des notions de français.", "language", "fr", "A2", "must"),
        ("English is a plus.", "language", "en", "B1", "nice"),
        ("Rijbewijs C+CE vereist.", "licence", "CE", None, "must"),
        ("Minstens 3 jaar ervaring als magazijnier.", "experience", "36", None, "must"),
        ("Vous avez le CESS.", "education", "secondary", None, "must"),
        ("Werken in ploegenstelsel.", "shift", "rotating", None, "must"),
        ("Deeltijds 24u.", "hours", "part_time", None, "must"),
    ],
)
def test_issue_phrases(tax: Taxonomy, text: str, kind: str, value: str, detail: str | None, importance: str) -> None:
    spans = [s for s in extract(text, tax).spans if s.kind == kind]
    assert spans, text
    assert (spans[0].value, spans[0].level, spans[0].importance) == (value, detail, importance)


def test_html_bullets_offsets_point_into_the_plain_text(tax: Taxonomy) -> None:
    found = extract("<ul><li>Vlot Nederlands</li><li>Rijbewijs B</li><li>heftruck rijden</li></ul>", tax)
    assert found.text == "Vlot Nederlands\nRijbewijs B\nheftruck rijden"
    for span in found.spans:
        assert found.text[span.start : span.end] == span.text
    assert {s.kind for s in found.spans} >= {"language", "licence", "skill"}


@settings(max_examples=30, deadline=None)
@given(st.text(max_size=120))
def test_offsets_hold_for_any_text(text: str) -> None:
    found = extract(text, load_taxonomy())
    for span in found.spans:
        assert found.text[span.start : span.end] == span.text
        assert 0 <= span.start < span.end <= len(found.text)


def test_jobposting_fields_give_a_dutch_language_requirement(tax: Taxonomy) -> None:
    result = requirements_from_jobposting_fields(
        {"qualifications": "Je spreekt vlot Nederlands. Rijbewijs B.", "description": "Werken in ploegen."}, tax
    )
    kinds = {(r.kind, r.value) for r in result.requirements}
    assert (RequirementKind.language, "nl") in kinds
    assert (RequirementKind.licence, "B") in kinds
    assert not any(r.kind is RequirementKind.competence and "Nederlands" in (r.text or "") for r in result.requirements)
    assert result.shifts == ["rotating"]
    assert result.findings and result.findings[0].startswith("qualifications:")


def _tiny_pdf(path: Path, lines: list[str]) -> None:
    """A one-page PDF with ``lines`` in Helvetica, written by hand (no PDF writer needed)."""
    text = "BT /F1 12 Tf 50 750 Td 14 TL " + " ".join(f"({line}) Tj T*" for line in lines) + " ET"
    objects = [
        "<< /Type /Catalog /Pages 2 0 R >>",
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        "/Resources << /Font << /F1 5 0 R >> >> >>",
        f"<< /Length {len(text)} >>\nstream\n{text}\nendstream",
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = "%PDF-1.4\n", []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n{body}\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n" + "".join(f"{o:010d} 00000 n \n" for o in offsets)
    out += f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n"
    path.write_bytes(out.encode("latin-1"))


def test_cv_files_become_a_candidate_draft(tax: Taxonomy, tmp_path: Path) -> None:
    import docx

    body = ["Ervaring: 4 jaar als heftruckchauffeur", "Talen: Nederlands moedertaal, Frans basiskennis", "Rijbewijs B"]
    document = docx.Document()
    for line in body:
        document.add_paragraph(line)
    document.save(str(tmp_path / "cv.docx"))
    (tmp_path / "cv.txt").write_text("\n".join(body), encoding="utf-8")
    _tiny_pdf(tmp_path / "cv.pdf", body)
    for name in ("cv.docx", "cv.txt", "cv.pdf"):
        draft = read_cv(tmp_path / name, tax)
        assert {"language": "nl", "level": "C1"} in draft.languages
        assert {"language": "fr", "level": "A2"} in draft.languages
        assert draft.driving_licences == ["B"]
    with pytest.raises(UnreadableCVError, match="must be one of"):
        read_cv(tmp_path / "cv.odt", tax)


def test_extract_command_json_and_table(tax: Taxonomy, tmp_path: Path) -> None:
    path = tmp_path / "vacature.txt"
    path.write_text("Je spreekt vlot Nederlands en hebt rijbewijs B.", encoding="utf-8")
    payload = json.loads(extract_file(str(path), tax, as_json=True))
    assert payload["lang"] == "nl"
    assert [s["kind"] for s in payload["spans"]] == ["language", "licence"]
    assert "licence" in extract_file(str(path), tax)


def test_jobposting_import_reads_requirements_from_description_and_qualifications(tax: Taxonomy) -> None:
    from matcher.imports import import_vacancies

    posting = {
        "@type": "JobPosting",
        "identifier": "FR-1",
        "title": "Magasinier (h/f)",
        "hiringOrganization": {"@type": "Organization", "identifier": "bxl-e1"},
        "jobLocation": {"@type": "Place", "address": {"postalCode": "1070"}},
        "description": "<p>Vous avez le permis B et des notions de néerlandais.</p>",
        "qualifications": "Je spreekt vlot Nederlands",
    }
    result = import_vacancies(json.dumps(posting), taxonomy=tax)
    [vacancy] = result.records
    kinds = {(r.kind, r.value, r.level.name if r.level else None) for r in vacancy.requirements}
    assert (RequirementKind.licence, "B", None) in kinds
    assert (RequirementKind.language, "nl", "B2") in kinds  # the explicit qualification wins over the description
    assert len([r for r in vacancy.requirements if r.kind is RequirementKind.language]) == 1
    assert vacancy.description_html == posting["description"]  # the original text is kept
    assert vacancy.description == "Vous avez le permis B et des notions de néerlandais."  # read as text
