"""Cost of concept search: the engine-load concept index, and queries that name concepts.

    .venv/bin/python benchmarks/bench_concept_search.py --index-dir var/index [--clock cpu]

The queries are every thesaurus concept's preferred Russian and English label (so every one
expands), searched with concepts on and off (`concepts=False`), snippets on, warm process.
`--clock cpu` counts the thread's CPU time, steadier when other jobs load the machine.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer import thesaurus  # noqa: E402
from indexer.search import SearchEngine  # noqa: E402
from indexer.settings import default_index_dir  # noqa: E402

CLOCKS = {"wall": time.perf_counter, "cpu": time.thread_time}


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index-dir", type=Path, default=default_index_dir())
    ap.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    args = ap.parse_args()
    clock = CLOCKS[args.clock]
    engine = SearchEngine(args.index_dir)
    t = clock()
    index = engine.view().concepts
    print(f"concept index (first search of a process): {clock() - t:.1f} s "
          f"({args.clock}); {sum(1 for c in index.doc_concepts.values() if c)} documents with concepts")
    queries = [label for c in thesaurus.default().concepts.values() for label in (c.pref("ru"), c.pref("en"))]
    for q in queries:  # warm the posting lists both runs read
        engine.search(q, concepts=True)
    for concepts in (False, True):
        times = []
        for q in queries:
            t = clock()
            engine.search(q, concepts=concepts, limit=10)
            times.append((clock() - t) * 1000)
        print(f"concepts={'on ' if concepts else 'off'}  n={len(times)}  p50 {pct(times, 50):6.1f} ms  "
              f"p95 {pct(times, 95):6.1f} ms  p99 {pct(times, 99):6.1f} ms  mean {statistics.fmean(times):6.1f} ms")


if __name__ == "__main__":
    main()
