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
INTRODUCTION = {"ru": "Введение", "ky": "Киришүү", "en": "Introduction"}
SECTION_WORD = {"ru": "Раздел", "ky": "Бөлүм", "en": "Section"}

_MARKDOWN_HEADING = re.compile(r"^[ \t]{0,3}#{1,6}[ \t]*(\S[^\n]*?)[ \t#]*$", re.M)
_NUMBERED_HEADING = re.compile(
    r"(?:\A|\n[ \t]*\n)[ \t]*(\d{1,2}(?:\.\d{1,2}){0,3})\.?[ \t]+([A-ZА-ЯЁӨҮҢ][^\n]{2,100})[ \t]*(?=\n)"
)


def split_sections(pages: PageMap, language: str = "") -> list[Span]:
    """Spans for a non-legal text: its headed sections, else its pages.

    Numbered headings are only trusted in single-page texts (text, Word, HTML): in PDFs, form
    fields and table rows ("14 Total income") look the same, and a page is a better citation.
    """
    text = pages.text
    spans = _by_markdown(text, language)
    if not spans and len(pages.numbers) == 1:
        spans = _by_numbers(text, language)
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
        label = INTRODUCTION.get(language, "Introduction")
        spans.append(Span(0, heads[0][0], label, "section", path=[label], language=language))
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
    """Sections headed `1 Introduction`, `2.1 Scope`: each must follow the previous one."""
    heads = []
    last: tuple[int, ...] = ()
    for match in _NUMBERED_HEADING.finditer(text):
        title = match.group(2).strip()
        if title.endswith((".", ",", ";")):
            continue  # a numbered paragraph of running text, not a heading
        key = tuple(int(part) for part in match.group(1).split("."))
        if not _follows(last, key):
            continue
        last = key
        start = text.rfind("\n", 0, match.start(1)) + 1
        heads.append((start, f"{SECTION_WORD.get(language, 'Section')} {match.group(1)}", title))
    return _sections(text, heads, language) if len(heads) >= MIN_SECTIONS + 1 else []


def _follows(last: tuple[int, ...], key: tuple[int, ...]) -> bool:
    """`2.1` follows `2` and `1.3`; `3` follows `2.1`; `14` does not follow `2.1`."""
    if not last:
        return key == (1,)
    successors = {last[:i] + (last[i] + 1,) for i in range(len(last))} | {last + (1,)}
    return key in successors
