"""BM25F over whole posting lists at once, with numpy: the match set and every score in one pass.

Why not whoosh's own collector: it scores one passage at a time through a tree of Python
matcher objects (about 40 µs per passage and term), so a query whose words occur in 40,000
of 100,000 passages took seconds. Here each term's posting list is decoded once (and kept in
the engine's PostingStore: segments never change), turned into arrays, and the query tree is
evaluated as array operations over all passages: Or adds, And intersects and adds, AndNot
masks. Phrases and proximity take their match set from the words' positions (phrases.py, by
whoosh's rules; anything else positional from whoosh itself) and their score from their words.
The formula is whoosh's BM25F (same idf, B, K1, field lengths and boosts), so rankings agree
with `searcher.search()` up to float rounding.
"""

from __future__ import annotations

import math
import threading
from dataclasses import dataclass

import numpy as np
from whoosh import query as wq

from indexer.search.notices import notice
from indexer.search.phrases import sequence_docs, supported
from indexer.search.ranking import DEFAULT_PROFILE, RankingProfile
from indexer.search.whoosh_access import PostingStore, deleted, field_lengths


@dataclass
class Scored:
    """A boolean match mask and a score per passage (global document numbers)."""

    mask: np.ndarray  # bool[N]
    score: np.ndarray  # float32[N]


