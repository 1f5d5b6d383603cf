"""Which responses are documents we keep, and whether a body really is what it claims.

The Content-Type header decides; `application/octet-stream` (common on government sites for
PDFs) is accepted only when the URL or Content-Disposition names a known extension. After the
download the first bytes are checked, so garbage served as a PDF is reported, not stored.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

EXTENSIONS = {"pdf": "pdf", "docx": "docx", "html": "html", "txt": "txt"}

_BY_MIME = {
    "application/pdf": "pdf",
    "application/x-pdf": "pdf",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "txt",
}
_GENERIC_MIME = {
    "application/octet-stream",
    "application/x-download",
    "application/force-download",
    "binary/octet-stream",
}
_BY_SUFFIX = {".pdf": "pdf", ".docx": "docx", ".html": "html", ".htm": "html", ".txt": "txt"}
_FILENAME_RE = re.compile(r"filename\*?=(?:[\w-]+'[\w-]*')?\"?([^\";]+)", re.IGNORECASE)


def mime_of(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def charset_of(content_type: str) -> str | None:
    m = re.search(r"charset=\"?([\w.:-]+)", content_type, re.IGNORECASE)
    return m.group(1) if m else None


def _suffix_kind(name: str) -> str | None:
    name = unquote(name).lower().rstrip()
    for suffix, kind in _BY_SUFFIX.items():
        if name.endswith(suffix):
            return kind
    return None


def kind_of(content_type: str, url: str, content_disposition: str = "") -> str | None:
    """'pdf', 'docx', 'html' or 'txt' for a response we can use, else None."""
    mime = mime_of(content_type)
    if mime in _BY_MIME:
        return _BY_MIME[mime]
    if mime in _GENERIC_MIME or not mime:
        m = _FILENAME_RE.search(content_disposition or "")
        if m and _suffix_kind(m.group(1)):
            return _suffix_kind(m.group(1))
        return _suffix_kind(urlsplit(url).path)
    return None


def body_mismatch(kind: str, body: bytes) -> str | None:
    """Why `body` is not a `kind` file (None when it plausibly is)."""
    head = body[:1024]
    if not body.strip():
        return "empty body"
    if kind == "pdf" and b"%PDF-" not in head:
        return "not a PDF (no %PDF- header)"
    if kind == "docx" and not body.startswith(b"PK\x03\x04"):
        return "not a DOCX (not a zip archive)"
    if kind in ("html", "txt"):
        sample = body[:65536]
        if sample.count(b"\x00") > len(sample) // 100:
            return f"binary data served as {kind}"
        if kind == "html" and b"<" not in sample:
            return "not HTML (no markup)"
    return None
