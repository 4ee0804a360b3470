"""Span precision and recall of the rule-based extraction against an annotated set.

A found span counts when a gold span of the same kind overlaps it and has the same value;
the language level and the importance are scored separately, over the spans that count.
"""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path
from typing import Any

from .extract import rule_spans
from .langdetect import detect_language
from .plain import plain_text

RULE_KINDS = ("language", "licence", "experience", "education", "shift", "hours")


def read_eval(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def evaluate_rules(cases: list[dict[str, Any]]) -> dict[str, Any]:
    """Per kind: gold, found, correct, precision, recall; plus level, importance and language accuracy."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"gold": 0, "found": 0, "correct": 0})
    level_ok = level_n = importance_ok = importance_n = lang_ok = 0
    for case in cases:
        text = plain_text(case["text"])
        lang_ok += detect_language(text)[0] == case["lang"]
        found = [s for s in rule_spans(text) if s.kind in RULE_KINDS]
        gold = case["spans"]
        for g in gold:
            counts[g["kind"]]["gold"] += 1
        used: set[int] = set()
        for s in found:
            counts[s.kind]["found"] += 1
            for i, g in enumerate(gold):
                if i in used or g["kind"] != s.kind or g["value"] != s.value:
                    continue
                if s.start < g["end"] and g["start"] < s.end:
                    used.add(i)
                    counts[s.kind]["correct"] += 1
                    importance_n += 1
                    importance_ok += g["importance"] == s.importance
                    if s.kind == "language":
                        level_n += 1
                        level_ok += g.get("level") == s.level
                    break
    per_kind = {}
    for kind in RULE_KINDS:
        c = counts[kind]
        per_kind[kind] = {
            **c,
            "precision": c["correct"] / c["found"] if c["found"] else 1.0,
            "recall": c["correct"] / c["gold"] if c["gold"] else 1.0,
        }
    total = {k: sum(counts[kind][k] for kind in RULE_KINDS) for k in ("gold", "found", "correct")}
    return {
        "kinds": per_kind,
        "micro_precision": total["correct"] / max(total["found"], 1),
        "micro_recall": total["correct"] / max(total["gold"], 1),
        "level_accuracy": level_ok / max(level_n, 1),
        "importance_accuracy": importance_ok / max(importance_n, 1),
        "language_detection_accuracy": lang_ok / max(len(cases), 1),
        "sentences": len(cases),
    }


def format_report(report: dict[str, Any]) -> str:
    lines = [f"{'kind':<11}{'gold':>6}{'found':>7}{'correct':>9}{'P':>7}{'R':>7}"]
    for kind, c in report["kinds"].items():
        lines.append(
            f"{kind:<11}{c['gold']:>6}{c['found']:>7}{c['correct']:>9}{c['precision']:>7.2f}{c['recall']:>7.2f}"
        )
    lines.append(
        f"micro P {report['micro_precision']:.2f} R {report['micro_recall']:.2f}; CEFR level right "
        f"{report['level_accuracy']:.2f}; importance right {report['importance_accuracy']:.2f}; "
        f"language of the sentence right {report['language_detection_accuracy']:.2f} ({report['sentences']} sentences)"
    )
    return "\n".join(lines)
