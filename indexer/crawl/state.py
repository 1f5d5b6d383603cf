"""Crawl state in DIR/.crawl/state.sqlite: the frontier, what each URL answered, stored files.

SQLite because a crawl must survive being killed: every visited URL is committed at once, so
a new run resumes the unfinished one where it stopped, and a re-crawl knows each URL's ETag
and Last-Modified for conditional GET (and the links of unchanged pages, to keep walking).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS runs (
    id INTEGER PRIMARY KEY, started_at TEXT NOT NULL, finished_at TEXT
);
CREATE TABLE IF NOT EXISTS urls (
    url TEXT PRIMARY KEY, source TEXT NOT NULL, depth INTEGER NOT NULL,
    queued_run INTEGER NOT NULL, visited_run INTEGER NOT NULL DEFAULT 0,
    seq INTEGER NOT NULL, anchor TEXT NOT NULL DEFAULT '',
    outcome TEXT NOT NULL DEFAULT '', error TEXT NOT NULL DEFAULT '',
    permanent INTEGER NOT NULL DEFAULT 0,
    etag TEXT NOT NULL DEFAULT '', last_modified TEXT NOT NULL DEFAULT '',
    final_url TEXT NOT NULL DEFAULT '', sha256 TEXT NOT NULL DEFAULT '',
    links TEXT
);
CREATE INDEX IF NOT EXISTS urls_queue ON urls (queued_run, visited_run, depth, seq);
CREATE INDEX IF NOT EXISTS urls_sha ON urls (sha256);
CREATE TABLE IF NOT EXISTS docs (
    sha256 TEXT PRIMARY KEY, path TEXT NOT NULL UNIQUE, url TEXT NOT NULL,
    final_url TEXT NOT NULL, title TEXT NOT NULL, country TEXT NOT NULL,
    doc_type TEXT NOT NULL, language TEXT NOT NULL, notes TEXT NOT NULL,
    fetched_at TEXT NOT NULL, content_type TEXT NOT NULL,
    etag TEXT NOT NULL, last_modified TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS robots (
    host TEXT PRIMARY KEY, body TEXT NOT NULL, etag TEXT NOT NULL, last_modified TEXT NOT NULL
);
"""


@dataclass
class QueuedUrl:
    url: str
    source: str
    depth: int
    anchor: str


@dataclass
class UrlRecord:
    """What an earlier visit learnt about a URL."""

    outcome: str  # '', 'stored', 'duplicate', 'unchanged', 'page', 'failed', 'skipped'
    error: str
    permanent: bool
    etag: str
    last_modified: str
    sha256: str
    links: list[tuple[str, str]] | None


@dataclass
class DocRecord:
    sha256: str
    path: str
    url: str
    final_url: str
    title: str
    country: str
    doc_type: str
    language: str
    notes: str
    fetched_at: str
    content_type: str
    etag: str
    last_modified: str


