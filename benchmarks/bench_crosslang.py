"""What the cross-language layer costs and gives, on one index that has vectors (`migrantlex embed`).

    .venv/bin/python benchmarks/bench_crosslang.py --index-dir var/index [--sample 48]

Prints:
- the model: load time and resident memory it adds; the vectors: how many, MB on disk and in memory;
- embedding: articles per second for a sample of the index's units (title + heading + first
  words, as `migrantlex embed` builds them), wall and per CPU second, one process of one thread,
  and what that makes for the whole index on this machine's cores;
- a query: the embedding of the query (uncached), the cosine top-k over the other languages'
  vectors, and the whole search with the layer against the same engine with it switched off
  (RankingProfile.crosslang_top_k=0), median and p95 over issue 10's development set;
- nDCG@10 and recall@10 per kind with and without the layer (tests/data/concept_queries.tsv).
The machine may be shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import dataclasses
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from indexer.dense import model, store  # noqa: E402
from indexer.dense.build import units_of  # noqa: E402
from indexer.search import SearchEngine  # noqa: E402
from indexer.search.ranking import DEFAULT_PROFILE  # noqa: E402
from indexer.settings import default_index_dir  # noqa: E402
from tests.concept_queries import KINDS, load_cases, ndcg, recall  # noqa: E402


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def timed(fn) -> tuple[float, float]:
    """(wall ms, CPU ms) of one call."""
    wall, cpu = time.perf_counter(), time.process_time()
    fn()
    return (time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000


def report(name: str, times: list[tuple[float, float]]) -> None:
    wall, cpu = [t[0] for t in times], [t[1] for t in times]
    print(f"{name}: median {statistics.median(wall):.1f} ms wall ({statistics.median(cpu):.1f} ms CPU), "
          f"p95 {p95(wall):.1f} ms wall ({p95(cpu):.1f} ms CPU) over {len(times)} queries")


def quality(engine: SearchEngine, cases) -> dict[str, tuple[float, float, int]]:
    """Per kind (and over all queries): mean nDCG@10, mean recall@10, queries."""
    scored = [(c.kind, ndcg(c, r), recall(c, r)) for c in cases for r in [engine.search(c.query, limit=10)["results"]]]
    out = {}
    for kind in (*KINDS, "all"):
        mine = [s for s in scored if kind in ("all", s[0])]
        if mine:
            out[kind] = (statistics.mean(s[1] for s in mine), statistics.mean(s[2] for s in mine), len(mine))
    return out


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--index-dir", type=Path, default=default_index_dir())
    ap.add_argument("--sample", type=int, default=48, help="units embedded to time embedding")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} {os.getloadavg()[2]:.2f}, {os.cpu_count()} cores")

    before = rss_mb()
    wall, _cpu = timed(lambda: model.load(threads=1))
    print(f"model: loaded in {wall:.0f} ms, +{rss_mb() - before:.0f} MB resident")

    units = store.load_units(args.index_dir)
    if units is None:
        sys.exit(f"no vectors in {args.index_dir}: run `migrantlex embed --index-dir {args.index_dir}`")
    size = (store.folder(args.index_dir) / store.UNITS_FILE).stat().st_size / 2**20
    print(f"vectors: {len(units.docnums)} of {units.total} articles ({'complete' if units.complete else 'partial'}), "
          f"{size:.1f} MB on disk, {units.vectors.size * 4 / 2**20:.1f} MB as float32 in each process")

    _generation, every_unit = units_of(args.index_dir)
    step = max(1, len(every_unit) // args.sample)
    sample = [u.text for u in every_unit[::step]][: args.sample]
    wall, cpu = timed(lambda: model.embed_passages(sample))
    rate_wall, rate_cpu = len(sample) / (wall / 1000), len(sample) / (cpu / 1000)
    whole = len(every_unit) / (rate_cpu * (os.cpu_count() or 1)) / 60
    print(f"embedding {len(sample)} articles (one thread): {rate_wall:.1f}/s wall, {rate_cpu:.1f}/s per CPU second; "
          f"the index's {len(every_unit)} articles: ~{whole:.0f} min on {os.cpu_count()} idle cores")

    cases = load_cases()
    queries = [c.query for c in cases]
    embed = [timed(lambda q=q: model.embed_query.__wrapped__(q)) for q in queries]
    print(f"query embedding (uncached): median {statistics.median(e[0] for e in embed):.1f} ms wall, "
          f"{statistics.median(e[1] for e in embed):.1f} ms CPU; p95 {p95([e[0] for e in embed]):.1f} ms wall")

    layered = SearchEngine(args.index_dir)
    plain = SearchEngine(args.index_dir, dataclasses.replace(DEFAULT_PROFILE, crosslang_top_k=0))
    for engine in (layered, plain):
        engine.warm()
        for q in queries:  # every query once: caches and postings in, as on a serving worker
            engine.search(q)
    for name, engine in (("with the layer", layered), ("words only", plain)):
        times = [timed(lambda q=q, e=engine: e.search(q)) for q in queries]
        report(f"search {name}", times)
    model.embed_query.cache_clear()
    report("search with the layer, query embedding not cached", [timed(lambda q=q: layered.search(q)) for q in queries])

    print(f"\n{'kind':<16}{'queries':>8}{'nDCG@10':>10}{'recall@10':>11}{'words only nDCG':>17}{'recall':>8}")
    with_layer, without = quality(layered, cases), quality(plain, cases)
    for kind, (n, r, count) in with_layer.items():
        n0, r0, _ = without[kind]
        print(f"{kind:<16}{count:>8}{n:>10.3f}{r:>11.3f}{n0:>17.3f}{r0:>8.3f}")
    print(f"\nresident memory of this process at the end: {rss_mb():.0f} MB")


if __name__ == "__main__":
    main()
