"""Extraction pages/s, indexing passages/s, index size, and the cost of a re-run.

    .venv/bin/python benchmarks/bench_index.py [--corpus ../shared/corpus] [--repeat 3]

Prints medians over --repeat runs for extraction; indexing is run once cold and once again on
the unchanged corpus (the incremental case).
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

from indexer.extract import extract
from indexer.models import ExtractionError
from indexer.writer import index_paths


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def bench_extraction(corpus: Path, repeat: int) -> None:
    pdfs = sorted((corpus / "pdf").glob("*.pdf"))
    rates, pages_total, secs_total = [], 0, 0.0
    for _ in range(repeat):
        pages, secs = 0, 0.0
        for pdf in pdfs:
            t = time.perf_counter()
            with contextlib.suppress(ExtractionError):
                pages += len(extract(pdf).pages)
            secs += time.perf_counter() - t
        rates.append(pages / secs)
        pages_total, secs_total = pages, secs
    print(f"PDF extraction (pdfminer.six, 1 process): {len(pdfs)} files, {pages_total} pages,"
          f" median {statistics.median(rates):.1f} pages/s (last run {secs_total:.1f} s)")


def bench_indexing(corpus: Path, workers: int) -> None:
    with tempfile.TemporaryDirectory(prefix="mlx-bench-") as tmp:
        index_dir = Path(tmp) / "index"
        first = index_paths([corpus], index_dir, workers=workers, progress=True)
        second = index_paths([corpus], index_dir, workers=workers, progress=False)
        size = folder_size(index_dir)
        print(first.summary().splitlines()[0])
        print(f"indexing: {first.passages} passages in {first.seconds:.1f} s ="
              f" {first.passages / first.seconds:.0f} passages/s ({workers} extraction workers)")
        print(f"index size: {size / 2**20:.1f} MiB for {folder_size(corpus) / 2**20:.1f} MiB of source files")
        print(f"re-run on the unchanged corpus: {second.seconds:.2f} s"
              f" = {100 * second.seconds / first.seconds:.2f}% of the first run"
              f" ({second.unchanged} unchanged, {len(second.indexed)} re-indexed)")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--corpus", type=Path, default=Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-extraction", action="store_true")
    args = ap.parse_args()
    corpus = args.corpus.resolve()
    if not args.skip_extraction:
        bench_extraction(corpus, args.repeat)
    bench_indexing(corpus, args.workers)


if __name__ == "__main__":
    main()
