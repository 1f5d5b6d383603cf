"""The last step every extractor shares: normalise each page and drop repeated headers/footers.

The real work lives in `analyzers` (normalize_text, strip_repeated_lines), so extracted text and
query text are normalised by the same code. Until that module lands, a minimal private fallback
keeps extraction usable; delete `_fallback_*` once `analyzers.normalize` exists.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable

from indexer.models import Extracted, Page

try:  # the analyzers package is written in parallel; see the module docstring
    from analyzers import normalize_text as _normalize_text
    from analyzers import strip_repeated_lines as _strip_repeated_lines
except ImportError:  # pragma: no cover - depends on what has landed
    _normalize_text = None
    _strip_repeated_lines = None


def _fallback_normalize(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00ad", "")
    return unicodedata.normalize("NFKC", text)


def _fallback_strip(pages: list[str]) -> list[str]:
    return pages


def _normalizer() -> Callable[[str], str]:
    return _normalize_text or _fallback_normalize


def _stripper() -> Callable[[list[str]], list[str]]:
    return _strip_repeated_lines or _fallback_strip


def normalize(text: str) -> str:
    """Normalise one piece of text (page, title, heading) the way the index expects it."""
    return _normalizer()(text)


def finish(extracted: Extracted) -> Extracted:
    """Normalise pages, title and headings in place and strip lines repeated on most pages."""
    texts = [normalize(page.text) for page in extracted.pages]
    if len(texts) > 1:
        texts = _stripper()(texts)
    extracted.pages = [Page(page.number, text) for page, text in zip(extracted.pages, texts, strict=True)]
    if extracted.title:
        extracted.title = " ".join(normalize(extracted.title).split()) or None
    extracted.headings = [h for h in (" ".join(normalize(h).split()) for h in extracted.headings) if h]
    return extracted