class CrawlState:
    """The sqlite file behind a crawl folder; one crawl at a time uses it."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self.db = sqlite3.connect(path, timeout=30)
        # WAL with synchronous=NORMAL: a killed crawl loses nothing committed, without one
        # fsync per visited URL.
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(_SCHEMA)
        self.db.commit()
        self._seq = self.db.execute("SELECT COALESCE(MAX(seq), 0) FROM urls").fetchone()[0]

    def close(self) -> None:
        self.db.close()

    # -- runs --------------------------------------------------------------------------
    def open_run(self, now: str) -> tuple[int, bool]:
        """(run id, resumed): the unfinished run if there is one, else a new run."""
        row = self.db.execute(
            "SELECT id FROM runs WHERE finished_at IS NULL ORDER BY id DESC"
        ).fetchone()
        if row:
            return row[0], True
        cur = self.db.execute("INSERT INTO runs (started_at) VALUES (?)", (now,))
        self.db.commit()
        return int(cur.lastrowid), False

    def finish_run(self, run: int, now: str) -> None:
        self.db.execute("UPDATE runs SET finished_at = ? WHERE id = ?", (now, run))
        self.db.commit()

    # -- frontier ----------------------------------------------------------------------
    def enqueue(self, run: int, url: str, source: str, depth: int, anchor: str = "") -> bool:
        """Queue `url` for this run unless it is already queued or visited in it."""
        row = self.db.execute("SELECT queued_run FROM urls WHERE url = ?", (url,)).fetchone()
        if row is not None and row[0] == run:
            return False
        self._seq += 1
        seq = self._seq
        if row is None:
            self.db.execute(
                "INSERT INTO urls (url, source, depth, queued_run, seq, anchor) VALUES (?, ?, ?, ?, ?, ?)",
                (url, source, depth, run, seq, anchor),
            )
            return True
        self.db.execute(
            "UPDATE urls SET source = ?, depth = ?, queued_run = ?, seq = ?,"
            " anchor = CASE WHEN ? != '' THEN ? ELSE anchor END WHERE url = ?",
            (source, depth, run, seq, anchor, anchor, url),
        )
        return True

    def next_queued(self, run: int) -> QueuedUrl | None:
        row = self.db.execute(
            "SELECT url, source, depth, anchor FROM urls WHERE queued_run = ? AND visited_run < ?"
            " ORDER BY depth, seq LIMIT 1",
            (run, run),
        ).fetchone()
        return QueuedUrl(*row) if row else None

    def pending(self, run: int) -> int:
        return self.db.execute(
            "SELECT COUNT(*) FROM urls WHERE queued_run = ? AND visited_run < ?", (run, run)
        ).fetchone()[0]

    def record(self, url: str) -> UrlRecord | None:
        row = self.db.execute(
            "SELECT outcome, error, permanent, etag, last_modified, sha256, links FROM urls WHERE url = ?",
            (url,),
        ).fetchone()
        if row is None:
            return None
        links = [tuple(x) for x in json.loads(row[6])] if row[6] else None
        return UrlRecord(row[0], row[1], bool(row[2]), row[3], row[4], row[5], links)

    def visited(
        self,
        run: int,
        url: str,
        outcome: str,
        *,
        error: str = "",
        permanent: bool = False,
        etag: str | None = None,
        last_modified: str | None = None,
        final_url: str | None = None,
        sha256: str | None = None,
        links: list[tuple[str, str]] | None = None,
    ) -> None:
        """Mark `url` done for this run; None leaves a remembered value as it was."""
        self.db.execute(
            "UPDATE urls SET visited_run = ?, outcome = ?, error = ?, permanent = ?,"
            " etag = COALESCE(?, etag), last_modified = COALESCE(?, last_modified),"
            " final_url = COALESCE(?, final_url), sha256 = COALESCE(?, sha256),"
            " links = COALESCE(?, links) WHERE url = ?",
            (
                run, outcome, error, int(permanent), etag, last_modified, final_url, sha256,
                json.dumps(links, ensure_ascii=False) if links is not None else None, url,
            ),
        )  # fmt: skip

    def forget_validators(self, sha256: str) -> None:
        """Make URLs of a lost file download again (their validators would answer 304)."""
        self.db.execute(
            "UPDATE urls SET etag = '', last_modified = '', sha256 = '' WHERE sha256 = ?", (sha256,)
        )

    def urls_of(self, sha256: str) -> list[str]:
        rows = self.db.execute("SELECT url FROM urls WHERE sha256 = ? ORDER BY seq", (sha256,))
        return [r[0] for r in rows]

    def commit(self) -> None:
        self.db.commit()

    def rollback(self) -> None:
        self.db.rollback()

    # -- stored documents ----------------------------------------------------------------
    def doc(self, sha256: str) -> DocRecord | None:
        row = self.db.execute("SELECT * FROM docs WHERE sha256 = ?", (sha256,)).fetchone()
        return DocRecord(*row) if row else None

    def doc_at(self, path: str) -> DocRecord | None:
        row = self.db.execute("SELECT * FROM docs WHERE path = ?", (path,)).fetchone()
        return DocRecord(*row) if row else None

    def docs(self) -> list[DocRecord]:
        return [DocRecord(*r) for r in self.db.execute("SELECT * FROM docs ORDER BY path")]

    def put_doc(self, doc: DocRecord) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO docs VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                doc.sha256, doc.path, doc.url, doc.final_url, doc.title, doc.country,
                doc.doc_type, doc.language, doc.notes, doc.fetched_at, doc.content_type,
                doc.etag, doc.last_modified,
            ),
        )  # fmt: skip

    def drop_doc(self, sha256: str) -> None:
        self.db.execute("DELETE FROM docs WHERE sha256 = ?", (sha256,))

    # -- robots.txt ----------------------------------------------------------------------
    def robots(self, host: str) -> tuple[str, str, str] | None:
        row = self.db.execute(
            "SELECT body, etag, last_modified FROM robots WHERE host = ?", (host,)
        ).fetchone()
        return tuple(row) if row else None

    def put_robots(self, host: str, body: str, etag: str, last_modified: str) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO robots VALUES (?, ?, ?, ?)", (host, body, etag, last_modified)
        )
        self.db.commit()
