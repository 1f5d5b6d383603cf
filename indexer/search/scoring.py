"""BM25F over whole posting lists at once, with numpy: the match set and every score in one pass.

Why not whoosh's own collector: it scores one passage at a time through a tree of Python
matcher objects (about 40 µs per passage and term), so a query whose words occur in 40,000
of 100,000 passages took seconds. Here each term's posting list is decoded once (and cached:
segments never change), turned into arrays, and the query tree is evaluated as array
operations over all passages: Or adds, And intersects and adds, AndNot masks. Phrases and
anything else that needs positions take their match set from whoosh and their score from
their words. The formula is whoosh's BM25F (same idf, B, K1, field lengths and boosts), so
rankings agree with `searcher.search()` up to float rounding.

Reads whoosh-reloaded 2.7.5's W3 posting blocks and length columns directly; the version is
pinned in setup.cfg.
"""

from __future__ import annotations

import math
import threading
from collections import OrderedDict
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher
from whoosh.reading import TermNotFound
from whoosh.util.numeric import byte_to_length

B, K1 = 0.75, 1.2
_BYTE_TO_LENGTH = np.array([byte_to_length(i) for i in range(256)], dtype=np.float32)


@dataclass
class Scored:
    """A boolean match mask and a score per passage (global document numbers)."""

    mask: np.ndarray  # bool[N]
    score: np.ndarray  # float32[N]


class _PostingCache:
    """Decoded (ids, term frequencies) per segment and term, least recently used out."""

    def __init__(self, max_postings: int = 8_000_000) -> None:
        self.max_postings = max_postings
        self.size = 0
        self.entries: OrderedDict[tuple, tuple] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, key: tuple):
        with self.lock:
            found = self.entries.get(key)
            if found is not None:
                self.entries.move_to_end(key)
            return found

    def put(self, key: tuple, value: tuple) -> None:
        with self.lock:
            if key in self.entries:
                return
            self.entries[key] = value
            self.size += len(value[0])
            while self.size > self.max_postings and len(self.entries) > 1:
                _, old = self.entries.popitem(last=False)
                self.size -= len(old[0])


_CACHE = _PostingCache()


_EMPTY = (np.zeros(0, np.int64), np.zeros(0, np.float32), np.zeros(0, np.int64), [])


def _segment_postings(reader, fieldname: str, text: str):
    """(local ids, term frequencies, block max ids, block offsets) of a term in one segment.

    Deleted passages are included (masked later, globally). The block index lets a snippet
    jump straight to the block that holds a passage instead of walking every block header.
    """
    segment = getattr(reader, "_segment", None)
    key = (segment.segment_id(), fieldname, text) if segment is not None else None
    if key is not None:
        found = _CACHE.get(key)
        if found is not None:
            return found
    matcher = _leaf_matcher(reader, fieldname, text)
    if matcher is None:
        return _EMPTY
    ids: list = []
    tfs: list = []
    maxids: list = []
    offsets: list = []
    if isinstance(matcher, W3LeafMatcher):
        position = matcher._baseoffset
        while matcher.is_active():
            if matcher._ids is None:
                matcher._read_ids()
            if matcher._weights is None:
                matcher._read_weights()
            ids.extend(matcher._ids)
            tfs.extend(matcher._weights)
            maxids.append(matcher._maxid)
            offsets.append(position)
            position = matcher._nextoffset
            matcher._next_block()
    else:
        while matcher.is_active():
            ids.append(matcher.id())
            tfs.append(matcher.weight())
            matcher.next()
    value = (
        np.asarray(ids, dtype=np.int64),
        np.asarray(tfs, dtype=np.float32),
        np.asarray(maxids, dtype=np.int64),
        offsets,
    )
    if key is not None:
        _CACHE.put(key, value)
    return value


def _leaf_matcher(reader, fieldname: str, text: str):
    try:
        matcher = reader.postings(fieldname, text)
    except TermNotFound:
        return None
    while not isinstance(matcher, W3LeafMatcher) and hasattr(matcher, "child"):
        matcher = matcher.child
    return matcher


def term_chars(reader, fieldname: str, text: str, local: int) -> list[tuple[int, int, int]]:
    """(position, startchar, endchar) of a term in one passage of a segment; [] when absent."""
    ids, _tfs, maxids, offsets = _segment_postings(reader, fieldname, text)
    i = int(np.searchsorted(ids, local))
    if i >= len(ids) or ids[i] != local:
        return []
    matcher = _leaf_matcher(reader, fieldname, text)
    if isinstance(matcher, W3LeafMatcher) and offsets:
        matcher._goto(offsets[int(np.searchsorted(maxids, local))])
        if matcher._ids is None:
            matcher._read_ids()
        matcher._i = list(matcher._ids).index(local)
    else:
        matcher.skip_to(local)
    return list(matcher.value_as("characters"))


