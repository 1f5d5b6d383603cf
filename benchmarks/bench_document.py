"""Size and latency of a big code's document page, its article address and their JSON twins.

    .venv/bin/python benchmarks/bench_document.py --index-dir var/index \
        [--doc ru-ugolovnyi-kodeks-rf] [--article 322.1] [--runs 10]

Each URL is asked `runs` times through Flask's test client (the app's own cost, no network);
prints the body size and the median and worst time. An address the app does not have (before
articles had addresses) prints its status instead.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.settings import default_index_dir  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index-dir", default=str(default_index_dir()))
    ap.add_argument("--doc", default="ru-ugolovnyi-kodeks-rf")
    ap.add_argument("--article", default="322.1")
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()

    from search_web import create_app

    app = create_app(args.index_dir)
    app.extensions["migrantlex.response_cache"].budget_bytes = 0  # every request is answered anew
    client = app.test_client()
    urls = [
        f"/documents/{args.doc}",
        f"/documents/{args.doc}/art-{args.article}",
        f"/documents/{args.doc}/art-{args.article}?q=иностранный",
        f"/api/documents/{args.doc}",
        f"/api/documents/{args.doc}/art-{args.article}",
    ]
    client.get("/api/search?q=закон")  # warm the searcher, not the document
    print(f"{'URL':<64} {'KB':>8} {'first ms':>9} {'median ms':>10} {'max ms':>8} {'CPU ms (median)':>16}")
    for url in urls:
        times, cpu, size, status = [], [], 0, 200
        for _ in range(args.runs):
            start, start_cpu = time.perf_counter(), time.thread_time()
            response = client.get(url)
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.thread_time() - start_cpu) * 1000)
            size, status = len(response.data), response.status_code
        if status != 200:
            print(f"{url:<64} status {status}")
            continue
        print(f"{url:<64} {size / 1024:>8.1f} {times[0]:>9.1f} {statistics.median(times):>10.1f} {max(times):>8.1f} {statistics.median(cpu):>16.1f}")


if __name__ == "__main__":
    main()
