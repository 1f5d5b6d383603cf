"""Decide what a file is from its first bytes as well as its name.

A crawler can save an HTML error page as `law.pdf`, and a user can rename anything; trusting the
extension alone sends garbage to the wrong parser. Content wins when it is unambiguous; a file
whose name promises a format its bytes do not have is refused with a clear reason.
"""

from __future__ import annotations

from pathlib import Path

from indexer.filetypes import FILE_TYPES, PLAIN_TEXT, for_name, is_zip, looks_like_html
from indexer.models import ExtractionError

HEAD_BYTES = 8192
_BOMS = (b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")


def read_head(path: Path, size: int = HEAD_BYTES) -> bytes:
    """The first bytes of a file, with unreadable and empty files turned into ExtractionError."""
    try:
        if path.is_dir():
            raise ExtractionError("is a directory, not a file")
        if path.exists() and not path.is_file():  # a FIFO or device would block or never end
            raise ExtractionError("not a regular file")
        with path.open("rb") as fh:
            head = fh.read(size)
    except OSError as exc:
        raise ExtractionError.unreadable(exc) from exc
    if not head:
        raise ExtractionError("empty file")
    return head


def looks_binary(head: bytes) -> bool:
    """True for data that is not text in any single-byte or UTF-8 encoding."""
    if head.startswith(_BOMS[1:]):  # UTF-16 text legitimately contains NUL bytes
        return False
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in b"\t\n\r\f\v\x1b")
    return controls > len(head) * 0.05


def _describe(head: bytes) -> str:
    if is_zip(head):
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
    """The name of path's type in indexer.filetypes ('pdf', 'docx', ...), or ExtractionError.

    A binary format's signature wins over the name; a name that promises a binary format whose
    signature is missing is refused. Text goes by its name, then by its content, else plain text.
    """
    head = read_head(path)
    for file_type in FILE_TYPES:
        if file_type.binary and file_type.magic(head):
            return file_type.name
    named = for_name(path.name)
    if named and named.binary:
        raise ExtractionError(f"not a {named.label} ({named.missing}; content is {_describe(head)})")
    if path.suffix.lower() == ".doc" or head.startswith(b"\xd0\xcf\x11\xe0"):
        raise ExtractionError("unsupported file type (old binary MS Word .doc; save it as .docx)")
    if head.startswith(b"{\\rtf"):
        raise ExtractionError("unsupported file type (RTF)")
    if looks_binary(head):
        raise ExtractionError(f"unsupported file type ({_describe(head)})")
    if named and named is not PLAIN_TEXT:
        return named.name
    for file_type in FILE_TYPES:
        if not file_type.binary and file_type.magic and file_type.magic(head):
            return file_type.name
    return PLAIN_TEXT.name
