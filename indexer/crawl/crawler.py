"""The crawl loop: take a URL from the frontier, fetch it politely, store it, follow its links.

Breadth-first per run, one URL committed at a time, so an interrupted crawl resumes where it
stopped. Every problem (HTTP errors, timeouts, garbage, wrong types, redirect loops, robots.txt)
is recorded against its URL and the crawl goes on.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from tqdm import tqdm

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one crawl per folder is then up to the user
    fcntl = None

from indexer.crawl.fetch import Fetcher, FetchError, Response
from indexer.crawl.filetypes import EXTENSIONS, body_mismatch, kind_of
from indexer.crawl.htmlpage import decode_html, parse_page
from indexer.crawl.robots import RobotsRules
from indexer.crawl.sources import CrawlSettings, Source
from indexer.crawl.state import CrawlState, DocRecord, QueuedUrl
from indexer.crawl.store import STATE_DIR, clear_tmp, inside, write_atomically, write_manifest
from indexer.crawl.urls import host_folder, in_scope, safe_name, with_hash

LAST_REPORT = "last-report.txt"  # the full summary of the latest run, every URL listed
MANIFEST_EVERY_SECONDS = 10.0  # rewrite the manifest this often while files keep arriving


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass
class CrawlReport:
    """What one crawl run did, for the summary and for tests."""

    stored: list[str] = field(default_factory=list)  # paths of new or changed files
    unchanged: int = 0  # 304, or the same bytes again
    pages: int = 0  # HTML pages fetched only for their links
    duplicates: list[tuple[str, str]] = field(default_factory=list)  # (url, path it duplicates)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    failed: list[tuple[str, str]] = field(default_factory=list)  # (url, reason)
    requests: int = 0
    bytes: int = 0
    seconds: float = 0.0
    resumed: bool = False
    interrupted: bool = False
    finished: bool = False  # the frontier was emptied (False: interrupted or max_pages)

    def summary(self, max_items: int | None = None) -> str:
        """The head line, then failed, skipped and duplicate URLs (at most `max_items` of each)."""
        head = (
            f"fetched {len(self.stored)} new or changed files, {self.unchanged} unchanged, "
            f"{len(self.duplicates)} duplicates, {self.pages} link pages, "
            f"{len(self.skipped)} skipped, {len(self.failed)} failed; "
            f"{self.requests} requests, {self.bytes} bytes, {self.seconds:.1f} s"
        )
        if self.resumed:
            head += " (resumed)"
        if self.interrupted:
            head += " (interrupted: run again to resume)"
        elif not self.finished:
            head += " (stopped at max_pages: run again to continue)"
        lines = [head]
        for label, items in (
            ("failed", [f"{url}: {reason}" for url, reason in self.failed]),
            ("skipped", [f"{url}: {reason}" for url, reason in self.skipped]),
            ("duplicate", [f"{url} = {path}" for url, path in self.duplicates]),
        ):
            shown = items if max_items is None else items[:max_items]
            lines += [f"  {label} {item}" for item in shown]
            if len(items) > len(shown):
                lines.append(f"  ... and {len(items) - len(shown)} more {label}")
        return "\n".join(lines)


class CrawlBusy(RuntimeError):
    """Another crawl holds the folder's lock."""


