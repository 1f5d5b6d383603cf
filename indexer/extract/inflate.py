"""Bounded inflation of PDF streams: a 1 KB FlateDecode stream can claim a gigabyte.

pdfminer inflates every stream whole with `zlib.decompress`, and its fallback for streams with a
bad checksum concatenates bytes one at a time (quadratic). pdfminer has no hook for either, so
`install()` points its module-level `zlib` and `decompress_corrupted` at the bounded versions
below: a stream past budgets.MAX_INFLATED_BYTES raises StreamTooLarge, which costs its page
(reported as unreadable) instead of gigabytes of memory.
"""

from __future__ import annotations

import zlib

from indexer import budgets


class StreamTooLarge(Exception):
    def __init__(self) -> None:
        mb = budgets.MAX_INFLATED_BYTES // (1024 * 1024)
        super().__init__(f"a compressed stream inflates past the {mb} MB budget")


def _inflate(data: bytes, strict: bool) -> bytes:
    limit = budgets.MAX_INFLATED_BYTES
    inflater = zlib.decompressobj()
    out = inflater.decompress(data, limit + 1)
    if len(out) > limit:
        raise StreamTooLarge
    if strict and not inflater.eof:
        raise zlib.error("Error -5 while decompressing data: incomplete or truncated stream")
    return out


def decompress(data: bytes) -> bytes:
    """zlib.decompress with an output budget (same errors for truncated or corrupt data)."""
    return _inflate(data, strict=True)


def decompress_corrupted(data: bytes) -> bytes:
    """A stream whose checksum is wrong: inflate all but the 4-byte checksum, in linear time."""
    return _inflate(data[:-4], strict=False)


class _BoundedZlib:
    """What pdfminer's pdftypes module uses of zlib."""

    error = zlib.error
    decompress = staticmethod(decompress)
    decompressobj = staticmethod(zlib.decompressobj)


def install() -> None:
    from pdfminer import pdftypes

    pdftypes.zlib = _BoundedZlib
    pdftypes.decompress_corrupted = decompress_corrupted
