"""Disparate-impact audit: every figure against a hand-computed case, groups, report and demo attributes."""

from __future__ import annotations

import json

import numpy as np
import pytest

from matcher.audit import (
    AuditInputs,
    Outcomes,
    attribute_groups,
    audit_inputs,
    group_figures,
    latest_audit_section,
    region,
    run_audit,
    simulated_outcomes,
)
from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.demo.audit_attributes import (
    AUDIT_ATTRIBUTES_CSV,
    age_band,
    audit_attributes,
    nationality_group,
    read_audit_attributes,
    write_audit_attributes,
)
from matcher.ranking import Ranker

# Six candidates: a1..a3 in group A, b1..b3 in group B. Two lists, top-2 audited.
IDS = ["a1", "a2", "a3", "b1", "b2", "b3"]
LABELS = np.array(["A", "A", "A", "B", "B", "B"], dtype=object)
LISTS = {
    "v1": [("a1", 0.9), ("b1", 0.7), ("a3", 0.1)],
    "v2": [("a2", 0.8), ("a1", 0.6)],
}


def _hand_case(outcomes: Outcomes | None = None):
    n_lists, inputs = audit_inputs(LISTS, IDS, k=2, outcomes=outcomes)
    assert n_lists == 2
    rows = group_figures(LABELS, inputs, min_group_size=1, n_bootstrap=50, seed=1)
    return {r.group: r for r in rows}


def test_selection_rate_and_disparate_impact_by_hand():
    rows = _hand_case()
    # Top-2: a1 (twice), b1, a2; a3 is only at rank 3. A: 2 of 3 selected, B: 1 of 3.
    assert rows["A"].selection_rate.estimate == pytest.approx(2 / 3)
    assert rows["B"].selection_rate.estimate == pytest.approx(1 / 3)
    assert rows["A"].disparate_impact.estimate == pytest.approx(1.0)
    assert rows["B"].disparate_impact.estimate == pytest.approx(0.5)
    assert rows["B"].flagged and not rows["A"].flagged
    assert rows["B"].flag_certain == (rows["B"].disparate_impact.high < 0.8)
    assert rows["A"].population_share == pytest.approx(0.5)


def test_exposure_share_by_hand():
    rows = _hand_case()
    w1, w2 = 1.0, 1 / np.log2(3)
    a = w1 + w1 + w2  # a1 at rank 1 of v1, a2 at rank 1 of v2, a1 at rank 2 of v2
    b = w2  # b1 at rank 2 of v1
    assert rows["A"].exposure_share.estimate == pytest.approx(a / (a + b))
    assert rows["B"].exposure_share.estimate == pytest.approx(b / (a + b))
    assert rows["B"].exposure_ratio == pytest.approx((b / (a + b)) / 0.5)


def test_mean_score_gap_by_hand():
    rows = _hand_case()
    overall = (0.9 + 0.7 + 0.8 + 0.6) / 4
    assert rows["A"].mean_score_gap.estimate == pytest.approx((0.9 + 0.8 + 0.6) / 3 - overall)
    assert rows["B"].mean_score_gap.estimate == pytest.approx(0.7 - overall)


def test_equal_opportunity_difference_by_hand():
    # Positives: a1 (selected), a3 (not selected), b1 (selected), b2 (not), b3 (not).
    outcomes = Outcomes(
        candidate_id=np.array(["a1", "a3", "b1", "b2", "b3", "a2"], dtype=object),
        positive=np.array([True, True, True, True, True, False]),
        selected=np.array([True, False, True, False, False, True]),
    )
    rows = _hand_case(outcomes)
    assert rows["A"].positives == 2 and rows["B"].positives == 3
    assert rows["A"].true_positive_rate.estimate == pytest.approx(1 / 2)
    assert rows["B"].true_positive_rate.estimate == pytest.approx(1 / 3)
    assert rows["A"].equal_opportunity_difference.estimate == pytest.approx(0.0)
    assert rows["B"].equal_opportunity_difference.estimate == pytest.approx(1 / 3 - 1 / 2)


def test_intervals_contain_the_estimate_and_small_groups_are_not_read():
    n = 400
    rng = np.random.default_rng(0)
    labels = np.array(["big"] * 390 + ["small"] * 10, dtype=object)
    selected = rng.random(n) < 0.3
    inputs = AuditInputs(
        selected=selected,
        exposure=selected * 1.0,
        score_sum=selected * 0.5,
        score_count=selected.astype(int),
        outcome_candidate=np.zeros(0, np.int64),
        outcome_positive=np.zeros(0, bool),
        outcome_selected=np.zeros(0, bool),
    )
    rows = {r.group: r for r in group_figures(labels, inputs, min_group_size=30, n_bootstrap=300)}
    sr = rows["big"].selection_rate
    assert sr.low <= sr.estimate <= sr.high and sr.high - sr.low < 0.15
    small = rows["small"]
    assert small.too_small and small.size == 10 and small.selection_rate is None and not small.flagged


