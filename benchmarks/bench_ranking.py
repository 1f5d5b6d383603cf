"""Ranking variants side by side: the lawyer set (MRR@10, answers within each query's top-N) and
issue 10's concept set (nDCG@10 and recall@10 per kind), one line per RankingProfile variant.

    .venv/bin/python benchmarks/bench_ranking.py --index-dir var/index                  # the default
    .venv/bin/python benchmarks/bench_ranking.py --index-dir var/index \\
        --variant citation_weight=0 --variant citation_weight=0.6 --variant crosslang_top_k=0 -v

A variant sets fields of indexer.search.ranking.DEFAULT_PROFILE (`name=value,name=value`); an
empty one is the default. A lawyer query counts as found at the first result whose document
answers it and shows an answering provision (tests/test_relevance.py asks for it within the
query's top-N; MRR looks at the rank itself). With vectors in the index (`migrantlex embed`)
the cross-language layer takes part unless a variant sets crosslang_top_k=0; the index folder
should be writable, so the derived caches are built once and read by every variant's engine.
"""

from __future__ import annotations

import argparse
import dataclasses
import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.search import SearchEngine  # noqa: E402
from indexer.search.ranking import DEFAULT_PROFILE, RankingProfile  # noqa: E402
from indexer.settings import default_index_dir  # noqa: E402
from tests import concept_queries  # noqa: E402
from tests.test_relevance import CASES as LAWYER_CASES  # noqa: E402


def profile_of(variant: str) -> RankingProfile:
    """`name=value,...` over the default profile, each value of its field's type."""
    fields = {f.name: f for f in dataclasses.fields(RankingProfile)}
    changes = {}
    for item in filter(None, variant.split(",")):
        name, _, value = item.partition("=")
        if name not in fields:
            raise SystemExit(f"unknown RankingProfile field {name!r}; known: {', '.join(fields)}")
        kind = type(getattr(DEFAULT_PROFILE, name))
        changes[name] = value.lower() in ("1", "true", "yes") if kind is bool else kind(value)
    return dataclasses.replace(DEFAULT_PROFILE, **changes)


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
    per_kind: dict[str, list[tuple[float, float]]] = {kind: [] for kind in concept_queries.KINDS}
    for case in concept_queries.load_cases():
        results = engine.search(case.query, limit=10)["results"]
        n, r = concept_queries.ndcg(case, results), concept_queries.recall(case, results)
        per_kind[case.kind].append((n, r))
        if verbose:
            print(f"    {n:.2f} {r:.2f}  {case.kind:<14} {case.query}")
    everything = [s for rows in per_kind.values() for s in rows]
    return {
        "mrr": statistics.mean(1 / r if r else 0 for r in ranks),
        "passed": sum(1 for r, c in zip(ranks, LAWYER_CASES, strict=True) if r and r <= c.top),
        "ndcg": {kind: statistics.mean(n for n, _ in rows) for kind, rows in (*per_kind.items(), ("all", everything)) if rows},
        "recall": statistics.mean(r for _, r in everything),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, default=default_index_dir())
    parser.add_argument("--variant", action="append", default=None, help="name=value,... (repeatable)")
    parser.add_argument("-v", "--verbose", action="store_true", help="each query's figures")
    args = parser.parse_args()
    variants = args.variant or [""]
    profiles = [profile_of(v) for v in variants]
    kinds = [*concept_queries.KINDS, "all"]
    print(f"{'variant':<40}{'lawyer MRR':>11}{'top-N':>8}" + "".join(f"{k[:10]:>11}" for k in kinds) + f"{'recall':>8}")
    for variant, profile in zip(variants, profiles, strict=True):
        engine = SearchEngine(args.index_dir, profile=profile)
        m = measure(engine, args.verbose)
        engine.close()
        print(f"{variant or 'default':<40}{m['mrr']:>11.3f}{m['passed']:>4}/{len(LAWYER_CASES):<3}"
              + "".join(f"{m['ndcg'].get(k, float('nan')):>11.3f}" for k in kinds) + f"{m['recall']:>8.3f}")
    print("(nDCG@10 per kind of issue 10's development set, then its recall@10 over all kinds)")


if __name__ == "__main__":
    main()
