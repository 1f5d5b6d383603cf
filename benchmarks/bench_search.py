"""Query latency p50/p95/p99 over a few hundred varied queries, with and without snippets.

    .venv/bin/python benchmarks/bench_search.py --index-dir var/index            # the corpus index
    .venv/bin/python benchmarks/bench_search.py --synthetic 100000 --index-dir var/bench-100k
    .venv/bin/python benchmarks/bench_search.py --clock cpu ...   # CPU time: steadier when others load the machine

--synthetic N builds (once; reused while it exists) an index of N passages made of real
sentences from the corpus index, shuffled into synthetic documents of 100 passages each, so
the vocabulary and term frequencies stay those of real legal text.
"""

from __future__ import annotations

import argparse
import random
import re
import statistics
import time
from pathlib import Path

from whoosh import index as whoosh_index

from analyzers import exact_term, is_stopword
from indexer.catalog import Catalog, FileRecord
from indexer.models import DocMeta, Passage
from indexer.search import SearchEngine
from indexer.writer import open_or_create, passage_fields

WORD_RE = re.compile(r"[А-Яа-яЁёA-Za-zҢңӨөҮү]{5,}")


def sample_queries(engine: SearchEngine, n: int, seed: int = 7) -> list[str]:
    """Queries built from words of real headings (of bodies when the index has no headings):
    single words, AND pairs, phrases, OR, prefix, exact."""
    rng = random.Random(seed)
    stored = list(engine.view().searcher.all_stored_fields())
    words = sample_words(stored, "heading", rng) or sample_words(stored, "body", rng)
    if not words:
        raise SystemExit("no words of 5+ letters in the index's headings or bodies to build queries from")
    rng.shuffle(words)
    queries = []
    shapes = ["one", "two", "two", "three", "phrase", "or", "prefix", "exact", "near"]
    for i in range(n):
        a, b, c = (words[(3 * i + k) % len(words)] for k in range(3))
        shape = shapes[i % len(shapes)]
        queries.append({
            "one": a, "two": f"{a} {b}", "three": f"{a} {b} {c}", "phrase": f'"{a} {b}"',
            "or": f"{a} OR {b}", "prefix": f"{a[:5]}*", "exact": f"={a}", "near": f'"{a} {b}"~5',
        }[shape])
    return queries


LAWYER_QUERIES = Path(__file__).resolve().parents[1] / "tests" / "data" / "lawyer_queries.tsv"


def lawyer_queries() -> list[str]:
    """The queries of tests/data/lawyer_queries.tsv (their first column), as people type them."""
    lines = LAWYER_QUERIES.read_text(encoding="utf-8").splitlines()
    return [line.split("\t")[0] for line in lines if line.strip() and not line.startswith("#")]


# wall: what a user waits; cpu: this thread's CPU time, steadier on a machine others load too
CLOCKS = {"wall": time.perf_counter, "cpu": time.thread_time}
clock = CLOCKS["wall"]


def sample_words(stored: list[dict], field: str, rng: random.Random) -> list[str]:
    """Words (5+ letters, no stopwords) of up to 3,000 passages' `field`, the heading's label aside."""
    texts = [s[field][len(s.get("label", "")):] if field == "heading" else s[field] for s in stored if s.get(field)]
    return [
        w.lower() for t in rng.sample(texts, min(3000, len(texts))) for w in WORD_RE.findall(t)
        if not is_stopword(exact_term(w))
    ]


def measure(engine: SearchEngine, queries: list[str], snippets: bool) -> list[float]:
    times = []
    engine.forget_answers()  # "warm" means warm postings and code, not this query's kept answer
    for q in queries:
        t = clock()
        engine.search(q, snippets=snippets, limit=10)
        times.append((clock() - t) * 1000)
    return times


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def report(label: str, times: list[float]) -> None:
    print(f"{label:<28} n={len(times):<4} p50 {pct(times, 50):7.1f} ms   p95 {pct(times, 95):7.1f} ms"
          f"   p99 {pct(times, 99):7.1f} ms   mean {statistics.fmean(times):7.1f} ms")


def build_synthetic(source_dir: Path, target: Path, n: int, seed: int = 11) -> None:
    """N passages of real sentences from the index in `source_dir`, 100 per synthetic document."""
    rng = random.Random(seed)
    src = whoosh_index.open_dir(str(source_dir))
    with src.searcher() as s:
        texts = [f.get("body", "") for f in s.all_stored_fields()]
    sentences = [x.strip() for t in texts for x in re.split(r"(?<=[.;:])\s+", t) if 40 <= len(x.strip()) <= 400]
    print(f"building a synthetic index of {n} passages from {len(sentences)} real sentences ...")
    ix = open_or_create(target)
    catalog = Catalog(target)
    writer = ix.writer(limitmb=512)
    countries, types = ["kg", "ru", "kz", "int", "tj", "uz"], ["law", "code", "convention", "report"]
    t0 = time.perf_counter()
    for d in range(n // 100):
        meta = DocMeta(
            doc_id=f"synthetic-{d:05d}", path="", relpath="", title=" ".join(rng.sample(sentences, 1)[0].split()[:8]),
            country=rng.choice(countries), doc_type=rng.choice(types), language="ru",
            date=f"{rng.randint(1990, 2024)}-01-01", source="synthetic",
        )
        for i in range(100):
            body = " ".join(rng.sample(sentences, rng.randint(2, 6)))
            p = Passage(label=f"Статья {i + 1}", text=body, pages=[1], heading=rng.choice(sentences)[:120],
                        kind="article", number=str(i + 1))
            writer.add_document(**passage_fields(meta, p, i))
        catalog.record(FileRecord(f"synthetic:{d}", 0, 0, "", "", meta.doc_id, "indexed"), meta)
        if d % 100 == 99:
            print(f"  {100 * (d + 1)} passages, {time.perf_counter() - t0:.0f} s")
    writer.commit()
    catalog.close()
    print(f"built in {time.perf_counter() - t0:.0f} s")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index-dir", type=Path, default=Path("var/index"))
    ap.add_argument("--source-index", type=Path, default=Path("var/index"), help="for --synthetic")
    ap.add_argument("--synthetic", type=int, default=0)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--clock", choices=sorted(CLOCKS), default="wall")
    args = ap.parse_args()
    global clock
    clock = CLOCKS[args.clock]
    if args.synthetic and not whoosh_index.exists_in(str(args.index_dir)):
        build_synthetic(args.source_index, args.index_dir, args.synthetic)
    engine = SearchEngine(args.index_dir)
    queries = sample_queries(engine, args.queries)
    print(f"index {args.index_dir}: {engine.stats()['passages']} passages, {len(queries)} queries, {args.clock} clock")
    # First pass: every query new to the process (posting lists decoded from disk, then cached).
    report("cold, with snippets", measure(engine, queries, snippets=True))
    # Second pass: a serving process that has seen these words before.
    report("warm, no snippets", measure(engine, queries, snippets=False))
    report("warm, with snippets", measure(engine, queries, snippets=True))
    shapes = {
        "one word": [q for q in queries if " " not in q and q[0] not in '="' and not q.endswith("*")],
        "AND (2-3 words)": [q for q in queries if " " in q and not q.startswith('"') and " OR " not in q],
        "phrases and ~N": [q for q in queries if q.startswith('"')],
        "prefix*": [q for q in queries if q.endswith("*")],
        "lawyer queries": lawyer_queries(),  # references (`ст. 5 ГПК КР`), concepts, long questions
    }
    for label, qs in shapes.items():
        report(f"  warm {label}", measure(engine, qs, snippets=True))


if __name__ == "__main__":
    main()
