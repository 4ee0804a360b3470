"""Measure free-text → ESCO search: accuracy on the Flemish evaluation set, and build/query timings.

Prints accuracy@1, accuracy@5 and MRR@10 per kind (occupation, skill) and language (nl, en) for
the shipped search, compares it with the alternatives it was chosen over (pure rapidfuzz, pure
TF-IDF, other blends), and times index builds and a batch of 1,000 queries.

    .venv/bin/python benchmarks/taxonomy_accuracy.py [--quick]

A hit counts as correct when its URI is the expected concept or one of the listed alternatives
(``tests/data/taxonomy_eval.csv``). Some evaluation queries are also rows of the synonyms table,
so the shipped search is reported with and without synonyms to show what ESCO's labels do alone.
"""

from __future__ import annotations

import argparse
import csv
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from sklearn.feature_extraction.text import HashingVectorizer, TfidfVectorizer

from matcher.demo.catalogue import with_typo
from matcher.taxonomy import Taxonomy, load_taxonomy
from matcher.taxonomy.ngrams import CharNgramTfidf
from matcher.taxonomy.search import Hit, LabelIndex, build_occupation_index, build_skill_index

EVAL_PATH = Path(__file__).resolve().parents[1] / "tests" / "data" / "taxonomy_eval.csv"
KINDS = ("occupation", "skill")
BATCH_SIZE = 1000


@dataclass(frozen=True)
class EvalCase:
    """One evaluation query and the ESCO URIs a job broker would accept for it."""

    kind: str
    lang: str
    query: str
    accepted: frozenset[str]


@dataclass(frozen=True)
class Metrics:
    n: int
    accuracy_at_1: float
    accuracy_at_5: float
    mrr_at_10: float


def read_eval_cases(path: Path = EVAL_PATH) -> list[EvalCase]:
    """The evaluation set; comment lines start with '#'."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.DictReader(line for line in handle if not line.startswith("#"))
        return [
            EvalCase(
                row["kind"],
                row["lang"],
                row["query"],
                frozenset([row["expected_uri"], *filter(None, row["alternative_uris"].split("|"))]),
            )
            for row in rows
        ]


def rank_of_first_correct(hits: Sequence[Hit], accepted: frozenset[str]) -> int | None:
    """1-based rank of the first accepted concept among ``hits``, None when absent."""
    return next((rank for rank, hit in enumerate(hits, 1) if hit.uri in accepted), None)


def metrics(ranks: Sequence[int | None]) -> Metrics:
    """accuracy@1, accuracy@5 and MRR@10 of the ranks of the first correct hit."""
    n = len(ranks)
    if n == 0:
        return Metrics(0, 0.0, 0.0, 0.0)
    return Metrics(
        n=n,
        accuracy_at_1=sum(r == 1 for r in ranks) / n,
        accuracy_at_5=sum(r is not None and r <= 5 for r in ranks) / n,
        mrr_at_10=sum(1.0 / r for r in ranks if r is not None and r <= 10) / n,
    )


def evaluate(indexes: dict[str, LabelIndex], cases: Sequence[EvalCase]) -> dict[tuple[str, str], Metrics]:
    """Metrics per (kind, lang), per (kind, "all") and ("all", "all")."""
    ranks: dict[tuple[str, str], list[int | None]] = {}
    for kind, index in indexes.items():
        kind_cases = [case for case in cases if case.kind == kind]
        results = index.search_batch([case.query for case in kind_cases], 10)
        for case, hits in zip(kind_cases, results, strict=False):
            rank = rank_of_first_correct(hits, case.accepted)
            for key in ((kind, case.lang), (kind, "all"), ("all", "all")):
                ranks.setdefault(key, []).append(rank)
    return {key: metrics(value) for key, value in sorted(ranks.items())}


def failures(indexes: dict[str, LabelIndex], cases: Sequence[EvalCase]) -> list[str]:
    """One line per query whose first hit is not accepted, to read what goes wrong."""
    lines = []
    for kind, index in indexes.items():
        kind_cases = [case for case in cases if case.kind == kind]
        for case, hits in zip(kind_cases, index.search_batch([c.query for c in kind_cases], 10), strict=False):
            rank = rank_of_first_correct(hits, case.accepted)
            if rank != 1:
                top = f"{hits[0].label!r} via {hits[0].matched!r}" if hits else "nothing"
                lines.append(f"  {kind:10} {case.query!r:34} rank {rank}  top: {top}")
    return lines


def seconds(action: Callable[[], object], repeat: int = 3) -> float:
    """Median wall-clock seconds of ``action`` over ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        action()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def build(taxonomy: Taxonomy, **options: object) -> dict[str, LabelIndex]:
    return {
        "occupation": build_occupation_index(taxonomy.occupations.values(), **options),
        "skill": build_skill_index(taxonomy.skills.values(), **options),
    }


