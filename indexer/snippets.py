"""Snippets and highlighted text: matched words in <mark>, everything else HTML-escaped.

Snippets of search hits are cut from the character offsets stored in the index (`chars=True`),
so a hit costs a posting lookup, not a re-analysis of its text. Whole-passage highlighting
(the document page) re-analyses only the passages that matched.
"""

from __future__ import annotations

import re
from html import escape

from whoosh import highlight

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


def make_highlighter(maxchars: int = 240, surround: int = 80) -> highlight.Highlighter:
    """Pinpoint fragments from stored offsets; falls back to re-tokenising when offsets are missing."""
    return highlight.Highlighter(
        fragmenter=highlight.PinpointFragmenter(maxchars=maxchars, surround=surround, autotrim=True),
        formatter=MarkFormatter(),
        scorer=highlight.BasicFragmentScorer(),
    )


def lead(text: str, maxchars: int = 240) -> str:
    """The opening of a passage, cut at a word boundary: the snippet when no word matched."""
    text = " ".join(text.split())
    if len(text) <= maxchars:
        return escape(text, quote=False)
    cut = text.rfind(" ", 0, maxchars)
    return escape(text[: cut if cut > maxchars // 2 else maxchars], quote=False) + " …"


def highlight_whole(text: str, terms: set[str], analyzer) -> str:
    """The whole text escaped, with every token whose analysed form is in `terms` marked."""
    if not terms:
        return escape(text, quote=False)
    spans = []
    for tok in analyzer(text, chars=True, mode="query", removestops=False):
        if tok.text in terms:
            spans.append((tok.startchar, tok.endchar))
    out, index = [], 0
    for start, end in sorted(spans):
        if start < index:
            continue
        out.append(escape(text[index:start], quote=False))
        out.append(f"{MARK_OPEN}{escape(text[start:end], quote=False)}{MARK_CLOSE}")
        index = end
    out.append(escape(text[index:], quote=False))
    return "".join(out)
