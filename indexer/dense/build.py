"""`migrantlex embed`: embed an index's articles, incrementally, after (never during) indexing.

One unit per provision (a long article's continuation chunks are left out): its act's title,
its heading and its first words, which carry what the article is about at a quarter of the cost
of every passage in full. Texts already in the cache are not embedded again, so a run after a
small re-index costs seconds. Rarer languages go first: the few English conventions answer every
Russian and Kyrgyz query, and are done within the first minute.

Worker processes of one OpenMP thread each, at low priority: measured on this machine, two
processes embed faster than one process of two threads (whose threads spin while they wait for
each other when the cores are busy), and `nice` lets a server on the same cores answer first.
Progress is saved every CHECKPOINT_SECONDS, so Ctrl-C, SIGTERM or kill -9 loses at most that.
"""

from __future__ import annotations

import fcntl
import multiprocessing
import os
import signal
import time
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from indexer.dense import model, store
from indexer.interrupts import DeferredInterrupts

BATCH = 16  # texts per call: batching amortises the engine's per-call cost
CHECKPOINT_SECONDS = 30.0
MAX_ROUNDS = 3  # an index committed while we embedded: embed its new articles too, then stop
LOCK_FILE = "embed.lock"
ORDER_FROM = 500  # articles to embed from which the order matters (fewer are done in a few minutes)
WATCH_SECONDS = 10.0  # how often a server's background job looks for a newer index generation


class EmbedBusy(RuntimeError):
    """Another `migrantlex embed` is running on this index."""


@dataclass
class Unit:
    docnum: int
    language: str
    text: str
    key: bytes


@dataclass
class EmbedReport:
    units: int = 0
    embedded: int = 0
    reused: int = 0
    seconds: float = 0.0
    interrupted: bool = False

    def summary(self) -> str:
        rate = f", {self.embedded / self.seconds:.1f} units/s" if self.embedded and self.seconds else ""
        state = "interrupted (progress saved; run again to go on)" if self.interrupted else "done"
        return (
            f"embed {state}: {self.units} articles, {self.embedded} embedded now, "
            f"{self.reused} unchanged (cached), {self.seconds:.1f} s{rate}"
        )


def units_of(index_dir: Path) -> tuple[str, list[Unit]]:
    """The index's current generation and its units, in docnum order."""
    from whoosh import index as whoosh_index

    from indexer.catalog import Catalog
    from indexer.search.whoosh_access import generation_key

    ix = whoosh_index.open_dir(str(index_dir))
    catalog = Catalog(index_dir)
    try:
        docs = catalog.documents()
        with ix.searcher() as searcher:
            generation = generation_key(searcher)
            units = []
            for docnum, fields in searcher.reader().iter_docs():
                kind = fields.get("kind", "")
                meta = docs.get(fields.get("doc_id", ""))
                if kind.endswith("-chunk") or kind == "contents" or meta is None:
                    continue
                text = model.unit_text(meta.title, fields.get("heading", ""), fields.get("body", ""))
                units.append(Unit(docnum, meta.language, text, store.text_hash(text)))
    finally:
        catalog.close()
        ix.close()
    return generation, units


def embed_index(
    index_dir: Path | str, workers: int | None = None, progress: bool = True,
    checkpoint_seconds: float = CHECKPOINT_SECONDS,
) -> EmbedReport:
    """Embed what the index's articles lack, save their vectors; raises EmbedBusy."""
    index_dir = Path(index_dir)
    report = EmbedReport()
    started = time.perf_counter()
    with _exclusive(index_dir), DeferredInterrupts() as interrupts:
        cache = store.load_cache(index_dir)
        checkpoint = None
        try:
            for _round in range(MAX_ROUNDS):
                generation, units = units_of(index_dir)
                report.units = len(units)
                todo = len({u.key for u in units} - cache.keys())
                missing = _missing(units, cache, _migration_share(index_dir) if todo > ORDER_FROM else {})
                report.reused = len({u.key for u in units}) - len(missing)
                checkpoint = _Checkpoint(index_dir, generation, units, cache, interrupts, checkpoint_seconds)
                if missing:
                    for keys, vectors in _embedded(missing, workers, progress):
                        cache.update(zip(keys, vectors.astype(np.float16), strict=True))
                        report.embedded += len(keys)
                        checkpoint.maybe()
                checkpoint.final(embedded=bool(missing))
                if units_of(index_dir)[0] == generation:
                    break
        except KeyboardInterrupt:
            report.interrupted = True
            if checkpoint is not None:
                checkpoint.save(cache)  # what was embedded since the last checkpoint is kept too
    report.seconds = time.perf_counter() - started
    return report