def print_metrics(title: str, table: dict[tuple[str, str], Metrics]) -> None:
    print(f"\n{title}")
    print(f"  {'kind':10} {'lang':4} {'n':>4} {'acc@1':>6} {'acc@5':>6} {'MRR@10':>7}")
    for (kind, lang), m in table.items():
        print(f"  {kind:10} {lang:4} {m.n:4d} {m.accuracy_at_1:6.3f} {m.accuracy_at_5:6.3f} {m.mrr_at_10:7.3f}")


#: The alternatives measured against the shipped default (LabelIndex() with no options). All run
#: without the synonyms table, which answers many evaluation queries outright and would hide the
#: differences between methods.
METHODS: dict[str, dict[str, object]] = {
    "shipped: blend compact_ratio w=0.5 (2,4)": {},
    "blend without the rapidfuzz rescue": {"rescue_below": 0.0},
    "pure TF-IDF char (2,4)": {"method": "tfidf"},
    "pure TF-IDF char (3,5)": {"method": "tfidf", "ngram_range": (3, 5)},
    "pure rapidfuzz compact_ratio": {"method": "fuzz", "scorer": "compact_ratio"},
    "pure rapidfuzz WRatio": {"method": "fuzz", "scorer": "WRatio"},
    "pure rapidfuzz token_set_ratio": {"method": "fuzz", "scorer": "token_set_ratio"},
    "blend ratio (spaced forms)": {"scorer": "ratio"},
    "blend WRatio": {"scorer": "WRatio"},
    "blend token_sort_ratio": {"scorer": "token_sort_ratio"},
    "blend token_set_ratio": {"scorer": "token_set_ratio"},
    "blend mean(compact_ratio, token_set_ratio)": {"scorer": "compact_token_set"},
    "blend w=0.3": {"fuzz_weight": 0.3},
    "blend w=0.7": {"fuzz_weight": 0.7},
    "blend n-grams (3,4)": {"ngram_range": (3, 4)},
    "blend n-grams (2,3)": {"ngram_range": (2, 3)},
    "blend n-grams (3,5)": {"ngram_range": (3, 5)},
    "blend 16 candidates": {"candidates": 16},
    "blend 128 candidates": {"candidates": 128},
    "blend max_df 0.05": {"max_df": 0.05},
}


def compare_methods(taxonomy: Taxonomy, cases: Sequence[EvalCase], names: Sequence[str]) -> None:
    print("\nMethods compared without synonyms (acc@1 / MRR@10; occupations, skills, all; ms per query)")
    print(f"  {'method':44} {'occ@1':>6} {'occMRR':>6} {'sk@1':>6} {'skMRR':>6} {'all@1':>6} {'ms/q':>6}")
    queries = [case.query for case in cases]
    for name in names:
        indexes = build(taxonomy, synonyms=(), **METHODS[name])
        table = evaluate(indexes, cases)
        per_query = seconds(lambda indexes=indexes: [index.search_batch(queries, 10) for index in indexes.values()], 1)
        occ, skill, everything = table[("occupation", "all")], table[("skill", "all")], table[("all", "all")]
        print(
            f"  {name:44} {occ.accuracy_at_1:6.3f} {occ.mrr_at_10:6.3f} {skill.accuracy_at_1:6.3f} "
            f"{skill.mrr_at_10:6.3f} {everything.accuracy_at_1:6.3f} {1000 * per_query / (2 * len(queries)):6.2f}"
        )


