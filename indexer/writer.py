"""Incremental, resumable indexing: files in, passages committed to whoosh, catalog updated.

One run: discover files, skip the unchanged ones without reading them (size + mtime, then
sha256), extract/structure the rest in worker processes, write their passages, drop the
passages of deleted files. The whoosh commit always precedes the catalog update, so a run
killed at any point leaves an index that opens and a catalog that tells the next run what
is left to do.
"""

from __future__ import annotations

import hashlib
import os
import signal
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm
from whoosh import index as whoosh_index

from indexer.catalog import Catalog, FileRecord
from indexer.extract import extract
from indexer.metadata import MANIFEST_NAME, ManifestIndex, build_meta, manifest_signature
from indexer.models import DocMeta, ExtractionError, Passage
from indexer.schema import build_schema
from indexer.structure import split_passages

SUPPORTED_SUFFIXES = {".pdf", ".html", ".htm", ".docx", ".md", ".txt"}
COMMIT_EVERY_PASSAGES = 20_000
COMMIT_EVERY_SECONDS = 120.0
FILE_TIMEOUT_SECONDS = 900.0


@dataclass
class IndexReport:
    """What a run did, for the summary line and for --strict."""

    indexed: list[str] = field(default_factory=list)
    no_text: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    warnings: list[str] = field(default_factory=list)
    passages: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    def summary(self) -> str:
        lines = [
            f"indexed {len(self.indexed)} files ({self.passages} passages), "
            f"{self.unchanged} unchanged, {self.removed} removed, {len(self.skipped)} skipped, "
            f"{len(self.no_text)} without a text layer, in {self.seconds:.1f} s"
            + (" (interrupted: run again to finish)" if self.interrupted else "")
        ]
        lines += [f"  skipped {path}: {reason}" for path, reason in self.skipped]
        lines += [f"  no text layer: {path}" for path in self.no_text]
        return "\n".join(lines)


@dataclass
class _Job:
    path: Path
    base: Path  # ids are relative to this folder (see metadata.build_meta)
    manifest_row: dict[str, str]
    manifest_sig: str
    size: int
    mtime_ns: int
    sha256: str


@dataclass
class _Processed:
    meta: DocMeta | None
    passages: list[Passage]
    warnings: list[str]
    error: str = ""


def discover(paths: Iterable[Path]) -> Iterator[tuple[Path, Path]]:
    """(file, root) pairs for every supported file under `paths`; hidden folders are skipped."""
    for given in paths:
        given = Path(given).resolve()
        if given.is_file():
            yield given, given.parent
            continue
        if not given.is_dir():
            raise FileNotFoundError(f"no such file or folder: {given}")
        for dirpath, dirnames, filenames in os.walk(given):
            dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
            for name in sorted(filenames):
                p = Path(dirpath) / name
                if p.suffix.lower() in SUPPORTED_SUFFIXES and name != MANIFEST_NAME:
                    yield p, given


