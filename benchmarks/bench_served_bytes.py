"""Bytes per served list in the store: the rendered explanations (before) against the compact log (after).

Serves the best 10 candidates for every vacancy of a demo pool and logs each list twice, into two
SQLite stores: once with the explanations as shown (what the service stored before), once as the
service stores it now (ids, ranks, scores, model version, a reference to the explanations' inputs).
Bytes are the growth of the database file (page count × page size) divided by the lists logged.

    python benchmarks/bench_served_bytes.py [--candidates 2000] [--vacancies 200]
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

from sqlalchemy import text

from matcher.app.suggestions import compact_explanations
from matcher.batch import suggestion_list
from matcher.demo import REFERENCE_DATE, generate_pool
from matcher.normalise import normalise_candidates, normalise_vacancies
from matcher.ranking import Ranker
from matcher.store import Role, Store
from matcher.store.profiles import digest_of, profile_json
from matcher.taxonomy import load_taxonomy


def _bytes(store: Store) -> int:
    with store.engine.connect() as conn:
        return int(conn.scalar(text("PRAGMA page_count"))) * int(conn.scalar(text("PRAGMA page_size")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=2000)
    parser.add_argument("--vacancies", type=int, default=200)
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args()
    taxonomy = load_taxonomy()
    pool = generate_pool(args.candidates, args.vacancies, seed=3, taxonomy=taxonomy)
    candidates = normalise_candidates(pool.candidates, taxonomy).records
    vacancies = normalise_vacancies(pool.vacancies, taxonomy).records
    ranker = Ranker.from_profiles(taxonomy, candidates, vacancies, today=REFERENCE_DATE)
    digests = (
        {c.id: digest_of(profile_json(c)) for c in candidates},
        {v.id: digest_of(profile_json(v)) for v in vacancies},
    )
    with tempfile.TemporaryDirectory() as folder:
        stores = {name: Store.from_url(f"sqlite:///{Path(folder) / name}.sqlite3") for name in ("before", "after")}
        for store in stores.values():
            store.migrate()
            store.upsert_employer("emp-bench")
        key = stores["after"].authenticate(stores["after"].create_api_key(Role.broker))
        start = {name: _bytes(store) for name, store in stores.items()}
        version = ranker.scorer.version
        lists = ranker.top_candidates(ranker.vacancies.ids_active(), k=args.k)
        for ranked in lists:
            explained = ranker.explain_list(ranked, "nl")
            stores["before"].log_served([suggestion_list(ranked, explained)], version, "serve_candidates", key)
            compact = compact_explanations(ranked, explained, version, "nl", digests)
            stores["after"].log_served([suggestion_list(ranked, compact)], version, "serve_candidates", key)
        n = len(lists)
        per_list = {name: (_bytes(store) - start[name]) / n for name, store in stores.items()}
        for store in stores.values():
            store.dispose()
    print(f"{n} served lists of up to {args.k} suggestions (SQLite, with the audit entry of each list)")
    for name, size in per_list.items():
        print(f"  {name:>6}: {size:,.0f} bytes per served list; 1 million lists: {size * 1e6 / 1e9:,.1f} GB")
    print(f"  ratio before/after: {per_list['before'] / per_list['after']:.1f}x")


if __name__ == "__main__":
    main()
