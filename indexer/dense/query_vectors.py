"""Queries already embedded, shared by every process reading one index: `<index>/vectors/queries.sqlite`.

Embedding a query is the largest part of a new query's cost (about 30 ms of CPU with the
thesaurus labels added, more than scoring it). A server's workers would each pay it for the
same query, and every CLI search would load the model (0.2 s) to pay it again; here one process
embeds and the others read 1.5 KB. Keyed by the text's hash with the model's id in it
(store.text_hash), so vectors of another model are never read. Scratch: any trouble with the
file (read-only folder, locked, corrupt) is a miss, never an error; the oldest rows go first
once MAX_ROWS are kept.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
from pathlib import Path

import numpy as np

from indexer.dense import store
from indexer.dense.model import DIM

FILE = "queries.sqlite"
MAX_ROWS = 20_000  # 30 MB of float32 vectors
BUSY_MS = 100
PRUNE_EVERY = 256  # puts between two looks at the row count

_SCHEMA = "CREATE TABLE IF NOT EXISTS vectors (key BLOB PRIMARY KEY, added REAL NOT NULL, vector BLOB NOT NULL)"


class QueryVectors:
    """get/put of query vectors in the index folder's file (a connection per thread)."""

    def __init__(self, index_dir: Path | str) -> None:
        self.path = store.folder(index_dir) / FILE
        self._local = threading.local()
        self._pid = os.getpid()
        self._puts = 0

    def _db(self) -> sqlite3.Connection | None:
        if os.getpid() != self._pid:  # forked (a server's preload): the parent's connections are not ours
            self._local, self._pid = threading.local(), os.getpid()
        db = getattr(self._local, "db", None)
        if db is None and self.path.parent.is_dir():
            db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(_SCHEMA)
            self._local.db = db
        return db

    def get(self, text: str) -> np.ndarray | None:
        try:
            db = self._db()
            row = db.execute("SELECT vector FROM vectors WHERE key = ?", (store.text_hash(text),)).fetchone() if db else None
        except sqlite3.Error:
            return None
        if row is None or len(row[0]) != DIM * 4:
            return None
        vector = np.frombuffer(row[0], dtype=np.float32)
        vector.setflags(write=False)
        return vector

    def put(self, text: str, vector: np.ndarray) -> None:
        try:
            db = self._db()
            if db is None:
                return
            db.execute(
                "INSERT OR REPLACE INTO vectors(key, added, vector) VALUES (?, ?, ?)",
                (store.text_hash(text), time.time(), np.asarray(vector, dtype=np.float32).tobytes()),
            )
            self._puts += 1
            if self._puts % PRUNE_EVERY == 0:
                db.execute(
                    "DELETE FROM vectors WHERE key IN (SELECT key FROM vectors ORDER BY added DESC LIMIT -1 OFFSET ?)",
                    (MAX_ROWS,),
                )
        except sqlite3.Error:
            return
