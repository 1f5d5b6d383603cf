"""Syntax trees into whoosh queries over title, heading and body, weighted by the ranking profile.

Our analyzer puts several terms at one position (lemmas and the `=exact` form), so each
position becomes an Or of its lemmas, plus (in the body) the exact form with the exact-form
bonus; phrases become position-checked sequences; prefixes expand to the most frequent terms.
"""

from __future__ import annotations

from whoosh import query as wq

from analyzers import EXACT_PREFIX, exact_term, is_stopword, text_analyzer
from indexer.search.notices import QueryError
from indexer.search.parser import Group, Not, Phrase, Word
from indexer.search.ranking import DEFAULT_PROFILE, RankingProfile

MAX_PREFIX_EXPANSION = 64

_ANALYZER = None


def analyze(text: str) -> list[list[str]]:
    """The terms the analyzer puts at each position of `text`, position by position."""
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = text_analyzer()
    positions: dict[int, list[str]] = {}
    for tok in _ANALYZER(text, mode="query", positions=True):
        terms = positions.setdefault(tok.pos, [])
        if tok.text not in terms:
            terms.append(tok.text)
    return [positions[p] for p in sorted(positions)]


class QueryBuilder:
    """Turns a syntax tree into a whoosh query over title/heading/body with field boosts.

    `reader` is needed only for prefix expansion (the most frequent matching terms).
    """

    def __init__(self, profile: RankingProfile = DEFAULT_PROFILE, reader=None) -> None:
        self.field_boosts = profile.field_boosts
        self.exact_bonus = profile.exact_bonus
        self.reader = reader
        self.words: list[str] = []  # content words typed, for "did you mean"

    def build(self, node, *, keep_stopwords: bool = False) -> wq.Query | None:
        if isinstance(node, Group):
            parts = [self.build(c, keep_stopwords=keep_stopwords) for c in node.children]
            if node.op == "OR":
                parts = [p for p in parts if p is not None]
                return wq.Or(parts) if len(parts) > 1 else (parts[0] if parts else None)
            positives = [p for c, p in zip(node.children, parts, strict=True) if p is not None and not isinstance(c, Not)]
            negatives = [p for c, p in zip(node.children, parts, strict=True) if p is not None and isinstance(c, Not)]
            if not positives and not keep_stopwords and any(isinstance(c, Word) for c in node.children):
                return self.build(node, keep_stopwords=True)  # a query of stop words only
            if not positives:
                return None
            q = wq.And(positives) if len(positives) > 1 else positives[0]
            return wq.AndNot(q, wq.Or(negatives)) if negatives else q
        if isinstance(node, Not):
            return self.build(node.child, keep_stopwords=True)
        if isinstance(node, Word):
            return self._word(node, keep_stopwords)
        if isinstance(node, Phrase):
            return self._phrase(node)
        raise TypeError(node)

    def _fields(self, scope: str | None) -> list[str]:
        return [scope] if scope else list(self.field_boosts)

    def _word(self, word: Word, keep_stopwords: bool) -> wq.Query | None:
        if word.prefix:
            return self._prefix(word)
        positions = analyze(word.text)
        if not positions:
            return None
        if not keep_stopwords and all(_is_stop(p) for p in positions):
            return None
        self.words.append(word.text)
        per_field = []
        for fname in self._fields(word.scope):
            boost = self.field_boosts.get(fname, 1.0)
            clauses = [self._position(fname, terms, word.exact, boost) for terms in positions]
            clauses = [c for c in clauses if c is not None]
            if clauses:
                per_field.append(clauses[0] if len(clauses) == 1 else wq.And(clauses))
        if not per_field:
            return None
        return per_field[0] if len(per_field) == 1 else wq.Or(per_field)

    def _position(self, fname: str, terms: list[str], exact: bool, boost: float) -> wq.Query | None:
        exacts = [t for t in terms if t.startswith(EXACT_PREFIX)]
        lemmas = [t for t in terms if not t.startswith(EXACT_PREFIX)]
        if exact:
            return wq.Term(fname, exacts[0], boost=boost) if exacts else None
        subs = [wq.Term(fname, t, boost=boost) for t in lemmas] or [
            wq.Term(fname, t, boost=boost) for t in exacts
        ]
        if lemmas and fname == "body":  # the exact-form bonus: body only, one posting list per word
            subs += [wq.Term(fname, t, boost=boost * self.exact_bonus) for t in exacts]
        return subs[0] if len(subs) == 1 else wq.Or(subs)

    def _phrase(self, phrase: Phrase) -> wq.Query | None:
        positions = analyze(phrase.text)
        if not positions:
            return None
        self.words.extend(phrase.text.split())
        per_field = []
        fields = [phrase.scope] if phrase.scope else [f for f in self.field_boosts if f != "title"]
        for fname in fields:
            boost = self.field_boosts.get(fname, 1.0)
            clauses = []
            for terms in positions:
                exacts = [t for t in terms if t.startswith(EXACT_PREFIX)]
                chosen = exacts if phrase.exact else [t for t in terms if not t.startswith(EXACT_PREFIX)] or exacts
                subs = [wq.Term(fname, t) for t in chosen]
                clauses.append(subs[0] if len(subs) == 1 else wq.Or(subs))
            if len(clauses) == 1:
                per_field.append(_with_boost(clauses[0], boost))
            elif phrase.slop:
                per_field.append(wq.Sequence(clauses, slop=phrase.slop, ordered=False, boost=boost))
            else:
                per_field.append(wq.Sequence(clauses, slop=1, ordered=True, boost=boost))
        return per_field[0] if len(per_field) == 1 else wq.Or(per_field)

    def _prefix(self, word: Word) -> wq.Query | None:
        stem = exact_term(word.text)[len(EXACT_PREFIX):]
        if len(stem) < 2:
            raise QueryError("prefix_too_short", word=word.text)
        self.words.append(word.text)
        per_field = []
        for fname in self._fields(word.scope):
            terms = self._expand(fname, stem)
            if terms:
                boost = self.field_boosts.get(fname, 1.0)
                per_field.append(wq.Or([wq.Term(fname, t, boost=boost) for t in terms]))
        if not per_field:
            return wq.NullQuery
        return per_field[0] if len(per_field) == 1 else wq.Or(per_field)

    def _expand(self, fname: str, stem: str) -> list[str]:
        """The most frequent index terms starting with `stem` (bounded, so `а*` stays fast)."""
        if self.reader is None:
            return [stem]
        found = []
        for term in self.reader.expand_prefix(fname, stem):
            term = term.decode("utf-8") if isinstance(term, bytes) else term
            found.append((self.reader.doc_frequency(fname, term), term))
            if len(found) >= 20 * MAX_PREFIX_EXPANSION:
                break
        found.sort(reverse=True)
        return [t for _, t in found[:MAX_PREFIX_EXPANSION]]


def _is_stop(terms: list[str]) -> bool:
    lemmas = [t for t in terms if not t.startswith(EXACT_PREFIX)]
    return bool(lemmas) and all(is_stopword(t) for t in lemmas)


def _with_boost(q: wq.Query, boost: float) -> wq.Query:
    return wq.Or([q], boost=boost) if boost != 1.0 else q
