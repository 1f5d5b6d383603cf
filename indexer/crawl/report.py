"""What one crawl run did: counts for the summary line, URLs with reasons for the details."""

from __future__ import annotations

from dataclasses import dataclass, field


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
