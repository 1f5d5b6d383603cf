"""Incremental, resumable indexing: files in, passages committed to whoosh, catalog updated.

One run: discover files, skip the unchanged ones without reading them (size + mtime, then
sha256), extract/structure the rest in worker processes, write their passages, drop the
passages of deleted or now unreadable files.

Safety, in order of how much it matters:
- Progress is committed in batches (budgets.COMMIT_EVERY_*: 10 minutes or 50,000 passages, so a
  kill loses at most ten minutes of work). Every commit adds a segment per builder, and each
  segment costs its own copy of every term it holds (term entry plus posting block, ~100-200
  bytes): with 30 s batches a 100k run left ~100 segments and an index 4x its text, with 2-minute
  batches 20 segments and 3.1x. On real10k at load ~10, 2-minute batches left 5 segments (3.03x,
  and a last merge of the small ones cost 47 s of CPU), one batch 2 segments (2.84x). Fewer,
  larger segments cost no CPU, where merging them afterwards costs about half of indexing them
  again.
  Each batch is whoosh first, then one catalog transaction that records the whoosh generation it
  matches (see catalog.py for what a reader must call).
- SIGINT/SIGTERM are deferred while a file's passages are added and while committing
  (interrupts.py): a writer never holds half a document; the batch of whole files is committed,
  then the run stops. kill -9 loses the current batch; the next run redoes it.
- One run at a time per index folder: a second one stops at once (IndexBusy).
- A failed write (disk full) cancels the writer and removes what it left behind (IndexWriteError).
- The last commit rewrites the segments that hold deleted passages: whoosh counts deleted
  passages in its statistics until then, and ranking must not depend on the index's history.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import signal
import stat
import time
from collections.abc import Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from tqdm import tqdm
from whoosh import index as whoosh_index
from whoosh.filedb.filestore import FileStorage
from whoosh.reading import SegmentReader
from whoosh.writing import NO_MERGE

from indexer import budgets
from indexer.builders import BuilderError, SegmentBuilders, commit_with
from indexer.catalog import Catalog, FileRecord
from indexer.codec import CompactCodec
from indexer.extract import extract
from indexer.filetypes import SUFFIXES
from indexer.interrupts import DeferredInterrupts
from indexer.manifest import MANIFEST_NAME, ManifestIndex, manifest_signature, read_manifest_file
from indexer.metadata import build_meta, doc_id_for, printable
from indexer.models import DocMeta, ExtractionError, Named, Passage
from indexer.passage_entities import find_in_document, find_in_documents
from indexer.schema import build_schema
from indexer.settings import INDEX_FORMAT
from indexer.structure import split_passages

SUPPORTED_SUFFIXES = SUFFIXES  # indexer/filetypes.py: what discovery picks up
# Small text files go to the workers in groups: the NER model tags a batch of passages for less
# than it costs one by one (per 2,300-character passage, ~12 ms alone, 8-9 ms in small batches).
GROUPED_SUFFIXES = frozenset({".txt", ".md", ".markdown"})  # read fast, never hang
GROUP_FILE_BYTES = 64 * 1024
GROUP_FILES = 16
RUN_LOCK_NAME = "migrantlex-run.lock"  # an OS file lock, see _lock_run


class IndexBusy(Exception):
    """Another run is writing to this index folder."""


class IndexWriteError(Exception):
    """The index could not be written (disk full, permissions); nothing half-written was kept."""


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
    reindexed_all: str = ""  # why every file was redone (the index was built by another format)

    def summary(self) -> str:
        """Paths that are not UTF-8 are shown with replacement characters (printing cannot fail)."""
        lines = [
            f"indexed {len(self.indexed)} files ({self.passages} passages), "
            f"{self.unchanged} unchanged, {self.removed} removed, {len(self.skipped)} skipped, "
            f"{len(self.no_text)} without a text layer, in {self.seconds:.1f} s"
            + (" (interrupted: run again to finish)" if self.interrupted else "")
        ]
        if self.reindexed_all:
            lines.append(f"  every file was re-indexed: {self.reindexed_all}")
        lines += [f"  skipped {printable(path)}: {reason}" for path, reason in self.skipped]
        lines += [f"  no text layer: {printable(path)}" for path in self.no_text]
        return "\n".join(lines)


@dataclass
class _Job:
    path: Path
    base: Path  # ids and relative paths are relative to this folder (see id_base)
    manifest_row: dict[str, str]
    manifest_sig: str
    size: int
    mtime_ns: int
    sha256: str
    doc_id: str = ""  # decided by the main process, in a fixed order (see _assign_ids)
    old_doc_id: str | None = None  # the id its passages had before, if any


@dataclass
class _Processed:
    meta: DocMeta | None
    passages: list[Passage]
    warnings: list[str]
    error: str = ""
    passage_entities: list[list[str]] = field(default_factory=list)  # entity ids, one list per passage
    entities: list[Named] = field(default_factory=list)  # the document's tally (catalog)


@dataclass
class Discovered:
    files: list[tuple[Path, Path]] = field(default_factory=list)  # (real file, root), each once
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)


_FILE_KINDS = (
    (stat.S_ISFIFO, "a named pipe (FIFO)"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISDIR, "a folder"),
)


def _not_regular(mode: int) -> str:
    kind = next((name for test, name in _FILE_KINDS if test(mode)), "a special file")
    return f"not a regular file ({kind})"


def _regular_file(path: Path, root: Path) -> tuple[Path | None, str]:
    """(the real file to index, "") or (None, why not): FIFOs would hang, devices never end,
    links out of the folder may lead anywhere (/dev/zero, /etc/passwd)."""
    try:
        st = os.lstat(path)
        if stat.S_ISLNK(st.st_mode):
            try:
                target = path.resolve(strict=True)
            except (OSError, RuntimeError):
                return None, "broken symbolic link"
            if not target.is_relative_to(root):
                return None, "symbolic link to a file outside the folder"
            path, st = target, os.stat(target)
    except OSError as exc:
        return None, f"cannot stat: {exc.strerror or exc}"
    if not stat.S_ISREG(st.st_mode):
        return None, _not_regular(st.st_mode)
    return path, ""


def discover(paths: Iterable[Path]) -> Discovered:
    """Every supported file under `paths` once (a link inside the tree is its target); hidden
    folders are skipped, special files and links leaving the folder are reported."""
    found = Discovered()
    seen: set[Path] = set()

    def consider(path: Path, root: Path) -> None:
        real, why = _regular_file(path, root)
        if real is None:
            found.skipped.append((str(path), why))
        elif real not in seen:
            seen.add(real)
            found.files.append((real, root))

    for given in paths:
        given = Path(given)
        if given.is_dir():
            root = given.resolve()
            for dirpath, dirnames, filenames in os.walk(root):
                dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
                for name in sorted(filenames):
                    if Path(name).suffix.lower() in SUPPORTED_SUFFIXES and name != MANIFEST_NAME:
                        consider(Path(dirpath) / name, root)
        elif os.path.lexists(given):  # a file named on its own: its real path, however it was named
            real = Path(os.path.realpath(given))
            consider(real, real.parent)
        else:
            raise FileNotFoundError(f"no such file or folder: {printable(str(given))}")
    return found


def id_base(root: Path) -> Path:
    """The folder document ids are relative to: the nearest one at or above `root` holding a
    manifest (so `index corpus/kg` and `index corpus` give the same ids), else `root`.

    Never a folder below `root`: a MANIFEST.tsv appearing in a subfolder must not change ids.
    """
    for folder in (root, *root.parents):
        if (folder / MANIFEST_NAME).is_file():
            return folder
    return root


def sha256_of(path: Path) -> str:
    """The file's digest; refuses anything that is not a regular file (a FIFO would block here)."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as fh:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise OSError(0, _not_regular(mode))
        h = hashlib.sha256()
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def open_or_create(index_dir: Path) -> whoosh_index.Index:
    index_dir.mkdir(parents=True, exist_ok=True)
    if whoosh_index.exists_in(str(index_dir)):
        return whoosh_index.open_dir(str(index_dir))
    return whoosh_index.create_in(str(index_dir), build_schema())


