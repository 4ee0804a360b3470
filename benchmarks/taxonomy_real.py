"""Measure free-text → ESCO linking on real text nobody on the team wrote, beside a plain baseline.

Evaluates the four development sets in ``<repo>/../shared/eval-dev`` (override with the
``MATCHER_EVAL_DEV`` environment variable): Dutch job titles → occupations (MELO, melo_nld),
Flemish VDAB Competent competences → skills (graded), and English job-ad spans → skills (TECH
and HOUSE validation). The reference of ``eval-dev/README.md`` runs in the same process: a
character 2–4-gram TF-IDF (``char_wb``, sublinear tf) over the ESCO labels of the target language
(Dutch, English where a concept has no Dutch label), cosine, top 10 distinct concepts. Both
print MRR@10, acc@1, acc@10 (and nDCG@10 for the graded set) and queries per second.

    .venv/bin/python benchmarks/taxonomy_real.py [--sets melo,competent,tech,house]

The sets are read from disk only here; they are never copied into the project. Held-out halves
of comparable sets exist elsewhere: a gain here that does not come from a better method will
not carry over.
"""

from __future__ import annotations

import argparse
import csv
import math
import os
import sys
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer

from matcher.taxonomy import Taxonomy, load_taxonomy

REPO = Path(__file__).resolve().parents[1]
ENV_VAR = "MATCHER_EVAL_DEV"
K = 10

#: A ranker takes queries and returns, per query, up to K distinct concept URIs, best first.
Ranker = Callable[[Sequence[str]], list[list[str]]]


def eval_dev_dir() -> Path:
    """Where the development sets live: ``$MATCHER_EVAL_DEV``, else ``<repo>/../shared/eval-dev``
    (one level further up for a git worktree kept in a folder beside the main checkout)."""
    if os.environ.get(ENV_VAR):
        return Path(os.environ[ENV_VAR])
    candidates = [REPO.parent / "shared" / "eval-dev", REPO.parent.parent / "shared" / "eval-dev"]
    return next((c for c in candidates if c.is_dir()), candidates[0])


@dataclass(frozen=True)
class DevSet:
    """Queries with graded relevant concepts: grade ≥ ``hit_grade`` counts as a hit for MRR/acc."""

    name: str
    kind: str  # "occupation" or "skill"
    lang: str  # language of the queries and of the baseline's labels
    queries: list[str]
    relevant: list[dict[str, int]]
    hit_grade: int = 1
    graded: bool = False


# -- reading the sets ------------------------------------------------------------------------------
def read_melo(folder: Path) -> DevSet:
    """MELO nld: query → corpus elements → ESCO URIs; every linked occupation is relevant."""
    queries = dict(_tsv(folder / "queries.tsv"))
    mapping = dict(_tsv(folder / "concept_mapping.tsv"))
    relevant: dict[str, dict[str, int]] = defaultdict(dict)
    for query_id, _, element, grade in _tsv(folder / "annotations.tsv"):
        if int(grade) > 0 and element in mapping:
            relevant[query_id][mapping[element]] = 1
    ids = [q for q in queries if relevant.get(q)]
    return DevSet("melo_nld", "occupation", "nl", [queries[q] for q in ids], [relevant[q] for q in ids])


def read_competent(path: Path) -> DevSet:
    """VDAB Competent → ESCO: grades 3 exact, 2 close, 1 broad/narrow; MRR counts grade ≥ 2."""
    queries, relevant = [], []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle, delimiter="\t"):
            grades = {}
            for pair in row["relevant"].split(";"):
                uri, _, grade = pair.strip().rpartition(" ")
                if uri:
                    grades[uri] = int(grade)
            if any(g >= 2 for g in grades.values()):
                queries.append(row["query"])
                relevant.append(grades)
    return DevSet("competent_skills_dev", "skill", "nl", queries, relevant, hit_grade=2, graded=True)


def read_skill_spans(path: Path, tax: Taxonomy) -> DevSet:
    """Job-ad spans: query is sub_span or span, gold the skill whose English preferred label is ``label``."""
    by_label = {skill.label_en.casefold(): skill.uri for skill in tax.skills.values()}
    queries, relevant = [], []
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            uri = by_label.get(row["label"].strip().casefold())
            if uri is None:  # LABEL NOT PRESENT, UNDERSPECIFIED, or a label v1.1.1 renamed
                continue
            queries.append((row["sub_span"] or row["span"]).strip())
            relevant.append({uri: 1})
    return DevSet(path.name.split("_")[0] + "_validation", "skill", "en", queries, relevant)


