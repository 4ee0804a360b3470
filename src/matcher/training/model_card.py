"""The model card: what the model is for, what it learned from, how well it does, and its limits.

Written from ``metrics.json`` alone, so the card and the figures can never disagree.
"""

from __future__ import annotations

from .evaluate import K, group_table, metrics_table, reliability_markdown

GROUP_TITLES = {"coaching_need": "Coaching need", "dutch_level": "Dutch level"}
MODEL_TITLES = {
    "learned": "learned (this model)",
    "logistic": "logistic regression",
    "transparent": "transparent default",
}


def _data_section(metrics: dict) -> str:
    data = metrics["data"]
    meta = data["meta"]
    if data["simulated"]:
        origin = (
            "**This model is trained on simulated outcomes, not on real placements.** No public history of "
            "placements exists. The history was simulated by `matcher.training.simulate_history` from a synthetic "
            f"demo pool ({meta.get('n_candidates')} candidates, {meta.get('n_vacancies')} vacancies, seed "
            f"{meta.get('seed')}) with the causal model documented in `src/matcher/training/README.md`: placement and "
            "retention depend on competence fit, the language gap and whether support bridges it, coaching "
            "need and whether coaching is offered, commute and hours, with noise. The figures below say how "
            "well the model recovers that simulated world; they say nothing yet about real placements."
        )
    else:
        origin = f"Trained on the placement history `{data['history_file']}`."
    return "\n".join(
        [
            "## Data",
            "",
            origin,
            "",
            f"- history file: `{data['history_file']}` (sha256 `{data['history_sha256'][:16]}…`)",
            f"- {data['proposals']} proposals, {data['pairs_with_outcome']} with a known outcome "
            f"({data['outcome_not_yet_known']} hired less than 6 months ago are left out)",
            f"- {data['vacancies']} vacancies, {data['candidates']} candidates; hired {data['hired_rate']:.1%}, "
            f"retained 6 months {data['retained_rate']:.1%}",
            f"- held out for this report: {data['held_out_vacancies']} vacancies ({data['held_out_pairs']} pairs), "
            f"chosen by a hash of the vacancy id; no held-out vacancy was seen in training, CV or calibration",
            "- protected attributes (gender, nationality, age, origin) are not in the data and not in the features",
        ]
    )


def _model_section(metrics: dict) -> str:
    hp = metrics["hyper_parameters"]
    cv = metrics["cross_validation"]
    best = min(cv["grid"], key=lambda row: row["log_loss"])
    dropped = ", ".join(metrics["logistic_dropped_features"]) or "none"
    return "\n".join(
        [
            "## Model",
            "",
            "A scikit-learn pipeline over the 14 pair features of `matcher.features` (`src/matcher/learned.py`):",
            "1. support-aware gap totals (open + trainable must-skill gap, open + bridged language gap), so that the",
            "   constraints also guarantee that offering support or making a skill trainable never lowers a score;",
            "2. `HistGradientBoostingClassifier` with `monotonic_cst` +1 for features where more is better and -1 for",
            "   every cost: the score never rises with a cost and never falls with a benefit;",
            f"3. Platt scaling on {hp['calibration_share']:.0%} of the training vacancies held out of boosting "
            f"(slope {metrics['calibration']['slope']:.3f}; strictly increasing, "
            "so ranking and monotonicity are kept).",
            "",
            f"Hyper-parameters by {cv['folds']}-fold cross-validation grouped by vacancy (no vacancy in two folds), "
            f"selected by log loss: max_leaf_nodes={hp['max_leaf_nodes']}, learning_rate={hp['learning_rate']}, "
            f"interaction_cst={hp['interaction_cst']}, max_iter={hp['max_iter']}, "
            f"min_samples_leaf={hp['min_samples_leaf']}, l2_regularization={hp['l2_regularization']} "
            f"(CV log loss {best['log_loss']:.4f} ± {best['log_loss_sd']:.4f}, ROC AUC {best['roc_auc']:.4f}; "
            f"{len(cv['grid'])} settings tried, all in `metrics.json`).",
            "",
            "Compared with: a logistic regression on the same support-aware features with sign-constrained "
            f"coefficients (features dropped for a wrong sign: {dropped}), and the transparent default "
            "(`matcher.scoring.TransparentScorer`, documented weights, not fitted).",
            "",
            "Explanations: `LearnedScorer.contributions` gives each feature's logit contribution against the "
            "all-zero reference pair (path attribution, forward and reverse order averaged); the contributions sum "
            "to the score's logit minus the reference logit and have the feature's domain sign, in the same format "
            "as the transparent scorer's.",
        ]
    )