def process_file(job: _Job) -> _Processed:
    """Extract, describe and split one file, and find its entities. Runs in a worker process; never raises."""
    return process_files([job])[0]


def process_files(jobs: list[_Job]) -> list[_Processed]:
    """process_file for each job, the entities of all of them found together: the NER model costs
    less per passage on a batch, and a text file is often a single passage. Never raises."""
    results = [_read(job) for job in jobs]
    read = [r for r in results if r.meta is not None]
    try:
        found = find_in_documents([(r.meta, r.passages) for r in read])
    except Exception:  # one document's failure must not cost the others their entities
        found = [_entities_alone(r) for r in read]
    for r, (per_passage, entities) in zip(read, found, strict=True):
        r.passage_entities, r.entities = per_passage, entities
    return results


def _entities_alone(result: _Processed) -> tuple[list[list[str]], list[Named]]:
    try:
        return find_in_document(result.meta, result.passages)
    except Exception as exc:  # a document without its entities is still worth indexing
        result.warnings.append(f"entities not read: {type(exc).__name__}: {exc}")
        return [], []


def _read(job: _Job) -> _Processed:
    """Extract, describe and split one file (no entities yet); never raises."""
    try:
        extracted = extract(job.path)
    except ExtractionError as exc:
        return _Processed(None, [], [], error=exc.reason)
    except Exception as exc:  # a bug or a pathological file must not end the run
        return _Processed(None, [], [], error=f"unexpected error: {type(exc).__name__}: {exc}")
    if extracted.timed_out and not extracted.has_text:  # not "no text layer": we ran out of time
        late, total = len(extracted.timed_out), len(extracted.pages)
        return _Processed(None, [], [], error=f"timed out: no text read ({late} of {total} pages over the time limit)")
    try:
        meta = build_meta(job.path, job.base, extracted, job.manifest_row)
        meta.doc_id = job.doc_id or meta.doc_id
        passages = split_passages(
            extracted.pages, doc_type=meta.doc_type, language=meta.language, title=meta.title
        ) if extracted.has_text else []
    except Exception as exc:
        return _Processed(None, [], [], error=f"unexpected error: {type(exc).__name__}: {exc}")
    return _Processed(meta, passages, list(extracted.warnings))


