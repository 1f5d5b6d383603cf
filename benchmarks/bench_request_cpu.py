"""CPU per request by kind, in one process: what a miss, a hit kept by another worker and a hit in
this worker's memory cost (bench_load's mix and paths; the machine's load does not change these).

    .venv/bin/python benchmarks/bench_request_cpu.py --index-dir var/index [--sample 20]

Two apps share one answers file as two workers of `migrantlex serve` do: the first answers
`--sample` paths of each kind (misses), the second asks them again (hits from the shared file),
then again (hits from its memory). time.process_time per request, gzip asked as browsers do.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_load import build_targets, read_queries  # noqa: E402

from search_web import ENGINE_KEY, create_app  # noqa: E402
from search_web.response_cache import CACHE_HEADER  # noqa: E402
from search_web.serve import warm  # noqa: E402


def cpu_ms(client, path: str) -> tuple[float, str]:
    started = time.process_time()
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    response.get_data()
    return (time.process_time() - started) * 1000, response.headers.get(CACHE_HEADER, "")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", default=os.environ.get("MIGRANTLEX_INDEX_DIR", "var/index"))
    parser.add_argument("--sample", type=int, default=20, help="paths per kind")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        shared = Path(scratch) / "answers.sqlite"
        first, second = (create_app(args.index_dir, shared_answers=shared) for _ in range(2))
        for app in (first, second):
            warm(app)
        probe = create_app(args.index_dir)  # its own cache: finding the paths leaves the others cold
        client = probe.test_client()
        targets = build_targets("", read_queries(), lambda _base, path: json.loads(client.get(path).data))
        probe.extensions[ENGINE_KEY].close()
        rng = random.Random(args.seed)
        print(f"CPU ms per request ({args.sample} paths per kind): mean / max; load average {os.getloadavg()[0]:.1f}")
        print(f"{'kind':<22}{'miss':>16}{'other worker':>16}{'own memory':>16}")
        one, two = first.test_client(), second.test_client()
        for kind, paths in targets.items():
            chosen = rng.sample(paths, min(args.sample, len(paths)))
            rows = [[cpu_ms(one, p) for p in chosen], [cpu_ms(two, p) for p in chosen], [cpu_ms(two, p) for p in chosen]]
            cells = [f"{sum(ms for ms, _ in r) / len(r):7.1f} / {max(ms for ms, _ in r):5.0f}" for r in rows]
            said = {h for r in rows[1:] for _, h in r}
            print(f"{kind:<22}" + "".join(f"{c:>16}" for c in cells) + ("" if said == {"hit"} else f"   (not all hits: {said})"))
        for app in (first, second):
            app.extensions[ENGINE_KEY].close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
