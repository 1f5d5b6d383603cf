"""How the catalog packs its rows: a document's metadata and the entities it names, each one
compressed blob per document.

A row is a few hundred bytes, too short for zlib to learn anything, so most of a plain deflated
row was its JSON keys spelled out again. The metadata is deflated with a preset dictionary of
DocMeta's keys and commonest values (META_WORDS) and without the fields that hold their default
(reading fills them in); its doc_id is the row's key, not repeated inside. A document's entities
are one blob instead of one SQLite row each (the row, its key and the index over it cost twice
the entities themselves: real100k's 232,574 entities, 29 -> 13 MiB).

Rows written before (plain JSON text, zlib without a dictionary, a doc_id inside) still read:
zlib's header says whether a dictionary was used, and which (its Adler-32).
"""

from __future__ import annotations

import json
import zlib
from dataclasses import MISSING, fields

from indexer.models import DocMeta, Named

# Never edit: rows written with it need it to be read. A new dictionary gets its own entry in
# _DICTIONARIES (zlib's header names the one a row was written with by its Adler-32).
META_WORDS = (
    b'"notes": "", "fetched_at": "20", "status": "repealed", "source": "https://", "country": "int", "kz", "kg",'
    b' "doc_type": "convention", "treaty", "report", "press_release", "code", "law", "language": "en", "ky",'
    b' "date": "20", "edition": "20", "number": "", "file_type": "pdf", "html", "docx", "md", "txt", "page_count": 1}'
    b' "relpath": "", "title": "", "doc_type": "other", "language": "ru", {"path": "/'
)
_DICTIONARIES = {zlib.adler32(META_WORDS): META_WORDS}
_NO_DICTIONARY = 0
_LEVEL = 9  # rows are written once per document and read from the catalog cache after
_DEFAULTS = {f.name: f.default for f in fields(DocMeta) if f.default is not MISSING}
_NAMES = {f.name for f in fields(DocMeta)}


def _deflate(raw: bytes, zdict: bytes | None = None) -> bytes:
    packer = zlib.compressobj(_LEVEL, zdict=zdict) if zdict else zlib.compressobj(_LEVEL)
    return packer.compress(raw) + packer.flush()


def _inflate(blob: bytes) -> bytes:
    """A zlib stream, with the preset dictionary its header names (if any)."""
    has_dictionary = len(blob) > 6 and blob[1] & 0x20
    dictionary_id = int.from_bytes(blob[2:6], "big") if has_dictionary else _NO_DICTIONARY
    if dictionary_id == _NO_DICTIONARY:
        return zlib.decompress(blob)
    unpacker = zlib.decompressobj(zdict=_DICTIONARIES[dictionary_id])
    return unpacker.decompress(blob) + unpacker.flush()


def _json_bytes(value: object) -> bytes:
    """UTF-8 JSON, escaped to ASCII only when a non-UTF-8 file name left surrogates in it."""
    try:
        return json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(value, ensure_ascii=True).encode("ascii")  # \udcXX escapes round-trip


def dump_meta(meta: DocMeta) -> bytes:
    """A document's row: what differs from DocMeta's defaults, but its doc_id (the row's key)."""
    data = {k: v for k, v in meta.to_dict().items() if k != "doc_id" and (k not in _DEFAULTS or v != _DEFAULTS[k])}
    return _deflate(_json_bytes(data), META_WORDS)


def load_meta(doc_id: str, blob: bytes | str) -> DocMeta:
    """The DocMeta of a row: compressed JSON, or plain JSON text in catalogs written before."""
    data = json.loads(_inflate(blob) if isinstance(blob, bytes) else blob)
    data = {k: v for k, v in data.items() if k in _NAMES}
    data["doc_id"] = doc_id
    return DocMeta(**data)


def dump_named(entities: list[Named]) -> bytes:
    """A document's entities, most mentioned first (ties by id), as one compressed JSON list."""
    ordered = sorted(entities, key=lambda e: (-e.mentions, e.entity_id))
    return _deflate(_json_bytes([[e.entity_id, e.kind, e.name, e.mentions, list(e.surfaces)] for e in ordered]))


def load_named(blob: bytes) -> list[Named]:
    return [Named(eid, kind, name, mentions, tuple(surfaces)) for eid, kind, name, mentions, surfaces in
            json.loads(_inflate(blob))]  # fmt: skip


def dump_sha256(hexdigest: str) -> bytes | str:
    """A file's digest as its 32 bytes (half the 64 hex digits); anything but lowercase hex as it is."""
    try:
        packed = bytes.fromhex(hexdigest)
    except ValueError:
        return hexdigest
    return packed if packed.hex() == hexdigest else hexdigest


def load_sha256(value: bytes | str) -> str:
    """The hex digest of a row: bytes, or hex text in catalogs written before."""
    return value.hex() if isinstance(value, bytes) else value
