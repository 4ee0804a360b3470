"""Metrics of a scorer on held-out placements: calibration, ranking per vacancy, and per group.

* **Probability**: ROC AUC, Brier score, log loss, and a reliability table (10 equal-width bins of
  predicted probability: how many pairs, mean predicted, observed rate), because a broker reads
  the score as a chance and it must mean one.
* **Ranking**: per vacancy, the proposed candidates ordered by score (ties by candidate id), with
  the retained placements as the relevant ones: NDCG@10 (binary gains) and recall@10 (retained
  placements in the top 10 over ``min(retained, 10)``, so a perfect order scores 1). Vacancies
  without a retained placement have no ideal order and are left out; their count is reported.
* **Per group** of candidates (coaching need, Dutch band): the same metrics on the group's pairs,
  ranking within each vacancy's list restricted to the group, so a gap between groups shows.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import numpy as np
from sklearn.metrics import brier_score_loss, log_loss, roc_auc_score

from matcher.learned import load_model
from matcher.scoring import TransparentScorer
from matcher.taxonomy import Taxonomy, load_taxonomy

from .history import PairData, history_pairs, read_history

K = 10
N_BINS = 10


def reliability_table(y: np.ndarray, p: np.ndarray, n_bins: int = N_BINS) -> list[dict]:
    """Pairs, mean predicted probability and observed rate per equal-width bin of ``p``."""
    bins = np.minimum((p * n_bins).astype(int), n_bins - 1)
    table = []
    for b in range(n_bins):
        inside = bins == b
        count = int(inside.sum())
        table.append(
            {
                "bin": f"{b / n_bins:.1f}-{(b + 1) / n_bins:.1f}",
                "pairs": count,
                "mean_predicted": round(float(p[inside].mean()), 4) if count else None,
                "observed_rate": round(float(y[inside].mean()), 4) if count else None,
            }
        )
    return table


def probability_metrics(y: np.ndarray, p: np.ndarray) -> dict:
    """ROC AUC, Brier, log loss and calibration-in-the-large of probabilities ``p`` for labels ``y``."""
    both = len(np.unique(y)) == 2
    clipped = np.clip(p.astype(np.float64), 1e-7, 1 - 1e-7)
    return {
        "pairs": len(y),
        "observed_rate": round(float(y.mean()), 4) if len(y) else None,
        "mean_predicted": round(float(p.mean()), 4) if len(y) else None,
        "roc_auc": round(float(roc_auc_score(y, p)), 4) if both else None,
        "brier": round(float(brier_score_loss(y, p)), 4) if len(y) else None,
        "log_loss": round(float(log_loss(y, clipped, labels=[0, 1])), 4) if len(y) else None,
    }


def per_vacancy_ranking(
    y: np.ndarray, scores: np.ndarray, vacancy_id: np.ndarray, candidate_id: np.ndarray, k: int = K
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Vacancy ids (sorted), NDCG@k and recall@k per vacancy; NaN where nothing was retained."""
    order = np.lexsort((candidate_id.astype(str), -scores.astype(np.float64), vacancy_id.astype(str)))
    vac_sorted = vacancy_id[order].astype(str)
    starts = np.flatnonzero(np.r_[True, vac_sorted[1:] != vac_sorted[:-1]])
    ends = np.r_[starts[1:], len(order)]
    discount = 1.0 / np.log2(np.arange(2, k + 2))
    ndcg, recall = np.full(len(starts), np.nan), np.full(len(starts), np.nan)
    for v, (start, end) in enumerate(zip(starts, ends, strict=False)):
        gains = y[order[start:end]].astype(np.float64)
        relevant = int(gains.sum())
        if relevant:
            top = gains[:k]
            ndcg[v] = float(top @ discount[: len(top)]) / float(discount[: min(relevant, k)].sum())
            recall[v] = float(top.sum()) / min(relevant, k)
    return vac_sorted[starts], ndcg, recall


def ranking_metrics(
    y: np.ndarray, scores: np.ndarray, vacancy_id: np.ndarray, candidate_id: np.ndarray, k: int = K
) -> dict:
    """Mean NDCG@k and recall@k over the vacancies with at least one retained placement."""
    _, ndcg, recall = per_vacancy_ranking(y, scores, vacancy_id, candidate_id, k)
    ranked = ~np.isnan(ndcg)
    return {
        f"ndcg@{k}": round(float(ndcg[ranked].mean()), 4) if ranked.any() else None,
        f"recall@{k}": round(float(recall[ranked].mean()), 4) if ranked.any() else None,
        "vacancies_ranked": int(ranked.sum()),
        "vacancies_without_retained": int((~ranked).sum()),
    }


