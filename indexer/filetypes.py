"""Every file type migrantlex reads, in one table that all the code reads.

Folder discovery (writer), sniffing and extractor dispatch (extract/), the `file_type` stored in
metadata, what the crawler accepts and saves, a source's `keep` list, and how the web serves an
original all come from FILE_TYPES. When each kept its own list they drifted (`.markdown` was
sniffed but never discovered).

To add a file type: write its extractor in indexer/extract/ (a function `path -> Extracted`)
and add one FileType row below. Nothing else changes.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from pathlib import Path

    from indexer.models import Extracted

_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body")


def has_pdf_header(head: bytes) -> bool:
    return b"%PDF-" in head[:1024]  # some writers put junk before the header; readers allow it


def is_zip(head: bytes) -> bool:
    return head.startswith(b"PK\x03\x04")


def looks_like_html(head: bytes) -> bool:
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(_HTML_MARKERS) or any(m in start for m in _HTML_MARKERS[1:])


@dataclass(frozen=True)
class FileType:
    """One file type. `name` is the word used everywhere: stored as a document's `file_type`,
    the crawler's kind, a source's `keep` entry."""

    name: str
    label: str  # for messages: "not a PDF"
    suffixes: tuple[str, ...]  # lower case with the dot; the first is what the crawler saves
    mimes: tuple[str, ...]  # Content-Types the crawler accepts; the first is served inline
    extractor: str  # "module:function" in indexer/extract/, imported when first needed
    binary: bool  # a binary format, recognised by `magic` whatever the file is called
    magic: Callable[[bytes], bool] | None = None  # for a text type: claims unnamed text files
    missing: str = ""  # what a file without the binary signature lacks
    paged: bool = False  # the extractor takes max_pages
    shown: Literal["inline", "text", "download"] = "download"  # how the web serves an original

    def load_extractor(self) -> Callable[..., Extracted]:
        module, _, function = self.extractor.partition(":")
        return getattr(importlib.import_module(module), function)


# Binary types first: their signatures are tried in this order. The last row is the fallback
# for text that neither its name nor its content places.
FILE_TYPES: tuple[FileType, ...] = (
    FileType(
        "pdf", "PDF", (".pdf",), ("application/pdf", "application/x-pdf"),
        "indexer.extract.pdf:extract_pdf", binary=True, magic=has_pdf_header,
        missing="no %PDF- header", paged=True, shown="inline",
    ),
    FileType(
        "docx", "DOCX", (".docx",),
        ("application/vnd.openxmlformats-officedocument.wordprocessingml.document",),
        "indexer.extract.docx:extract_docx", binary=True, magic=is_zip, missing="not a ZIP archive",
    ),
    FileType(
        "html", "HTML", (".html", ".htm", ".xhtml"), ("text/html", "application/xhtml+xml"),
        "indexer.extract.html:extract_html", binary=False, magic=looks_like_html,
    ),
    FileType(
        "md", "Markdown", (".md", ".markdown"), ("text/markdown", "text/x-markdown"),
        "indexer.extract.text:extract_markdown", binary=False, shown="text",
    ),
    FileType(
        "txt", "text", (".txt", ".text"), ("text/plain",),
        "indexer.extract.text:extract_text", binary=False, shown="text",
    ),
)  # fmt: skip
PLAIN_TEXT = FILE_TYPES[-1]

BY_NAME = {ft.name: ft for ft in FILE_TYPES}
NAMES = tuple(BY_NAME)
SUFFIXES = frozenset(s for ft in FILE_TYPES for s in ft.suffixes)
_BY_MIME = {mime: ft for ft in FILE_TYPES for mime in ft.mimes}

# For the web, by suffix without the dot: shown by the browser (with this Content-Type), as text.
SHOWN_INLINE = {s[1:]: ft.mimes[0] for ft in FILE_TYPES if ft.shown == "inline" for s in ft.suffixes}
SHOWN_AS_TEXT = frozenset(s[1:] for ft in FILE_TYPES if ft.shown == "text" for s in ft.suffixes)


def for_name(name: str | Path) -> FileType | None:
    """The type a file name (or URL path) promises by its ending, None for one we do not read."""
    name = str(name).rstrip().lower()
    return next((ft for ft in FILE_TYPES for s in ft.suffixes if name.endswith(s)), None)


def for_mime(mime: str) -> FileType | None:
    """The type of a bare MIME type (`text/html`, no parameters), None for one we do not read."""
    return _BY_MIME.get(mime)
