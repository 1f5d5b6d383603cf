"""The crawl loop: take a URL from the frontier, fetch it politely, store it, follow its links.

Breadth-first per run, one URL committed at a time, so an interrupted crawl resumes where it
stopped. Every problem (HTTP errors, timeouts, garbage, wrong types, redirect loops, robots.txt)
is recorded against its URL and the crawl goes on.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from tqdm import tqdm

from indexer.crawl.fetch import Fetcher, FetchError, Response
from indexer.crawl.filetypes import body_mismatch, kind_of
from indexer.crawl.htmlpage import decode_html, parse_page
from indexer.crawl.library import Library, utc_now
from indexer.crawl.report import CrawlReport
from indexer.crawl.robots import RobotsRules
from indexer.crawl.sources import CrawlSettings, Source
from indexer.crawl.state import CrawlState, QueuedUrl, UrlRecord
from indexer.crawl.store import STATE_DIR, clear_tmp, write_manifest
from indexer.crawl.urls import in_scope

try:
    import fcntl
except ImportError:  # Windows: no advisory locks; one crawl per folder is then up to the user
    fcntl = None

LAST_REPORT = "last-report.txt"  # the full summary of the latest run, every URL listed
MANIFEST_EVERY_SECONDS = 10.0  # rewrite the manifest this often while files keep arriving


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
    """A response we decided not to download (not an error of the server)."""


@dataclass
class _Run:
    """Everything one run's visits share."""

    run: int
    state: CrawlState
    fetcher: Fetcher
    robots: RobotsRules
    library: Library
    report: CrawlReport


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
            state = CrawlState(self.out_dir / STATE_DIR / "state.sqlite")
            fetcher = Fetcher(self.settings)
            report = CrawlReport()
            try:
                self._crawl(state, fetcher, report)
            except KeyboardInterrupt:
                report.interrupted = True
            finally:
                state.rollback()  # an interrupted URL's half-recorded visit: it stays queued
                write_manifest(self.out_dir, state)
                state.close()
                report.requests, report.bytes = fetcher.requests, fetcher.bytes
                report.seconds = time.monotonic() - started
                (self.out_dir / STATE_DIR / LAST_REPORT).write_text(
                    report.summary() + "\n", encoding="utf-8"
                )
        return report

    def _crawl(self, state: CrawlState, fetcher: Fetcher, report: CrawlReport) -> None:
        clear_tmp(self.out_dir)
        library = Library(self.out_dir, state)
        library.forget_missing()
        run, report.resumed = state.open_run(utc_now())
        for source in self.sources.values():
            for seed in source.seeds:
                state.enqueue(run, seed, source.name, 0)
        state.commit()
        ctx = _Run(run, state, fetcher, RobotsRules(fetcher, state), library, report)
        visited = 0
        unlisted = 0  # stored files the manifest on disk does not list yet
        manifest_written = time.monotonic()
        with tqdm(desc="crawl", unit="url", disable=not self.progress) as bar:
            while visited < self.settings.max_pages:
                item = state.next_queued(run)
                if item is None:
                    report.finished = True
                    break
                stored_before = len(report.stored)
                self._visit(item, ctx)
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
        for robots_url, reason in ctx.robots.problems:
            report.failed.append((robots_url, f"robots.txt unreadable, host skipped: {reason}"))

    # -- one URL -----------------------------------------------------------------------
    def _visit(self, item: QueuedUrl, ctx: _Run) -> None:
        url, state, report = item.url, ctx.state, ctx.report
        source = self.sources.get(item.source)
        if source is None:
            state.visited(ctx.run, url, "skipped", error=f"source {item.source!r} not configured")
            return
        before = state.record(url)
        if before and before.outcome == "failed" and before.permanent and not self.retry_failed:
            state.visited(ctx.run, url, "failed", error=before.error, permanent=True)
            report.skipped.append((url, f"failed before ({before.error}); use --retry-failed"))
            return
        refusal = ctx.robots.refusal(url)
        if refusal:
            state.visited(ctx.run, url, "skipped", error=refusal)
            report.skipped.append((url, refusal))
            return
        wants_links = item.depth < source.max_depth

        def classify(content_type: str, at: str, disposition: str) -> str:
            kind = kind_of(content_type, at, disposition)
            if kind is None:
                ctype = content_type or "no Content-Type"
                raise FetchError("content-type", f"{ctype} is not a type we use")
            if kind not in source.keep and not (kind == "html" and wants_links):
                raise _Refused(f"{kind} is not kept for source {source.name}")
            return kind

        def may_follow(target: str) -> str | None:
            if not in_scope(target, source):
                return "outside the source's scope"
            return ctx.robots.refusal(target)

        try:
            resp = ctx.fetcher.fetch(url, classify, _validators(before), may_follow)
        except _Refused as exc:
            state.visited(ctx.run, url, "skipped", error=str(exc))
            report.skipped.append((url, str(exc)))
            return
        except FetchError as exc:
            state.visited(ctx.run, url, "failed", error=str(exc), permanent=exc.permanent)
            report.failed.append((url, str(exc)))
            return
        if resp.status == 304:
            report.unchanged += 1
            outcome = before.outcome if before and before.outcome != "failed" else "unchanged"
            state.visited(ctx.run, url, outcome, final_url=resp.final_url)
            if wants_links and before and before.links:
                self._enqueue_links(before.links, item, source, ctx)
            return
        self._handle_body(resp, item, source, ctx, wants_links)

    def _handle_body(
        self, resp: Response, item: QueuedUrl, source: Source, ctx: _Run, wants_links: bool
    ) -> None:
        url, state, report = item.url, ctx.state, ctx.report
        problem = body_mismatch(resp.kind, resp.body)
        if problem:
            reason = f"garbage: {problem} (Content-Type {resp.headers.get('content-type', '?')})"
            state.visited(ctx.run, url, "failed", error=reason, permanent=True)
            report.failed.append((url, reason))
            return
        remembered = {
            "etag": resp.headers.get("etag", ""),
            "last_modified": resp.headers.get("last-modified", ""),
            "final_url": resp.final_url,
        }
        title, keep = "", resp.kind in source.keep
        links: list[tuple[str, str]] | None = None
        if resp.kind == "html":
            text = decode_html(resp.body, resp.headers.get("content-type", ""))
            page = parse_page(text, resp.final_url)
            title = page.title
            keep = keep and not page.noindex
            links = [] if page.nofollow else [(u, t) for u, t in page.links if in_scope(u, source)]
            if wants_links:
                self._enqueue_links(links, item, source, ctx)
        if not keep:
            report.pages += 1
            state.visited(ctx.run, url, "page", links=links, sha256="", **remembered)
            return
        saved = ctx.library.save(url, resp, source, title, item.anchor)
        if saved.kind == "stored":
            report.stored.append(saved.path)
        elif saved.kind == "duplicate":
            report.duplicates.append((url, saved.path))
        else:
            report.unchanged += 1
        outcome = "stored" if saved.owner else "duplicate"
        state.visited(ctx.run, url, outcome, links=links, sha256=saved.sha256, **remembered)

    @staticmethod
    def _enqueue_links(links, item: QueuedUrl, source: Source, ctx: _Run) -> None:
        for link, anchor in links:
            if in_scope(link, source):
                ctx.state.enqueue(ctx.run, link, source.name, item.depth + 1, anchor)


def _validators(before: UrlRecord | None) -> dict[str, str]:
    """Conditional-GET headers for a URL whose content (or links) we still have."""
    if before and (before.sha256 or before.links is not None):
        return {"etag": before.etag, "last_modified": before.last_modified}
    return {}