class Scorer:
    """Evaluates whoosh queries over one searcher; create one per searcher generation."""

    def __init__(
        self, searcher, store: PostingStore | None = None, profile: RankingProfile = DEFAULT_PROFILE
    ) -> None:
        self.searcher = searcher
        self.store = store or PostingStore()
        self.b, self.k1 = profile.b, profile.k1
        self.n = searcher.doc_count_all()
        self.leaves = searcher.leaf_searchers()
        self.live = np.ones(self.n, dtype=bool)
        for sub, offset in self.leaves:
            for d in deleted(sub.reader()):
                self.live[offset + d] = False
        self._lengths: dict[str, np.ndarray] = {}
        self._avg: dict[str, float] = {}
        self._df: dict[tuple[str, str], int] = {}  # whoosh asks every segment each time: kept per generation
        self._lock = threading.Lock()

    # --- per-field statistics --------------------------------------------------------------

    def lengths(self, fieldname: str) -> np.ndarray:
        found = self._lengths.get(fieldname)
        if found is None:
            parts = [field_lengths(sub.reader(), fieldname) for sub, _offset in self.leaves]
            found = np.concatenate(parts) if parts else np.zeros(0, np.float32)
            with self._lock:
                self._lengths[fieldname] = found
        return found

    def avg_length(self, fieldname: str) -> float:
        """As whoosh: the field's total length (deleted passages included) over every passage stored."""
        if fieldname not in self._avg:
            self._avg[fieldname] = self.searcher.field_length(fieldname) / (self.n or 1)
        return self._avg[fieldname] or 1.0

    def postings(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray]:
        """Global ids and term frequencies of a term over the whole index."""
        if len(self.leaves) == 1 and self.leaves[0][1] == 0:
            return self.store.segment_postings(self.leaves[0][0].reader(), fieldname, text)[:2]
        ids, tfs = [], []
        for sub, offset in self.leaves:
            i, t, _maxids, _offsets = self.store.segment_postings(sub.reader(), fieldname, text)
            if len(i):
                ids.append(i + offset)
                tfs.append(t)
        if not ids:
            return np.zeros(0, np.int64), np.zeros(0, np.float32)
        return np.concatenate(ids), np.concatenate(tfs)

    def positions(self, fieldname: str, text: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Global ids, occurrences per id and every occurrence's position of a term."""
        parts = []
        for sub, offset in self.leaves:
            ids, counts, where = self.store.segment_positions(sub.reader(), fieldname, text)
            if len(ids):
                parts.append((ids + offset, counts, where))
        if not parts:
            return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
        return tuple(np.concatenate(column) for column in zip(*parts, strict=True))

    # --- evaluation --------------------------------------------------------------------

    def evaluate(self, q: wq.Query) -> Scored:
        scored = self._eval(q)
        scored.mask &= self.live
        return scored

    def _eval(self, q: wq.Query) -> Scored:
        if isinstance(q, wq.Term):
            return self._term(q)
        if isinstance(q, wq.Or) and len(q.subqueries) > 1 and all(isinstance(s, wq.Term) for s in q.subqueries):
            return self._terms_union(q.subqueries, q.boost)
        if isinstance(q, wq.Or):
            return self._combine([self._eval(s) for s in q.subqueries], union=True, boost=q.boost)
        if isinstance(q, wq.And):
            return self._combine([self._eval(s) for s in q.subqueries], union=False, boost=q.boost)
        if isinstance(q, wq.AndMaybe):  # the first decides the match, the second adds to its score
            a, b = self._eval(q.a), self._eval(q.b)
            a.score += np.where(a.mask, b.score, 0).astype(np.float32)
            return a
        if isinstance(q, wq.AndNot):
            a, b = self._eval(q.a), self._eval(q.b)
            a.mask &= ~b.mask
            return a
        if q is wq.NullQuery or isinstance(q, type(wq.NullQuery)):
            return self._empty()
        if isinstance(q, wq.Sequence):
            # Positions decide the match (whoosh's rules, phrases.py); the words decide the score.
            words = self._combine([self._eval(s) for s in q.subqueries], union=False, boost=q.boost)
            if len(q.subqueries) > 1 and supported(q):
                words.mask &= sequence_docs(q, self.positions, words.mask)
            else:
                words.mask &= self._whoosh_matches(q)
            return words
        return Scored(self._whoosh_matches(q), np.zeros(self.n, dtype=np.float32))  # whoosh decides, unscored

    def _whoosh_matches(self, q: wq.Query) -> np.ndarray:
        mask = np.zeros(self.n, dtype=bool)
        mask[np.fromiter(self.searcher.docs_for_query(q), dtype=np.int64)] = True
        return mask

    def _empty(self) -> Scored:
        return Scored(np.zeros(self.n, dtype=bool), np.zeros(self.n, dtype=np.float32))

    def _term(self, q: wq.Term) -> Scored:
        out = self._empty()
        ids, values = self._term_values(q)
        out.score[ids] = values
        out.mask[ids] = True
        return out

    def _terms_union(self, terms: list[wq.Term], boost: float) -> Scored:
        """An Or of words (a word's lemmas, a prefix's terms) added up posting list by posting
        list: the same float32 sums as _combine's, without a passage-sized array per word."""
        out = self._empty()
        for term in terms:
            ids, values = self._term_values(term)
            out.score[ids] += values
            out.mask[ids] = True
        if boost != 1.0:
            out.score *= boost
        return out

    def _term_values(self, q: wq.Term) -> tuple[np.ndarray, np.ndarray]:
        """The passages a word is in and its BM25F score in each (float32)."""
        text = q.text.decode("utf-8") if isinstance(q.text, bytes) else q.text
        ids, tf = self.postings(q.fieldname, text)
        if not len(ids):
            return ids, np.zeros(0, np.float32)
        if not self.searcher.schema[q.fieldname].scorable:  # ID fields: whoosh scores the weight
            return ids, np.asarray(tf * q.boost, dtype=np.float32)
        df = self._df.get((q.fieldname, text))
        if df is None:
            df = self._df[(q.fieldname, text)] = self.searcher.doc_frequency(q.fieldname, text)
        idf = math.log(self.n / (df + 1)) + 1
        fl = self.lengths(q.fieldname)[ids]
        norm = self.k1 * ((1 - self.b) + self.b * fl / self.avg_length(q.fieldname))
        return ids, np.asarray((idf * q.boost) * (tf * (self.k1 + 1)) / (tf + norm), dtype=np.float32)

    def _combine(self, parts: list[Scored], union: bool, boost: float) -> Scored:
        if not parts:
            return self._empty()
        first, rest = parts[0], parts[1:]
        mask, score = first.mask, first.score  # every part is a fresh result of _eval: no copy
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


@dataclass
class Matches:
    """What a plan matched: the query that was used, its scores, and what to tell the user."""

    query: wq.Query
    scored: Scored
    notices: list[dict]
    kind: np.ndarray | None = None  # per passage: 0 all the words, 1 some, 2 a concept's terms, 3 another language
    snippet_terms: list[str] | None = None  # body terms to mark; None: those of `query`
    crosslang: dict | None = None  # the cross-language layer's state for this query (crosslang.Hits.state)
    subdivision: tuple[str, str, str] | None = None  # (article, part, point) a reference names a part of
    with_partial: bool = False  # holds the passages with some of the words (kind 1) whenever there are any


def score_plan(plan, scorer: Scorer) -> Matches:
    """All the words; when they never meet in one passage, some of them (saying so)."""
    said = list(plan.notices)
    scored = scorer.evaluate(plan.query)
    if not scored.mask.any() and plan.fallback is not None:
        partial = scorer.evaluate(plan.fallback)
        if partial.mask.any():
            return Matches(plan.fallback, partial, [*said, _fallback_notice(plan)])
    ref = plan.reference
    subdivision = (ref.article, ref.part, ref.point) if ref and ref.article and (ref.part or ref.point) else None
    return Matches(plan.query, scored, said, subdivision=subdivision)


def _fallback_notice(plan) -> dict:
    if plan.fallback_notice == "provision_not_found":
        return notice("provision_not_found", act=plan.reference.act_text(), article=plan.reference.article)
    return notice(plan.fallback_notice)
