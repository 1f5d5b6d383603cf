"""The catalog beside the whoosh index: which files were indexed, how, and each document's metadata.

SQLite, so a run killed at any moment leaves a consistent record. It is written only *after*
the whoosh commit that holds a file's passages: a file the catalog names is in the index; a
file that made it into the index but not the catalog is simply redone (its passages are
deleted by doc_id first), so interrupted runs converge.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, fields
from pathlib import Path

from indexer.models import DocMeta

CATALOG_NAME = "catalog.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS files (
    path TEXT PRIMARY KEY,      -- absolute path
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    manifest TEXT NOT NULL,     -- the manifest row's signature: a changed row re-indexes
    doc_id TEXT,                -- NULL when the file was skipped
    status TEXT NOT NULL,       -- indexed | no_text | skipped
    reason TEXT NOT NULL DEFAULT '',
    passages INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY,
    meta TEXT NOT NULL          -- DocMeta as JSON
);
"""


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


class Catalog:
    """A small typed wrapper over catalog.sqlite."""

    def __init__(self, index_dir: Path) -> None:
        self.path = Path(index_dir) / CATALOG_NAME
        self.db = sqlite3.connect(self.path, timeout=30)
        self.db.executescript(_SCHEMA)

    def close(self) -> None:
        self.db.close()

    def files(self) -> dict[str, FileRecord]:
        rows = self.db.execute(
            "SELECT path, size, mtime_ns, sha256, manifest, doc_id, status, reason, passages FROM files"
        )
        return {r[0]: FileRecord(*r) for r in rows}

    def record(self, rec: FileRecord, meta: DocMeta | None) -> None:
        """Record one file (and its document) in one transaction."""
        with self.db:
            self._upsert(rec)
            if meta is not None:
                self.db.execute(
                    "INSERT OR REPLACE INTO documents(doc_id, meta) VALUES (?, ?)",
                    (meta.doc_id, json.dumps(meta.to_dict(), ensure_ascii=False)),
                )

    def touch(self, rec: FileRecord) -> None:
        """Same content, new mtime: remember the mtime so the next run skips the hash."""
        with self.db:
            self._upsert(rec)

    def forget(self, path: str, doc_id: str | None) -> None:
        with self.db:
            self.db.execute("DELETE FROM files WHERE path = ?", (path,))
            if doc_id:
                self.db.execute("DELETE FROM documents WHERE doc_id = ?", (doc_id,))

    def documents(self) -> dict[str, DocMeta]:
        names = {f.name for f in fields(DocMeta)}
        out = {}
        for doc_id, blob in self.db.execute("SELECT doc_id, meta FROM documents"):
            data = {k: v for k, v in json.loads(blob).items() if k in names}
            out[doc_id] = DocMeta(**data)
        return out

    def _upsert(self, rec: FileRecord) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO files(path, size, mtime_ns, sha256, manifest, doc_id, status,"
            " reason, passages) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (rec.path, rec.size, rec.mtime_ns, rec.sha256, rec.manifest, rec.doc_id,
             rec.status, rec.reason, rec.passages),
        )  # fmt: skip