def passage_fields(meta: DocMeta, passage: Passage, ordinal: int, entities: Iterable[str] = ()) -> dict:
    """The whoosh document for one passage (`entities`: the ids of the entities it names)."""
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
        "row_facts": (f"{meta.doc_id}/{ordinal}", passage.label, list(passage.pages or [])),
        "entities": " ".join(entities),
    }


def merge_deletions(writer, segments):
    """Rewrite every segment that holds deleted passages, and merge the small segments together.

    whoosh counts a deleted passage in its segment's statistics (lengths, frequencies) until the
    segment is rewritten, so without this an incremental run ranks differently from a clean one.
    Rewriting copies postings without analysing text again, but in whoosh's Python at about half
    the cost of indexing them: whoosh's MERGE_SMALL, which rewrote most of a fresh index at the
    end of a run, stalled a 100k run for minutes (and rewrote a whole 10k run once more). Only
    segments under budgets.SMALL_SEGMENT_PASSAGES are merged together, smallest first and ten
    times that in all (incremental runs leave those), so the last commit costs seconds and tiny
    segments do not pile up.
    """
    rewrite = {s.segment_id() for s in segments if s.has_deletions()}
    small, total = [], 0
    for segment in sorted(segments, key=lambda s: s.doc_count_all()):
        total += segment.doc_count_all()
        if segment.doc_count_all() >= budgets.SMALL_SEGMENT_PASSAGES or total > 10 * budgets.SMALL_SEGMENT_PASSAGES:
            break
        small.append(segment.segment_id())
    if len(small) > 1:
        rewrite.update(small)
    remaining = []
    for segment in segments:
        if segment.segment_id() in rewrite:
            reader = SegmentReader(writer.storage, writer.schema, segment)
            writer.add_reader(reader)
            reader.close()
        else:
            remaining.append(segment)
    return remaining