class _Checkpoint:
    """Saves the cache and the generation's units now and then, and at the end (pruned)."""

    def __init__(self, index_dir, generation, units, cache, interrupts, every: float) -> None:
        self.index_dir, self.generation, self.units, self.cache = index_dir, generation, units, cache
        self.interrupts, self.every = interrupts, every
        self.last = time.monotonic()

    def maybe(self) -> None:
        if time.monotonic() - self.last >= self.every:
            self.save(self.cache)

    def final(self, embedded: bool) -> None:
        """Only the current units' vectors stay in the cache: it does not grow with every edit."""
        saved = store.load_units(self.index_dir)
        if embedded or saved is None or saved.generation != self.generation or not saved.complete:
            keep = {u.key for u in self.units}
            self.save({k: v for k, v in self.cache.items() if k in keep})

    def save(self, cache: dict[bytes, np.ndarray]) -> None:
        done = [u for u in self.units if u.key in cache]
        vectors = np.array([cache[u.key] for u in done], dtype=np.float16).reshape(len(done), model.DIM)
        docnums = np.array([u.docnum for u in done], dtype=np.int32)
        with self.interrupts.critical():
            store.save_cache(self.index_dir, cache)
            store.save_units(self.index_dir, store.Units(self.generation, docnums, vectors, len(self.units)))
        self.last = time.monotonic()


def _missing(units: list[Unit], cache: dict[bytes, np.ndarray], about: dict[int, float]) -> list[Unit]:
    """Units to embed, one per distinct text: the rarest languages first, then the documents most
    about migration (the domain prior's share, `about` per docnum): the first minutes' vectors
    are those most queries need."""
    count = Counter(u.language for u in units)
    seen: set[bytes] = set()
    out = []
    for u in sorted(units, key=lambda u: (count[u.language], -about.get(u.docnum, 0.0), u.docnum)):
        if u.key not in cache and u.key not in seen:
            seen.add(u.key)
            out.append(u)
    return out


def _migration_share(index_dir: Path) -> dict[int, float]:
    """Per passage number, its document's migration share (indexer.search.concepts), read from
    the concepts cached beside the index; {} when it cannot be had (the order is then the index's)."""
    from indexer.search import SearchEngine

    try:
        engine = SearchEngine(index_dir)
    except (OSError, ValueError):
        return {}
    try:
        view = engine.view()
        share = view.concepts.share[view.doc_index]
        return dict(enumerate(share.tolist()))
    finally:
        engine.close()


def _embedded(missing: list[Unit], workers: int | None, progress: bool) -> Iterator[tuple[list[bytes], np.ndarray]]:
    """(keys, vectors) batch by batch, in order, from `workers` processes."""
    from tqdm import tqdm

    batches = [missing[i : i + BATCH] for i in range(0, len(missing), BATCH)]
    workers = max(1, min(workers or os.cpu_count() or 1, len(batches)))
    bar = tqdm(total=len(missing), unit="article", desc="embedding", disable=not progress)
    try:
        if workers == 1:
            for batch in batches:
                yield [u.key for u in batch], model.embed_passages([u.text for u in batch])
                bar.update(len(batch))
            return
        with multiprocessing.get_context().Pool(workers, initializer=_worker_init) as pool:
            texts = ([u.text for u in batch] for batch in batches)
            for batch, vectors in zip(batches, pool.imap(model.embed_passages, texts), strict=True):
                yield [u.key for u in batch], vectors
                bar.update(len(batch))
    finally:
        bar.close()


def _worker_init() -> None:
    """Load the model before the first batch; a model that does not load is reported by that
    batch (its ModelMissing reaches the parent through the pool), never by the initializer:
    a pool replaces a worker whose initializer raises, for ever."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent saves and stops the pool
    signal.signal(signal.SIGTERM, signal.SIG_DFL)  # the pool's terminate(), not a traceback per worker
    with suppress(model.ModelMissing):
        model.load(threads=1)


def watch(index_dir: Path | str, parent: int, every: float = WATCH_SECONDS, **options) -> EmbedReport:
    """Embed, then again whenever the index changes, while process `parent` (a server) lives.

    `migrantlex serve` runs this in the background: an index updated while serving gets its
    new articles embedded without a restart, and the job ends with the server (or at SIGTERM)."""
    signal.signal(signal.SIGTERM, signal.default_int_handler)  # while waiting: stop as at Ctrl-C
    report = embed_index(index_dir, **options)
    print(report.summary(), flush=True)
    seen = store.load_units(index_dir)
    while not report.interrupted and os.getppid() == parent:
        time.sleep(every)
        current = _generation(Path(index_dir))
        if current is not None and (seen is None or seen.generation != current):
            report = embed_index(index_dir, **options)
            print(report.summary(), flush=True)
            seen = store.load_units(index_dir)
    return report


def _generation(index_dir: Path) -> str | None:
    from whoosh import index as whoosh_index

    from indexer.search.whoosh_access import generation_key

    try:
        ix = whoosh_index.open_dir(str(index_dir))
    except Exception:  # noqa: BLE001 - an index mid-write or gone: look again later
        return None
    try:
        with ix.searcher() as searcher:
            return generation_key(searcher)
    finally:
        ix.close()


def needed(index_dir: Path | str) -> bool:
    """Do the index's articles lack vectors (none saved, part of them, or an older generation's)?"""
    units = store.load_units(index_dir)
    return units is None or not units.complete or units.generation != _generation(Path(index_dir))


@contextmanager
def _exclusive(index_dir: Path) -> Iterator[None]:
    folder = store.folder(index_dir)
    folder.mkdir(parents=True, exist_ok=True)
    with open(folder / LOCK_FILE, "a") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            raise EmbedBusy(f"another `migrantlex embed` is running on {index_dir}") from exc
        yield
