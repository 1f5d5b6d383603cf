"""Which responses are documents we keep, and whether a body really is what it claims.

The types and their Content-Types are indexer/filetypes.py's. The Content-Type header decides;
`application/octet-stream` (common on government sites for PDFs) is accepted only when the URL
or Content-Disposition names a known extension. After the download the first bytes are checked,
so garbage served as a PDF is reported, not stored.
"""

from __future__ import annotations

import re
from urllib.parse import unquote, urlsplit

from indexer.filetypes import BY_NAME, FILE_TYPES, for_mime, for_name

EXTENSIONS = {ft.name: ft.suffixes[0].lstrip(".") for ft in FILE_TYPES}  # what a saved file ends in
# The types we read; `*/*` last, for servers that label PDFs `application/octet-stream`.
ACCEPT = ",".join(mime for ft in FILE_TYPES for mime in ft.mimes) + ",*/*;q=0.5"

_GENERIC_MIME = {
    "application/octet-stream",
    "application/x-download",
    "application/force-download",
    "binary/octet-stream",
}
_FILENAME_RE = re.compile(r"filename\*?=(?:[\w-]+'[\w-]*')?\"?([^\";]+)", re.IGNORECASE)


def mime_of(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def charset_of(content_type: str) -> str | None:
    m = re.search(r"charset=\"?([\w.:-]+)", content_type, re.IGNORECASE)
    return m.group(1) if m else None


def _suffix_kind(name: str) -> str | None:
    file_type = for_name(unquote(name))
    return file_type.name if file_type else None


def kind_of(content_type: str, url: str, content_disposition: str = "") -> str | None:
    """The file type's name ('pdf', 'html', ...) of a response we can use, else None."""
    mime = mime_of(content_type)
    file_type = for_mime(mime)
    if file_type:
        return file_type.name
    if mime in _GENERIC_MIME or not mime:
        m = _FILENAME_RE.search(content_disposition or "")
        if m and _suffix_kind(m.group(1)):
            return _suffix_kind(m.group(1))
        return _suffix_kind(urlsplit(url).path)
    return None


def body_mismatch(kind: str, body: bytes) -> str | None:
    """Why `body` is not a `kind` file (None when it plausibly is)."""
    file_type = BY_NAME[kind]
    if not body.strip():
        return "empty body"
    if file_type.binary:
        return None if file_type.magic(body) else f"not a {file_type.label} ({file_type.missing})"
    sample = body[:65536]
    if sample.count(b"\x00") > len(sample) // 100:
        return f"binary data served as {kind}"
    if kind == "html" and b"<" not in sample:
        return "not HTML (no markup)"
    return None