class _Run:
    """State of one indexing run; exists to keep index_paths() readable."""

    def __init__(
        self, index_dir: Path, report: IndexReport, interrupts: DeferredInterrupts, builders: int = 1
    ) -> None:
        self.index_dir = index_dir
        self.ix = open_or_create(index_dir)
        self.catalog = Catalog(index_dir)
        self.report = report
        self.interrupts = interrupts
        self.writer = None  # deletions, merges, and the commit naming the builders' segments
        self.builders = SegmentBuilders(index_dir, builders)
        self.indexed_ids: set[str] | None = None  # doc ids the index may hold (None: any)
        self.pending: list[tuple[FileRecord, DocMeta | None]] = []
        self.pending_entities: dict[str, list[Named]] = {}  # doc_id -> its tally, for the catalog
        self.pending_removals: list[tuple[str, str | None]] = []
        self.pending_passages = 0
        self.last_commit = time.monotonic()
        _remove_leftovers(self.ix)

    def _writer(self):
        if self.writer is None:
            self.writer = self.ix.writer(limitmb=256, codec=CompactCodec())
        return self.writer

    def reconcile(self) -> None:
        """Drop passages of documents the catalog does not know.

        Only a run killed between a whoosh commit and its catalog commit leaves such passages
        (the two generations then differ); their files are redone, but a file deleted meanwhile
        would otherwise stay searchable for good.
        """
        recorded = self.catalog.generation()
        if recorded is None or recorded == self.ix.latest_generation() or self.ix.is_empty():
            return
        known = {rec.doc_id for rec in self.catalog.files().values() if rec.doc_id}
        with self.ix.reader() as reader:
            stale = [t for t in reader.field_terms("doc_id") if t not in known]
        with self.interrupts.critical():
            for doc_id in stale:
                self._writer().delete_by_term("doc_id", doc_id)

    def remove(self, path: str, doc_id: str | None) -> None:
        with self.interrupts.critical():
            if doc_id:
                self._writer().delete_by_term("doc_id", doc_id)
            self.pending_removals.append((path, doc_id))

    def add(self, job: _Job, result: _Processed) -> None:
        with self.interrupts.critical():
            try:
                self._add(job, result)
            except Exception as exc:  # never keep a writer that holds part of a document
                self._abandon()
                if isinstance(exc, OSError):
                    raise IndexWriteError(self._cannot_write(exc)) from exc
                raise
        if (
            self.pending_passages >= budgets.COMMIT_EVERY_PASSAGES
            or time.monotonic() - self.last_commit > budgets.COMMIT_EVERY_SECONDS
        ):
            self.commit()

    def _add(self, job: _Job, result: _Processed) -> None:
        path = str(job.path)
        rec = FileRecord(path, job.size, job.mtime_ns, job.sha256, job.manifest_sig, None, "skipped")
        meta = result.meta
        if job.old_doc_id and (result.error or meta is None or meta.doc_id != job.old_doc_id):
            self._writer().delete_by_term("doc_id", job.old_doc_id)  # no ghost of the old version
            self.pending_removals.append((path, job.old_doc_id))
        if result.error or meta is None:
            rec.reason = result.error or "no result"
            self.report.skipped.append((path, rec.reason))
            self.pending.append((rec, None))
            return
        if self.indexed_ids is None or meta.doc_id in self.indexed_ids:
            self._writer().delete_by_term("doc_id", meta.doc_id)
        schema = self.ix.schema  # an older index lacks newer fields
        named = result.passage_entities
        self.builders.add([
            {k: v for k, v in passage_fields(meta, passage, ordinal, named[ordinal] if ordinal < len(named) else ()).items()
             if k in schema}
            for ordinal, passage in enumerate(result.passages)
        ])
        rec.doc_id = meta.doc_id
        rec.passages = len(result.passages)
        rec.status = "indexed" if result.passages else "no_text"
        rec.reason = "" if result.passages else "no text layer"
        (self.report.indexed if result.passages else self.report.no_text).append(path)
        self.report.passages += len(result.passages)
        self.report.warnings += [f"{printable(path)}: {w}" for w in result.warnings]
        self.pending.append((rec, meta))
        self.pending_entities[meta.doc_id] = result.entities
        self.pending_passages += len(result.passages)

    def commit(self, final: bool = False, interrupted: bool = False) -> None:
        """whoosh first, then the catalog with the generation it matches (see the module docstring).

        The final commit of a complete run also rewrites segments holding deleted passages.
        """
        with self.interrupts.critical():
            if final and not interrupted and any(s.has_deletions() for s in self.ix._segments()):
                self._writer()
            generation = self.ix.latest_generation()
            try:
                segments = self.builders.finish()
            except BuilderError as exc:
                self._abandon()
                raise IndexWriteError(f"cannot write the index in {printable(str(self.index_dir))}: {exc}") from exc
            if segments:
                self._writer()
            if self.writer is not None:
                writer, self.writer = self.writer, None
                try:
                    commit_with(writer, merge_deletions if final and not interrupted else NO_MERGE, segments)
                except Exception as exc:
                    self._abandon(writer)
                    if isinstance(exc, OSError):
                        raise IndexWriteError(self._cannot_write(exc)) from exc
                    raise
                generation = writer.generation
            if self.pending or self.pending_removals or self.catalog.generation() != generation:
                try:
                    self.catalog.commit_batch(generation, self.pending, self.pending_removals, self.pending_entities)
                except Exception as exc:  # the next run sees the generations differ and redoes the batch
                    raise IndexWriteError(f"cannot write the catalog in {self.index_dir}: {exc}") from exc
            self.pending, self.pending_removals, self.pending_entities = [], [], {}
            self.pending_passages = 0
            self.last_commit = time.monotonic()

    def _cannot_write(self, exc: OSError) -> str:
        return f"cannot write the index in {printable(str(self.index_dir))}: {exc.strerror or exc}"

    def _abandon(self, writer=None) -> None:
        """Cancel a writer and delete whatever it wrote; the batch's files are redone next run."""
        writer = writer or self.writer
        self.writer = None
        self.pending, self.pending_removals, self.pending_passages = [], [], 0
        self.pending_entities = {}
        self.builders.cancel()
        if writer is not None:
            try:
                writer.cancel()
            except Exception:  # a writer that failed half-way may not cancel cleanly
                _release_quietly(writer)
        _remove_leftovers(self.ix)

    def close(self) -> None:
        if self.writer is not None or self.builders.busy:
            self._abandon()
        self.builders.close()
        self.catalog.close()
        self.ix.close()


