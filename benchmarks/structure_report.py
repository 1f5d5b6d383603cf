"""Per legal document of the corpus: provisions found and numbering gaps/duplicates/disorder.

    .venv/bin/python benchmarks/structure_report.py [CORPUS_DIR] [--pdf] [--details]

Reads every law, code, convention and treaty in MANIFEST.tsv (and the UDHR texts), extracts it
with indexer.extract, splits it, and checks the article numbers against each other. PDFs are
slow to extract (pdfminer, ~15 pages/s) and are only included with --pdf. The split time is
reported separately from extraction.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from indexer.extract import extract
from indexer.manifest import read_manifest
from indexer.models import ExtractionError
from indexer.structure import analyze_numbering, split_passages

DEFAULT_CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus"
LEGAL_TYPES = {"law", "code", "convention", "treaty"}


def legal_rows(corpus: Path, with_pdf: bool) -> list[dict]:
    rows = [{"path": path, **row} for path, row in read_manifest(corpus).items()]
    chosen = []
    for row in rows:
        legal = row["doc_type"] in LEGAL_TYPES or Path(row["path"]).name.startswith("udhr-")
        if legal and (with_pdf or not row["path"].endswith(".pdf")):
            chosen.append(row)
    return chosen


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--pdf", action="store_true", help="include PDFs (slow extraction)")
    parser.add_argument("--details", action="store_true", help="list every gap and duplicate")
    args = parser.parse_args(argv)
    total_split = total_chars = 0.0
    print(f"{'document':55} {'passages':>8} {'articles':>8} {'scopes':>6} {'dups':>4} "
          f"{'gaps':>4} {'order':>5} {'ms':>6}")
    for row in legal_rows(args.corpus, args.pdf):
        path = args.corpus / row["path"]
        try:
            extracted = extract(path)
        except ExtractionError as exc:
            print(f"{row['path']:55} cannot read: {exc.reason}")
            continue
        started = time.perf_counter()
        passages = split_passages(extracted.pages, doc_type=row["doc_type"], language=row["language"])
        numbering = analyze_numbering(extracted.pages, doc_type=row["doc_type"], language=row["language"])
        elapsed = time.perf_counter() - started
        total_split += elapsed / 2  # both calls split the document once
        total_chars += sum(len(p.text) for p in extracted.pages)
        print(f"{row['path']:55} {len(passages):8} {numbering.count:8} {numbering.scopes:6} "
              f"{len(numbering.duplicates):4} {len(numbering.gaps):4} {len(numbering.disorder):5} "
              f"{elapsed * 500:6.0f}")
        if args.details:
            for duplicate in numbering.duplicates:
                print(f"    duplicate {duplicate}")
            for first, last in numbering.gaps:
                print(f"    absent {first}" + (f"-{last}" if last != first else ""))
            for before, after in numbering.disorder:
                print(f"    backwards {before} -> {after}")
    print(f"split {total_chars / 1e6:.1f} M characters in {total_split:.2f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
