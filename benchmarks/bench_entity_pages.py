"""Cost of the entity pages and facets: /organisations, /people, /places, entity pages, and search
with the entity facets and an `org=` filter, through Flask's test client (the app's own cost).

    .venv/bin/python benchmarks/bench_entity_pages.py --index-dir var/index [--repeat 5]

Prints the first build of the entities' table (per index generation), then per kind of request
the median and the worst of `repeat` rounds, and the page sizes.
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

QUERIES = ("трудовой мигрант", "migrant workers", "патент", "права мигрантов", "Кыргызстан", "labour migration")


def timed(client, url: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    response = client.get(url)
    return (time.perf_counter() - started) * 1000, response.status_code, len(response.data)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--index-dir", type=Path, default=default_index_dir())
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    from search_web import create_app

    app = create_app(args.index_dir)
    engine = app.extensions["migrantlex.engine"]
    started = time.perf_counter()
    entities = engine.view().entities
    print(f"entities table: {len(entities.info)} entities over {len(entities.by_doc)} documents, "
          f"built in {(time.perf_counter() - started) * 1000:.0f} ms (once per index generation)")
    client = app.test_client()
    top = [e["id"] for e in client.get("/api/organisations?limit=10").get_json()]
    kinds = {
        "/organisations (HTML, 100 a page)": ["/organisations"],
        "/api/organisations (whole list)": ["/api/organisations"],
        "/organisations?name=... (search box)": ["/organisations?name=центр", "/organisations?name=UN"],
        "/people, /places": ["/people", "/places"],
        "/organisations/<id>, top 10 (HTML)": [f"/organisations/{i}" for i in top],
        "/api/organisations/<id>, top 10": [f"/api/organisations/{i}" for i in top],
        "/api/search (with entity facets)": [f"/api/search?q={q}" for q in QUERIES],
        "/api/search&org=<most named>": [f"/api/search?q={q}&org={top[0]}" for q in QUERIES] if top else [],
        "/organisations.csv": ["/organisations.csv"],
    }
    for label, urls in kinds.items():
        if not urls:
            continue
        for url in urls:  # warm: the first answer of each is cached per worker otherwise
            client.get(url)
        rounds, sizes, statuses = [], [], set()
        for _ in range(args.repeat):
            for url in urls:
                ms, status, size = timed(client, url + ("&" if "?" in url else "?") + f"nocache={time.perf_counter_ns()}")
                rounds.append(ms)
                sizes.append(size)
                statuses.add(status)
        print(f"{label:42s} median {statistics.median(rounds):7.1f} ms  max {max(rounds):7.1f} ms  "
              f"size {statistics.median(sizes) / 1024:6.1f} KB  status {sorted(statuses)}")


if __name__ == "__main__":
    main()