def _release_quietly(writer) -> None:
    for step in (lambda: writer._tempstorage.destroy(), lambda: writer.writelock.release()):
        with contextlib.suppress(Exception):
            step()
    writer.is_closed = True


def _remove_leftovers(ix: whoosh_index.Index) -> None:
    """Files a failed or killed commit left behind: segments no table of contents names, half-written
    tables of contents, the writer's temporary folder. Only called while holding the run lock."""
    storage = ix.storage
    toc = ix._read_toc() if whoosh_index.exists(storage, ix.indexname) else None
    if toc is not None:
        whoosh_index.clean_files(storage, ix.indexname, toc.generation, toc.segments)
    for name in list(storage):
        if name.startswith(f"_{ix.indexname}_") and ".toc." in name:  # TOC temp: _MAIN_3.toc.1712...
            storage.delete_file(name)
    temp = Path(storage.folder) / f"{ix.indexname}.tmp"
    if temp.is_dir():
        for child in temp.iterdir():
            child.unlink(missing_ok=True)
        temp.rmdir()


def _assign_ids(jobs: list[_Job], known: dict[str, FileRecord], present: set[str]) -> None:
    """Each job's doc_id: readable and stable (see metadata.doc_id_for); two files whose names give
    the same id are told apart by a hash of their relative path, decided in discovery order (sorted),
    never in the order workers happen to finish."""
    taken = {rec.doc_id: p for p, rec in known.items() if rec.doc_id and p in present}
    for job in jobs:
        relpath = job.path.relative_to(job.base).as_posix()
        doc_id = doc_id_for(printable(relpath))
        owner = taken.get(doc_id)
        if owner is not None and owner != str(job.path):
            digest = hashlib.sha1(os.fsencode(relpath)).hexdigest()[:6]
            doc_id = f"{doc_id}-{digest}"
        taken[doc_id] = str(job.path)
        job.doc_id = doc_id


