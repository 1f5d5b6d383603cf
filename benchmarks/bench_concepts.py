"""nDCG@10 and recall@10 of the current engine on issue 10's development set, per kind.

    .venv/bin/python benchmarks/bench_concepts.py --index-dir var/index     # a whole-corpus index
    .venv/bin/python benchmarks/bench_concepts.py --index-dir var/index -v  # and each query

The set (tests/data/concept_queries.tsv) holds cross-language, concept and paraphrase queries
with the provisions that answer them, found by reading the texts; see tests/concept_queries.py
for how a ranking is scored.
"""

from __future__ import annotations

import argparse
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.search import SearchEngine  # noqa: E402
from indexer.settings import default_index_dir  # noqa: E402
from tests.concept_queries import KINDS, load_cases, ndcg, recall  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, default=default_index_dir())
    parser.add_argument("-v", "--verbose", action="store_true", help="print each query's figures")
    args = parser.parse_args()
    engine = SearchEngine(args.index_dir)
    cases = load_cases()
    scores: dict[str, list[tuple[float, float]]] = {kind: [] for kind in KINDS}
    for case in cases:
        results = engine.search(case.query, limit=10)["results"]
        n, r = ndcg(case, results), recall(case, results)
        scores[case.kind].append((n, r))
        if args.verbose:
            print(f"  {n:.2f} {r:.2f}  {case.kind:<14} {case.query}")
    print(f"{len(cases)} queries on {args.index_dir}")
    print(f"{'kind':<16}{'queries':>8}{'nDCG@10':>10}{'recall@10':>11}")
    everything = [s for kind in KINDS for s in scores[kind]]
    for kind, rows in (*scores.items(), ("all", everything)):
        if rows:
            print(f"{kind:<16}{len(rows):>8}{statistics.mean(n for n, _ in rows):>10.3f}"
                  f"{statistics.mean(r for _, r in rows):>11.3f}")
    engine.close()


if __name__ == "__main__":
    main()