class Scorer:
    """Evaluates whoosh queries over one searcher; create one per searcher generation."""

    def __init__(self, searcher) -> None:
        self.searcher = searcher
        self.n = searcher.doc_count_all()
        self.leaves = searcher.leaf_searchers()
        self.live = np.ones(self.n, dtype=bool)
        for sub, offset in self.leaves:
            for d in _deleted(sub.reader()):
                self.live[offset + d] = False
        self._lengths: dict[str, np.ndarray] = {}
        self._avg: dict[str, float] = {}
        self._lock = threading.Lock()

    # --- per-field statistics --------------------------------------------------------------

    def lengths(self, fieldname: str) -> np.ndarray:
        found = self._lengths.get(fieldname)
        if found is None:
            parts = []
            for sub, _offset in self.leaves:
                reader = sub.reader()
                col = reader._perdoc._cached_reader(f"_{fieldname}_len", LENGTHS_COLUMN)
                count = reader.doc_count_all()
                if col is None:
                    parts.append(np.zeros(count, dtype=np.uint8))
                else:
                    parts.append(np.fromiter((int(col[i]) for i in range(count)), dtype=np.uint8, count=count))
            found = _BYTE_TO_LENGTH[np.concatenate(parts)] if parts else np.zeros(0, np.float32)
            with self._lock:
                self._lengths[fieldname] = found
        return found

    def avg_length(self, fieldname: str) -> float:
        if fieldname not in self._avg:
            self._avg[fieldname] = self.searcher.field_length(fieldname) / (self.searcher.doc_count() or 1)
        return self._avg[fieldname] or 1.0

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Global ids and term frequencies of a term over the whole index."""
        if len(self.leaves) == 1 and self.leaves[0][1] == 0:
            return _segment_postings(self.leaves[0][0].reader(), fieldname, text)[:2]
        ids, tfs = [], []
        for sub, offset in self.leaves:
            i, t, _maxids, _offsets = _segment_postings(sub.reader(), fieldname, text)
            if len(i):
                ids.append(i + offset)
                tfs.append(t)
        if not ids:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        return np.concatenate(ids), np.concatenate(tfs)

    # --- evaluation --------------------------------------------------------------------

    def evaluate(self, q: wq.Query) -> Scored:
        scored = self._eval(q)
        scored.mask &= self.live
        return scored

    def _eval(self, q: wq.Query) -> Scored:
        if isinstance(q, wq.Term):
            return self._term(q)
        if isinstance(q, wq.Or):
            return self._combine([self._eval(s) for s in q.subqueries], union=True, boost=q.boost)
        if isinstance(q, wq.And):
            return self._combine([self._eval(s) for s in q.subqueries], union=False, boost=q.boost)
        if isinstance(q, wq.AndNot):
            a, b = self._eval(q.a), self._eval(q.b)
            a.mask &= ~b.mask
            return a
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return self._empty()
        if isinstance(q, wq.Sequence):
            # Positions decide the match (whoosh); the words decide the score.
            words = self._combine([self._eval(s) for s in q.subqueries], union=False, boost=q.boost)
            mask = np.zeros(self.n, dtype=bool)
            ids = np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)
            mask[ids] = True
            words.mask &= mask
            return words
        mask = np.zeros(self.n, dtype=bool)  # anything else: whoosh decides, unscored
        mask[np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)] = True
        return Scored(mask, np.zeros(self.n, dtype=np.float32))

    def _empty(self) -> Scored:
        return Scored(np.zeros(self.n, dtype=bool), np.zeros(self.n, dtype=np.float32))

    def _term(self, q: wq.Term) -> Scored:
        out = self._empty()
        text = q.text.decode("utf-8") if isinstance(q.text, bytes) else q.text
        ids, tf = self.postings(q.fieldname, text)
        if not len(ids):
            return out
        if not self.searcher.schema[q.fieldname].scorable:  # ID fields: whoosh scores the weight
            out.score[ids] = tf * q.boost
            out.mask[ids] = True
            return out
        df = self.searcher.doc_frequency(q.fieldname, text)
        idf = math.log(self.n / (df + 1)) + 1
        fl = self.lengths(q.fieldname)[ids]
        norm = K1 * ((1 - B) + B * fl / self.avg_length(q.fieldname))
        out.score[ids] = (idf * q.boost) * (tf * (K1 + 1)) / (tf + norm)
        out.mask[ids] = True
        return out

    def _combine(self, parts: list[Scored], union: bool, boost: float) -> Scored:
        if not parts:
            return self._empty()
        first, rest = parts[0], parts[1:]
        mask, score = first.mask.copy(), first.score.copy()
        for p in rest:
            if union:
                mask |= p.mask
            else:
                mask &= p.mask
            score += p.score
        if not union:
            score[~mask] = 0.0
        if boost != 1.0:
            score *= boost
        return Scored(mask, score)


def _deleted(reader) -> frozenset[int]:
    return reader.deleted_docs_set if reader.has_deletions() else frozenset()