def _plan(
    files: list[tuple[Path, Path]],
    known: dict[str, FileRecord],
    run: _Run,
    manifests: ManifestIndex,
    redo_all: bool = False,
) -> list[_Job]:
    """Jobs for new or changed files (every file with `redo_all`); unchanged ones are counted (and
    their mtime refreshed).

    A file that can no longer be read leaves the index (no ghost passages)."""
    jobs = []
    bases: dict[Path, Path] = {}
    for path, root in files:
        rec = known.get(str(path))
        try:
            st = path.stat()
            row, _ = manifests.lookup(path)
            sig = manifest_signature(row)
            same = rec is not None and not redo_all and rec.manifest == sig
            if same and rec.size == st.st_size and rec.mtime_ns == st.st_mtime_ns:
                _count_unchanged(rec, run.report)
                continue
            digest = sha256_of(path)
        except OSError as exc:
            run.report.skipped.append((str(path), f"cannot read: {exc.strerror or exc}"))
            if rec:
                run.remove(str(path), rec.doc_id)
            continue
        if same and rec.sha256 == digest:
            rec.mtime_ns, rec.size = st.st_mtime_ns, st.st_size
            run.catalog.touch(rec)
            _count_unchanged(rec, run.report)
            continue
        base = bases.get(root) or bases.setdefault(root, id_base(root))
        old = rec.doc_id if rec else None
        jobs.append(_Job(path, base, row, sig, st.st_size, st.st_mtime_ns, digest, old_doc_id=old))
    _assign_ids(jobs, known, {str(p) for p, _ in files})
    return jobs


def _count_unchanged(rec: FileRecord, report: IndexReport) -> None:
    report.unchanged += 1
    if rec.status == "skipped":
        report.skipped.append((rec.path, f"{rec.reason} (unchanged since last run)"))
    elif rec.status == "no_text":
        report.no_text.append(rec.path)


def _groups(jobs: list[_Job]) -> list[list[_Job]]:
    """The jobs in the order given, small text files in groups of up to GROUP_FILES (one task for
    a worker: their entities are found together, see process_files), every other file alone."""
    groups: list[list[_Job]] = []
    for job in jobs:
        if _groupable(job) and groups and _groupable(groups[-1][0]) and len(groups[-1]) < GROUP_FILES:
            groups[-1].append(job)
        else:
            groups.append([job])
    return groups


def _groupable(job: _Job) -> bool:
    return job.size <= GROUP_FILE_BYTES and job.path.suffix.lower() in GROUPED_SUFFIXES


