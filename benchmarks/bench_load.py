"""Load: N concurrent clients for S seconds against `migrantlex serve`, a realistic mix of requests.

    .venv/bin/python benchmarks/bench_load.py --index-dir var/index [--clients 50] [--seconds 60]
                                              [--workers 2] [--threads N] [--url http://127.0.0.1:8000]

Each client is a closed loop: it sends a request, reads the whole answer, sends the next, as a
busy user behind a fast connection would (no think time: the harshest honest load). The mix is
what people do here: the search page and its JSON twin with realistic queries (the lawyer and
concept development sets, the peers' example queries and words of real provision headings),
page 2, compare, articles and documents found by those searches, concept pages, CSV exports and
the Atom feed. Prints requests/s, latency percentiles per kind and overall, errors (5xx or no
answer), requests over 2 s, the cross-language layer's state in the JSON search answers (how
many a busy server answered by words alone: "deferred"), and the resident memory of each
serving worker (peak while loaded).

Without --url a server is started for the run (gunicorn, --workers processes) and stopped after.
"""

from __future__ import annotations

import argparse
import csv
import gzip
import http.client
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from collections import defaultdict
from json import loads
from pathlib import Path
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

QUERY_FILES = (
    ROOT / "tests" / "data" / "lawyer_queries.tsv",
    ROOT / "tests" / "data" / "concept_queries.tsv",
    ROOT.parent / "shared" / "peers" / "example-queries.tsv",
)
# kind: (weight, how a path is made from a query and the documents found)
MIX = {
    "search page": 40,
    "search api": 15,
    "search page 2": 5,
    "compare": 10,
    "article or document": 15,
    "concept": 5,
    "csv export": 5,
    "atom feed": 5,
}
SLOW_MS = 2000
CACHE_HEADER = "X-Migrantlex-Cache"  # search_web.response_cache: "hit" when a kept answer was served


def read_queries() -> list[str]:
    """The query column of every development set that is here (first column, comments skipped)."""
    queries = []
    for path in QUERY_FILES:
        if not path.exists():
            continue
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f, delimiter="\t"):
                if not row or row[0].startswith("#") or row[0] in ("query", "qid"):
                    continue
                query = row[1] if path.name == "example-queries.tsv" and len(row) > 1 else row[0]
                if query.strip():
                    queries.append(query.strip())
    return queries


def get_json(base: str, path: str) -> dict:
    with urllib.request.urlopen(base + path, timeout=60) as r:
        return loads(r.read())


def build_targets(base: str, queries: list[str], get_json=get_json) -> dict[str, list[str]]:
    """Paths per kind, made from the queries and what the server answers for them."""
    articles, concepts = [], set()
    for q in queries[:60]:
        res = get_json(base, f"/api/search?q={quote(q)}")
        for result in res.get("results", [])[:3]:
            document = f"/documents/{quote(result['doc_id'])}"
            articles.append(document)
            articles += [f"{document}/art-{quote(p['article'])}" for p in result["passages"][:1] if p.get("article")]
        for concept in res.get("facets", {}).get("concept", [])[:2]:
            concepts.add(concept.get("value") or concept.get("id") or "")
    concepts.discard("")
    if not concepts:
        concepts = {"labour-migrant"}
    q = [quote(x) for x in queries]
    return {
        "search page": [f"/?q={x}" for x in q],
        "search api": [f"/api/search?q={x}" for x in q],
        "search page 2": [f"/?q={x}&page=2" for x in q],
        "compare": [f"/compare?q={x}" for x in q],
        "article or document": sorted(set(articles)) or ["/"],
        "concept": [f"/concepts/{quote(c)}" for c in sorted(concepts)],
        "csv export": [f"/search.csv?q={x}" for x in q],
        "atom feed": [f"/feed.atom?q={x}" for x in q],
    }


def targets_in_process(index_dir: str, queries: list[str]) -> dict[str, list[str]]:
    """The paths, found by an app of this process: asking the server would warm it before the
    clock starts (the probe leaves the cross-language layer off: it would share the queries it
    embedded with the server)."""
    sys.path.insert(0, str(ROOT))
    from dataclasses import replace

    from indexer.search import SearchEngine
    from indexer.search.ranking import DEFAULT_PROFILE
    from search_web import ENGINE_KEY, create_app

    app = create_app(index_dir, engine=SearchEngine(index_dir, replace(DEFAULT_PROFILE, crosslang_top_k=0)))
    client = app.test_client()
    try:
        return build_targets("", queries, lambda _base, path: loads(client.get(path).data))
    finally:
        app.extensions[ENGINE_KEY].close()


