"""Turn located spans of the joined text into Passages: clean, cut long ones, drop noise.

The splitters only decide where provisions begin and end (offsets); this module does what is
common to all of them, so cutting a 40k-character article and cutting an unstructured 1 MB
report work the same way and pages are always computed from the same offsets.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.models import Passage
from indexer.structure.pagemap import PageMap

CHUNK_CHARS = 4000  # the size a long passage is cut to, at a paragraph boundary if possible
MIN_LETTERS = 3  # fewer letters than this is noise (a lone page number, a dash)

_MARKDOWN_MARKS = re.compile(r"^[ \t]*#{1,6}[ \t]*", re.M)
_INDENT = re.compile(r"^[ \t]+", re.M)
_BLANK_RUNS = re.compile(r"\n[ \t]*\n(?:[ \t]*\n)+")
_LETTER = re.compile(r"[^\W\d_]")


@dataclass
class Span:
    """Where a passage lies in the joined text, and what it is."""

    start: int
    end: int
    label: str
    kind: str
    heading: str = ""
    path: list[str] = field(default_factory=list)
    number: str = ""
    language: str = ""
    scope: int = 0  # numbering scope: articles restart at 1 in annexes, protocols, translations
    is_article: bool = False  # an article (also inside a translation part, where kind is "annex")


def clean_text(raw: str) -> str:
    """Passage text for display and indexing: no Markdown marks, indents or blank-line runs."""
    if "#" in raw:
        raw = _MARKDOWN_MARKS.sub("", raw)
    raw = _INDENT.sub("", raw)
    return _BLANK_RUNS.sub("\n\n", raw).strip()


def has_words(text: str, minimum: int = MIN_LETTERS) -> bool:
    """At least `minimum` letters (stops counting there: passages can be megabytes)."""
    return any(count >= minimum for count, _ in enumerate(_LETTER.finditer(text), start=1))


def cut_points(text: str, start: int, end: int, size: int = CHUNK_CHARS) -> list[int]:
    """Offsets in [start, end) where a long span is cut: at a blank line, else a line end,
    else a sentence end, else a space, searched in the second half of each window."""
    points = []
    position = start
    while end - position > size + size // 4:
        low, high = position + size // 2, position + size
        cut = -1
        for separator in ("\n\n", "\n", ". ", " "):
            found = text.rfind(separator, low, high)
            if found != -1:
                cut = found + len(separator)
                break
        if cut == -1:
            cut = high
        points.append(cut)
        position = cut
    return points


def spans_to_passages(spans: list[Span], pages: PageMap, chunk_chars: int = CHUNK_CHARS) -> list[Passage]:
    """Passages for the spans, long ones cut into chunks, noise dropped."""
    text = pages.text
    passages = []
    for span in spans:
        bounds = [span.start, *cut_points(text, span.start, span.end, chunk_chars), span.end]
        for piece, (start, end) in enumerate(zip(bounds, bounds[1:], strict=False)):
            body = clean_text(text[start:end])
            if not has_words(body):
                continue
            passages.append(Passage(
                label=span.label,
                text=body,
                pages=pages.pages_between(start, end),
                heading=span.heading,
                path=list(span.path),
                kind=span.kind if piece == 0 else f"{span.kind}-chunk",
                number=span.number,
                language=span.language,
            ))
    return passages