def _results(jobs: list[_Job], workers: int) -> Iterator[tuple[_Job, _Processed]]:
    """Process jobs in worker processes, at most 2 tasks per worker in flight (a task: one file, or
    a group of small text files), yielding in completion order.

    A worker that dies (over its memory budget, or a crash in C code) breaks the whole pool; the
    files that were in flight are then retried one at a time, so only the culprit is reported. So
    are the files of a group that timed out.
    """
    if workers <= 1:
        for group in _groups(jobs):
            yield from zip(group, process_files(group), strict=True)
        return
    pool = _new_pool(workers)
    queue = list(reversed(_groups(jobs)))
    suspects: list[_Job] = []
    inflight: dict[Future, tuple[list[_Job], float, bool]] = {}  # jobs, started, alone in the pool
    try:
        while queue or suspects or inflight:
            while (suspects and not inflight) or (not suspects and queue and len(inflight) < 2 * workers):
                alone = bool(suspects)
                group = [suspects.pop()] if alone else queue.pop()
                inflight[pool.submit(process_files, group)] = (group, time.monotonic(), alone)
            done, _ = wait(inflight, timeout=1.0, return_when=FIRST_COMPLETED)
            broken = False
            for fut in done:
                group, _started, alone = inflight.pop(fut)
                try:
                    yield from zip(group, fut.result(), strict=True)
                except BrokenProcessPool:
                    if alone:
                        yield group[0], _Processed(None, [], [], error=_died())
                    else:
                        suspects += group
                    broken = True
                except Exception as exc:
                    for job in group:
                        yield job, _Processed(None, [], [], error=f"worker failed: {exc!r}")
            now = time.monotonic()
            timed_out = [f for f, (_, started, _) in inflight.items() if now - started > budgets.FILE_KILL_SECONDS]
            for fut in timed_out:
                group, _, _ = inflight.pop(fut)
                if len(group) > 1:
                    suspects += group
                else:
                    yield group[0], _Processed(None, [], [], error="timed out during extraction")
            if broken or timed_out:
                for group, _, alone in inflight.values():
                    if broken and not alone:
                        suspects += group
                    else:
                        queue.append(group)
                inflight.clear()
                _kill_workers(pool)
                pool = _new_pool(workers)
    finally:
        _kill_workers(pool)


def _died() -> str:
    limit = budgets.WORKER_MEMORY_BYTES // (1024 * 1024)
    return f"extraction worker died (over its {limit} MB memory budget, or crashed); file skipped"