def sha256_of(path: Path) -> str:
    h = hashlib.sha256()
    with path.open("rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def open_or_create(index_dir: Path) -> whoosh_index.Index:
    index_dir.mkdir(parents=True, exist_ok=True)
    if whoosh_index.exists_in(str(index_dir)):
        return whoosh_index.open_dir(str(index_dir))
    return whoosh_index.create_in(str(index_dir), build_schema())


def process_file(job: _Job) -> _Processed:
    """Extract, describe and split one file. Runs in a worker process; never raises."""
    try:
        extracted = extract(job.path)
    except ExtractionError as exc:
        return _Processed(None, [], [], error=exc.reason)
    except Exception as exc:  # a bug or a pathological file must not end the run
        return _Processed(None, [], [], error=f"unexpected error: {type(exc).__name__}: {exc}")
    try:
        meta = build_meta(job.path, job.base, extracted, job.manifest_row)
        passages = split_passages(
            extracted.pages, doc_type=meta.doc_type, language=meta.language, title=meta.title
        ) if extracted.has_text else []
    except Exception as exc:
        return _Processed(None, [], [], error=f"unexpected error: {type(exc).__name__}: {exc}")
    return _Processed(meta, passages, list(extracted.warnings))


def passage_fields(meta: DocMeta, passage: Passage, ordinal: int) -> dict:
    """The whoosh document for one passage."""
    return {
        "passage_id": f"{meta.doc_id}/{ordinal}",
        "doc_id": meta.doc_id,
        "ordinal": ordinal,
        "title": meta.title,
        "heading": " ".join(x for x in (passage.label, passage.heading) if x),
        "body": passage.text,
        "label": passage.label,
        "path": passage.path,
        "pages": passage.pages,
        "kind": passage.kind,
        "number": passage.number,
        "act_number": meta.number.lower(),
        "country": meta.country,
        "doc_type": meta.doc_type,
        "language": meta.language,
        "passage_language": passage.language or meta.language,
        "year": meta.year or 0,
        "date": meta.date,
    }


class _Run:
    """State of one indexing run; exists to keep index_paths() readable."""

    def __init__(self, index_dir: Path, report: IndexReport) -> None:
        self.ix = open_or_create(index_dir)
        self.catalog = Catalog(index_dir)
        self.report = report
        self.writer = None
        self.pending: list[tuple[FileRecord, DocMeta | None]] = []
        self.pending_removals: list[tuple[str, str | None]] = []
        self.pending_passages = 0
        self.last_commit = time.monotonic()

    def _writer(self):
        if self.writer is None:
            self.writer = self.ix.writer(limitmb=256)
        return self.writer

    def remove(self, path: str, doc_id: str | None) -> None:
        if doc_id:
            self._writer().delete_by_term("doc_id", doc_id)
        self.pending_removals.append((path, doc_id))

    def add(self, job: _Job, result: _Processed, doc_id_taken: dict[str, str]) -> None:
        path = str(job.path)
        rec = FileRecord(path, job.size, job.mtime_ns, job.sha256, job.manifest_sig, None, "skipped")
        if result.error:
            rec.reason = result.error
            self.report.skipped.append((path, result.error))
            self.pending.append((rec, None))
            return
        meta = result.meta
        assert meta is not None
        owner = doc_id_taken.get(meta.doc_id)
        if owner and owner != path:  # same relative path under two roots
            meta.doc_id = f"{meta.doc_id}-{hashlib.sha1(path.encode()).hexdigest()[:6]}"
        doc_id_taken[meta.doc_id] = path
        writer = self._writer()
        writer.delete_by_term("doc_id", meta.doc_id)
        for ordinal, passage in enumerate(result.passages):
            writer.add_document(**passage_fields(meta, passage, ordinal))
        rec.doc_id = meta.doc_id
        rec.passages = len(result.passages)
        rec.status = "indexed" if result.passages else "no_text"
        rec.reason = "" if result.passages else "no text layer"
        (self.report.indexed if result.passages else self.report.no_text).append(path)
        self.report.passages += len(result.passages)
        self.report.warnings += [f"{path}: {w}" for w in result.warnings]
        self.pending.append((rec, meta))
        self.pending_passages += len(result.passages)
        if (
            self.pending_passages >= COMMIT_EVERY_PASSAGES
            or time.monotonic() - self.last_commit > COMMIT_EVERY_SECONDS
        ):
            self.commit(merge=False)

    def commit(self, merge: bool = True) -> None:
        """whoosh first, then the catalog: see the module docstring."""
        if self.writer is not None:
            self.writer.commit(merge=merge)
            self.writer = None
        for path, doc_id in self.pending_removals:
            self.catalog.forget(path, doc_id)
        for rec, meta in self.pending:
            self.catalog.record(rec, meta)
        self.pending, self.pending_removals = [], []
        self.pending_passages = 0
        self.last_commit = time.monotonic()

    def close(self) -> None:
        self.catalog.close()
        self.ix.close()


def _plan(
    files: list[tuple[Path, Path]],
    known: dict[str, FileRecord],
    run: _Run,
    manifests: ManifestIndex,
) -> list[_Job]:
    """Jobs for new or changed files; unchanged ones are counted (and their mtime refreshed)."""
    jobs = []
    for path, root in files:
        try:
            st = path.stat()
        except OSError as exc:
            run.report.skipped.append((str(path), f"cannot stat: {exc.strerror}"))
            continue
        row, manifest_dir = manifests.lookup(path)
        sig = manifest_signature(row)
        rec = known.get(str(path))
        if rec and rec.size == st.st_size and rec.mtime_ns == st.st_mtime_ns and rec.manifest == sig:
            _count_unchanged(rec, run.report)
            continue
        try:
            digest = sha256_of(path)
        except OSError as exc:
            run.report.skipped.append((str(path), f"cannot read: {exc.strerror or exc}"))
            continue
        if rec and rec.sha256 == digest and rec.manifest == sig:
            rec.mtime_ns, rec.size = st.st_mtime_ns, st.st_size
            run.catalog.touch(rec)
            _count_unchanged(rec, run.report)
            continue
        jobs.append(_Job(path, manifest_dir or root, row, sig, st.st_size, st.st_mtime_ns, digest))
    return jobs


def _count_unchanged(rec: FileRecord, report: IndexReport) -> None:
    report.unchanged += 1
    if rec.status == "skipped":
        report.skipped.append((rec.path, f"{rec.reason} (unchanged since last run)"))
    elif rec.status == "no_text":
        report.no_text.append(rec.path)


def _results(jobs: list[_Job], workers: int) -> Iterator[tuple[_Job, _Processed]]:
    """Process jobs in worker processes, at most 2 per worker in flight, yielding in completion order."""
    if workers <= 1:
        for job in jobs:
            yield job, process_file(job)
        return
    pool = _new_pool(workers)
    queue = list(reversed(jobs))
    inflight: dict[Future, tuple[_Job, float]] = {}
    try:
        while queue or inflight:
            while queue and len(inflight) < 2 * workers:
                job = queue.pop()
                inflight[pool.submit(process_file, job)] = (job, time.monotonic())
            done, _ = wait(inflight, timeout=5.0, return_when=FIRST_COMPLETED)
            for fut in done:
                job, _started = inflight.pop(fut)
                try:
                    yield job, fut.result()
                except Exception as exc:  # a worker died (e.g. out of memory)
                    yield job, _Processed(None, [], [], error=f"worker failed: {exc!r}")
            now = time.monotonic()
            for fut, (job, started) in list(inflight.items()):
                if now - started > FILE_TIMEOUT_SECONDS and not fut.done():
                    inflight.pop(fut)
                    yield job, _Processed(None, [], [], error="timed out during extraction")
                    _kill_workers(pool)
                    pool = _new_pool(workers)
                    queue.extend(j for j, _ in inflight.values())
                    inflight.clear()
                    break
    finally:
        _kill_workers(pool)


def _worker_init() -> None:
    """Workers leave Ctrl-C and SIGTERM to the main process, which commits and then stops them."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    for proc in list((getattr(pool, "_processes", None) or {}).values()):
        if proc.is_alive():
            proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


def index_paths(
    paths: Iterable[Path | str],
    index_dir: Path | str,
    *,
    workers: int | None = None,
    progress: bool = True,
    manifest: Path | str | None = None,
) -> IndexReport:
    """Bring the index in `index_dir` up to date with the files under `paths`.

    `manifest`: an extra MANIFEST.tsv-format file whose paths are relative to the folders given.
    """
    started = time.monotonic()
    report = IndexReport()
    index_dir = Path(index_dir)
    paths = [Path(p) for p in paths]
    files = list(discover(paths))
    roots = {p.resolve() for p in paths if p.is_dir()}  # removals: only under folders given
    run = _Run(index_dir, report)
    previous_sigterm = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        known = run.catalog.files()
        seen = {str(p) for p, _ in files}
        for path, rec in known.items():
            if path not in seen and any(Path(path).is_relative_to(r) for r in roots):
                run.remove(path, rec.doc_id)
                report.removed += 1
        extra = [(Path(manifest), p) for p in paths if p.is_dir()] if manifest else []
        jobs = _plan(files, known, run, ManifestIndex(extra))
        doc_id_taken = {r.doc_id: p for p, r in known.items() if r.doc_id}
        bar = tqdm(total=len(jobs), unit="file", desc="indexing", disable=not progress or not jobs)
        try:
            for job, result in _results(jobs, workers or min(2, os.cpu_count() or 1)):
                run.add(job, result, doc_id_taken)
                bar.update(1)
                bar.set_postfix(passages=report.passages, refresh=False)
        except KeyboardInterrupt:
            report.interrupted = True
        finally:
            bar.close()
        run.commit(merge=not report.interrupted)
    finally:
        signal.signal(signal.SIGTERM, previous_sigterm)
        run.close()
    report.seconds = time.monotonic() - started
    return report


def _raise_interrupt(signum, frame):  # noqa: ARG001 - signal handler signature
    raise KeyboardInterrupt