@contextlib.contextmanager
def exclusive_lock(path: Path) -> Iterator[None]:
    """One crawl per folder: an advisory lock the OS drops when the process dies."""
    with path.open("a+") as fh:
        if fcntl is not None:
            try:
                fcntl.flock(fh, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                raise CrawlBusy(f"another crawl is writing to {path.parent.parent}") from None
        yield


class _Refused(Exception):
    """A URL we decided not to fetch or keep (not an error of the server)."""


class Crawler:
    """Crawls `sources` into `out_dir`; `run()` does one (possibly resumed) crawl."""

    def __init__(
        self,
        out_dir: Path | str,
        sources: list[Source],
        settings: CrawlSettings | None = None,
        progress: bool = False,
        retry_failed: bool = False,
    ) -> None:
        self.out_dir = Path(out_dir)
        self.sources = {s.name: s for s in sources}
        self.settings = settings or CrawlSettings()
        self.progress = progress
        self.retry_failed = retry_failed

    # -- the loop ----------------------------------------------------------------------
    def run(self) -> CrawlReport:
        """Crawl (or resume); raises CrawlBusy when another crawl is writing to the folder."""
        started = time.monotonic()
        (self.out_dir / STATE_DIR).mkdir(parents=True, exist_ok=True)
        with exclusive_lock(self.out_dir / STATE_DIR / "lock"):
            return self._run(started)

    def _run(self, started: float) -> CrawlReport:
        state = CrawlState(self.out_dir / STATE_DIR / "state.sqlite")
        fetcher = Fetcher(self.settings)
        report = CrawlReport()
        bar = None
        try:
            clear_tmp(self.out_dir)
            self._forget_missing_files(state)
            run, report.resumed = state.open_run(utc_now())
            for source in self.sources.values():
                for seed in source.seeds:
                    state.enqueue(run, seed, source.name, 0)
            state.commit()
            robots = RobotsRules(fetcher, state)
            bar = tqdm(
                desc="crawl", unit="url", disable=not self.progress, total=state.pending(run)
            )
            visited = 0
            unlisted = 0  # stored files the manifest on disk does not list yet
            manifest_written = time.monotonic()
            while visited < self.settings.max_pages:
                item = state.next_queued(run)
                if item is None:
                    report.finished = True
                    break
                stored_before = len(report.stored)
                self._visit(item, run, state, fetcher, robots, report)
                state.commit()
                visited += 1
                unlisted += len(report.stored) - stored_before
                if unlisted and time.monotonic() - manifest_written > MANIFEST_EVERY_SECONDS:
                    write_manifest(self.out_dir, state)
                    unlisted, manifest_written = 0, time.monotonic()
                bar.total = visited + state.pending(run)
                bar.update(1)
            if report.finished:
                state.finish_run(run, utc_now())
            for robots_url, reason in robots.problems:
                report.failed.append((robots_url, f"robots.txt unreadable, host skipped: {reason}"))
        except KeyboardInterrupt:
            report.interrupted = True
        finally:
            if bar is not None:
                bar.close()
            state.rollback()  # an interrupted URL's half-recorded visit: it stays queued
            write_manifest(self.out_dir, state)
            state.close()
            report.requests = fetcher.requests
            report.bytes = fetcher.bytes
            report.seconds = time.monotonic() - started
            report_file = self.out_dir / STATE_DIR / LAST_REPORT
            report_file.write_text(report.summary() + "\n", encoding="utf-8")
        return report

    def _forget_missing_files(self, state: CrawlState) -> None:
        """A stored file deleted by hand is downloaded again rather than assumed unchanged."""
        for doc in state.docs():
            if not (self.out_dir / doc.path).is_file():
                state.forget_validators(doc.sha256)
                state.drop_doc(doc.sha256)
        state.commit()

    # -- one URL -----------------------------------------------------------------------
    def _visit(
        self,
        item: QueuedUrl,
        run: int,
        state: CrawlState,
        fetcher: Fetcher,
        robots: RobotsRules,
        report: CrawlReport,
    ) -> None:
        url = item.url
        source = self.sources.get(item.source)
        if source is None:
            state.visited(run, url, "skipped", error=f"source {item.source!r} is not configured")
            return
        before = state.record(url)
        if before and before.outcome == "failed" and before.permanent and not self.retry_failed:
            state.visited(run, url, "failed", error=before.error, permanent=True)
            report.skipped.append((url, f"failed before ({before.error}); use --retry-failed"))
            return
        refusal = robots.refusal(url)
        if refusal:
            state.visited(run, url, "skipped", error=refusal)
            report.skipped.append((url, refusal))
            return
        wants_links = item.depth < source.max_depth

        def classify(content_type: str, at: str, disposition: str) -> str:
            kind = kind_of(content_type, at, disposition)
            if kind is None:
                raise FetchError(
                    "content-type", f"{content_type or 'no Content-Type'} is not a type we use"
                )
            if kind not in source.keep and not (kind == "html" and wants_links):
                raise _Refused(f"{kind} is not kept for source {source.name}")
            return kind

        def may_follow(target: str) -> str | None:
            if not in_scope(target, source):
                return "outside the source's scope"
            return robots.refusal(target)

        conditional = {}
        if before and (before.sha256 or before.links is not None):
            conditional = {"etag": before.etag, "last_modified": before.last_modified}
        try:
            resp = fetcher.fetch(url, classify, conditional, may_follow)
        except _Refused as exc:
            state.visited(run, url, "skipped", error=str(exc))
            report.skipped.append((url, str(exc)))
            return
        except FetchError as exc:
            state.visited(run, url, "failed", error=str(exc), permanent=exc.permanent)
            report.failed.append((url, str(exc)))
            return
        if resp.status == 304:
            report.unchanged += 1
            state.visited(
                run,
                url,
                before.outcome if before and before.outcome != "failed" else "unchanged",
                final_url=resp.final_url,
            )
            if wants_links and before and before.links:
                self._enqueue_links(before.links, item, source, run, state)
            return
        self._handle_body(resp, item, source, run, state, report, wants_links)

    def _handle_body(
        self,
        resp: Response,
        item: QueuedUrl,
        source: Source,
        run: int,
        state: CrawlState,
        report: CrawlReport,
        wants_links: bool,
    ) -> None:
        url = item.url
        validators = {
            "etag": resp.headers.get("etag", ""),
            "last_modified": resp.headers.get("last-modified", ""),
            "final_url": resp.final_url,
        }
        problem = body_mismatch(resp.kind, resp.body)
        if problem:
            reason = f"garbage: {problem} (Content-Type {resp.headers.get('content-type', '?')})"
            state.visited(run, url, "failed", error=reason, permanent=True)
            report.failed.append((url, reason))
            return
        title, keep = "", resp.kind in source.keep
        links: list[tuple[str, str]] | None = None
        if resp.kind == "html":
            page = parse_page(
                decode_html(resp.body, resp.headers.get("content-type", "")), resp.final_url
            )
            title = page.title
            keep = keep and not page.noindex
            links = [] if page.nofollow else [(u, t) for u, t in page.links if in_scope(u, source)]
            if wants_links:
                self._enqueue_links(links, item, source, run, state)
        if not keep:
            report.pages += 1
            state.visited(run, url, "page", links=links, sha256="", **validators)
            return
        outcome = self._store(resp, item, source, title, state, report)
        state.visited(
            run,
            url,
            outcome,
            links=links,
            sha256=hashlib.sha256(resp.body).hexdigest(),
            **validators,
        )

    def _enqueue_links(
        self, links, item: QueuedUrl, source: Source, run: int, state: CrawlState
    ) -> None:
        for link, anchor in links:
            if in_scope(link, source):
                state.enqueue(run, link, source.name, item.depth + 1, anchor)

    # -- storage -----------------------------------------------------------------------
    def _free_path(self, url: str, kind: str, state: CrawlState) -> str:
        name = safe_name(url, EXTENSIONS.get(kind, kind))
        relpath = f"{host_folder(url)}/{name}"
        if state.doc_at(relpath):  # a file no record claims is ours, left by an interrupted run
            relpath = f"{host_folder(url)}/{with_hash(name, url)}"
        inside(self.out_dir, relpath)
        return relpath

    def _store(
        self,
        resp: Response,
        item: QueuedUrl,
        source: Source,
        title: str,
        state: CrawlState,
        report: CrawlReport,
    ) -> str:
        """Save the body once per distinct content; returns the URL's outcome."""
        url = item.url
        sha = hashlib.sha256(resp.body).hexdigest()
        before = state.record(url)
        old_sha = before.sha256 if before else ""
        existing = state.doc(sha)
        if existing is not None:
            self._release(url, old_sha, sha, state)
            if url == existing.url or old_sha == sha:
                report.unchanged += 1
                return "stored" if url == existing.url else "duplicate"
            report.duplicates.append((url, existing.path))
            return "duplicate"
        old_doc = state.doc(old_sha) if old_sha else None
        owned_path = old_doc.path if old_doc is not None and old_doc.url == url else None
        if old_doc is not None and owned_path:
            # The URL keeps its file name (and so its document id in the index); old bytes
            # still served at other URLs move to a name of their own.
            others = [u for u in state.urls_of(old_sha) if u != url]
            if others:
                self._relocate(old_doc, others[0], state)
        if owned_path and owned_path.endswith("." + EXTENSIONS[resp.kind]):
            relpath = owned_path
        else:
            relpath = self._free_path(resp.final_url, resp.kind, state)
        write_atomically(inside(self.out_dir, relpath), resp.body, self.out_dir)
        notes = "; ".join(
            x for x in (source.notes, f"link text: {item.anchor}" if item.anchor else "") if x
        )
        state.put_doc(
            DocRecord(
                sha256=sha, path=relpath, url=url, final_url=resp.final_url, title=title,
                country=source.country, doc_type=source.doc_type, language=source.language,
                notes=notes, fetched_at=utc_now(), content_type=resp.headers.get("content-type", ""),
                etag=resp.headers.get("etag", ""), last_modified=resp.headers.get("last-modified", ""),
            )
        )  # fmt: skip
        self._release(url, old_sha, sha, state)  # after put_doc: a file rewritten in place stays
        report.stored.append(relpath)
        return "stored"

    def _relocate(self, doc: DocRecord, new_url: str, state: CrawlState) -> None:
        """Make `new_url` the owner of `doc`, moving its file to a name derived from that URL."""
        relpath = self._free_path(new_url, Path(doc.path).suffix.lstrip(".") or "html", state)
        target = inside(self.out_dir, relpath)
        target.parent.mkdir(parents=True, exist_ok=True)
        os.replace(inside(self.out_dir, doc.path), target)
        doc.path, doc.url = relpath, new_url
        state.put_doc(doc)

    def _release(self, url: str, old_sha: str, new_sha: str, state: CrawlState) -> None:
        """`url` no longer serves `old_sha`: drop that file if no other URL still serves it."""
        if not old_sha or old_sha == new_sha:
            return
        old_doc = state.doc(old_sha)
        if old_doc is None:
            return
        others = [u for u in state.urls_of(old_sha) if u != url]
        if not others:
            state.drop_doc(old_sha)
            new_doc = state.doc(new_sha)
            if new_doc is None or new_doc.path != old_doc.path:
                (self.out_dir / old_doc.path).unlink(missing_ok=True)
        elif old_doc.url == url:
            old_doc.url = others[0]
            state.put_doc(old_doc)
