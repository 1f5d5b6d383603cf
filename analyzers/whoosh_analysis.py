"""The whoosh side: a tokenizer that keeps legal tokens whole, and a filter that puts every
lemma and the `=exact` form of a word at one position (Manticore's `index_exact_words`).

Module-level classes without heavy state: whoosh pickles the analyzer into the index.
Character offsets always point into the ORIGINAL text, so the highlighter marks
`мигрантов` for the query `мигрант`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from whoosh.analysis import Analyzer, Filter, LowercaseFilter, Token, Tokenizer

from analyzers.terms import token_plan

# Alternatives are tried left to right at each place; possessive quantifiers keep them linear.
TOKEN_PATTERN = re.compile(
    r"""
    (?P<act>\d++(?:[-‐‑]\d++)?[-‐‑](?i:фкз|фз|кз|рп|р|п)(?![\w-]))    # 115-ФЗ, 5-ФКЗ, 1-р
    | \d++(?:\.\d++)+[⁰¹²³⁴⁵⁶⁷⁸⁹]*+                                        # 13.3, 327.1, 18.07.2006
    | \d++[⁰¹²³⁴⁵⁶⁷⁸⁹]++(?:\.\d++)*+                                       # 327¹ (not normalised)
    | [^\W\d_]{1,3}+\d++(?![\w])                                        # C097, P029, R86
    | [^\W\d_]++(?:[-‐‑'’][^\W\d_]++)*+                                 # words and compounds
    | \d++                                                              # 98, 2006
    """,
    re.VERBOSE,
)


class LegalTokenizer(Tokenizer):
    """Words (with hyphenated compounds whole), numbers and legal labels, with offsets."""

    def __eq__(self, other) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        tokenize: bool = True,
        mode: str = "",
        **kwargs,
    ):
        if not isinstance(value, str):
            raise TypeError(f"LegalTokenizer needs text (str), got {type(value).__name__}")
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        if not tokenize:
            t.original = t.text = value
            t.boost = 1.0
            if positions:
                t.pos = start_pos
            if chars:
                t.startchar = start_char
                t.endchar = start_char + len(value)
            yield t
            return
        pos = start_pos
        for match in TOKEN_PATTERN.finditer(value):
            t.text = match.group()
            if keeporiginal:
                t.original = t.text
            t.boost = 1.0
            t.stopped = False
            if positions:
                t.pos = pos
                pos += 1
            if chars:
                t.startchar = start_char + match.start()
                t.endchar = start_char + match.end()
            yield t


class MorphFilter(Filter):
    """At each position: every lemma/stem of the word, then its `=exact` form.

    Hyphenated compounds take one position per part (the whole sits with the first part),
    so later positions shift; the same tokens are produced at index and query time.
    """

    def __eq__(self, other) -> bool:
        return type(self) is type(other)

    def __hash__(self) -> int:
        return hash(type(self).__name__)

    def __call__(self, tokens):
        shift = 0
        for t in tokens:
            # Glued words are split in the texts only: a query's `мигрантв` is a typo to correct,
            # not `мигрант в` (the texts' glued tokens are also indexed whole, so typing one finds it).
            plan = token_plan(t.text, t.mode != "query")
            positions = t.positions
            chars = t.chars
            if positions:
                base = t.pos + shift
            if chars:
                start = t.startchar
                end = t.endchar
                exact_offsets = end - start == len(t.text)
            last = 0
            for offset, s_off, e_off, terms in plan:
                if positions:
                    t.pos = base + offset
                if chars:
                    if exact_offsets:
                        t.startchar, t.endchar = start + s_off, start + e_off
                    else:
                        t.startchar, t.endchar = start, end
                for term in terms:
                    t.text = term
                    yield t
                last = offset
            shift += last


def text_analyzer() -> Analyzer:
    """The analyzer of every text field (title, heading, body), at index and at query time."""
    return LegalTokenizer() | LowercaseFilter() | MorphFilter()


TEXT_ANALYZER = text_analyzer()


def index_terms(value: str) -> Iterator[tuple[str, int, int, int]]:
    """(term, position, start, end) as text_analyzer() gives them when indexing `value`, in its
    order, without a whoosh Token passed through three generators (per word, those were most of
    a segment builder's analysis): MorphFilter's loop, repeated for speed. tests/test_postings.py
    holds the two equal on real text."""
    shift = 0
    for i, match in enumerate(TOKEN_PATTERN.finditer(value)):
        text = match.group().lower()
        start, end = match.start(), match.end()
        exact_offsets = end - start == len(text)
        base = i + shift
        last = 0
        for offset, s_off, e_off, terms in token_plan(text, True):
            first, stop = (start + s_off, start + e_off) if exact_offsets else (start, end)
            for term in terms:
                yield term, base + offset, first, stop
            last = offset
        shift += last
