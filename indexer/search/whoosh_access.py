"""The only module that reads whoosh's internals; it refuses any whoosh but the pinned one.

Scoring whole posting lists with numpy needs what whoosh keeps private: a segment's id, the
W3 posting blocks (`_ids`, `_weights`, `_goto`, `_i`, ...) and the per-document length
columns. Those are the internals of whoosh-reloaded 2.7.5 (pinned in setup.cfg); another
version may lay them out differently and give wrong scores silently, so the engine checks the
version when it starts.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from importlib import metadata

import numpy as np
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.filedb.structfile import BufferFile
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

from indexer.postings import CompactCharacters, CompactPositions, unpack

PINNED_WHOOSH = "2.7.5"
BYTE_TO_LENGTH = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)


class _ViewFile:
    """A read-only file over a memoryview: seek, tell, read and readline without copying it."""

    def __init__(self, view) -> None:
        self._view = memoryview(view)
        self._pos = 0

    def seek(self, position: int, whence: int = 0) -> int:
        base = (0, self._pos, len(self._view))[whence]
        self._pos = max(0, base + position)
        return self._pos

    def tell(self) -> int:
        return self._pos

    def read(self, size: int = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        out = self._view[self._pos : end].tobytes()
        self._pos = max(self._pos, end)
        return out

    def readline(self, size: int = -1) -> bytes:
        end = len(self._view) if size is None or size < 0 else min(len(self._view), self._pos + size)
        chunk = self._view[self._pos : end].tobytes()
        cut = chunk.find(b"\n")
        line = chunk if cut < 0 else chunk[: cut + 1]
        self._pos += len(line)
        return line

    def __iter__(self):
        while line := self.readline():
            yield line

    def close(self) -> None:
        pass


def _buffer_file_init(self, buf, name=None, onclose=None) -> None:
    """whoosh's BufferFile, but reading its (memory-mapped) buffer in place: whoosh copies each
    file of a compound segment into a BytesIO when it opens it, so every serving process held a
    private copy of every segment's postings and term table (384 MB of 916 at 54,000 passages)."""
    self._buf = buf
    self._name = name
    self.file = _ViewFile(buf)
    self.onclose = onclose
    self.is_real = False
    self.is_closed = False


BufferFile.__init__ = _buffer_file_init


class WhooshVersionError(RuntimeError):
    """The installed whoosh is not the one whose internals this module reads."""


def installed_whoosh() -> str:
    """The installed whoosh distribution's version ('' when it cannot be told)."""
    for dist in ("whoosh-reloaded", "Whoosh"):
        try:
            return metadata.version(dist)
        except metadata.PackageNotFoundError:
            continue
    return ""


def check_whoosh_version(version: str | None = None) -> None:
    """Raise WhooshVersionError unless `version` (default: the installed one) is the pinned one."""
    found = installed_whoosh() if version is None else version
    if found != PINNED_WHOOSH:
        raise WhooshVersionError(
            f"migrantlex reads whoosh-reloaded {PINNED_WHOOSH}'s posting format directly, but "
            f"whoosh {found or '(unknown version)'} is installed: "
            f"run `pip install whoosh-reloaded=={PINNED_WHOOSH}`"
        )


MATCHERS_KEPT = 256
Postings = tuple[np.ndarray, np.ndarray, np.ndarray, list]
_EMPTY: Postings = (np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, np.int64), [])
Positions = tuple[np.ndarray, np.ndarray, np.ndarray]  # ids, occurrences per id, positions (flat)
_NO_POSITIONS: Positions = (np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int32))


