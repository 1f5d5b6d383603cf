"""Split documents without legal structure (reports, press releases, forms) into sections or pages.

Markdown headings and numbered headings (`2.1 Scope`) mark sections when a text has them;
otherwise each physical page is a passage (a hit can still cite its page), and a single long
page is cut into chunks by spans.py.
"""

from __future__ import annotations

import re

from indexer.structure.pagemap import PageMap
from indexer.structure.spans import Span

MIN_SECTIONS = 2
MAX_HEADING_CHARS = 100

_MARKDOWN_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*(\S[^\n]*?)[ \t#]*$", re.M)
_NUMBERED_HEADING = re.compile(
    r"(?:\A|\n[ \t]*\n)[ \t]*(\d{1,2}(?:\.\d{1,2}){0,3})\.?[ \t]+([A-ZА-ЯЁӨҮҢ][^\n]{2,100})[ \t]*(?=\n)"
)


def split_sections(pages: PageMap, language: str = "") -> list[Span]:
    """Spans for a non-legal text: its headed sections, else its pages."""
    text = pages.text
    spans = _by_markdown(text, language) or _by_numbers(text, language)
    if spans:
        return spans
    spans = []
    for index, (start, number) in enumerate(zip(pages.starts, pages.numbers, strict=True)):
        end = pages.starts[index + 1] if index + 1 < len(pages.starts) else len(text)
        label = f"p. {number}"
        spans.append(Span(start, end, label, "page", path=[label], language=language))
    return spans


def _sections(text: str, heads: list[tuple[int, str, str]], language: str) -> list[Span]:
    """Spans from (start, label, heading) triples; text before the first heading is its own span."""
    spans = []
    if heads[0][0] > 0 and text[:heads[0][0]].strip():
        spans.append(Span(0, heads[0][0], "Introduction", "section", path=["Introduction"],
                          language=language))
    for i, (start, label, heading) in enumerate(heads):
        end = heads[i + 1][0] if i + 1 < len(heads) else len(text)
        spans.append(Span(start, end, label, "section", heading, [label], language=language))
    return spans


def _by_markdown(text: str, language: str) -> list[Span]:
    heads = []
    for match in _MARKDOWN_HEADING.finditer(text):
        title = match.group(1).strip()[:MAX_HEADING_CHARS]
        heads.append((match.start(), title, title))
    return _sections(text, heads, language) if len(heads) >= MIN_SECTIONS else []


def _by_numbers(text: str, language: str) -> list[Span]:
    heads = []
    for match in _NUMBERED_HEADING.finditer(text):
        title = match.group(2).strip()
        if title.endswith((".", ",", ";")):
            continue  # a numbered paragraph of running text, not a heading
        start = text.rfind("\n", 0, match.start(1)) + 1
        heads.append((start, f"Section {match.group(1)}", title))
    return _sections(text, heads, language) if len(heads) >= MIN_SECTIONS else []
