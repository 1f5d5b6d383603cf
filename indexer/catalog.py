"""The catalog beside the whoosh index: which files were indexed, how, and each document's metadata.

SQLite, so a run killed at any moment leaves a consistent record. It is written only *after*
the whoosh commit that holds a file's passages, in one transaction per batch that also records
the whoosh generation it matches: a file the catalog names is in the index; a file that made it
into the index but not the catalog is simply redone (its passages are deleted by doc_id first),
so interrupted runs converge.

Readers (the search engine's refresh) must see the two agree: open a whoosh searcher, then call
`documents_for(index_dir, searcher.reader().generation())` (or `state_for`, which adds the
entities each document names). It returns the documents when the catalog matches that generation,
and None while a writer is between its whoosh commit and its catalog commit: keep the previous
searcher and documents, and try again at the next refresh.

File paths are stored as bytes (os.fsencode), so any name the file system allows, UTF-8 or not,
is recorded and found again exactly.
"""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from indexer import catalog_cache, catalog_rows
from indexer.models import DocMeta, Named

CATALOG_NAME = "catalog.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path BLOB PRIMARY KEY,      -- absolute path, os.fsencode()d (older catalogs: TEXT, migrated)
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 BLOB NOT NULL,       -- the 32 bytes of the digest (older catalogs: 64 hex digits, TEXT)
    manifest TEXT NOT NULL,     -- the manifest row's signature: a changed row re-indexes
    doc_id TEXT,                -- NULL when the file was skipped
    status TEXT NOT NULL,       -- indexed | no_text | skipped
    reason TEXT NOT NULL DEFAULT '',
    passages INTEGER NOT NULL DEFAULT 0
) WITHOUT ROWID;  -- rows kept in path order: no second copy of every path in an index (older catalogs: with one)
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    meta TEXT NOT NULL          -- DocMeta as compressed JSON (a BLOB: catalog_rows; older catalogs: TEXT)
);
CREATE TABLE IF NOT EXISTS named (  -- the entities each document names (passage_entities.py)
    doc_id TEXT PRIMARY KEY,
    entities BLOB NOT NULL      -- [entity_id, kind, name, mentions, surfaces] each, compressed: catalog_rows
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS state (
    key TEXT PRIMARY KEY,
    value INTEGER NOT NULL      -- 'generation': the whoosh generation this catalog matches
);
"""
# Catalogs written before `named` kept one row per (document, entity) here: still read, and
# emptied as their documents are indexed again.
_OLD_ENTITIES = "entities"


@dataclass
class FileRecord:
    path: str
    size: int
    mtime_ns: int
    sha256: str
    manifest: str
    doc_id: str | None
    status: str
    reason: str = ""
    passages: int = 0


@dataclass(frozen=True)
class CatalogState:
    """What the catalog says about one whoosh generation: its documents and what each names."""

    documents: dict[str, DocMeta]
    entities: list[tuple[str, Named]]  # (doc_id, entity)
    key: str | None = None  # catalog_cache.catalog_key of the file it was read from: the same in every process


def _path(value: bytes | str) -> str:
    return os.fsdecode(value) if isinstance(value, bytes) else value


def _file_record(row: tuple) -> FileRecord:
    """A FileRecord from a `files` row (path, size, mtime_ns, sha256, ...)."""
    return FileRecord(_path(row[0]), row[1], row[2], catalog_rows.load_sha256(row[3]), *row[4:])


class Catalog:
    """A small typed wrapper over catalog.sqlite."""

    def __init__(self, index_dir: Path) -> None:
        self.path = Path(index_dir) / CATALOG_NAME
        self.db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
        self.db.executescript(_SCHEMA)
        if self.db.execute("SELECT 1 FROM files WHERE typeof(path) = 'text' LIMIT 1").fetchone():
            with self.db:  # a catalog from before paths were bytes
                self.db.execute("BEGIN IMMEDIATE")
                self.db.execute("UPDATE files SET path = CAST(path AS BLOB) WHERE typeof(path) = 'text'")
        self._old_entities = bool(
            self.db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (_OLD_ENTITIES,)).fetchone()
        )

    def close(self) -> None:
        self.db.close()

    def files(self) -> dict[str, FileRecord]:
        rows = self.db.execute(
            "SELECT path, size, mtime_ns, sha256, manifest, doc_id, status, reason, passages FROM files"
        )
        return {_path(r[0]): _file_record(r) for r in rows}

    def file_of(self, doc_id: str) -> FileRecord | None:
        """The file record a document was indexed from (size and sha256 as indexed)."""
        row = self.db.execute(
            "SELECT path, size, mtime_ns, sha256, manifest, doc_id, status, reason, passages FROM files"
            " WHERE doc_id = ? LIMIT 1",
            (doc_id,),
        ).fetchone()
        return _file_record(row) if row else None

    def generation(self) -> int | None:
        """The whoosh generation the catalog matches; None for a catalog that never recorded one."""
        row = self.db.execute("SELECT value FROM state WHERE key = 'generation'").fetchone()
        return row[0] if row else None

    def index_format(self) -> int | None:
        """The INDEX_FORMAT of the last complete run; None for a catalog that never recorded one."""
        row = self.db.execute("SELECT value FROM state WHERE key = 'format'").fetchone()
        return row[0] if row else None

    def set_index_format(self, value: int) -> None:
        with self.db:
            self.db.execute("INSERT OR REPLACE INTO state(key, value) VALUES ('format', ?)", (value,))

    def commit_batch(
        self,
        generation: int,
        records: list[tuple[FileRecord, DocMeta | None]],
        forgotten: list[tuple[str, str | None]],
        entities: dict[str, list[Named]] | None = None,
    ) -> None:
        """Record a committed whoosh batch (files, documents and the entities they name, removals,
        its generation) at once."""
        entities = entities or {}
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            for path, doc_id in forgotten:
                self._forget(path, doc_id)
            for rec, meta in records:
                self._record(rec, meta, entities.get(meta.doc_id, ()) if meta else ())
            self.db.execute(
                "INSERT OR REPLACE INTO state(key, value) VALUES ('generation', ?)", (generation,)
            )

    def record(self, rec: FileRecord, meta: DocMeta | None) -> None:
        """Record one file (and its document) in one transaction."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self._record(rec, meta)

    def touch(self, rec: FileRecord) -> None:
        """Same content, new mtime: remember the mtime so the next run skips the hash."""
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self._upsert(rec)

    def forget(self, path: str, doc_id: str | None) -> None:
        with self.db:
            self.db.execute("BEGIN IMMEDIATE")
            self._forget(path, doc_id)

    def documents(self) -> dict[str, DocMeta]:
        return self._documents()

    def snapshot(self) -> tuple[int | None, dict[str, DocMeta]]:
        """(generation, documents) read in one transaction, so they belong together."""
        with self.db:
            self.db.execute("BEGIN")
            return self.generation(), self._documents()

    def state(self) -> tuple[int | None, CatalogState]:
        """(generation, documents and their entities) read in one transaction, or from the copy
        kept beside the catalog while it is the catalog's current state (catalog_cache)."""
        key = catalog_cache.catalog_key(self.path)  # before the catalog is read: see catalog_cache
        cached = catalog_cache.load(self.path.parent, key) if key else None
        if cached is not None:
            generation, documents, entities = cached
            return generation, CatalogState(documents, entities, key)
        with self.db:
            self.db.execute("BEGIN")
            generation, documents, entities = self.generation(), self._documents(), self._entities()
        if key:
            catalog_cache.save(self.path.parent, key, generation, documents, entities)
        return generation, CatalogState(documents, entities, key)

    def entities(self) -> list[tuple[str, Named]]:
        """(doc_id, entity) for every entity every document names."""
        return self._entities()

    def _entities(self) -> list[tuple[str, Named]]:
        rows = [(doc_id, e) for doc_id, blob in self.db.execute("SELECT doc_id, entities FROM named")
                for e in catalog_rows.load_named(blob)]  # fmt: skip
        if self._old_entities:  # a catalog written before `named`: its documents not yet indexed again
            old = self.db.execute(f"SELECT doc_id, entity_id, kind, name, mentions, surfaces FROM {_OLD_ENTITIES}")
            rows += [(r[0], Named(r[1], r[2], r[3], r[4], tuple(json.loads(r[5])))) for r in old]
            rows.sort(key=lambda row: (row[0], -row[1].mentions, row[1].entity_id))
        return rows

    def _documents(self) -> dict[str, DocMeta]:
        return {doc_id: catalog_rows.load_meta(doc_id, blob) for doc_id, blob in self.db.execute("SELECT doc_id, meta FROM documents")}

    def _record(self, rec: FileRecord, meta: DocMeta | None, entities: Iterable[Named] = ()) -> None:
        self._upsert(rec)
        if meta is not None:
            self.db.execute("INSERT OR REPLACE INTO documents(doc_id, meta) VALUES (?, ?)", (meta.doc_id, catalog_rows.dump_meta(meta)))
            self._forget_entities(meta.doc_id)
            if entities := list(entities):
                self.db.execute("INSERT INTO named(doc_id, entities) VALUES (?, ?)", (meta.doc_id, catalog_rows.dump_named(entities)))

    def _forget_entities(self, doc_id: str) -> None:
        self.db.execute("DELETE FROM named WHERE doc_id = ?", (doc_id,))
        if self._old_entities:
            self.db.execute(f"DELETE FROM {_OLD_ENTITIES} WHERE doc_id = ?", (doc_id,))

    def _forget(self, path: str, doc_id: str | None) -> None:
        self.db.execute("DELETE FROM files WHERE path = ?", (os.fsencode(path),))
        if doc_id:
            self.db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))
            self._forget_entities(doc_id)

    def _upsert(self, rec: FileRecord) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO files(path, size, mtime_ns, sha256, manifest, doc_id, status,"
            " reason, passages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (os.fsencode(rec.path), rec.size, rec.mtime_ns, catalog_rows.dump_sha256(rec.sha256), rec.manifest, rec.doc_id,
             rec.status, rec.reason, rec.passages),
        )  # fmt: skip


def documents_for(index_dir: Path | str, generation: int | None) -> dict[str, DocMeta] | None:
    """The documents of the index at whoosh `generation`, or None if the catalog does not match it yet.

    A catalog that never recorded a generation (written before generations existed) matches any,
    and so does a reader that cannot tell its generation (whoosh's reader of an empty index).
    """
    state = state_for(index_dir, generation)
    return state.documents if state is not None else None


def state_for(index_dir: Path | str, generation: int | None) -> CatalogState | None:
    """The documents and entities of the index at whoosh `generation` (None: see documents_for)."""
    catalog = Catalog(Path(index_dir))
    try:
        recorded, state = catalog.state()
    finally:
        catalog.close()
    return state if recorded is None or generation is None or recorded == generation else None