# The workers already fill the cores: a BLAS thread pool per worker (the Russian NER model's
# numpy) only spins. One thread each: NER 41 -> 9 ms CPU per 1,200-character passage at load 11.
# Read when numpy loads, which is in the worker (the main process never imports it to index).
SINGLE_THREADED = {"OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}


def _worker_init() -> None:
    """Workers leave Ctrl-C and SIGTERM to the main process, which commits and then stops them;
    numerical libraries use one thread (SINGLE_THREADED); each worker's address space is capped
    (budgets.WORKER_MEMORY_BYTES)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    os.environ.update(SINGLE_THREADED)
    try:
        import resource
    except ImportError:  # not POSIX: no memory cap, the per-file timeout still holds
        return
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = budgets.WORKER_MEMORY_BYTES if hard == resource.RLIM_INFINITY else min(hard, budgets.WORKER_MEMORY_BYTES)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _new_pool(workers: int) -> ProcessPoolExecutor:
    return ProcessPoolExecutor(max_workers=workers, initializer=_worker_init)


def _kill_workers(pool: ProcessPoolExecutor) -> None:
    """Stop the workers now and reap them (no zombies)."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    for proc in processes:
        if proc.is_alive():
            proc.terminate()
    pool.shutdown(wait=False, cancel_futures=True)
    for proc in processes:
        proc.join(timeout=2)
        if proc.is_alive():
            proc.kill()
            proc.join(timeout=2)


def _lock_run(index_dir: Path):
    """Hold the folder's run lock for the whole run; a second run stops at once (IndexBusy).

    An OS file lock (fcntl, msvcrt on Windows), so a killed run never leaves a stale lock.
    """
    index_dir.mkdir(parents=True, exist_ok=True)
    lock = FileStorage(str(index_dir)).lock(RUN_LOCK_NAME)
    if not lock.acquire(blocking=False):
        raise IndexBusy(
            f"another `migrantlex index` is already writing to {printable(str(index_dir))}; "
            "wait for it to finish"
        )
    return lock


def index_paths(
    paths: Iterable[Path | str],
    index_dir: Path | str,
    *,
    workers: int | None = None,
    progress: bool = True,
    manifest: Path | str | None = None,
    exclude_manifest: Path | str | None = None,
) -> IndexReport:
    """Bring the index in `index_dir` up to date with the files under `paths`.

    `manifest`: an extra MANIFEST.tsv-format file whose paths are relative to the folders given.
    `exclude_manifest`: a MANIFEST.tsv-format file listing files under the folders given that are
    not to be indexed (test material kept beside a corpus); indexed ones leave the index.
    Raises IndexBusy (another run holds the folder), IndexWriteError (disk full...),
    FileNotFoundError (a path given does not exist).
    """
    started = time.monotonic()
    report = IndexReport()
    index_dir = Path(index_dir)
    paths = [Path(p) for p in paths]
    found = discover(paths)
    report.skipped += found.skipped
    if exclude_manifest:
        found.files = _not_listed(found.files, Path(exclude_manifest))
    roots = {p.resolve() for p in paths if p.is_dir()}  # removals: only under folders given
    lock = _lock_run(index_dir)
    try:
        with DeferredInterrupts() as interrupts:
            _index(found, roots, paths, index_dir, report, interrupts, workers, progress, manifest)
    except KeyboardInterrupt:  # arrived before the last commit began: that batch is redone next run
        report.interrupted = True
    finally:
        lock.release()
    report.seconds = time.monotonic() - started
    return report


def _not_listed(files: list[tuple[Path, Path]], manifest: Path) -> list[tuple[Path, Path]]:
    """The files whose path relative to their folder `manifest` does not list."""
    if not manifest.is_file():
        raise FileNotFoundError(f"no such manifest: {printable(str(manifest))}")
    listed = set(read_manifest_file(manifest))
    return [
        (path, root)
        for path, root in files
        if not (path.is_relative_to(root) and path.relative_to(root).as_posix() in listed)
    ]


def _index(found, roots, paths, index_dir, report, interrupts, workers, progress, manifest) -> None:
    workers = workers or min(2, os.cpu_count() or 1)
    run = _Run(index_dir, report, interrupts, builders=workers)
    try:
        try:
            run.reconcile()
            known = run.catalog.files()
            if run.catalog.generation() is not None or run.ix.is_empty():  # the index holds these only
                run.indexed_ids = {rec.doc_id for rec in known.values() if rec.doc_id}
            rebuild = _format_changed(run.catalog, known)
            if rebuild:
                report.reindexed_all = rebuild
            seen = {str(p) for p, _ in found.files}
            for path, rec in known.items():
                if path not in seen and any(Path(path).is_relative_to(r) for r in roots):
                    run.remove(path, rec.doc_id)
                    report.removed += 1
            extra = [(Path(manifest), p) for p in paths if p.is_dir()] if manifest else []
            jobs = _plan(found.files, known, run, ManifestIndex(extra), redo_all=bool(rebuild))
            bar = tqdm(total=len(jobs), unit="file", desc="indexing", disable=not progress or not jobs)
            if jobs:
                run.builders.start()  # before the extraction pool's threads exist
            results = _results(jobs, workers)
            try:
                for job, result in results:
                    run.add(job, result)
                    bar.update(1)
                    bar.set_postfix(passages=report.passages, refresh=False)
            finally:
                results.close()  # stops and reaps the workers now, before the last commit
                bar.close()
        except KeyboardInterrupt:
            report.interrupted = True
        run.commit(final=True, interrupted=report.interrupted)
        if not report.interrupted:
            run.catalog.set_index_format(INDEX_FORMAT)
    finally:
        run.close()


def _format_changed(catalog: Catalog, known: dict[str, FileRecord]) -> str:
    """Why the index must be rebuilt ('' when it was built by this version's analysis and split)."""
    recorded = catalog.index_format()
    if not known or recorded == INDEX_FORMAT:
        return ""
    return f"the index was built by format {recorded or 'unknown'}, this version writes {INDEX_FORMAT}"
