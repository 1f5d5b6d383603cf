"""Segment builders: processes that analyse passages and write whoosh segments in parallel.

whoosh analyses and writes postings in pure Python (about 9 ms of CPU per passage here, 85% of
an indexing run), so a single writing process caps a run at about 100 passages/s whatever the
cores. Each builder holds its own whoosh SegmentWriter; the main process hands each document's
passages to the builder with the least work in hand, and at a commit collects their finished
segments and writes one table of contents naming them together with its own deletions
(`commit_with`), so a batch is still committed whole or not at all.

Builders never commit: a segment they wrote is invisible until the main process names it, and
a run killed before that leaves files the next run removes (writer._remove_leftovers).
They ignore Ctrl-C and SIGTERM (the main process finishes the batch, then stops them) and leave
when the main process is gone.
"""

from __future__ import annotations

import contextlib
import multiprocessing
import os
import signal
from pathlib import Path

from whoosh import index as whoosh_index
from whoosh.writing import SegmentWriter

from indexer.codec import CompactCodec

# whoosh's posting pool per builder: half a batch (25,000 passages) barely spills. Spilling costs
# CPU (real10k, 5,000 passages a builder: 29.0 ms CPU per passage with a 512 MB pool, 33.1 with 128)
POOL_MB = 1280


class BuilderError(Exception):
    """A builder failed or vanished; the batch it held is lost and must be redone."""


class SegmentBuilders:
    """`count` builder processes for the index in `index_dir`, started on first use."""

    def __init__(self, index_dir: Path, count: int) -> None:
        self.index_dir = index_dir
        self.count = max(1, count)
        self._conns: list = []
        self._procs: list = []
        self._load: list[int] = []  # passages each builder holds in its open segment

    @property
    def busy(self) -> bool:
        """Some builder holds passages not yet in a finished segment."""
        return any(self._load)

    def add(self, documents: list[dict]) -> None:
        """One document's passages (whoosh field dicts), all to one builder."""
        if not documents:
            return
        self.start()
        i = self._load.index(min(self._load))
        self._send(i, ("add", documents))
        self._load[i] += len(documents)

    def finish(self) -> list:
        """Every builder's finished segment (none from an idle one); raises BuilderError."""
        busy = [i for i, load in enumerate(self._load) if load]
        for i in busy:  # all at once: they write their segments in parallel
            self._send(i, ("finish", None))
        replies, failure = [], None
        for i in busy:  # every reply read, so no answer is left behind in a pipe
            try:
                replies.append(self._reply(i))
            except BuilderError as exc:
                failure = failure or exc
            self._load[i] = 0
        if failure is not None:
            raise failure
        return [segment for segment in replies if segment is not None]

    def cancel(self) -> None:
        """Drop whatever the builders hold (their files are removed with the other leftovers)."""
        for i, load in enumerate(self._load):
            if load:
                with contextlib.suppress(BuilderError):
                    self._send(i, ("cancel", None))
                    self._reply(i)
                self._load[i] = 0

    def close(self) -> None:
        for conn in self._conns:
            with contextlib.suppress(OSError, ValueError):
                conn.send(("stop", None))
        for proc in self._procs:
            proc.join(timeout=5)
            if proc.is_alive():
                proc.kill()
                proc.join(timeout=2)
        for conn in self._conns:
            conn.close()
        self._conns, self._procs, self._load = [], [], []

    def start(self) -> None:
        """Start the processes (before other pools and threads: a fork copies what is running)."""
        if self._procs:
            return
        for _ in range(self.count):
            mine, theirs = multiprocessing.Pipe()
            proc = multiprocessing.Process(
                target=_serve, args=(theirs, str(self.index_dir), os.getpid()), daemon=True
            )
            proc.start()
            theirs.close()
            self._conns.append(mine)
            self._procs.append(proc)
            self._load.append(0)

    def _send(self, i: int, message: tuple) -> None:
        try:
            self._conns[i].send(message)
        except (OSError, ValueError) as exc:
            raise BuilderError(f"segment builder {i} is gone: {exc}") from exc

    def _reply(self, i: int):
        try:
            status, value = self._conns[i].recv()
        except (OSError, EOFError) as exc:
            raise BuilderError(f"segment builder {i} is gone: {exc}") from exc
        if status != "ok":
            raise BuilderError(value)
        return value


def commit_with(writer: SegmentWriter, mergetype, segments: list) -> None:
    """Commit `writer` (its deletions, merges, own documents) and the builders' `segments` as one
    table of contents: whoosh's SegmentWriter.commit, with extra finished segments named.

    `mergetype` sees the builders' segments too, so a run's last batch, often small, can be merged
    with the other small segments instead of keeping a copy of its terms per builder (whoosh
    removes the files of the segments merged away)."""
    if not segments:
        writer.commit(mergetype=mergetype)
        return
    writer.segments = writer.segments + segments
    final = writer._merge_segments(mergetype, None, None)
    if writer._added:
        final.append(writer._finalize_segment())
    else:
        writer._close_segment()
    writer._commit_toc(final)
    writer._finish()


def _serve(conn, index_dir: str, parent: int) -> None:
    """A builder's loop: add documents to an open segment, finish or drop it when asked."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    ix = whoosh_index.open_dir(index_dir)
    writer = None
    failure = ""
    while True:
        if not conn.poll(1.0):
            if os.getppid() != parent:
                return  # the main process is gone: nobody will name our segment
            continue
        try:
            kind, payload = conn.recv()
        except (EOFError, OSError):
            return
        if kind == "stop":
            return
        try:
            if kind == "add":
                if not failure:
                    writer = writer or SegmentWriter(ix, _lk=False, limitmb=POOL_MB, codec=CompactCodec())
                    for fields in payload:
                        writer.add_document(**fields)
                continue
            if kind == "finish" and not failure:
                segment = writer._finalize_segment() if writer is not None and writer._added else None
                _drop(writer)
                conn.send(("ok", segment))
            elif kind == "finish":
                _drop(writer, cancel=True)
                conn.send(("error", failure))
            else:  # cancel
                _drop(writer, cancel=True)
                conn.send(("ok", None))
            writer, failure = None, ""
        except Exception as exc:  # reported at the next finish: the batch is redone, never half-kept
            failure = failure or f"segment builder failed: {type(exc).__name__}: {exc}"
            if kind != "add":
                conn.send(("error", failure))
                _drop(writer, cancel=True)
                writer, failure = None, ""


def _drop(writer: SegmentWriter | None, cancel: bool = False) -> None:
    """Forget a writer without whoosh's _finish: it would empty the temporary folder the other
    writers of this index share."""
    if writer is None:
        return
    if cancel:
        with contextlib.suppress(Exception):
            writer._close_segment()
    writer.is_closed = True
