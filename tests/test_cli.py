"""The command line end to end: demo data, import check, ranking and review, on real files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from matcher.cli import main
from matcher.profiles import PERSONAL_FIELDS


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("demo")
    assert main(["demo-data", "--candidates", "400", "--vacancies", "20", "--seed", "5", "--out", str(out)]) == 0
    return out


def test_rank_table_both_directions(demo_dir: Path, capsys) -> None:
    args = [
        "rank",
        "--vacancies",
        str(demo_dir / "vacancies.jsonl"),
        "--candidates",
        str(demo_dir / "candidates.jsonl"),
        "--top",
        "3",
        "--today",
        "2026-11-23",
        "--lang",
        "en",
    ]
    assert main([*args, "--id", "vac-00001"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("== Candidates for vacancy") and "strict matches" in out
    assert main([*args, "--direction", "vacancies", "--id", "cand-000001"]) == 0
    assert "Vacancies for candidate cand-000001" in capsys.readouterr().out


def test_rank_json_has_explanations_and_no_personal_data(demo_dir: Path, capsys) -> None:
    assert (
        main(
            [
                "rank",
                "--vacancies",
                str(demo_dir / "vacancies.jsonl"),
                "--candidates",
                str(demo_dir / "candidates.jsonl"),
                "--top",
                "5",
                "--format",
                "json",
                "--today",
                "2026-11-23",
            ]
        )
        == 0
    )
    lists = json.loads(capsys.readouterr().out)
    assert len(lists) == 20
    suggestions = [s for lst in lists for s in lst["suggestions"]]
    assert suggestions and all(s["explanation"]["text"] for s in suggestions)
    assert all(s["stretch"] == bool(s["explanation"]["would_fit_if"]) for s in suggestions)
    personal = json.loads((demo_dir / "candidates.jsonl").read_text().splitlines()[0])["personal"]
    text = json.dumps(lists)
    assert personal["name"] not in text
    assert not any(f'"{field}"' in text for field in PERSONAL_FIELDS)


def test_review_by_id_and_ranking_of_vacancies(demo_dir: Path, capsys) -> None:
    files = [
        "--vacancies",
        str(demo_dir / "vacancies.jsonl"),
        "--candidates",
        str(demo_dir / "candidates.jsonl"),
        "--today",
        "2026-11-23",
    ]
    assert main(["review", "--vacancy", "vac-00002", "--format", "json", "--lang", "en", *files]) == 0
    review = json.loads(capsys.readouterr().out)
    assert review["vacancy_id"] == "vac-00002" and "white_raven_index" in review
    assert "cand-" not in json.dumps(review)
    assert main(["review", *files]) == 0
    rows = capsys.readouterr().out.strip().splitlines()
    assert len(rows) == 20
    indexes = [float(row.split()[0]) for row in rows]
    assert indexes == sorted(indexes, reverse=True)


def test_import_check_reports_rejections_with_lines(tmp_path: Path, demo_dir: Path, capsys) -> None:
    lines = (demo_dir / "vacancies.jsonl").read_text().splitlines()[:3]
    broken = json.loads(lines[1])
    broken["postcode"] = "12"
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join([lines[0], json.dumps(broken), "{not json", lines[2]]) + "\n")
    assert main(["import-check", str(path), "--kind", "vacancies", "--json"]) == 1
    report = json.loads(capsys.readouterr().out)
    rejected = {(r["line"], r["field"]) for r in report["rejections"]}
    assert (2, "postcode") in rejected and any(line == 3 for line, _ in rejected)
    assert report["accepted"] == 2


def test_user_errors_are_one_line_with_exit_code_2(tmp_path: Path, capsys) -> None:
    assert main(["rank", "--vacancies", str(tmp_path / "nope.jsonl"), "--candidates", str(tmp_path / "x.jsonl")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "no such file" in err
