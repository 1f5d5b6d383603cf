"""Hostile requests against a running `migrantlex serve`: no answer may be a 500, none may hang.

    .venv/bin/python benchmarks/bench_fuzz.py --index-dir var/index [--requests 3000] [--clients 4]
                                              [--seed 12] [--url http://127.0.0.1:8000]

What tests/test_web_fuzz.py does through Flask's test client, here over real HTTP through
gunicorn (its request parsing, headers, the workers): every route of the app's URL map, its
path arguments real (documents, articles, concepts, entities of the index) or hostile, 0-4 query
parameters the views read (or random names) with hostile values (control characters, invalid
UTF-8, huge numbers, deep brackets, long words, markup), and hostile headers. Prints the
statuses, the 5xx answers and connections that failed (each is a failure), and the latency
(p50, p99, max, over 2 s). Exits 1 when any request got a 5xx or no answer.
"""

from __future__ import annotations

import argparse
import http.client
import os
import random
import signal
import sys
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from benchmarks.bench_load import pct, start_server  # noqa: E402
from tests.test_web_fuzz import ARG_RE, HOSTILE, HOSTILE_HEADERS, PARAMS, RULES, encode  # noqa: E402

HEADER_NAMES = ("Accept-Language", "Referer", "Cookie", "Accept-Encoding", "Accept")
SLOW_MS = 2000


def real_values(index_dir: str) -> dict[str, list[str]]:
    """Path arguments the index answers: documents, their articles, concepts, entities."""
    from indexer import thesaurus
    from indexer.search import SearchEngine

    engine = SearchEngine(index_dir)
    try:
        view = engine.view()
        docs = sorted(view.docs)
        articles = sorted({str(s.get("number") or "") for s in view.searcher.all_stored_fields()} - {""})
        named = sorted(view.entities.named_in)
        entities = {kind: [e.split(":", 1)[1] for e in named if e.startswith(f"{kind}:")][:200] for kind in ("org", "person", "place")}
    finally:
        engine.close()
    return {
        "doc_id": docs, "article": articles[:500], "concept_id": sorted(thesaurus.default().concepts),
        "org_id": entities["org"], "person_id": entities["person"], "place_id": entities["place"],
        "filename": ["style.css", "app.js"],
    }  # fmt: skip


def hostile_value(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.6:
        return rng.choice(HOSTILE)
    if roll < 0.8:
        return "".join(chr(rng.choice([rng.randrange(0x20, 0x7F), rng.randrange(0, 0x20), rng.randrange(0x400, 0x4FF),
                                       rng.randrange(0x2000, 0x2FFF)])) for _ in range(rng.randrange(0, 60)))  # fmt: skip
    return str(rng.randrange(-(10**30), 10**30))


def request_of(rng: random.Random, good: dict[str, list[str]]) -> tuple[str, dict[str, str]]:
    rule, arguments = rng.choice(RULES)
    values = {a: rng.choice(good.get(a) or ["x"]) if rng.random() < 0.8 else hostile_value(rng) for a in arguments}
    path = ARG_RE.sub(lambda m: encode(values[m.group(1)]), rule)
    names = [rng.choice(PARAMS) if rng.random() < 0.85 else hostile_value(rng)[:8] for _ in range(rng.randrange(5))]
    query = "&".join(f"{encode(n)}={encode(hostile_value(rng))}" for n in names)
    headers = {}
    for name in HEADER_NAMES:
        if rng.random() < 0.3:
            value = rng.choice(HOSTILE_HEADERS)
            headers[name] = value.encode("latin-1", "replace").decode("latin-1")
    return path + ("?" + query if query else ""), headers


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", default=os.environ.get("MIGRANTLEX_INDEX_DIR", "var/index"))
    parser.add_argument("--url", help="an already running server")
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    good = real_values(args.index_dir)
    proc = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        proc, base = start_server(args.index_dir, 2)
    host = urlsplit(base)
    rng = random.Random(args.seed)
    todo = [request_of(rng, good) for _ in range(args.requests)]
    statuses: Counter = Counter()
    failures: list[str] = []
    times: list[float] = []
    lock = threading.Lock()

    def client(share: list[tuple[str, dict[str, str]]]) -> None:
        for path, headers in share:
            start = time.perf_counter()
            try:
                conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
                conn.putrequest("GET", path, skip_accept_encoding=True)
                for name, value in headers.items():
                    conn.putheader(name, value)
                conn.endheaders()
                response = conn.getresponse()
                response.read()
                status = response.status
                conn.close()
            except (OSError, http.client.HTTPException) as exc:
                status = 0
                path = f"{path} ({type(exc).__name__})"
            with lock:
                times.append((time.perf_counter() - start) * 1000)
                statuses[status] += 1
                if status >= 500 or status == 0:
                    failures.append(f"{status} {path[:200]}")

    started = time.monotonic()
    try:
        threads = [threading.Thread(target=client, args=(todo[i :: args.clients],)) for i in range(args.clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)
    elapsed = time.monotonic() - started
    print(f"{len(times)} hostile requests over {len(RULES)} routes in {elapsed:.1f} s ({args.clients} clients)")
    print(f"statuses {dict(sorted(statuses.items()))}; 5xx or no answer: {len(failures)}")
    print(f"latency p50 {pct(times, 50):.0f} ms, p99 {pct(times, 99):.0f} ms, max {max(times, default=0):.0f} ms, "
          f"over 2 s: {sum(t > SLOW_MS for t in times)}")  # fmt: skip
    for failure in failures[:20]:
        print(f"  {failure}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
