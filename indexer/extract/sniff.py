"""Decide what a file is from its first bytes as well as its name.

A crawler can save an HTML error page as `law.pdf`, and a user can rename anything; trusting the
extension alone sends garbage to the wrong parser. Content wins when it is unambiguous; a file
whose name promises a format its bytes do not have is refused with a clear reason.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from indexer.models import ExtractionError

HEAD_BYTES = 8192
TEXT_SUFFIXES = {".txt", ".text", ""}
MARKDOWN_SUFFIXES = {".md", ".markdown"}
HTML_SUFFIXES = {".html", ".htm", ".xhtml"}
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")
_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body")


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first bytes of a file, with unreadable and empty files turned into ExtractionError."""
    try:
        if path.is_dir():
            raise ExtractionError("is a directory, not a file")
        if path.exists() and not path.is_file():  # a FIFO or device would block or never end
            raise ExtractionError("not a regular file")
        with path.open("rb") as fh:
            head = fh.read(size)
    except ExtractionError:
        raise
    except FileNotFoundError as exc:
        raise ExtractionError("file not found") from exc
    except PermissionError as exc:
        raise ExtractionError("cannot read file (permission denied)") from exc
    except OSError as exc:
        raise ExtractionError(f"cannot read file ({exc.strerror or exc})") from exc
    if not head:
        raise ExtractionError("empty file")
    return head


def looks_like_html(head: bytes) -> bool:
    start = head[:1024].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return start.startswith(_HTML_MARKERS) or any(m in start for m in _HTML_MARKERS[1:])


def looks_binary(head: bytes) -> bool:
    """True for data that is not text in any single-byte or UTF-8 encoding."""
    if head.startswith(_BOMS[1:]):  # UTF-16 text legitimately contains NUL bytes
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in b"\t\n\r\f\v\x1b")
    return controls > len(head) * 0.05


def _is_docx(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as zf:
            return "word/document.xml" in zf.namelist()
    except (zipfile.BadZipFile, OSError):
        return False


def _describe(head: bytes) -> str:
    if head.startswith(b"PK\x03\x04"):
        return "a ZIP archive"
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        return "an old MS Office (OLE) file"
    if looks_like_html(head):
        return "HTML"
    if head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8")):
        return "an image"
    if looks_binary(head):
        return f"binary data starting {head[:8]!r}"
    return "text"


def sniff(path: Path) -> str:
    """Return 'pdf', 'docx', 'html', 'markdown' or 'text' for path, or raise ExtractionError."""
    head = read_head(path)
    suffix = path.suffix.lower()
    is_pdf = b"%PDF-" in head[:1024]
    if suffix == ".pdf":
        if not is_pdf:
            raise ExtractionError(f"not a PDF (no %PDF header; content is {_describe(head)})")
        return "pdf"
    if is_pdf:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if _is_docx(path):
            return "docx"
        raise ExtractionError("unsupported file type (a ZIP archive, not a DOCX document)")
    if suffix == ".docx":
        raise ExtractionError(f"not a DOCX file (content is {_describe(head)})")
    if suffix == ".doc" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractionError("unsupported file type (old binary MS Word .doc; save it as .docx)")
    if head.startswith(b"{\\rtf"):
        raise ExtractionError("unsupported file type (RTF)")
    if looks_binary(head):
        raise ExtractionError(f"unsupported file type ({_describe(head)})")
    if suffix in HTML_SUFFIXES or (suffix not in MARKDOWN_SUFFIXES and looks_like_html(head)):
        return "html"
    if suffix in MARKDOWN_SUFFIXES:
        return "markdown"
    return "text"
