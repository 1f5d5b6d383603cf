"""Indexing speed (extraction and passage indexing apart), index size by part, and a re-run's cost.

    .venv/bin/python benchmarks/bench_index.py [FOLDER] [--workers 2] [--repeat 1]
                                               [--exclude-manifest FILE] [--keep DIR] [--sizes DIR]

FOLDER defaults to ../shared/corpus, indexed as the README says (the hostile test PDFs its
../shared/testdata/MANIFEST.tsv lists are left out). Prints:
- extraction alone: PDF pages/s in one process (median of --repeat), text files/s;
- `migrantlex index` cold: passages/s, files/s, wall and CPU (main process and workers);
- a re-run on the unchanged folder: its time and how many files it read (none, when it works);
- the index by part: postings and term table entries of lemmas and of `=exact` forms per field,
  stored fields, columns (field lengths, facets, row_facts), the catalog.
`--sizes DIR` prints only the parts of an existing index.
"""

from __future__ import annotations

import argparse
import contextlib
import resource
import statistics
import tempfile
import time
from collections import Counter
from pathlib import Path

from whoosh import index as whoosh_index

from indexer.catalog import CATALOG_NAME
from indexer.extract import extract
from indexer.manifest import read_manifest_file
from indexer.models import ExtractionError
from indexer.writer import discover, index_paths

SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def cpu_seconds() -> tuple[float, float]:
    """(this process, its finished children) user+system CPU seconds."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime, kids.ru_utime + kids.ru_stime


def bench_extraction(folder: Path, repeat: int, exclude: Path | None) -> None:
    files = [p for p, _ in discover([folder]).files]
    if exclude:
        listed = set(read_manifest_file(exclude))
        files = [p for p in files if p.relative_to(folder).as_posix() not in listed]
    pdfs = [p for p in files if p.suffix.lower() == ".pdf"]
    texts = [p for p in files if p.suffix.lower() != ".pdf"][:2000]
    if pdfs:
        rates, pages = [], 0
        for _ in range(repeat):
            pages, secs = 0, 0.0
            for pdf in pdfs:
                t = time.perf_counter()
                with contextlib.suppress(ExtractionError):
                    pages += len(extract(pdf).pages)
                secs += time.perf_counter() - t
            rates.append(pages / secs)
        print(f"extraction, PDF (pdfminer.six, 1 process): {len(pdfs)} files, {pages} pages,"
              f" median {statistics.median(rates):.1f} pages/s")
    if texts:
        t = time.perf_counter()
        for path in texts:
            with contextlib.suppress(ExtractionError):
                extract(path)
        print(f"extraction, other files (1 process): {len(texts) / (time.perf_counter() - t):.0f} files/s"
              f" over {len(texts)}")


def bench_indexing(folder: Path, workers: int, exclude: Path | None, keep: Path | None) -> None:
    with tempfile.TemporaryDirectory(prefix="mlx-bench-") as tmp:
        index_dir = keep or Path(tmp) / "index"
        cpu0 = cpu_seconds()
        first = index_paths([folder], index_dir, workers=workers, progress=False, exclude_manifest=exclude)
        main_cpu, kids_cpu = (b - a for a, b in zip(cpu0, cpu_seconds(), strict=True))
        second = index_paths([folder], index_dir, workers=workers, progress=False, exclude_manifest=exclude)
        files = len(first.indexed) + len(first.no_text) + len(first.skipped)
        print(first.summary().splitlines()[0])
        print(f"indexing ({workers} workers): {first.passages / first.seconds:.0f} passages/s,"
              f" {files / first.seconds:.1f} files/s; wall {first.seconds:.1f} s,"
              f" CPU {main_cpu:.1f} s main + {kids_cpu:.1f} s workers"
              f" = {1000 * (main_cpu + kids_cpu) / max(first.passages, 1):.2f} ms CPU per passage")
        print(f"re-run on the unchanged folder: {second.seconds:.2f} s, {second.unchanged} unchanged,"
              f" {len(second.indexed)} read again")
        text = folder_size(folder)
        size = folder_size(index_dir)
        print(f"index: {size / 2**20:.1f} MiB for {text / 2**20:.1f} MiB of files = {size / text:.2f}x")
        print_parts(index_dir)


def print_parts(index_dir: Path) -> None:
    """Bytes of each part of the index: whoosh segments opened up, the catalog beside them."""
    parts: Counter[str] = Counter()
    ix = whoosh_index.open_dir(str(index_dir))
    with ix.reader() as top:
        readers = [r for r, _ in top.leaf_readers()]
        for reader in readers:
            segment = reader.segment()
            storage = segment.open_compound_file(ix.storage) if segment.is_compound() else ix.storage
            for name in segment.list_files(storage) if not segment.is_compound() else storage.list():
                ext = name.split(".", 1)[1] if "." in name else name
                parts[_part_name(ext)] += storage.file_length(name)
            _split_postings(reader, parts)
            _split_terms(reader, parts)
        sizes = sorted((r.doc_count_all() for r in readers), reverse=True)
        print(f"  {len(sizes)} segments of {', '.join(map(str, sizes))} passages"
              " (each segment holds its own copy of every term it has)")
    if (index_dir / CATALOG_NAME).is_file():
        parts["catalog.sqlite"] = (index_dir / CATALOG_NAME).stat().st_size
    total = sum(v for k, v in parts.items() if not k.startswith("  "))
    for name, size in sorted(parts.items(), key=lambda kv: (kv[0].startswith("  "), "entries" in kv[0], -kv[1])):
        if name.startswith("  term entries"):
            print(f"  {name:<40} {size:>9,}")
        else:
            print(f"  {name:<40} {size / 2**20:9.1f} MiB  {100 * size / total:5.1f}%")


def _part_name(ext: str) -> str:
    return {
        "trm": "term table (.trm)",
        "pst": "postings (.pst)",
        "vps": "term vectors (.vps)",
        "_stored.col": "stored fields (_stored.col)",
    }.get(ext, f"column {ext.removesuffix('.col')}" if ext.endswith(".col") else ext)


def _split_postings(reader, parts: Counter) -> None:
    """Posting bytes per field, lemmas and `=exact` forms apart (indented: a split of .pst)."""
    terms = reader._terms  # W3TermsReader: term info carries each posting list's extent
    for (fieldname, tbytes), info in terms.items():
        if info.is_inlined():
            continue
        kind = "=exact" if tbytes.startswith(b"=") else "terms"
        length = info.extent()[1]  # from_bytes leaves it as struct.unpack's 1-tuple
        parts[f"  .pst {fieldname} {kind}"] += length[0] if isinstance(length, tuple) else length


def _split_terms(reader, parts: Counter) -> None:
    """Term table bytes per field, lemmas and `=exact` forms apart (indented: a split of .trm):
    each entry's lengths, key and term info, and its two slots of the hash table."""
    terms = reader._terms
    names = {number: name for name, number in terms._fieldmap.items()}
    for key, value in terms._tindex.items():
        kind = "=exact" if key[2:3] == b"=" else "terms"
        parts[f"  .trm {names[int.from_bytes(key[:2], 'big')]} {kind}"] += 8 + len(key) + len(value) + 24
        parts[f"  term entries, {kind}"] += 1


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("folder", nargs="?", type=Path, default=SHARED / "corpus")
    ap.add_argument("--exclude-manifest", type=Path, default=None,
                    help="files not to index (default for ../shared/corpus: ../shared/testdata/MANIFEST.tsv)")
    ap.add_argument("--repeat", type=int, default=1)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--skip-extraction", action="store_true")
    ap.add_argument("--keep", type=Path, help="build the index here (must not exist) and keep it")
    ap.add_argument("--sizes", type=Path, help="only print the parts of this existing index")
    args = ap.parse_args()
    if args.sizes:
        print_parts(args.sizes)
        return
    folder = args.folder.resolve()
    exclude = args.exclude_manifest
    default_exclude = SHARED / "testdata" / "MANIFEST.tsv"
    if exclude is None and folder == (SHARED / "corpus").resolve() and default_exclude.is_file():
        exclude = default_exclude
    if not args.skip_extraction:
        bench_extraction(folder, args.repeat, exclude)
    bench_indexing(folder, args.workers, exclude, args.keep)


if __name__ == "__main__":
    main()