class PostingStore:
    """Decoded postings per (segment, field, term), and the offsets of a few thousand posting
    blocks (for snippets), least recently used out.

    Segments never change once written, so entries stay valid across searcher generations;
    one store per engine.
    """

    def __init__(self, max_postings: int = 8_000_000, max_blocks: int = 2048, max_positions: int = 8_000_000) -> None:
        self.max_postings = max_postings
        self.max_blocks = max_blocks
        self.max_positions = max_positions
        self.size = 0
        self.positions_size = 0
        self._entries: OrderedDict[tuple, Postings] = OrderedDict()
        self._positions: OrderedDict[tuple, Positions] = OrderedDict()
        self._blocks: OrderedDict[tuple, tuple[dict, tuple]] = OrderedDict()  # decoded blocks, for offsets
        self._matchers: OrderedDict[tuple, object] = OrderedDict()
        self._lock = threading.Lock()

    def segment_postings(self, reader, fieldname: str, text: str) -> Postings:
        """(local ids, term frequencies, block max ids, block offsets) of a term in one segment.

        Deleted passages are included (masked later, globally). The block index lets a
        snippet jump straight to the block that holds a passage.
        """
        segment = getattr(reader, "_segment", None)
        key = (segment.segment_id(), fieldname, text) if segment is not None else None
        if key is not None:
            found = self._get(key)
            if found is not None:
                return found
        value = _decode(_leaf_matcher(reader, fieldname, text))
        if key is not None:
            self._put(key, value)
        return value

    def segment_positions(self, reader, fieldname: str, text: str) -> Positions:
        """(local ids, occurrences per id, every occurrence's position, id by id) of a term in
        one segment, for phrases and proximity: decoded once and kept like the postings."""
        segment = getattr(reader, "_segment", None)
        key = (segment.segment_id(), fieldname, text) if segment is not None else None
        with self._lock:
            found = self._positions.get(key) if key is not None else None
            if found is not None:
                self._positions.move_to_end(key)
                return found
        value = _decode_positions(_leaf_matcher(reader, fieldname, text), reader.schema[fieldname].format)
        if key is not None:
            with self._lock:
                if key not in self._positions:
                    self._positions[key] = value
                    self.positions_size += len(value[2])
                    while self.positions_size > self.max_positions and len(self._positions) > 1:
                        _, old = self._positions.popitem(last=False)
                        self.positions_size -= len(old[2])
        return value

    def term_chars(self, reader, fieldname: str, text: str, local: int) -> list[tuple[int, int, int]]:
        """(position, startchar, endchar) of a term in one passage of a segment; [] when absent.

        The posting block that holds the passage is decoded once and kept (a few hundred
        passages of a page share the blocks of a common word's posting list)."""
        ids, _tfs, maxids, offsets = self.segment_postings(reader, fieldname, text)
        i = int(np.searchsorted(ids, local))
        if i >= len(ids) or ids[i] != local:
            return []
        decode = reader.schema[fieldname].format.decoder("characters")
        if not offsets:  # not a W3 posting list: walk to the passage
            matcher = _leaf_matcher(reader, fieldname, text)
            matcher.skip_to(local)
            return list(decode(matcher.value()))
        segment = getattr(reader, "_segment", None)
        at = offsets[int(np.searchsorted(maxids, local))]
        key = (segment.segment_id() if segment is not None else id(reader), fieldname, text, at)
        block = self._blocks.get(key)
        if block is None:
            matcher = self._matcher(key[:3], reader, fieldname, text)
            matcher._goto(at)
            matcher._read_ids()
            matcher._read_values()
            block = ({d: j for j, d in enumerate(matcher._ids)}, matcher._values)
            with self._lock:
                self._blocks[key] = block
                while len(self._blocks) > self.max_blocks:
                    self._blocks.popitem(last=False)
        else:
            with self._lock:
                if key in self._blocks:
                    self._blocks.move_to_end(key)
        where, values = block
        return list(decode(values[where[local]]))

    def _matcher(self, key: tuple, reader, fieldname: str, text: str):
        """A term's leaf matcher, kept for the next block asked of it: finding the term in the
        term table and opening its postings cost as much as reading a block. (Engine calls take
        turns, so a kept matcher is never moved by two threads at once.)"""
        with self._lock:
            matcher = self._matchers.get(key)
            if matcher is not None:
                self._matchers.move_to_end(key)
                return matcher
        matcher = _leaf_matcher(reader, fieldname, text)
        with self._lock:
            self._matchers[key] = matcher
            while len(self._matchers) > MATCHERS_KEPT:
                self._matchers.popitem(last=False)
        return matcher

    def _get(self, key: tuple) -> Postings | None:
        with self._lock:
            found = self._entries.get(key)
            if found is not None:
                self._entries.move_to_end(key)
            return found

    def _put(self, key: tuple, value: Postings) -> None:
        with self._lock:
            if key in self._entries:
                return
            self._entries[key] = value
            self.size += len(value[0])
            while self.size > self.max_postings and len(self._entries) > 1:
                _, old = self._entries.popitem(last=False)
                self.size -= len(old[0])


def _leaf_matcher(reader, fieldname: str, text: str):
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return None
    while not isinstance(matcher, W3LeafMatcher) and hasattr(matcher, "child"):
        matcher = matcher.child
    return matcher