def read_sets(folder: Path, tax: Taxonomy, names: Sequence[str]) -> list[DevSet]:
    readers: dict[str, Callable[[], DevSet]] = {
        "melo": lambda: read_melo(folder / "melo_nld"),
        "competent": lambda: read_competent(folder / "competent_skills_dev.tsv"),
        "tech": lambda: read_skill_spans(folder / "skill_spans" / "tech_validation_annotations.csv", tax),
        "house": lambda: read_skill_spans(folder / "skill_spans" / "house_validation_annotations.csv", tax),
    }
    return [readers[name]() for name in names]


def _tsv(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [row for row in csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE) if row]


# -- metrics ----------------------------------------------------------------------------------------
def metrics(dev: DevSet, ranked: list[list[str]]) -> dict[str, float]:
    """MRR@10, acc@1, acc@10 over distinct concepts (and nDCG@10 with the grades when graded)."""
    rr, at1, at10, ndcg = [], [], [], []
    for grades, uris in zip(dev.relevant, ranked, strict=True):
        uris = list(dict.fromkeys(uris))[:K]
        hits = [rank for rank, uri in enumerate(uris) if grades.get(uri, 0) >= dev.hit_grade]
        rr.append(1.0 / (hits[0] + 1) if hits else 0.0)
        at1.append(float(bool(hits) and hits[0] == 0))
        at10.append(float(bool(hits)))
        if dev.graded:
            gain = sum((2 ** grades.get(uri, 0) - 1) / math.log2(r + 2) for r, uri in enumerate(uris))
            ideal = sorted(grades.values(), reverse=True)[:K]
            best = sum((2**g - 1) / math.log2(r + 2) for r, g in enumerate(ideal))
            ndcg.append(gain / best if best else 0.0)
    out = {"MRR@10": float(np.mean(rr)), "acc@1": float(np.mean(at1)), "acc@10": float(np.mean(at10))}
    if dev.graded:
        out["nDCG@10"] = float(np.mean(ndcg))
    return out


# -- the reference baseline -------------------------------------------------------------------------
def baseline_labels(tax: Taxonomy, kind: str, lang: str) -> list[tuple[str, str]]:
    """(URI, label) of every label in ``lang``; English labels where a concept has none in ``lang``."""
    pairs: list[tuple[str, str]] = []
    if kind == "occupation":
        for occ in tax.occupations.values():
            nl = [t for t in (occ.label_nl, *occ.alt_labels_nl, *occ.hidden_labels_nl) if t]
            en = [occ.label_en, *occ.alt_labels_en, *occ.hidden_labels_en]
            pairs += [(occ.uri, t) for t in (nl if lang == "nl" and nl else en)]
    else:
        for skill in tax.skills.values():
            en = [skill.label_en, *skill.alt_labels_en]
            pairs += [(skill.uri, t) for t in ([skill.label_nl] if lang == "nl" and skill.label_nl else en)]
    return pairs


class TfidfBaseline:
    """The eval-dev reference: char_wb 2–4-gram TF-IDF, sublinear tf, cosine, top 10 distinct concepts."""

    def __init__(self, labels: list[tuple[str, str]]) -> None:
        self.uris = np.array([uri for uri, _ in labels])
        self.vectorizer = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), sublinear_tf=True, lowercase=True)
        self.matrix = self.vectorizer.fit_transform([text for _, text in labels]).T.tocsr()

    def __call__(self, queries: Sequence[str]) -> list[list[str]]:
        out = []
        for start in range(0, len(queries), 256):
            scores = (self.vectorizer.transform(queries[start : start + 256]) @ self.matrix).toarray()
            for row in scores:
                top = np.argsort(-row, kind="stable")[: 20 * K]
                out.append(list(dict.fromkeys(self.uris[top].tolist()))[:K])
        return out


def matcher_ranker(tax: Taxonomy, kind: str, lang: str) -> Ranker:
    """The project's search as a ranker of URIs."""
    search = tax.search_occupations_batch if kind == "occupation" else tax.search_skills_batch
    return lambda queries: [[hit.uri for hit in hits] for hits in search(list(queries), k=K)]


def timed(ranker: Ranker, queries: Sequence[str]) -> tuple[list[list[str]], float]:
    start = time.perf_counter()
    ranked = ranker(queries)
    return ranked, len(queries) / max(time.perf_counter() - start, 1e-9)


