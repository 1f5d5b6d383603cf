"""How much inbound citations should lift ranking: the lawyer set's MRR@10 and pass count and
the concept set's nDCG@10 / recall@10, for several `citation_weight`s (0 = no lift).

    .venv/bin/python benchmarks/citation_lift.py --index-dir var/index            # 0, 0.05, 0.1, 0.2
    .venv/bin/python benchmarks/citation_lift.py --index-dir var/index --weights 0 0.1 -v

A lawyer query counts as found at the first result whose document answers it and shows an
answering provision (tests/test_relevance.py asks for it within the query's top-N; MRR looks at
the rank itself). The index folder should be writable, so the citation graph is built once and
read from its cache by every weight's engine.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.search import SearchEngine  # noqa: E402
from indexer.search.ranking import DEFAULT_PROFILE  # noqa: E402
from indexer.settings import default_index_dir  # noqa: E402
from tests import concept_queries  # noqa: E402
from tests.test_relevance import CASES as LAWYER_CASES  # noqa: E402


def lawyer_rank(case, results: list[dict]) -> int | None:
    expected = dict(case.answers)
    for rank, r in enumerate(results, 1):
        if r["doc_id"] in expected and expected[r["doc_id"]] in [p["label"] for p in r["passages"]]:
            return rank
    return None


def measure(engine: SearchEngine, verbose: bool) -> dict:
    ranks = []
    for case in LAWYER_CASES:
        rank = lawyer_rank(case, engine.search(case.query, limit=10)["results"])
        ranks.append(rank)
        if verbose:
            print(f"    {rank or '-':>3} (top {case.top})  {case.query}")
    concept = []
    for case in concept_queries.load_cases():
        results = engine.search(case.query, limit=10)["results"]
        concept.append((concept_queries.ndcg(case, results), concept_queries.recall(case, results)))
    return {
        "mrr": statistics.mean(1 / r if r else 0 for r in ranks),
        "passed": sum(1 for r, c in zip(ranks, LAWYER_CASES, strict=True) if r and r <= c.top),
        "lawyer": len(LAWYER_CASES),
        "ndcg": statistics.mean(n for n, _ in concept),
        "recall": statistics.mean(r for _, r in concept),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, default=default_index_dir())
    parser.add_argument("--weights", type=float, nargs="+", default=[0.0, 0.05, 0.1, 0.2])
    parser.add_argument("-v", "--verbose", action="store_true", help="each lawyer query's rank")
    args = parser.parse_args()
    print(f"{'weight':>7}{'lawyer MRR@10':>15}{'in top-N':>10}{'concept nDCG@10':>17}{'recall@10':>11}")
    for weight in args.weights:
        engine = SearchEngine(args.index_dir, profile=dataclasses.replace(DEFAULT_PROFILE, citation_weight=weight))
        m = measure(engine, args.verbose)
        engine.close()
        print(f"{weight:>7.2f}{m['mrr']:>15.3f}{m['passed']:>6}/{m['lawyer']:<3}{m['ndcg']:>17.3f}{m['recall']:>11.3f}")


if __name__ == "__main__":
    main()
