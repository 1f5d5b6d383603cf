"""The crawl's stored files: one file per distinct content, named after the URL that owns it.

Identical bytes at several URLs are stored once (the first URL owns the file, the others are
recorded against it). A URL keeps its file name when its content changes, so the document
keeps its id in the index; bytes still served elsewhere move to a name of their own, and a
file no URL serves any more is deleted.
"""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from indexer.crawl.fetch import Response
from indexer.crawl.filetypes import EXTENSIONS
from indexer.crawl.sources import Source
from indexer.crawl.state import CrawlState, DocRecord
from indexer.crawl.store import inside, store_file
from indexer.crawl.urls import host_folder, safe_name, with_hash


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class Saved:
    """What saving one response did."""

    kind: str  # "stored" (file written), "unchanged" (same bytes as before), "duplicate" (new)
    path: str  # the file, relative to the crawl folder
    owner: bool  # whether this URL owns the file (else it is one of its also_urls)
    sha256: str


class Library:
    """Decides where bytes go and keeps the docs table in step with the files on disk."""

    def __init__(self, out_dir: Path, state: CrawlState) -> None:
        self.out_dir = out_dir
        self.state = state

    def forget_missing(self) -> None:
        """A stored file deleted by hand is downloaded again rather than assumed unchanged."""
        for doc in self.state.docs():
            if not (self.out_dir / doc.path).is_file():
                self.state.forget_validators(doc.sha256)
                self.state.drop_doc(doc.sha256)
        self.state.commit()

    def save(self, url: str, resp: Response, source: Source, title: str, anchor: str) -> Saved:
        """Store `resp.body` fetched from `url`, unless the same bytes are already stored."""
        state = self.state
        sha = hashlib.sha256(resp.body).hexdigest()
        before = state.record(url)
        old_sha = before.sha256 if before else ""
        existing = state.doc(sha)
        if existing is not None:
            self._release(url, old_sha, sha)
            owner = url == existing.url
            kind = "unchanged" if owner or old_sha == sha else "duplicate"
            return Saved(kind, existing.path, owner, sha)
        old_doc = state.doc(old_sha) if old_sha else None
        owned_path = old_doc.path if old_doc is not None and old_doc.url == url else None
        if old_doc is not None and owned_path:
            others = [u for u in state.urls_of(old_sha) if u != url]
            if others:
                self._relocate(old_doc, others[0])
        if owned_path and owned_path.endswith("." + EXTENSIONS[resp.kind]):
            relpath = owned_path
        else:
            relpath = self._free_path(resp.final_url, resp.kind)
        store_file(inside(self.out_dir, relpath), resp.body, self.out_dir)
        notes = "; ".join(x for x in (source.notes, f"link text: {anchor}" if anchor else "") if x)
        state.put_doc(
            DocRecord(
                sha256=sha, path=relpath, url=url, final_url=resp.final_url, title=title,
                country=source.country, doc_type=source.doc_type, language=source.language,
                notes=notes, fetched_at=utc_now(), content_type=resp.headers.get("content-type", ""),
                etag=resp.headers.get("etag", ""), last_modified=resp.headers.get("last-modified", ""),
            )
        )  # fmt: skip
        self._release(url, old_sha, sha)  # after put_doc: a file rewritten in place stays
        return Saved("stored", relpath, True, sha)

    def _free_path(self, url: str, kind: str) -> str:
        """DIR-relative path for `url`'s file; a URL-hash suffix when another file has the name.

        A file on disk that no record claims is overwritten: it can only be a leftover of an
        interrupted run (files are written before their record is committed).
        """
        name = safe_name(url, EXTENSIONS.get(kind, kind))
        relpath = f"{host_folder(url)}/{name}"
        if self.state.doc_at(relpath):
            relpath = f"{host_folder(url)}/{with_hash(name, url)}"
        inside(self.out_dir, relpath)
        return relpath

    def _relocate(self, doc: DocRecord, new_url: str) -> None:
        """Make `new_url` the owner of `doc`, moving its file to a name derived from that URL."""
        relpath = self._free_path(new_url, Path(doc.path).suffix.lstrip(".") or "html")
        target = inside(self.out_dir, relpath)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(inside(self.out_dir, doc.path), target)
        doc.path, doc.url = relpath, new_url
        self.state.put_doc(doc)

    def _release(self, url: str, old_sha: str, new_sha: str) -> None:
        """`url` no longer serves `old_sha`: drop that file if no other URL still serves it."""
        if not old_sha or old_sha == new_sha:
            return
        old_doc = self.state.doc(old_sha)
        if old_doc is None:
            return
        others = [u for u in self.state.urls_of(old_sha) if u != url]
        if not others:
            self.state.drop_doc(old_sha)
            new_doc = self.state.doc(new_sha)
            if new_doc is None or new_doc.path != old_doc.path:
                (self.out_dir / old_doc.path).unlink(missing_ok=True)
        elif old_doc.url == url:
            old_doc.url = others[0]
            self.state.put_doc(old_doc)
