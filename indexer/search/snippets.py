"""Snippets and highlighted text: matched words in <mark>, everything else HTML-escaped.

Snippets and whole-passage highlights are cut from the character offsets stored in the index
(`chars=True`): a hit costs a posting lookup per query term, not a re-analysis of its text.
"""

from __future__ import annotations

import re
from html import escape

from whoosh import highlight

from indexer.search.whoosh_access import PostingStore

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"
_SPACE_RE = re.compile(r"\s+")


class MarkFormatter(highlight.Formatter):
    """<mark> around matches; text between them escaped; fragments joined by an ellipsis."""

    between = " "

    def _text(self, text: str) -> str:
        return escape(_SPACE_RE.sub(" ", text), quote=False)

    def format_token(self, text: str, token, replace: bool = False) -> str:
        return f"{MARK_OPEN}{escape(highlight.get_text(text, token, replace), quote=False)}{MARK_CLOSE}"

    def format(self, fragments, replace: bool = False) -> str:
        joined = self.between.join(self.format_fragment(f, replace) for f in fragments)
        return joined.replace("… …", "…")

    def format_fragment(self, fragment, replace: bool = False) -> str:
        out, index = [], fragment.startchar
        text = fragment.text
        for t in sorted(fragment.matches, key=lambda t: (t.startchar, -t.endchar)):
            if t.startchar < index:  # the same word matched as lemma and as exact form
                continue
            out.append(self._text(text[index : t.startchar]))
            out.append(self.format_token(text, t, replace))
            index = t.endchar
        out.append(self._text(text[index : fragment.endchar]))
        body = "".join(out).strip()
        prefix = "… " if fragment.startchar > 0 else ""
        suffix = " …" if fragment.endchar < len(text) else ""
        return prefix + body + suffix


def lead(text: str, maxchars: int = 240) -> str:
    """The opening of a passage, cut at a word boundary: the snippet when no word matched."""
    text = " ".join(text.split())
    if len(text) <= maxchars:
        return escape(text, quote=False)
    cut = text.rfind(" ", 0, maxchars)
    return escape(text[: cut if cut > maxchars // 2 else maxchars], quote=False) + " …"


_FRAGMENTER = highlight.PinpointFragmenter(maxchars=240, surround=80, autotrim=True)
_FORMATTER = MarkFormatter()
_SCORER = highlight.BasicFragmentScorer()


def matched_tokens(searcher, store: PostingStore, docnum: int, terms: list[str]) -> list:
    """Where the query's body terms occur in one passage, from the offsets stored in postings.

    One token per word even when it matched as lemma and as exact form.
    """
    sub, local = _segment_of(searcher, docnum)
    reader = sub.reader()
    tokens = []
    for term in terms:
        for pos, start, end in store.term_chars(reader, "body", term, local):
            tokens.append(highlight.Token(text=term, pos=pos, startchar=start, endchar=end, matched=True))
    tokens.sort(key=lambda t: (t.startchar, -t.endchar))
    unique, last = [], -1
    for t in tokens:
        if t.startchar >= last:
            unique.append(t)
            last = t.endchar
    return unique


def pinpoint_snippet(
    searcher, store: PostingStore, docnum: int, text: str, terms: list[str], top: int = 2
) -> str:
    """Up to `top` fragments around the query's words in one passage, cut from stored offsets.

    `terms` are body-field terms (lemmas and `=forms`); their character offsets come from the
    posting lists, so the passage's text is not analysed again.
    """
    tokens = matched_tokens(searcher, store, docnum, terms)
    if not tokens:
        return ""
    fragments = list(_FRAGMENTER.fragment_matches(text, tokens))
    ranked = sorted(fragments, key=lambda f: (-_SCORER(f), f.startchar))
    best = sorted(ranked[:top], key=lambda f: f.startchar)
    return _FORMATTER.format(best)


def mark_whole(searcher, store: PostingStore, docnum: int, text: str, terms: list[str]) -> str:
    """The whole passage escaped, with the query's words in <mark> (offsets from postings)."""
    out, index = [], 0
    for t in matched_tokens(searcher, store, docnum, terms):
        out.append(escape(text[index : t.startchar], quote=False))
        out.append(f"{MARK_OPEN}{escape(text[t.startchar : t.endchar], quote=False)}{MARK_CLOSE}")
        index = t.endchar
    out.append(escape(text[index:], quote=False))
    return "".join(out)


def _segment_of(searcher, docnum: int):
    leaves = searcher.leaf_searchers()
    for sub, offset in reversed(leaves):
        if docnum >= offset:
            return sub, docnum - offset
    return leaves[0][0], docnum
