"""Phrases and proximity (whoosh's Sequence) matched over whole position lists with numpy.

whoosh checks a phrase one passage at a time through a tree of Python span matchers: 0.2-8 s
for a phrase of two common words at 100,000 passages. Here each word's positions come decoded
from the PostingStore and the same tree is evaluated for every candidate passage at once.

The rules are whoosh's own (query/spans.py, SpanNear), so the passages matched are the same:
the clauses are joined as a binary tree (whoosh's make_binary_tree: halves, left then right);
a word's span is its position; two spans join when their distance (0 when they overlap, else
the gap between them) is between 1 and the slop, and, when ordered, the left one starts no
later than the right one; the joined span runs from the smaller start to the larger end.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

_KEY = np.int64(1) << 32  # doc * _KEY + position: positions stay far below 2**32
MAX_PAIRS = 4_000_000  # span pairs compared at once (memory), more in turns


@dataclass
class Spans:
    """Spans in many passages, sorted by (doc, start)."""

    doc: np.ndarray
    start: np.ndarray
    end: np.ndarray

    @classmethod
    def empty(cls) -> Spans:
        nothing = np.zeros(0, np.int64)
        return cls(nothing, nothing, nothing)

    def unique(self) -> Spans:
        """Sorted by (doc, start, end), each once."""
        order = np.lexsort((self.end, self.start, self.doc))
        doc, start, end = self.doc[order], self.start[order], self.end[order]
        if len(doc) > 1:
            new = np.ones(len(doc), dtype=bool)
            new[1:] = (doc[1:] != doc[:-1]) | (start[1:] != start[:-1]) | (end[1:] != end[:-1])
            doc, start, end = doc[new], start[new], end[new]
        return Spans(doc, start, end)


def supported(q: wq.Sequence) -> bool:
    """Can `q` be matched here: every clause a word or an Or of words (what builder.py makes)?"""
    return all(isinstance(c, wq.Term) or (isinstance(c, wq.Or) and all(isinstance(t, wq.Term) for t in c.subqueries))
               for c in q.subqueries)  # fmt: skip


def sequence_docs(q: wq.Sequence, positions, candidates: np.ndarray) -> np.ndarray:
    """The passages among `candidates` (a bool mask) where `q`'s clauses occur as whoosh
    requires; `positions(fieldname, text)` gives a term's (global ids, counts, positions)."""
    clauses = [_clause_spans(c, positions, candidates) for c in q.subqueries]
    half = len(clauses) // 2  # the last join need not sort and dedupe its spans: their docs will do
    left, right = _tree(clauses[:half], q.slop, q.ordered), _tree(clauses[half:], q.slop, q.ordered)
    found = np.zeros(len(candidates), dtype=bool)
    found[_near(left, right, q.slop, q.ordered, spans=False).doc] = True
    return found


def _clause_spans(clause: wq.Query, positions, candidates: np.ndarray) -> Spans:
    """A clause's words as one-position spans, sorted and each once: a word's positions come
    sorted already; an Or's are merged by one key (doc, position)."""
    terms = [clause] if isinstance(clause, wq.Term) else list(clause.subqueries)
    parts = [_term_spans(t, positions, candidates) for t in terms]
    if len(parts) == 1:
        return parts[0]
    keys = np.sort(np.concatenate([p.doc * _KEY + p.start for p in parts]))
    if len(keys) > 1:  # each once (np.unique hashes first: ten times slower here)
        keys = keys[np.concatenate(([True], keys[1:] != keys[:-1]))]
    where = keys & (_KEY - 1)
    return Spans(keys >> 32, where, where)


def _term_spans(term: wq.Term, positions, candidates: np.ndarray) -> Spans:
    text = term.text.decode("utf-8") if isinstance(term.text, bytes) else term.text
    ids, counts, where = positions(term.fieldname, text)
    keep = candidates[ids]
    if not keep.all():
        occurrence_kept = np.repeat(keep, counts)
        ids, counts, where = ids[keep], counts[keep], where[occurrence_kept]
    doc = np.repeat(ids, counts)
    return Spans(doc, where, where)


def _tree(clauses: list[Spans], slop: int, ordered: bool) -> Spans:
    if len(clauses) == 1:
        return clauses[0]
    half = len(clauses) // 2
    return _near(_tree(clauses[:half], slop, ordered), _tree(clauses[half:], slop, ordered), slop, ordered)


def _near(a: Spans, b: Spans, slop: int, ordered: bool, spans: bool = True) -> Spans:
    """Every joined span of an `a` span and a `b` span of the same passage (SpanNearMatcher);
    `spans=False`: unsorted, possibly repeated (only their docs are wanted)."""
    if not len(a.doc) or not len(b.doc):
        return Spans.empty()
    b_keys = b.doc * _KEY + b.start  # b is sorted by (doc, start)
    longest = int((b.end - b.start).max())
    # a `b` span can join an `a` span only if it starts within this window (the distance rule)
    lo = np.searchsorted(b_keys, a.doc * _KEY + np.maximum(a.start - slop - longest, 0), "left")
    hi = np.searchsorted(b_keys, a.doc * _KEY + a.end + slop, "right")
    counts = hi - lo
    found: list[Spans] = []
    first = 0
    ends = np.cumsum(counts)
    while first < len(counts):  # a turn compares at most MAX_PAIRS pairs (at least one `a` span)
        done = int(ends[first - 1]) if first else 0
        last = max(first + 1, int(np.searchsorted(ends, done + MAX_PAIRS, "right")))
        found.append(_pairs(a, b, first, last, lo, counts, slop, ordered))
        first = last
    joined = Spans(*(np.concatenate([getattr(s, x) for s in found]) for x in ("doc", "start", "end")))
    return joined.unique() if spans else joined


def _pairs(a: Spans, b: Spans, first: int, last: int, lo: np.ndarray, counts: np.ndarray, slop: int, ordered: bool) -> Spans:
    counts = counts[first:last]
    total = int(counts.sum())
    ai = np.repeat(np.arange(first, last), counts)
    offsets = np.arange(total) - np.repeat(np.cumsum(counts) - counts, counts)
    bi = np.repeat(lo[first:last], counts) + offsets
    a_start, a_end, b_start, b_end = a.start[ai], a.end[ai], b.start[bi], b.end[bi]
    overlap = (a_start <= b_end) & (b_start <= a_end)
    distance = np.where(overlap, 0, np.where(a_end < b_start, b_start - a_end, a_start - b_end))
    ok = (distance >= 1) & (distance <= slop)
    if ordered:
        ok &= a_start <= b_start
    return Spans(a.doc[ai][ok], np.minimum(a_start, b_start)[ok], np.maximum(a_end, b_end)[ok])
