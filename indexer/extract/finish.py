"""The last step every extractor shares: normalise each page and drop repeated headers/footers.

The work itself lives in `analyzers` (normalize_text, strip_repeated_lines), so extracted text
and query text are normalised by the same code.
"""

from __future__ import annotations

from analyzers import normalize_text, strip_repeated_lines
from indexer.models import Extracted, Page


def _one_line(text: str) -> str:
    return " ".join(normalize_text(text).split())


def finish(extracted: Extracted) -> Extracted:
    """Normalise pages, title and headings in place and strip lines repeated on most pages."""
    texts = [normalize_text(page.text) for page in extracted.pages]
    if len(texts) > 1:
        texts = strip_repeated_lines(texts)
    extracted.pages = [
        Page(page.number, text.strip()) for page, text in zip(extracted.pages, texts, strict=True)
    ]
    extracted.title = _one_line(extracted.title) or None if extracted.title else None
    extracted.headings = [h for h in map(_one_line, extracted.headings) if h]
    return extracted