def test_groups_from_profile_and_separate_attributes():
    assert region("9000") == "Oost-Vlaanderen" and region("1000") == "Brussel" and region("3500") == "Limburg"
    assert region("x") == "unknown"
    got = attribute_groups(["c1", "c2"], {"c1": {"gender": "female", "age_band": "55+"}})
    assert got["gender"].tolist() == ["female", "unknown"]
    assert got["age_band"].tolist() == ["55+", "unknown"]
    with pytest.raises(ValueError, match="unknown audit attribute 'postcode'"):
        attribute_groups(["c1"], {"c1": {"postcode": "9000"}})


def test_demo_audit_attributes_follow_the_personal_data(tmp_path, taxonomy):
    pool = generate_pool(n_candidates=60, n_vacancies=4, seed=3, taxonomy=taxonomy)
    attrs = audit_attributes(pool.personal)
    for person in pool.personal:
        row = attrs[person.candidate_id]
        assert row["gender"] == person.gender
        assert row["age_band"] == age_band(person.birth_date)
        assert row["nationality_group"] == nationality_group(person.nationality)
    path = write_audit_attributes(pool, tmp_path)
    assert path.name == AUDIT_ATTRIBUTES_CSV and "simulated" in path.name
    lines = path.read_text(encoding="utf-8").splitlines()
    assert lines[0].endswith(",simulated") and all(line.endswith(",simulated") for line in lines[1:])
    assert read_audit_attributes(path) == attrs
    # Nothing of it is on a profile.
    assert not set(pool.candidates[0].model_dump()) & {"age_band", "gender", "nationality_group"}
    assert nationality_group("BE") == "Belgian" and nationality_group("PL") == "other EU"
    assert nationality_group("SY") == "outside EU"


def test_run_audit_on_a_demo_pool_gives_json_html_and_a_model_card_section(tmp_path, taxonomy):
    pool = generate_pool(n_candidates=300, n_vacancies=20, seed=8, taxonomy=taxonomy)
    ranker = Ranker.from_profiles(taxonomy, pool.candidates, pool.vacancies, today=REFERENCE_DATE)
    lists = ranker.top_candidates(ranker.vacancies.ids, k=30, stretch=False)
    need = {c.id: int(c.coaching_need) for c in pool.candidates}
    outcomes = simulated_outcomes(lists, need, k=10, seed=1)
    assert outcomes.selected.sum() == sum(min(len(lst), 10) for lst in lists)
    report = run_audit(lists, pool.candidates, audit_attributes(pool.personal), k=10, outcomes=outcomes)
    data = json.loads(json.dumps(report.to_dict()))
    assert list(data["groupings"]) == [
        "coaching_need",
        "dutch_level",
        "wants_language_training",
        "region",
        "age_band",
        "gender",
        "nationality_group",
    ]
    assert data["groupings"]["gender"]["source"].startswith("audit attributes")
    assert sum(g["size"] for g in data["groupings"]["region"]["groups"]) == 300
    html = report.to_html()
    assert html.count("<svg") == 2 * len(data["groupings"])
    assert "http" not in html.replace('xmlns="http://www.w3.org/2000/svg"', "")  # nothing fetched
    js, page = report.write(tmp_path)
    assert json.loads(js.read_text(encoding="utf-8"))["format"] == "matcher-audit/1"
    assert page.read_text(encoding="utf-8") == html
    section = latest_audit_section(tmp_path)
    assert section is not None and section.startswith("## Disparate-impact audit")
    assert "| group | n |" in section
    assert latest_audit_section(tmp_path / "none") is None


def test_run_audit_refuses_bad_arguments(taxonomy):
    with pytest.raises(ValueError, match="k must be"):
        run_audit({}, [], k=0)


def test_a_flag_is_certain_only_when_the_whole_interval_is_below_four_fifths():
    # 200 per group: rates 0.50, 0.10 (clearly below 0.8 x 0.5) and 0.38 (0.76 of the best: uncertain).
    rates = {"high": 100, "low": 20, "near": 76}
    labels = np.array([g for g in rates for _ in range(200)], dtype=object)
    selected = np.concatenate([np.arange(200) < count for count in rates.values()])
    inputs = AuditInputs(
        selected=selected,
        exposure=selected * 1.0,
        score_sum=selected * 0.5,
        score_count=selected.astype(int),
        outcome_candidate=np.zeros(0, np.int64),
        outcome_positive=np.zeros(0, bool),
        outcome_selected=np.zeros(0, bool),
    )
    rows = {r.group: r for r in group_figures(labels, inputs, n_bootstrap=300)}
    assert rows["low"].flagged and rows["low"].flag_certain
    assert rows["near"].flagged and not rows["near"].flag_certain
    assert not rows["high"].flagged