def print_typo_metrics(taxonomy: Taxonomy, shipped: dict[str, LabelIndex], cases: Sequence[EvalCase]) -> None:
    """The evaluation queries with one typo each (two letters swapped in the longest word), with
    and without the rapidfuzz rescue of weak queries: what the rescue is for. ``shipped`` are the
    indexes :func:`main` built with the shipped defaults; only the variant without rescue is built here."""
    typos = [EvalCase(c.kind, c.lang, with_typo(c.query), c.accepted) for c in cases if with_typo(c.query) != c.query]
    print(f"\nThe same queries with one typo each ({len(typos)} of {len(cases)}; with synonyms)")
    for name, indexes in (
        ("shipped (rescue below 0.7)", shipped),
        ("without rescue", build(taxonomy, rescue_below=0.0)),
    ):
        table = evaluate(indexes, typos)
        everything, skill = table[("all", "all")], table[("skill", "all")]
        print(
            f"  {name:28} acc@1 {everything.accuracy_at_1:.3f}  MRR@10 {everything.mrr_at_10:.3f}  "
            f"(skills acc@1 {skill.accuracy_at_1:.3f})"
        )


def print_timings(taxonomy: Taxonomy, cases: Sequence[EvalCase]) -> None:
    occupations, skills = list(taxonomy.occupations.values()), list(taxonomy.skills.values())
    build_occ = seconds(lambda: build_occupation_index(occupations))
    build_skill = seconds(lambda: build_skill_index(skills))
    occ_index, skill_index = build_occupation_index(occupations), build_skill_index(skills)
    titles = [c.query for c in cases if c.kind == "occupation"]
    phrases = [c.query for c in cases if c.kind == "skill"]
    titles = (titles * (BATCH_SIZE // len(titles) + 1))[:BATCH_SIZE]
    phrases = (phrases * (BATCH_SIZE // len(phrases) + 1))[:BATCH_SIZE]
    print("\nTimings (median of 3, this machine)")
    print(f"  build occupation index ({len(occ_index.labels_):,} labels): {build_occ:6.3f} s")
    print(f"  build skill index ({len(skill_index.labels_):,} labels):      {build_skill:6.3f} s")
    print(
        f"  {BATCH_SIZE} occupation queries, batch:           {seconds(lambda: occ_index.search_batch(titles)):6.3f} s"
    )
    print(
        f"  {BATCH_SIZE} skill queries, batch:"
        f"                {seconds(lambda: skill_index.search_batch(phrases)):6.3f} s"
    )
    print(
        f"  100 occupation queries, one by one:        "
        f"{seconds(lambda: [occ_index.search(t) for t in titles[:100]]):6.3f} s"
    )
    print_vectorizer_timings(skill_index.forms_)


def print_vectorizer_timings(forms: Sequence[str]) -> None:
    """Why the n-gram TF-IDF is our own: scikit-learn's analyzers run in Python per text."""
    ours = seconds(lambda: CharNgramTfidf((2, 4)).fit_transform(forms), 1)
    sklearn_tfidf = seconds(
        lambda: TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), binary=True, dtype=np.float32).fit_transform(
            forms
        ),
        1,
    )
    sklearn_hashing = seconds(
        lambda: HashingVectorizer(analyzer="char_wb", ngram_range=(2, 4), binary=True, alternate_sign=False).transform(
            forms
        ),
        1,
    )
    print(
        f"  TF-IDF of the {len(forms):,} skill labels: numpy CharNgramTfidf {ours:.3f} s, "
        f"sklearn TfidfVectorizer(char_wb) {sklearn_tfidf:.3f} s, HashingVectorizer {sklearn_hashing:.3f} s"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the slow pure-rapidfuzz baselines")
    parser.add_argument("--failures", action="store_true", help="list the queries the shipped search misses")
    args = parser.parse_args()
    taxonomy, cases = load_taxonomy(), read_eval_cases()
    print(
        f"ESCO v{taxonomy.esco_version}: {len(taxonomy.occupations):,} occupations, "
        f"{len(taxonomy.skills):,} skills; {len(cases)} evaluation queries from {EVAL_PATH.name}"
    )
    shipped = build(taxonomy)
    print_metrics("Shipped search (TF-IDF retrieval + rapidfuzz re-ranking, with synonyms)", evaluate(shipped, cases))
    print_metrics("Same search without the synonyms table", evaluate(build(taxonomy, synonyms=()), cases))
    if args.failures:
        print("\nMisses at rank 1:")
        print("\n".join(failures(shipped, cases)))
    print_typo_metrics(taxonomy, shipped, cases)
    print_timings(taxonomy, cases)
    names = [name for name in METHODS if not (args.quick and name.startswith("pure rapidfuzz"))]
    compare_methods(taxonomy, cases, names)


if __name__ == "__main__":
    main()
