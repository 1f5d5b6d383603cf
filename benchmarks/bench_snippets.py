"""Snippets that repeat themselves: how many, over 300 queries (issue 14, item 4).

    .venv/bin/python benchmarks/bench_snippets.py --index-dir /work/var/ix-ci [--queries 300] [--show 5]

The queries are the real query sets of tests/data (lawyer and concept queries) and, for the
rest, queries sampled from the index's own vocabulary as benchmarks/bench_search.py samples
them (words of real headings: single words, pairs, phrases, OR, prefixes, exact forms). Every
snippet of the first page counts; a snippet "repeats" when a span of REPEAT_WORDS words occurs
twice in it. Also counted: snippets that repeat a span of the heading printed beside them.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import sample_queries  # noqa: E402

from indexer.search import SearchEngine  # noqa: E402
from indexer.search.snippets import repeated_span  # noqa: E402

REPEAT_WORDS = 8
DATA = Path(__file__).resolve().parent.parent / "tests" / "data"
_TAG_RE = re.compile(r"</?mark>")


def real_queries() -> list[str]:
    """The first column of the hand-written query sets."""
    out = []
    for name in ("lawyer_queries.tsv", "concept_queries.tsv"):
        for line in (DATA / name).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.startswith("#"):
                out.append(line.split("\t")[0])
    return out


def plain(snippet: str) -> str:
    return _TAG_RE.sub("", snippet)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--index-dir", required=True)
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--show", type=int, default=3, help="print this many repeating snippets")
    args = ap.parse_args()
    engine = SearchEngine(args.index_dir)
    real = real_queries()[: args.queries]
    queries = real + sample_queries(engine, args.queries - len(real))
    snippets = repeating = with_heading = 0
    shown, started = 0, time.perf_counter()
    for q in queries:
        for doc in engine.search(q, limit=10)["results"]:
            for p in doc["passages"]:
                text = plain(p.get("snippet", ""))
                if not text:
                    continue
                snippets += 1
                span = repeated_span(text, REPEAT_WORDS)
                if span:
                    repeating += 1
                    if shown < args.show:
                        shown += 1
                        print(f"  {q!r} {doc['doc_id']} {p['label']}: …{span}…\n    {text[:400]}")
                if repeated_span(f"{p['heading']} {text}", REPEAT_WORDS):
                    with_heading += 1
    took = time.perf_counter() - started
    print(f"{len(queries)} queries ({len(real)} real, {len(queries) - len(real)} sampled), {snippets} snippets, {took:.0f} s")
    print(f"snippets repeating a span of {REPEAT_WORDS}+ words: {repeating} ({100 * repeating / max(snippets, 1):.1f} %)")
    print(f"heading + snippet repeating a span of {REPEAT_WORDS}+ words: {with_heading} ({100 * with_heading / max(snippets, 1):.1f} %)")


if __name__ == "__main__":
    main()
