"""The catalog's state (documents and the entities they name) kept beside it as columns.

Every process that searches reads the whole state at start: out of catalog.sqlite that is a JSON
blob and a dict per document (53,451 documents: 1.1 CPU s per process); from one JSON file of
columns (zlib-compressed) it is a third of that. The file is keyed by what changes with every write to the
catalog: SQLite's file change counter (header bytes 24-27, bumped by each committed write in
rollback-journal mode), the file's size and mtime, and the fields of DocMeta and Named. The key is
read before the catalog is, so a write landing in between leaves a file under a key that never
comes back, never an old state under a new key. A key that differs, a file that cannot be read
or a catalog in WAL mode (whose counter need not move) means reading SQLite, then saving the
file again (atomically; a read-only folder just means reading SQLite every time).

Each column is saved as its distinct values and, per row, the number of its value: the 700,000
entity rows of 100,000 documents name a few thousand entities, kinds and spellings, and a process
then holds one string per distinct value instead of one per row (the state of real100k: ~300 MB
of a serving process's memory before, see benchmarks/bench_serving.py).
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import fields
from pathlib import Path

from indexer.cache_files import replace_atomically
from indexer.models import DocMeta, Named

CACHE_FILE = "catalog-cache.json.z"  # zlib: 53,451 documents 39 -> 11 MB, for 0.1 CPU s more
CACHE_VERSION = 2  # bump when the file's layout changes (2: columns as distinct values and codes)
_DOC_FIELDS = [f.name for f in fields(DocMeta)]
_NAMED_FIELDS = [f.name for f in fields(Named)]
_HEADER = 100  # an SQLite file starts with a 100-byte header
_WAL_FORMAT = 2  # header byte 18: 1 rollback journal, 2 WAL


def catalog_key(db_path: Path) -> str | None:
    """What identifies the catalog file's content; None when it cannot tell (no file, WAL mode)."""
    try:
        with open(db_path, "rb") as f:
            header = f.read(_HEADER)
            stat = os.fstat(f.fileno())
    except OSError:
        return None
    if len(header) < _HEADER or header[18] == _WAL_FORMAT or os.path.exists(f"{db_path}-wal"):
        return None
    counter = int.from_bytes(header[24:28], "big")
    layout = ",".join(_DOC_FIELDS) + ";" + ",".join(_NAMED_FIELDS)
    return f"{CACHE_VERSION}|{counter}|{stat.st_size}|{stat.st_mtime_ns}|{layout}"


def load(folder: Path, key: str) -> tuple[int | None, dict[str, DocMeta], list[tuple[str, Named]]] | None:
    """(generation, documents, entities) saved under `key`, or None."""
    try:
        data = json.loads(zlib.decompress((folder / CACHE_FILE).read_bytes()).decode("utf-8", "surrogatepass"))
        if data.get("key") != key:
            return None
        documents, named = data["documents"], data["entities"]
        docs = {row[0]: DocMeta(*row) for row in zip(*(_decoded(documents[f]) for f in _DOC_FIELDS), strict=True)}
        named["surfaces"]["values"] = [tuple(v) for v in named["surfaces"]["values"]]
        entities = [
            (doc_id, Named(*row))
            for doc_id, *row in zip(*(_decoded(named[f]) for f in ["doc_id", *_NAMED_FIELDS]), strict=True)
        ]
        return data["generation"], docs, entities
    except (OSError, ValueError, KeyError, TypeError, zlib.error):
        return None


def save(folder: Path, key: str, generation: int | None, docs: dict[str, DocMeta],
         entities: list[tuple[str, Named]]) -> None:
    """Save a state read from SQLite under `key` (whole or not at all)."""
    rows = [[getattr(m, f) for f in _DOC_FIELDS] for m in docs.values()]
    named = [[doc_id, *(getattr(e, f) for f in _NAMED_FIELDS)] for doc_id, e in entities]
    data = {
        "key": key,
        "generation": generation,
        "documents": {f: _encoded([r[i] for r in rows]) for i, f in enumerate(_DOC_FIELDS)},
        "entities": {f: _encoded([r[i] for r in named]) for i, f in enumerate(["doc_id", *_NAMED_FIELDS])},
    }
    text = json.dumps(data, ensure_ascii=False).encode("utf-8", "surrogatepass")  # non-UTF-8 file names
    replace_atomically(folder / CACHE_FILE, lambda out: out.write(zlib.compress(text, 1)))


def _encoded(column: list) -> dict:
    """A column as its distinct values (in first-seen order) and each row's number among them."""
    number: dict = {}
    codes = [number.setdefault(value, len(number)) for value in column]
    return {"values": list(number), "codes": codes}


def _decoded(column: dict) -> list:
    """The rows again, each distinct value one object shared by its rows."""
    values = column["values"]
    return [values[code] for code in column["codes"]]
