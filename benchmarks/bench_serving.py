"""What a user of `migrantlex serve` waits for, per query shape, and what serving costs.

    .venv/bin/python benchmarks/bench_serving.py --index-dir var/index [--sample 150] [--repeats 3]

Prints, for one index:
- the CLI: `migrantlex search` end to end (wall and CPU seconds, start-up included);
- start-up: `migrantlex serve` until it answers, then its first /api/search;
- /api/search over HTTP (snippets and facets, top 10), p50/p95/p99 per query shape, after one
  pass that brings every query in once: the most common words of the index (`закон`,
  `Статья`...), other single words, 2-3 words (AND), AND queries whose words never meet (the
  answer falls back to passages with some of them), phrases and prefixes, and the judged
  queries of ../shared/peers (`--queries-tsv`);
- each worker's RSS (and PSS: pages shared with the master after fork counted once);
- the document with the most passages: /api/documents/<id> and its page with a query, time and size.

Queries are drawn from the index's own passages as the peers harness draws them: 1-3
consecutive words of a random sentence. The machine may be shared: the load average is printed.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import random
import re
import resource
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

WORD_RE = re.compile(r"[^\W\d_]{3,}")
SENTENCE_RE = re.compile(r"(?<=[.!?;:])\s+|\n+")
COMMON_SHARE = 0.2  # a word in at least this share of passages is a "common word"


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def line(label: str, times: list[float]) -> str:
    if not times:
        return f"{label:<30} n=0"
    return (f"{label:<30} n={len(times):<5} p50 {pct(times, 50):7.1f}   p95 {pct(times, 95):7.1f}"
            f"   p99 {pct(times, 99):7.1f}   max {max(times):7.1f} ms")


def sample_queries(bodies: list[str], n: int, seed: int = 7) -> list[str]:
    """1-3 consecutive words (3+ letters) of a random sentence of a random passage."""
    rng = random.Random(seed)
    out: list[str] = []
    for _ in range(n * 50):
        if len(out) >= n:
            break
        text = rng.choice(bodies)
        start = rng.randrange(max(1, len(text) - 400))
        sentences = [s for s in SENTENCE_RE.split(text[start : start + 400]) if s.strip()]
        words = WORD_RE.findall(rng.choice(sentences)) if sentences else []
        if words:
            width = rng.choice((1, 2, 2, 3))
            i = rng.randrange(max(1, len(words) - width + 1))
            out.append(" ".join(words[i : i + width]))
    return out


def apart_pairs(bodies: list[str], common: Counter, n: int, seed: int = 5) -> list[str]:
    """Two fairly frequent words that never share a passage: AND finds nothing, the answer falls back."""
    rng = random.Random(seed)
    frequent = [w for w, c in common.most_common(2000)[200:] if c >= 5]
    sets = [set(WORD_RE.findall(b.lower())) for b in bodies]
    out: list[str] = []
    for _ in range(n * 200):
        if len(out) >= n or len(frequent) < 2:
            break
        a, b = rng.sample(frequent, 2)
        if not any(a in s and b in s for s in sets):
            out.append(f"{a} {b}")
    return out


def judged_queries(path: Path) -> list[str]:
    if not path.exists():
        return []
    rows = [r.split("\t") for r in path.read_text(encoding="utf-8").splitlines() if r and not r.startswith(("#", "qid"))]
    return [r[1] for r in rows if len(r) > 1]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> tuple[float, bytes, int]:
    t = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as r:
            body, status = r.read(), r.status
    except urllib.error.HTTPError as exc:
        body, status = exc.read(), exc.code
    return (time.perf_counter() - t) * 1000, body, status


def cli_search(index_dir: str, q: str) -> tuple[float, float]:
    """`migrantlex search q`: wall and CPU seconds of the whole process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([sys.executable, "-m", "indexer.cli", "search", q, "--index-dir", index_dir],
                   cwd=ROOT, stdout=subprocess.DEVNULL, check=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def memory_kb(pid: int) -> tuple[int, int]:
    """(RSS, PSS) of one process in KB."""
    rss = pss = 0
    with open(f"/proc/{pid}/status") as f:
        for row in f:
            if row.startswith("VmRSS:"):
                rss = int(row.split()[1])
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for row in f:
                if row.startswith("Pss:"):
                    pss = int(row.split()[1])
    except OSError:
        pass
    return rss, pss


def children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    if int(f.read().rsplit(")", 1)[1].split()[1]) == pid:
                        out.append(int(entry))
            except (OSError, ValueError, IndexError):
                continue
    return out


def cli_figures(index_dir: str, runs: int) -> None:
    found = [cli_search(index_dir, q) for q in ["закон", "трудовой мигрант", "разрешение на работу"][:runs]]
    print(f"CLI search end to end: wall {', '.join(f'{w:.2f}' for w, _ in found)} s;"
          f" CPU {', '.join(f'{c:.2f}' for _, c in found)} s")


@contextlib.contextmanager
def serving(index_dir: str, workers: int) -> Iterator[tuple[subprocess.Popen, str]]:
    """`migrantlex serve` on a free port, once it answers (start-up time printed), stopped after."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    cmd = [sys.executable, "-m", "indexer.cli", "serve", "--index-dir", index_dir, "--port", str(port),
           "--workers", str(workers), "--no-embed"]  # timing serving, not embedding
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        while True:
            try:
                urllib.request.urlopen(base + "/api/stats", timeout=1).read()
                break
            except OSError:
                if proc.poll() is not None or time.perf_counter() - started > 300:
                    raise SystemExit("serve did not start") from None
                time.sleep(0.05)
        print(f"serve: answers /api/stats {time.perf_counter() - started:.2f} s after it was started"
              f" (master and workers: {_cpu_of(proc.pid):.2f} CPU s)")
        yield proc, base
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)


def _cpu_of(pid: int) -> float:
    """CPU seconds of a process and its live children (from /proc)."""
    total = 0.0
    for p in [pid, *children(pid)]:
        try:
            with open(f"/proc/{p}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
            total += (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
        except (OSError, ValueError, IndexError):
            continue
    return total


def first_answers(base: str, common: str) -> None:
    """The first /api/search each worker may take (a common word, then new words): what the
    first users wait for."""
    first, _, _ = fetch(f"{base}/api/search?q={quote(common)}")
    second, _, _ = fetch(f"{base}/api/search?q={quote('иностранный гражданин патент')}")
    third, _, _ = fetch(f"{base}/api/search?q={quote('разрешение на работу')}&country=ru")
    print(f"serve: first /api/search ({common}) {first:.0f} ms, second (new words) {second:.0f} ms,"
          f" third (a filter) {third:.0f} ms")


def worker_memory(proc: subprocess.Popen) -> None:
    for pid in children(proc.pid):
        rss, pss = memory_kb(pid)
        print(f"worker {pid}: RSS {rss / 1024:.0f} MB, PSS {pss / 1024:.0f} MB")
    rss, pss = memory_kb(proc.pid)
    print(f"master {proc.pid}: RSS {rss / 1024:.0f} MB, PSS {pss / 1024:.0f} MB")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index-dir", required=True)
    ap.add_argument("--sample", type=int, default=150, help="queries drawn from the passages")
    ap.add_argument("--apart", type=int, default=30, help="AND queries whose words never meet")
    ap.add_argument("--repeats", type=int, default=3, help="timed passes after the first")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--queries-tsv", type=Path, default=ROOT.parent / "shared/peers/example-queries.tsv")
    ap.add_argument("--cli-runs", type=int, default=3)
    ap.add_argument("--startup-only", action="store_true",
                    help="only the CLI, serve's start to its first answers and the workers' RSS")
    args = ap.parse_args()
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at start")
    if args.startup_only:
        cli_figures(args.index_dir, args.cli_runs)
        with serving(args.index_dir, args.workers) as (proc, base):
            first_answers(base, "закон")
            worker_memory(proc)
        print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at end")
        return 0

    from whoosh import index as whoosh_index

    with whoosh_index.open_dir(args.index_dir).searcher() as s:
        bodies = [f.get("body", "") for f in s.all_stored_fields() if f.get("body")]
        npassages = s.doc_count()
        doc_ids = Counter(f["doc_id"] for f in s.all_stored_fields())
    from analyzers import exact_term, is_stopword

    words = Counter(w for b in bodies for w in set(WORD_RE.findall(b.lower())))
    for w in [w for w in words if is_stopword(exact_term(w))]:
        del words[w]
    common = [w for w, c in words.most_common(10) if c >= COMMON_SHARE * npassages]
    largest = doc_ids.most_common(1)[0][0]
    shapes: dict[str, list[str]] = {"common word": [w for w, _ in words.most_common(12)][:8]}
    for q in sample_queries(bodies, args.sample):
        shapes.setdefault("single word" if " " not in q else "AND 2-3 words", []).append(q)
    shapes["AND, words apart"] = apart_pairs(bodies, words, args.apart)
    shapes["phrase, prefix"] = [f'"{q}"' for q in shapes.get("AND 2-3 words", [])[:15]] + [
        f"{q[:5]}*" for q in shapes.get("single word", [])[:15] if len(q) >= 5
    ]
    shapes["judged (peers)"] = judged_queries(args.queries_tsv)
    print(f"index {args.index_dir}: {npassages} passages, {len(doc_ids)} documents; "
          f"words in >= {COMMON_SHARE:.0%} of passages: {', '.join(common) or '(none)'}")

    cli_figures(args.index_dir, args.cli_runs)
    with serving(args.index_dir, args.workers) as (proc, base):
        first_answers(base, common[0] if common else "закон")

        fallbacks = 0
        first: dict[str, list[float]] = {k: [] for k in shapes}
        times: dict[str, list[float]] = {k: [] for k in shapes}
        for rep in range(args.repeats + 1):
            for shape, qs in shapes.items():
                for q in qs:
                    ms, body, _ = fetch(f"{base}/api/search?q={quote(q)}&limit=10")
                    (times if rep else first)[shape].append(ms)
                    if not rep and shape == "AND, words apart" and b'"partial_match"' in body:
                        fallbacks += 1
        # a worker keeps finished answers (search_web/response_cache.py): the first pass is what
        # a query new to the server costs, the later ones mostly what a kept answer costs
        print(f"/api/search over HTTP (ms); {fallbacks} of {len(shapes['AND, words apart'])} 'apart' queries fell back")
        print(" first pass, each query new to the server:")
        for shape in shapes:
            print("  " + line(shape, first[shape]))
        print("  " + line("all", [t for v in first.values() for t in v]))
        print(f" {args.repeats} later passes:")
        for shape in shapes:
            print("  " + line(shape, times[shape]))
        print("  " + line("all", [t for v in times.values() for t in v]))
        slowest = sorted(((t, q) for s, qs in shapes.items() for q, t in zip(qs, first[s], strict=False)), reverse=True)[:5]
        print("  slowest first: " + ", ".join(f"{q!r} {t:.0f}" for t, q in slowest))

        for url in (f"/api/documents/{quote(largest)}", f"/documents/{quote(largest)}?q={quote('иностранный гражданин')}"):
            found = fetch(base + url)
            print(f"{url} (first): {found[0]:.0f} ms, {len(found[1]) / 1024:.0f} KB (status {found[2]})")

        worker_memory(proc)
    print(f"load average {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f} at end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
