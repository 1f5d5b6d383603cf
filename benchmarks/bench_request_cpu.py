"""CPU per request by kind, in one process: what a miss, a hit kept by another worker and a hit in
this worker's memory cost (bench_load's mix and paths; the machine's load does not change these).

    .venv/bin/python benchmarks/bench_request_cpu.py --index-dir var/index [--sample 20]

Two apps share one answers file as two workers of `migrantlex serve` do: the first answers
`--sample` paths of each kind (misses), the second asks them again (hits from the shared file),
then again (hits from its memory). time.process_time per request, gzip asked as browsers do.
`--cold` instead asks every distinct path of the mix once, each from one of two fresh workers
at random, as a server meets them after it starts: the CPU its cold start costs.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_load import read_queries, targets_in_process  # noqa: E402

from search_web import ENGINE_KEY, create_app  # noqa: E402
from search_web.response_cache import CACHE_HEADER  # noqa: E402
from search_web.serve import warm  # noqa: E402


def cpu_ms(client, path: str) -> tuple[float, str]:
    started = time.process_time()
    response = client.get(path, headers={"Accept-Encoding": "gzip"})
    response.get_data()
    return (time.process_time() - started) * 1000, response.headers.get(CACHE_HEADER, "")


def cold_start(targets: dict[str, list[str]], clients: list, rng: random.Random) -> None:
    """Every distinct path once, in a random order, each from a random worker."""
    paths = [(kind, p) for kind, ps in targets.items() for p in dict.fromkeys(ps)]
    rng.shuffle(paths)
    spent: dict[str, list[float]] = {kind: [] for kind in targets}
    for kind, path in paths:
        spent[kind].append(cpu_ms(rng.choice(clients), path)[0])
    total = sum(sum(v) for v in spent.values())
    print(f"cold start: {len(paths)} distinct paths, each once from one of two workers; load average {os.getloadavg()[0]:.1f}")
    for kind, values in spent.items():
        print(f"{kind:<22}{len(values):>5} paths  {sum(values) / 1000:6.2f} CPU s  mean {sum(values) / len(values):6.1f} ms")
    print(f"{'all':<22}{len(paths):>5} paths  {total / 1000:6.2f} CPU s  mean {total / len(paths):6.1f} ms")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", default=os.environ.get("MIGRANTLEX_INDEX_DIR", "var/index"))
    parser.add_argument("--sample", type=int, default=20, help="paths per kind")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--cold", action="store_true", help="every distinct path once, from two workers")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        shared = Path(scratch) / "answers.sqlite"
        first, second = (create_app(args.index_dir, shared_answers=shared) for _ in range(2))
        for app in (first, second):
            warm(app)
        targets = targets_in_process(args.index_dir, read_queries())  # its own app: the others stay cold
        rng = random.Random(args.seed)
        if args.cold:
            cold_start(targets, [first.test_client(), second.test_client()], rng)
            return 0
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