def _metrics_section(metrics: dict) -> str:
    held = {MODEL_TITLES[name]: row for name, row in metrics["held_out"].items()}
    parts = [
        "## Metrics on held-out vacancies",
        "",
        f"Probability: ROC AUC, Brier score (lower is better). Ranking: per vacancy, its proposed candidates "
        f"by score, retained placements relevant: NDCG@{K} and recall@{K} (retained in the top {K} over "
        f"min(retained, {K})), averaged over the vacancies with a retained placement.",
        "",
        metrics_table(held),
        "",
        "Paired differences, resampling whole vacancies (1000 bootstrap resamples, 95 % interval):",
        "",
        "| comparison | NDCG@10 difference | 95 % CI | Brier difference | 95 % CI |",
        "|---|---|---|---|---|",
        *[
            f"| {name} | {row['ndcg@10']['difference']:+.4f} | {row['ndcg@10']['ci95']} | "
            f"{row['brier']['difference']:+.4f} | {row['brier']['ci95']} |"
            for name, row in metrics["comparisons"].items()
        ],
        "",
        "### Reliability (learned model)",
        "",
        "Within each band of predicted probability, the share of placements that lasted:",
        "",
        reliability_markdown(metrics["reliability"]["learned"]),
        "",
    ]
    shown = {name: MODEL_TITLES[name] for name in ("learned", "transparent")}
    for group, title in GROUP_TITLES.items():
        parts += [f"### By {title.lower()}", "", group_table(metrics["groups"], group, shown), ""]
    parts += [
        "A gap between mean predicted and observed within a group is a calibration gap for that group; "
        "ranking metrics within a group compare candidates of the same group for each vacancy.",
        "",
    ]
    return "\n".join(parts)


def model_card(metrics: dict) -> str:
    """The Markdown model card for a trained model's ``metrics.json``."""
    env = metrics["environment"]
    return "\n".join(
        [
            f"# Model card: {metrics['version']}",
            "",
            "## Intended use",
            "",
            "Scores a candidate–vacancy pair with the estimated chance that a placement lasts: the person is hired "
            f"and still employed 6 months later (`{metrics['target']}`). Job brokers (VDAB consultants, job teams, "
            "OCMW) use it to order suggestions both ways, each with an explanation.",
            "",
            "Matching for employment is high-risk AI under the EU AI Act (Annex III, point 4). The score is a "
            "**suggestion for a person to review, never a decision**: a broker decides whom to propose, every "
            "suggestion is logged with this model version and its explanation, and outcomes are audited for "
            "disparate impact across groups. It must not be used to reject a candidate automatically, to rank "
            "people outside a broker's review, or on data that include protected attributes.",
            "",
            _data_section(metrics),
            "",
            _model_section(metrics),
            "",
            _metrics_section(metrics),
            "## Limits",
            "",
            "- Trained on simulated outcomes (see Data) when `simulated` is true in `metrics.json`: it encodes the "
            "assumptions of the causal model, and must be retrained on real placement histories (same file format, "
            "`matcher train --history FILE`) before its probabilities mean anything about real people.",
            "- Only proposed pairs have outcomes: pairs unlike any a broker or the default ranker would propose are "
            "extrapolated (monotone constraints keep that extrapolation in the domain's direction).",
            "- Coaching need itself is not a feature (only unmet need is), so a group whose retention differs for "
            "other reasons shows as a calibration gap in the per-group tables above; watch it on real data.",
            "- Proposals are treated as independent; competition for a vacancy's positions is not modelled.",
            f"- Trained with Python {env['python']}, scikit-learn {env['scikit-learn']}, numpy {env['numpy']}; "
            "recorded in `model.json` for provenance. The model is stored as plain lookup tables (`model.npz`, "
            "read without pickle), so predicting needs no scikit-learn and gives the same scores on any version; "
            "the loader refuses tables whose sha256 does not match `model.json`, and a shipped model whose files "
            "differ from the digests recorded in matcher's code.",
            "",
            f"Training took {metrics['training_seconds']:.0f} s; model file {metrics['model_bytes'] / 1024:.0f} KiB.",
            "",
        ]
    )