def _decode(matcher) -> Postings:
    """A whole posting list as arrays: W3 blocks read wholesale (each block's ids and weights
    straight from its data tuple into numpy, deltas summed there), anything else one by one."""
    if matcher is None:
        return _EMPTY
    if not isinstance(matcher, W3LeafMatcher):
        ids, tfs = [], []
        while matcher.is_active():
            ids.append(matcher.id())
            tfs.append(matcher.weight())
            matcher.next()
        return np.asarray(ids, dtype=np.int64), np.asarray(tfs, dtype=np.float32), _EMPTY[2], []
    id_blocks: list[np.ndarray] = []
    tf_blocks: list[np.ndarray] = []
    maxids: list = []
    offsets: list = []
    position = matcher._baseoffset
    while matcher.is_active():
        if matcher._data is None:
            matcher._read_data()
        raw_ids, weights = matcher._data[0], matcher._data[1]
        ids = np.array(raw_ids, dtype=np.int64)
        if not matcher._byteids:
            ids = np.cumsum(ids)  # whoosh stores a block's ids as deltas from 0
        id_blocks.append(ids)
        if weights is None or isinstance(weights, float):  # all 1.0, or all the same
            tf_blocks.append(np.full(len(ids), 1.0 if weights is None else weights, dtype=np.float32))
        else:
            tf_blocks.append(np.array(weights, dtype=np.float32))
        maxids.append(matcher._maxid)
        offsets.append(position)
        position = matcher._nextoffset
        matcher._next_block()
    if not id_blocks:
        return _EMPTY
    return np.concatenate(id_blocks), np.concatenate(tf_blocks), np.asarray(maxids, dtype=np.int64), offsets


def _decode_positions(matcher, fmt) -> Positions:
    """A whole posting list's positions: the packed formats (postings.py) read as arrays, each
    posting's deltas summed in numpy; any other format through its own decoder."""
    if matcher is None:
        return _NO_POSITIONS
    ids: list[int] = []
    counts: list[int] = []
    flat: list[int] = []
    packed = isinstance(fmt, (CompactPositions, CompactCharacters))
    columns = 3 if isinstance(fmt, CompactCharacters) else 1
    if packed and isinstance(matcher, W3LeafMatcher):
        while matcher.is_active():
            matcher._read_ids()
            matcher._read_values()
            ids.extend(matcher._ids)
            for value in matcher._values:
                numbers = unpack(value)
                n = len(numbers) // columns
                counts.append(n)
                flat.extend(numbers[:n])
            matcher._next_block()
        deltas = np.asarray(flat, dtype=np.int64)
        counts_array = np.asarray(counts, dtype=np.int64)
        summed = np.cumsum(deltas)
        starts = np.cumsum(counts_array) - counts_array
        base = np.where(starts > 0, summed[np.maximum(starts - 1, 0)], 0) if len(summed) else starts
        positions = (summed - np.repeat(base, counts_array)).astype(np.int32)  # 4 bytes each: kept by the million
        return np.asarray(ids, dtype=np.int64), counts_array, positions
    decode = fmt.decoder("positions")
    while matcher.is_active():
        positions = decode(matcher.value())
        ids.append(matcher.id())
        counts.append(len(positions))
        flat.extend(positions)
        matcher.next()
    return np.asarray(ids, dtype=np.int64), np.asarray(counts, dtype=np.int64), np.asarray(flat, dtype=np.int32)


def field_lengths(reader, fieldname: str) -> np.ndarray:
    """Every passage's length in a field, for one segment (as whoosh stores it: one byte each)."""
    count = reader.doc_count_all()
    col = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
    if col is None:
        return np.zeros(count, dtype=np.float32)
    if getattr(col, "_fixedlen", None) == 1 and isinstance(getattr(col, "_default", None), int):
        # one read of the column's bytes (docs past its end have the default), not a call per doc
        raw = np.full(count, col._default, dtype=np.uint8)
        stored = min(col._count, count)
        raw[:stored] = np.frombuffer(col._dbfile.get(col._basepos, stored), dtype=np.uint8)
    else:
        raw = np.fromiter((int(col[i]) for i in range(count)), dtype=np.uint8, count=count)
    return BYTE_TO_LENGTH[raw]


def deleted(reader) -> frozenset[int]:
    """The deleted documents of one segment."""
    return reader.deleted_docs_set if reader.has_deletions() else frozenset()


def generation_key(searcher) -> str:
    """What names one committed state of the index: its generation and each segment's id and
    deletions (a new commit, a merge or a deletion changes it; a rebuilt index has new ids)."""
    reader = searcher.reader()
    segments = ",".join(f"{s.segment_id()}-{s.deleted_count()}" for s in reader.segments() or ())
    return f"{reader.generation()}:{segments}"
