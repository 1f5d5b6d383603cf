"""Finished answers shared by every worker of one server, in an SQLite file.

Each worker keeps its own answers in memory (response_cache.ResponseCache), but a server runs
one worker per core and a reader's next request lands on any of them: without sharing, each
question costs one search per worker. Here an answer one worker found is a hit for the others.
Keys are the response cache's, which name the index state the same way in every process
(SearchEngine.state), so a new generation misses every old answer here too.

SQLite gives what sharing between processes needs with no server to run: readers never block
(WAL), writers take turns, and a worker killed mid-write leaves nothing half written. The file
is scratch space: `migrantlex serve` makes it in a temporary folder and removes it at exit;
losing it loses only speed. The oldest answers go first once the byte budget is spent.
"""

from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import threading
import time
from pathlib import Path

DEFAULT_BUDGET_BYTES = 256 * 1024 * 1024
BUSY_MS = 200  # a writer that waits longer gives up (the answer is simply not shared)
CHECK_EVERY = 32  # puts between two looks at the bytes used

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    key BLOB PRIMARY KEY,
    status INTEGER NOT NULL,
    headers TEXT NOT NULL,
    size INTEGER NOT NULL,
    added REAL NOT NULL,
    body BLOB NOT NULL
);
CREATE INDEX IF NOT EXISTS answers_added ON answers(added, size);
"""


class SharedAnswers:
    """get/put like ResponseCache, across processes; any SQLite trouble is a miss, never an error."""

    def __init__(self, path: Path | str, budget_bytes: int = DEFAULT_BUDGET_BYTES) -> None:
        self.path = Path(path)
        self.budget_bytes = budget_bytes
        self._local = threading.local()  # one connection per thread, opened on its first use
        self._pid = os.getpid()
        self._puts = 0
        db = self._connect()  # the file and its table now: a bad path fails at start
        try:
            db.executescript(_SCHEMA)
        finally:
            db.close()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, timeout=BUSY_MS / 1000, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=OFF")  # scratch: a crash may lose answers, never corrupt them
        return db

    def _db(self) -> sqlite3.Connection:
        if os.getpid() != self._pid:  # forked (gunicorn's preload): the parent's connections are not ours
            self._local, self._pid = threading.local(), os.getpid()
        db = getattr(self._local, "db", None)
        if db is None:
            db = self._local.db = self._connect()
        return db

    @staticmethod
    def _digest(key: tuple) -> bytes:
        return hashlib.sha256(repr(key).encode("utf-8", "surrogatepass")).digest()

    def get(self, key: tuple) -> tuple[int, list[tuple[str, str]], bytes] | None:
        try:
            row = self._db().execute(
                "SELECT status, headers, body FROM answers WHERE key = ?", (self._digest(key),)
            ).fetchone()
        except sqlite3.Error:
            return None
        if row is None:
            return None
        status, headers, body = row
        return status, [tuple(h) for h in json.loads(headers)], bytes(body)

    def put(self, key: tuple, status: int, headers: list[tuple[str, str]], body: bytes) -> None:
        if len(body) > self.budget_bytes:
            return
        try:
            db = self._db()
            db.execute(
                "INSERT OR REPLACE INTO answers(key, status, headers, size, added, body) VALUES (?, ?, ?, ?, ?, ?)",
                (self._digest(key), status, json.dumps(headers), len(body), time.time(), body),
            )
            self._puts += 1
            if self._puts % CHECK_EVERY == 0:
                self._keep_within_budget(db)
        except sqlite3.Error:
            return

    def _keep_within_budget(self, db: sqlite3.Connection) -> None:
        (used,) = db.execute("SELECT coalesce(sum(size), 0) FROM answers").fetchone()
        if used > self.budget_bytes:  # the oldest quarter goes at once: the sum is not taken often
            db.execute(
                "DELETE FROM answers WHERE key IN (SELECT key FROM answers ORDER BY added"
                " LIMIT max(1, (SELECT count(*) FROM answers) / 4))"
            )

    def __len__(self) -> int:
        (n,) = self._db().execute("SELECT count(*) FROM answers").fetchone()
        return n