def run(
    names: Sequence[str], rankers: dict[str, Callable[[Taxonomy, str, str], Ranker]], extraction: bool = True
) -> int:
    if extraction:
        extraction_report()
    folder = eval_dev_dir()
    if not folder.is_dir():
        print(f"skipped: no development sets at {folder} (set {ENV_VAR} to their folder)")
        return 0
    tax = load_taxonomy()
    start = time.perf_counter()
    tax.search_occupations("x")
    tax.search_skills("x")
    build = time.perf_counter() - start
    start = time.perf_counter()
    for kind in ("occupation", "skill"):
        TfidfBaseline(baseline_labels(tax, kind, "nl"))
    base_build = time.perf_counter() - start
    print(
        f"index build (occupations + skills): matcher {build:.2f} s over every label in nl/en/fr, baseline "
        f"{base_build:.2f} s over the Dutch labels; ratio {build / base_build:.1f}"
    )
    data = REPO / "src" / "matcher" / "data"
    size = sum(path.stat().st_size for path in data.iterdir() if path.is_file())
    print(f"packaged data and models (src/matcher/data): {size / 1e6:.1f} MB (target ≤ 30 MB)")
    sets = read_sets(folder, tax, names)
    for dev in sets:
        print(f"\n{dev.name}: {len(dev.queries)} queries ({dev.kind}, {dev.lang})")
        columns = {}
        for name, make in {"baseline": _baseline, **rankers}.items():
            ranker = make(tax, dev.kind, dev.lang)
            ranked, qps = timed(ranker, dev.queries)
            columns[name] = {**metrics(dev, ranked), "queries/s": qps}
        metric_names = list(next(iter(columns.values())))
        print(f"  {'':10}" + "".join(f"{m:>11}" for m in metric_names))
        for name, values in columns.items():
            cells = "".join(f"{values[m]:>11.0f}" if m == "queries/s" else f"{values[m]:>11.3f}" for m in metric_names)
            print(f"  {name:10}{cells}")
        base = columns["baseline"]["MRR@10"]
        for name in rankers:
            print(f"  {name} MRR / baseline MRR = {columns[name]['MRR@10'] / base:.2f} (target ≥ 1.15)")
    if extraction:
        print("\nskills extracted from whole sentences (gold: every labelled skill of the sentence):")
        extraction_recall(folder, tax)
    return 0


def extraction_recall(folder: Path, tax: Taxonomy, k: int = 5) -> None:
    """Recall@k of the gold skill among the skills extracted from whole English job-ad sentences."""
    from matcher.text import extract_batch

    for name in ("tech", "house"):
        path = folder / "skill_spans" / f"{name}_validation_annotations.csv"
        by_label = {skill.label_en.casefold(): skill.uri for skill in tax.skills.values()}
        gold: dict[str, set[str]] = defaultdict(set)
        with path.open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                uri = by_label.get(row["label"].strip().casefold())
                if uri is not None:
                    gold[row["sentence"]].add(uri)
        sentences = list(gold)
        start = time.perf_counter()
        found = extract_batch(sentences, tax)
        seconds = time.perf_counter() - start
        hits = total = 0
        for sentence, extraction in zip(sentences, found, strict=True):
            ranked: list[str] = []
            for span in sorted((s for s in extraction.spans if s.kind == "skill"), key=lambda s: -s.score):
                for uri in (span.value, *span.alternatives):
                    if uri not in ranked:
                        ranked.append(uri)
            top = set(ranked[:k])
            hits += len(gold[sentence] & top)
            total += len(gold[sentence])
        print(
            f"  {name}_validation: {len(sentences)} sentences, recall@{k} of the gold skill among extracted "
            f"skills {hits / total:.3f} ({hits}/{total}); {len(sentences) / seconds:.0f} sentences/s"
        )


def extraction_report() -> None:
    from matcher.text.evaluate import evaluate_rules, format_report, read_eval

    path = REPO / "tests" / "data" / "extraction_eval.jsonl"
    print(f"\nextraction rules on {path.relative_to(REPO)}:")
    print(format_report(evaluate_rules(read_eval(path))))


def _baseline(tax: Taxonomy, kind: str, lang: str) -> Ranker:
    return TfidfBaseline(baseline_labels(tax, kind, lang))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", default="melo,competent,tech,house", help="comma-separated subset")
    parser.add_argument("--no-extraction", action="store_true", help="linking only")
    parser.add_argument(
        "--one-core", action="store_true", help="pin the process to one CPU (the 1,000 queries/s target is per core)"
    )
    args = parser.parse_args()
    if args.one_core and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        print(f"pinned to CPU {min(os.sched_getaffinity(0))}")
    return run(args.sets.split(","), {"matcher": matcher_ranker}, extraction=not args.no_extraction)


if __name__ == "__main__":
    sys.exit(main())
