"""`migrantlex crawl`: fetch documents into a corpus folder that `migrantlex index` reads.

migrantlex crawl corpus/sources.toml --out DIR [--source NAME ...]
migrantlex crawl --url URL --out DIR [--depth N]
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from pathlib import Path

from indexer.crawl.sources import (
    DEFAULT_KEEP,
    KEEPABLE_TYPES,
    CrawlSettings,
    SourcesError,
    load_sources,
    source_for_url,
)

SUMMARY_ITEMS = 30  # URLs listed per kind (failed, skipped, duplicate) on the terminal


def add_parser(subparsers) -> argparse.ArgumentParser:
    """The `crawl` subcommand's arguments, added to the main CLI's subparsers (it runs `run`)."""
    p = subparsers.add_parser(
        "crawl",
        help="fetch documents from the configured sources (or one URL) into a folder",
        description="Fetch documents politely (robots.txt, delays, conditional GET) into DIR, "
        "with DIR/MANIFEST.tsv recording where each file came from. Re-running resumes an "
        "interrupted crawl, or re-crawls downloading only what changed.",
    )
    p.add_argument(
        "sources_file", nargs="?", metavar="SOURCES_FILE", help="e.g. corpus/sources.toml"
    )
    p.add_argument("--url", help="crawl one seed URL instead, staying on its host")
    p.add_argument("--out", required=True, metavar="DIR", help="corpus folder to fill")
    p.add_argument(
        "--source", action="append", metavar="NAME", help="only these sources (repeatable)"
    )
    p.add_argument(
        "--depth", type=int, default=None, help="links to follow from a seed (--url: default 2)"
    )
    p.add_argument(
        "--keep",
        default=None,
        help=f"file types to keep with --url, comma-separated (default {','.join(DEFAULT_KEEP)})",
    )
    p.add_argument("--delay", type=float, default=None, help="seconds between requests to one host")
    p.add_argument("--timeout", type=float, default=None, help="seconds per connect/read")
    p.add_argument("--max-bytes", type=int, default=None, help="largest file to download")
    p.add_argument("--max-pages", type=int, default=None, help="URLs to visit in this run")
    p.add_argument(
        "--allow-private-addresses",
        action="store_true",
        help="also fetch from loopback, private and link-local addresses (refused by default: "
        "a link must not reach this machine or its network)",
    )
    p.add_argument(
        "--retry-failed", action="store_true", help="try again URLs that failed for good before"
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    return p


def _settings(args: argparse.Namespace, base: CrawlSettings) -> CrawlSettings:
    overrides = {
        "delay": args.delay, "timeout": args.timeout, "max_bytes": args.max_bytes,
        "max_pages": args.max_pages,
    }  # fmt: skip
    for key, value in overrides.items():
        if value is not None and value < 0:
            raise SourcesError(f"--{key.replace('_', '-')} must be >= 0")
    if args.allow_private_addresses:
        base = replace(base, allow_private_addresses=True)
    return replace(base, **{k: v for k, v in overrides.items() if v is not None})


def _plan(args: argparse.Namespace):
    """(settings, sources) from the arguments; SourcesError for bad usage."""
    if bool(args.url) == bool(args.sources_file):
        raise SourcesError("give either SOURCES_FILE or --url URL")
    if args.url:
        keep = tuple(
            k.strip().lower() for k in (args.keep or ",".join(DEFAULT_KEEP)).split(",") if k.strip()
        )
        if not keep or set(keep) - set(KEEPABLE_TYPES):
            raise SourcesError(f"--keep: choose from {','.join(KEEPABLE_TYPES)}")
        depth = 2 if args.depth is None else args.depth
        if depth < 0:
            raise SourcesError("--depth must be >= 0")
        return _settings(args, CrawlSettings()), [source_for_url(args.url, depth, keep)]
    settings, sources = load_sources(args.sources_file)
    if args.source:
        known = {s.name for s in sources}
        unknown = sorted(set(args.source) - known)
        if unknown:
            raise SourcesError(f"unknown source(s) {unknown}; known: {sorted(known)}")
        sources = [s for s in sources if s.name in args.source]
    if args.depth is not None:
        if args.depth < 0:
            raise SourcesError("--depth must be >= 0")
        sources = [replace(s, max_depth=args.depth) for s in sources]
    return _settings(args, settings), sources


def run(args: argparse.Namespace) -> int:
    """Exit codes: 0 done (failures are reported, not fatal), 2 bad usage, 130 interrupted."""
    # the crawler (network code, the PDF reader) loads only when a crawl runs: not for `search`
    from indexer.crawl.crawler import LAST_REPORT, CrawlBusy, Crawler
    from indexer.crawl.store import STATE_DIR

    try:
        settings, sources = _plan(args)
    except SourcesError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    crawler = Crawler(
        args.out, sources, settings, progress=not args.no_progress, retry_failed=args.retry_failed
    )
    try:
        report = crawler.run()
    except CrawlBusy as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(report.summary(max_items=SUMMARY_ITEMS))
    if max(len(report.failed), len(report.skipped), len(report.duplicates)) > SUMMARY_ITEMS:
        print(f"full list: {Path(args.out) / STATE_DIR / LAST_REPORT}")
    return 130 if report.interrupted else 0


def main(argv: list[str] | None = None) -> int:
    """Run the crawl subcommand on its own (the lead's `migrantlex` CLI registers it too)."""
    parser = argparse.ArgumentParser(prog="migrantlex")
    add_parser(parser.add_subparsers(dest="command", required=True))
    return run(parser.parse_args(["crawl", *(sys.argv[1:] if argv is None else argv)]))


if __name__ == "__main__":
    sys.exit(main())