def paired_bootstrap(
    y: np.ndarray,
    p_a: np.ndarray,
    p_b: np.ndarray,
    vacancy_id: np.ndarray,
    candidate_id: np.ndarray,
    n_resamples: int = 1000,
    seed: int = 0,
) -> dict:
    """95 % intervals of model a minus model b in NDCG@10 and Brier, resampling whole vacancies.

    Pairs of one vacancy share its employer and its candidates, so vacancies, not pairs, are the
    independent units; the same resample is used for both models (a paired comparison).
    """
    vacancies, ndcg_a, _ = per_vacancy_ranking(y, p_a, vacancy_id, candidate_id)
    _, ndcg_b, _ = per_vacancy_ranking(y, p_b, vacancy_id, candidate_id)
    index = np.searchsorted(vacancies, vacancy_id.astype(str))
    n_vac = len(vacancies)
    pairs = np.bincount(index, minlength=n_vac).astype(np.float64)
    sq_a = np.bincount(index, (p_a - y) ** 2, minlength=n_vac)
    sq_b = np.bincount(index, (p_b - y) ** 2, minlength=n_vac)
    ranked = ~np.isnan(ndcg_a)
    draws = np.random.default_rng(seed).integers(0, n_vac, size=(n_resamples, n_vac))
    weights = np.apply_along_axis(np.bincount, 1, draws, minlength=n_vac).astype(np.float64)
    brier = (weights @ sq_a - weights @ sq_b) / (weights @ pairs)
    gain = np.where(ranked, np.nan_to_num(ndcg_a - ndcg_b), 0.0)
    ndcg = (weights @ gain) / np.maximum(weights @ ranked, 1)

    def interval(values: np.ndarray, point: float) -> dict:
        low, high = np.percentile(values, [2.5, 97.5])
        return {"difference": round(point, 4), "ci95": [round(float(low), 4), round(float(high), 4)]}

    return {
        "ndcg@10": interval(ndcg, float(np.nanmean(ndcg_a[ranked] - ndcg_b[ranked]))),
        "brier": interval(brier, float(sq_a.sum() - sq_b.sum()) / len(y)),
        "resamples": n_resamples,
    }


def all_metrics(y: np.ndarray, p: np.ndarray, vacancy_id: np.ndarray, candidate_id: np.ndarray) -> dict:
    """Probability and ranking metrics of one set of pairs."""
    return {**probability_metrics(y, p), **ranking_metrics(y, p, vacancy_id, candidate_id)}


def group_metrics(
    y: np.ndarray, p: np.ndarray, vacancy_id: np.ndarray, candidate_id: np.ndarray, groups: dict[str, np.ndarray]
) -> dict[str, dict[str, dict]]:
    """:func:`all_metrics` per value of each grouping (e.g. ``{"coaching_need": labels}``)."""
    out: dict[str, dict[str, dict]] = {}
    for name, labels in groups.items():
        out[name] = {}
        for value in sorted(set(labels.tolist())):
            inside = labels == value
            out[name][str(value)] = all_metrics(y[inside], p[inside], vacancy_id[inside], candidate_id[inside])
    return out


def evaluate_scorers(scorers: dict[str, Any], data: PairData, rows: np.ndarray) -> dict:
    """Overall and per-group metrics, reliability tables, and the first scorer against each other one.

    Returns a dict with ``held_out``, ``groups``, ``reliability`` and ``comparisons`` (paired
    bootstrap over vacancies of the first scorer minus each other scorer).
    """
    y, vac, cand = data.retained[rows], data.vacancy_id[rows], data.candidate_id[rows]
    groups = {"coaching_need": data.coaching_need[rows], "dutch_level": data.dutch_band[rows]}
    report: dict[str, dict] = {"held_out": {}, "groups": {}, "reliability": {}, "comparisons": {}}
    probabilities = {name: scorer.predict_fit(data.X[rows]) for name, scorer in scorers.items()}
    first = next(iter(probabilities))
    for name, p in probabilities.items():
        report["held_out"][name] = all_metrics(y, p, vac, cand)
        report["groups"][name] = group_metrics(y, p, vac, cand, groups)
        report["reliability"][name] = reliability_table(y, p)
        if name != first:
            report["comparisons"][f"{first} - {name}"] = paired_bootstrap(y, probabilities[first], p, vac, cand)
    return report


