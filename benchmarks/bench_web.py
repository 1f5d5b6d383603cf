"""Latency of the web front end: /api/search and the search page over a few hundred real queries.

    .venv/bin/python benchmarks/bench_web.py --index-dir var/index [--queries 300] [--http]

Queries are built from words of the index's own provision headings (one word, two words, a
phrase, OR, prefix, exact form, proximity), so they hit real postings; words found in more than 5%
of headings (label words such as "статья") are left out. Each query is sent once to
/api/search and once to /?q= (the HTML page, snippets and facets included) through Flask's test
client, i.e. the app's own cost without a network. With --http the same queries also go over a
socket to `migrantlex serve` (gunicorn, --workers processes) started for the run.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.settings import default_index_dir  # noqa: E402

WORD_RE = re.compile(r"[А-Яа-яЁёA-Za-zҢңӨөҮү]{5,}")
SHAPES = ("{a}", "{a} {b}", "{a} {b}", '"{a} {b}"', "{a} OR {b}", "{p}*", "={a}", '"{a} {b}"~5', "{a} {b} {c}")


def sample_queries(engine, n: int, seed: int = 7) -> list[str]:
    """n queries made of words from real provision headings, in varied shapes."""
    rng = random.Random(seed)
    headings = [s.get("heading", "") for s in engine.view().searcher.all_stored_fields() if s.get("heading")]
    sample = rng.sample(headings, min(3000, len(headings)))
    words = [w.lower() for h in sample for w in WORD_RE.findall(h)]
    # words in most headings ("статья", "article" from labels) are not what people search for
    spread = Counter(w for h in sample for w in {x.lower() for x in WORD_RE.findall(h)})
    words = [w for w in words if spread[w] <= len(sample) * 0.05]
    if not words:
        raise SystemExit("the index has no headings to build queries from")
    rng.shuffle(words)
    out = []
    for i in range(n):
        a, b, c = (words[(3 * i + k) % len(words)] for k in range(3))
        out.append(SHAPES[i % len(SHAPES)].format(a=a, b=b, c=c, p=a[:5]))
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(label: str, times: list[float], sizes: list[int]) -> None:
    print(
        f"{label:<34} n={len(times):<4} p50 {pct(times, 50):7.1f} ms   p95 {pct(times, 95):7.1f} ms"
        f"   max {max(times):7.1f} ms   mean {statistics.fmean(times):6.1f} ms"
        f"   median size {statistics.median(sizes) / 1024:5.1f} KB (max {max(sizes) / 1024:.1f})"
    )


def run_engine(engine, queries: list[str]) -> None:
    """The search core alone, as the page calls it: the baseline the web adds to."""
    times = []
    engine.forget_answers()  # warm postings and code, not the queries' kept answers
    for q in queries:
        t = time.perf_counter()
        with contextlib.suppress(ValueError):  # QueryError: the web answers it with a 400
            engine.search(q, limit=10)
        times.append((time.perf_counter() - t) * 1000)
    report("engine.search (no web)", times, [0])
    slowest = sorted(zip(times, queries, strict=True), reverse=True)[:5]
    print(f"{'':<34} slowest: " + ", ".join(f"{q!r} {ms:.0f} ms" for ms, q in slowest))


def run_inprocess(app, queries: list[str]) -> None:
    from search_web import ENGINE_KEY

    client = app.test_client()
    for label, template in (("/api/search (in-process)", "/api/search?q={}"), ("/?q= page (in-process)", "/?q={}")):
        app.extensions[ENGINE_KEY].forget_answers()  # each shape computes its answers, as a first request would
        times, sizes, statuses = [], [], {}
        for q in queries:
            t = time.perf_counter()
            response = client.get(template.format(quote(q)))
            body = response.get_data()
            times.append((time.perf_counter() - t) * 1000)
            sizes.append(len(body))
            statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        report(label, times, sizes)
        print(f"{'':<34} statuses {statuses}")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_http(index_dir: str, queries: list[str], workers: int) -> None:
    port = free_port()
    cmd = [sys.executable, "-m", "indexer.cli", "serve", "--index-dir", index_dir, "--port", str(port),
           "--workers", str(workers), "--no-embed"]  # fmt: skip  (timing serving, not embedding)
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(base + "/api/stats", timeout=1).read()
                break
            except OSError:
                time.sleep(0.2)
        for q in queries[:20]:  # warm every worker's searcher
            urllib.request.urlopen(f"{base}/api/search?q={quote(q)}", timeout=30).read()
        for label, template in (("/api/search (HTTP, gunicorn)", "/api/search?q={}"), ("/?q= page (HTTP, gunicorn)", "/?q={}")):
            times, sizes = [], []
            for q in queries:
                t = time.perf_counter()
                try:
                    with urllib.request.urlopen(base + template.format(quote(q)), timeout=30) as r:
                        body = r.read()
                except urllib.error.HTTPError as exc:
                    body = exc.read()
                times.append((time.perf_counter() - t) * 1000)
                sizes.append(len(body))
            report(label, times, sizes)
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", default=str(default_index_dir()))
    parser.add_argument("--queries", type=int, default=300)
    parser.add_argument("--http", action="store_true", help="also measure over HTTP against gunicorn")
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()

    from search_web import create_app, get_engine

    app = create_app(args.index_dir)
    with app.app_context():
        engine = get_engine()
        stats = engine.stats()
        queries = sample_queries(engine, args.queries)
    print(f"index {args.index_dir}: {stats['documents']} documents, {stats['passages']} passages; {len(queries)} queries")
    client = app.test_client()
    for q in queries[:20]:  # warm caches (morphology, searcher) before timing
        client.get(f"/api/search?q={quote(q)}")
    with app.app_context():
        run_engine(get_engine(), queries)
    run_inprocess(app, queries)
    if args.http:
        run_http(args.index_dir, queries, args.workers)
    return 0


if __name__ == "__main__":
    sys.exit(main())