class Recorder:
    """Latencies per kind, shared by the client threads."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.statuses: dict[int, int] = defaultdict(int)
        self.errors: list[str] = []
        self.kept = 0
        self.slow_at: list[float] = []  # when requests over 2 s ended, seconds into the run
        self.layer: dict[str, int] = defaultdict(int)  # the JSON search answers' crosslang state
        self.started = time.monotonic()

    def add(self, kind: str, ms: float, status: int, path: str, kept: bool = False, layer: str = "") -> None:
        with self.lock:
            self.times[kind].append(ms)
            if layer:
                self.layer[layer] += 1
            self.kept += kept
            self.statuses[status] += 1
            if ms > SLOW_MS:
                self.slow_at.append(time.monotonic() - self.started)
            if status >= 500 or status == 0:
                self.errors.append(f"{status} {path}")


def client(base: str, targets: dict[str, list[str]], stop_at: float, seed: int, rec: Recorder) -> None:
    rng = random.Random(seed)
    kinds, weights = zip(*MIX.items(), strict=True)
    host = urlsplit(base)
    while time.monotonic() < stop_at:
        kind = rng.choices(kinds, weights)[0]
        path = rng.choice(targets[kind])
        start = time.perf_counter()
        status, kept, body = 0, False, b""
        try:
            conn = http.client.HTTPConnection(host.hostname, host.port, timeout=30)
            conn.request("GET", path, headers={"Accept-Encoding": "gzip"})
            response = conn.getresponse()
            body = response.read()
            status = response.status
            kept = response.getheader(CACHE_HEADER) == "hit"
            gzipped = response.getheader("Content-Encoding") == "gzip"
            conn.close()
        except OSError:
            pass
        ms = (time.perf_counter() - start) * 1000
        layer = layer_state(gzip.decompress(body) if gzipped else body) if kind == "search api" and status == 200 else ""
        rec.add(kind, ms, status, path, kept, layer)


def layer_state(body: bytes) -> str:
    """The cross-language layer's state in a JSON search answer ("" when it cannot be read)."""
    try:
        return loads(body).get("crosslang", {}).get("state", "")
    except (ValueError, AttributeError):
        return ""


def worker_pids(master: int) -> list[int]:
    """The serving processes: the master's children (gunicorn workers), else the master itself."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == master:
                children.append(int(entry.name))
    return children or [master]


def rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def cpu_seconds(pid: int) -> float:
    """User + system CPU a process has used so far (0 when it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))] if values else 0.0


def line(label: str, times: list[float], seconds: float) -> str:
    slow = sum(t > SLOW_MS for t in times)
    return (
        f"{label:<22} n={len(times):<6} {len(times) / seconds:6.1f} req/s   p50 {pct(times, 50):6.0f}"
        f"   p95 {pct(times, 95):6.0f}   p99 {pct(times, 99):6.0f}   max {max(times, default=0):6.0f} ms"
        f"   >2 s: {slow}"
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(index_dir: str, workers: int, threads: int | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "indexer.cli", "serve", "--index-dir", index_dir, "--port", str(port),
           "--workers", str(workers), "--no-embed"]  # fmt: skip  (timing serving, not embedding)
    if threads is not None:
        cmd += ["--threads", str(threads)]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    for _ in range(600):
        try:
            urllib.request.urlopen(base + "/api/stats", timeout=1).read()
            return proc, base
        except OSError:
            if proc.poll() is not None:
                raise SystemExit(f"the server stopped at start (status {proc.returncode})") from None
            time.sleep(0.2)
    raise SystemExit("the server did not answer within 120 s")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", default=os.environ.get("MIGRANTLEX_INDEX_DIR", "var/index"))
    parser.add_argument("--url", help="an already running server (its memory is not measured)")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, help="per worker (default: serve's)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()

    proc = None
    if args.url:
        base = args.url.rstrip("/")
    else:
        proc, base = start_server(args.index_dir, args.workers, args.threads)
    try:
        queries = read_queries()
        if not queries:
            raise SystemExit("no query files found (tests/data/*.tsv)")
        targets = build_targets(base, queries) if args.url else targets_in_process(args.index_dir, queries)
        print(f"{len(queries)} queries, {sum(map(len, targets.values()))} distinct paths; "
              f"{args.clients} clients for {args.seconds:.0f} s against {base}")  # fmt: skip
        rec = Recorder()
        stop_at = time.monotonic() + args.seconds
        threads = [
            threading.Thread(target=client, args=(base, targets, stop_at, args.seed + i, rec), daemon=True)
            for i in range(args.clients)
        ]
        workers = worker_pids(proc.pid) if proc is not None else []
        cpu_before = {pid: cpu_seconds(pid) for pid in workers}
        started = rec.started = time.monotonic()
        for t in threads:
            t.start()
        peak: dict[int, float] = {}
        while any(t.is_alive() for t in threads):
            if proc is not None:
                for pid in worker_pids(proc.pid):
                    peak[pid] = max(peak.get(pid, 0.0), rss_mb(pid))
            time.sleep(0.5)
        elapsed = time.monotonic() - started
        # a worker replaced during the run is not counted: the figure is then a lower bound
        server_cpu = sum(cpu_seconds(pid) - before for pid, before in cpu_before.items())
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=15)

    every = [t for times in rec.times.values() for t in times]
    for kind in MIX:
        if rec.times[kind]:
            print(line(kind, rec.times[kind], elapsed))
    print(line("all", every, elapsed))
    print(f"statuses {dict(sorted(rec.statuses.items()))}; errors (5xx or no answer): {len(rec.errors)}; "
          f"answered from the response cache: {rec.kept / max(1, len(every)):.0%}")  # fmt: skip
    if rec.layer:
        print("cross-language layer in the JSON search answers: "
              + ", ".join(f"{state} {n}" for state, n in sorted(rec.layer.items())))  # fmt: skip
    if rec.slow_at:
        print(f"requests over 2 s ended between {min(rec.slow_at):.1f} and {max(rec.slow_at):.1f} s into the run")
    for error in rec.errors[:10]:
        print(f"  {error}")
    if proc is not None:
        print(f"server CPU per request (every worker, user + system): {server_cpu * 1000 / max(1, len(every)):.1f} ms "
              "(does not depend on the machine's load)")  # fmt: skip
    if peak:
        print("peak RSS per worker: " + ", ".join(f"{mb:.0f} MB" for mb in sorted(peak.values())))
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 1 if rec.errors else 0


if __name__ == "__main__":
    sys.exit(main())