def held_out_rows(data: PairData, share: float, salt: str) -> np.ndarray:
    """Row numbers of the pairs whose vacancy is in the held-out share (see :mod:`matcher.training.train`)."""
    cut = int(share * 2**32)
    held = {
        v: int.from_bytes(hashlib.sha256(f"{salt}:{v}".encode()).digest()[:4], "big") < cut
        for v in set(data.vacancy_id.tolist())
    }
    return np.flatnonzero([held[v] for v in data.vacancy_id.tolist()])


def evaluate_model_dir(model_dir: Path, history: Path, taxonomy: Taxonomy | None = None) -> dict:
    """A shipped model against the transparent default on a history file.

    On the history the model was trained on (same sha256 as in its ``metrics.json``), only the
    held-out vacancies count; on any other history, every pair does.
    """
    scorer = load_model(model_dir)
    data = history_pairs(read_history(history), taxonomy if taxonomy is not None else load_taxonomy())
    metrics_path = Path(model_dir) / "metrics.json"
    trained = json.loads(metrics_path.read_text(encoding="utf-8")) if metrics_path.is_file() else {}
    same = trained.get("data", {}).get("history_sha256") == file_digest(Path(history))
    if same:
        split = trained["data"]["split"]
        rows = held_out_rows(data, split["test_share"], split["salt"])
    else:
        rows = np.arange(len(data.retained))
    report = evaluate_scorers({scorer.version: scorer, "transparent": TransparentScorer().fit()}, data, rows)
    report["evaluated_on"] = {
        "history_file": str(history),
        "pairs": len(rows),
        "rows": "held-out vacancies of the training history" if same else "all pairs",
    }
    return report


def report_text(report: dict) -> str:
    """The evaluation report as Markdown: overall, paired differences, reliability, per group."""
    on = report["evaluated_on"]
    first = next(iter(report["held_out"]))
    parts = [
        f"Evaluated on {on['pairs']} pairs of {on['history_file']} ({on['rows']}).",
        "",
        metrics_table(report["held_out"]),
        "",
    ]
    for name, row in report["comparisons"].items():
        parts.append(
            f"{name}: NDCG@{K} {row['ndcg@10']['difference']:+.4f} (95 % CI {row['ndcg@10']['ci95']}), "
            f"Brier {row['brier']['difference']:+.4f} (95 % CI {row['brier']['ci95']}), over vacancies"
        )
    parts += ["", f"Reliability of {first}:", "", reliability_markdown(report["reliability"][first]), ""]
    for group in report["groups"][first]:
        parts += [f"By {group.replace('_', ' ')}:", "", group_table(report["groups"], group, report["groups"]), ""]
    return "\n".join(parts)


def group_table(groups: dict, group: str, titles: dict[str, str] | Iterable[str]) -> str:
    """Metrics per value of ``group`` (e.g. coaching need) for each model in ``titles``, as Markdown.

    ``titles`` maps model names to the titles shown, or just lists the names to show as they are.
    """
    titles = titles if isinstance(titles, dict) else {name: name for name in titles}
    rows = {f"{value} – {title}": row for name, title in titles.items() for value, row in groups[name][group].items()}
    return metrics_table(dict(sorted(rows.items())))


def file_digest(path: Path) -> str:
    """sha256 of a file, read in chunks."""
    digest = hashlib.sha256()
    with open(path, "rb") as data:
        for chunk in iter(lambda: data.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def metrics_table(
    rows: dict[str, dict],
    columns: tuple[str, ...] = (
        "roc_auc",
        "brier",
        f"ndcg@{K}",
        f"recall@{K}",
        "mean_predicted",
        "observed_rate",
        "pairs",
    ),
) -> str:
    """A Markdown table: one row per named set of metrics."""

    def cell(value: object) -> str:
        return "–" if value is None else f"{value:.4f}" if isinstance(value, float) else str(value)

    lines = ["| | " + " | ".join(columns) + " |", "|---" * (len(columns) + 1) + "|"]
    lines += [f"| {name} | " + " | ".join(cell(m.get(c)) for c in columns) + " |" for name, m in rows.items()]
    return "\n".join(lines)


def reliability_markdown(table: list[dict]) -> str:
    lines = ["| predicted | pairs | mean predicted | observed |", "|---|---|---|---|"]
    for row in table:
        if row["pairs"]:
            lines.append(
                f"| {row['bin']} | {row['pairs']} | {row['mean_predicted']:.3f} | {row['observed_rate']:.3f} |"
            )
    return "\n".join(lines)
