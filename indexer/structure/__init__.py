"""The provision splitter: pages of a document in, passages (articles, sections, pages) out.

`split_passages` decides between a legal split (Статья/Article/берене with their parts,
chapters and annexes; see provisions.py) and a plain one (sections or pages; sections.py);
both produce offsets into the joined pages, which spans.py turns into cleaned, chunked passages
with their page numbers.
"""

from __future__ import annotations

from indexer.models import Page, Passage
from indexer.structure.headings import ARTICLE, Heading, find_headings
from indexer.structure.numbering import Numbering, check_numbering
from indexer.structure.pagemap import PageMap
from indexer.structure.provisions import split_provisions
from indexer.structure.sections import split_sections
from indexer.structure.spans import CHUNK_CHARS, Span, spans_to_passages

LEGAL_TYPES = {"law", "code", "convention", "treaty", "decree", "regulation", "constitution"}
MIN_ARTICLES = 2


def split_passages(pages: list[Page], *, doc_type: str = "", language: str = "",
                   title: str = "") -> list[Passage]:
    """The passages of one document, in order.

    `doc_type` and `language` come from the metadata; `title` is accepted for callers that
    know it (passages do not repeat it). Documents with articles are split into provisions
    whatever their declared type (a "report" may be a law); others into sections or pages.
    """
    page_map = _page_map(pages)
    return spans_to_passages(locate(page_map, doc_type=doc_type, language=language), page_map)


def locate(page_map: PageMap, *, doc_type: str = "", language: str = "") -> list[Span]:
    """Where each passage lies in the joined text (before cleaning and chunking)."""
    if not page_map.text.strip():
        return []
    headings = find_headings(page_map.text)
    if _is_structured(headings, doc_type):
        return split_provisions(page_map.text, headings, language)
    return split_sections(page_map, language)


def analyze_numbering(pages: list[Page], *, doc_type: str = "", language: str = "") -> Numbering:
    """The article numbering of a document as split: count, duplicates, gaps, disorder."""
    return check_numbering(locate(_page_map(pages), doc_type=doc_type, language=language))


def _page_map(pages: list[Page]) -> PageMap:
    if not isinstance(pages, list) or not all(isinstance(p, Page) for p in pages):
        raise TypeError("split_passages needs a list of Page objects")
    return PageMap(pages)


def _is_structured(headings: list[Heading], doc_type: str) -> bool:
    articles = sum(1 for h in headings if h.level == ARTICLE)
    if articles >= MIN_ARTICLES:
        return True
    structural = sum(1 for h in headings if h.level < ARTICLE)
    return doc_type in LEGAL_TYPES and articles + structural >= MIN_ARTICLES + 1


__all__ = ["CHUNK_CHARS", "Numbering", "analyze_numbering", "locate", "split_passages"]
