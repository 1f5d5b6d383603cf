"""`migrantlex`: index, embed, search, serve, crawl, stats.

The CLI only parses arguments and renders what the core returns; every subcommand returns an
exit code (0 ok, 1 --strict found skipped files, 2 bad usage or query, 130 interrupted).
"""

from __future__ import annotations

import argparse
import contextlib
import html
import json
import os
import re
import sys
from pathlib import Path

from indexer.crawl import cli as crawl_command
from indexer.settings import DEFAULT_INDEX_DIR, INDEX_DIR_ENV, SORTS, default_index_dir
from search_web import serve as serve_command

# Subcommands that live with their own face: each module has add_parser(subparsers) and run(args).
# Neither import loads Flask or the crawler's network code (see tests/test_import_graph.py).
FACES = (serve_command, crawl_command)


def _add_index_dir(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--index-dir",
        default=default_index_dir(),
        help=f"index folder (default: ${INDEX_DIR_ENV} or {DEFAULT_INDEX_DIR})",
    )


def _split(values: list[str] | None) -> list[str]:
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


# --- index -----------------------------------------------------------------------------


def cmd_index(args: argparse.Namespace) -> int:
    from indexer.writer import IndexBusy, IndexWriteError, index_paths

    try:
        report = index_paths(
            args.paths,
            args.index_dir,
            workers=args.workers,
            progress=not args.no_progress,
            manifest=args.manifest,
            exclude_manifest=args.exclude_manifest,
        )
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    except (IndexBusy, IndexWriteError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    from indexer.dense.store import folder as vectors_folder

    if (report.indexed or report.removed) and vectors_folder(args.index_dir).is_dir():
        print("  results in other languages need `migrantlex embed` for the changed files (serve runs it)")
    if report.interrupted:
        return 130
    _prepare_caches(args.index_dir)
    return 1 if args.strict and report.skipped else 0


def cmd_embed(args: argparse.Namespace) -> int:
    from indexer.dense.build import EmbedBusy, embed_index, watch
    from indexer.dense.model import ModelMissing

    if args.nice:
        os.nice(args.nice)
    if args.watch_parent:
        _idle_priority()
    options = {"workers": args.workers, "progress": not args.no_progress}
    try:
        if args.watch_parent:
            report = watch(args.index_dir, args.watch_parent, **options)
        else:
            report = embed_index(args.index_dir, **options)
    except (EmbedBusy, ModelMissing, FileNotFoundError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    print(report.summary())
    return 130 if report.interrupted else 0


def _idle_priority() -> None:
    """Run only on cores nothing else wants (Linux SCHED_IDLE, inherited by the pool's workers):
    a server's background embedding at nice 10 still took ~10% of a core from requests under load."""
    if hasattr(os, "sched_setscheduler") and hasattr(os, "SCHED_IDLE"):
        with contextlib.suppress(OSError):  # not allowed here: nice is what we have
            os.sched_setscheduler(0, os.SCHED_IDLE, os.sched_param(0))


def _prepare_caches(index_dir) -> None:
    """Derive now, once, what searches and document pages read beside the index (the documents'
    concepts, the citation graph), so no first query of this generation pays for it."""
    from indexer.search.engine import SearchEngine

    try:
        engine = SearchEngine(index_dir)
    except FileNotFoundError:
        return
    try:
        engine.warm()
    finally:
        engine.close()


# --- search ----------------------------------------------------------------------------


def _filters(args: argparse.Namespace):
    from indexer.search import Filters

    return Filters(
        country=_split(args.country),
        doc_type=_split(args.type),
        language=_split(args.lang),
        year_from=args.year_from,
        year_to=args.year_to,
        concept=_split(args.concept),
        status=["in_force"] if args.in_force else [],
        org=_split(args.org),
        person=_split(args.person),
        place=_split(args.place),
    )


def _open_engine(index_dir: str):
    from indexer.search import SearchEngine

    try:
        return SearchEngine(index_dir)
    except FileNotFoundError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return None


_MARK_RE = re.compile(r"<mark>(.*?)</mark>", re.S)


def _plain(snippet: str, color: bool) -> str:
    """HTML snippet -> terminal text: marks in reverse video on a terminal, **bold** otherwise."""
    repl = "\x1b[7m\\1\x1b[0m" if color else r"**\1**"
    return html.unescape(_MARK_RE.sub(repl, snippet))


def render_results(res: dict, color: bool = False) -> str:
    lines = []
    lines.extend(n["message"] for n in res.get("notices", []))
    lines.extend(
        f"also searched ({e['label']}): {', '.join(e['terms'])}  [--no-concepts: only the words typed]"
        for e in res.get("expansions", [])
    )
    if not res["results"]:
        lines.append(f"No results for {res['query']!r}.")
    else:
        lines.append(
            f"{res['total']} documents ({res['total_passages']} passages) for {res['query']!r}"
            f" in {res['took_ms']} ms; page {res['page']}"
        )
    lines.extend(
        f"{e['name']} ({e['kind']} {e['id']}): search {e['search']}" + (f" or filter --{e['kind']} {e['id']}" if e["page"] else "")
        for e in res.get("entities", [])
    )
    if res.get("did_you_mean"):
        lines.append(f"Did you mean: {res['did_you_mean']}")
    first = (res["page"] - 1) * res["limit"]
    for i, doc in enumerate(res["results"], start=first + 1):
        status = "repealed" if doc.get("status") == "repealed" else ""
        facts = " · ".join(x for x in (doc["country"], doc["doc_type"], doc["language"], doc["date"], status) if x)
        related = f"  ({doc['match']} match)" if doc.get("match", "all") != "all" else ""
        lines.append(f"\n{i}. {doc['title']}  [{facts}]  id={doc['doc_id']}{related}")
        for p in doc["passages"]:
            paged = doc.get("paged") and p["pages"] and not p["label"].startswith("p.")
            where = f"p. {p['pages'][0]}" if paged else ""
            head = " — ".join(x for x in (p["label"], p["heading"]) if x)
            if head or where:
                lines.append(f"   {head} ({where})" if where and head else f"   {head or where}")
            if p.get("snippet"):
                lines.append(f"     {_plain(p['snippet'], color)}")
        if doc["more_passages"]:
            lines.append(f"   + {doc['more_passages']} more passages")
        origin = " — ".join(x for x in (doc.get("publisher"), doc.get("original_url")) if x)
        lines.append(f"   source: {origin or doc['source']}")
    return "\n".join(lines)


def cmd_search(args: argparse.Namespace) -> int:
    from indexer.search import QueryError

    engine = _open_engine(args.index_dir)
    if engine is None:
        return 2
    try:
        res = engine.search(
            args.query, filters=_filters(args), page=args.page, limit=args.limit, sort=args.sort,
            concepts=not args.no_concepts,
        )
    except QueryError as exc:
        print(f"error: {exc.message}", file=sys.stderr)
        return 2
    docs = engine.view().docs
    for doc in res["results"]:  # where to read the original: on the web when known, else this file
        meta = docs.get(doc["doc_id"])
        doc["original_url"] = doc["source_url"] or (Path(meta.path).as_uri() if meta and meta.path else "")
    if args.json:
        print(json.dumps(res, ensure_ascii=False, indent=2))
    else:
        print(render_results(res, color=sys.stdout.isatty()))
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    engine = _open_engine(args.index_dir)
    if engine is None:
        return 2
    print(json.dumps(engine.stats(), ensure_ascii=False, indent=2))
    return 0


# --- parser ----------------------------------------------------------------------------


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="migrantlex", description="Search the law and policy of labour migration."
    )
    sub = parser.add_subparsers(dest="command", required=True)

    p = sub.add_parser("index", help="index files and folders (incremental)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    _add_index_dir(p)
    p.add_argument("--workers", type=int, default=None, help="extraction processes (default: 2)")
    p.add_argument("--strict", action="store_true", help="exit 1 when any file was skipped")
    p.add_argument(
        "--manifest", type=Path, help="extra MANIFEST.tsv whose paths are relative to the folders given"
    )
    p.add_argument(
        "--exclude-manifest", type=Path, metavar="MANIFEST",
        help="do not index the files this MANIFEST.tsv lists (paths relative to the folders given)",
    )
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.set_defaults(func=cmd_index)

    p = sub.add_parser("embed", help="embed the indexed articles for cross-language search (incremental)")
    _add_index_dir(p)
    p.add_argument("--workers", type=int, default=None, help="embedding processes (default: one per core)")
    p.add_argument("--nice", type=int, default=10, help="lower this run's priority by N (default 10; 0: not)")
    p.add_argument("--no-progress", action="store_true", help="no progress bar")
    p.add_argument("--watch-parent", type=int, default=0, help=argparse.SUPPRESS)  # serve's background job
    p.set_defaults(func=cmd_embed)

    p = sub.add_parser("search", help="search the index")
    p.add_argument("query")
    _add_index_dir(p)
    p.add_argument("--json", action="store_true", help="print the /api/search JSON")
    p.add_argument("--limit", type=int, default=10, help="documents per page (default 10)")
    p.add_argument("--page", type=int, default=1)
    p.add_argument("--sort", choices=SORTS, default="relevance")
    p.add_argument("--country", action="append", help="e.g. kg, ru, int (repeat or comma-separate)")
    p.add_argument("--type", action="append", help="law, code, convention, treaty, report, ...")
    p.add_argument("--lang", action="append", help="ru, en, ky, ...")
    p.add_argument("--year-from", type=int)
    p.add_argument("--year-to", type=int)
    p.add_argument("--concept", action="append", help="thesaurus concept ids the documents treat (work-patent, ...)")
    p.add_argument(
        "--no-concepts", action="store_true", help="search only the words typed (no thesaurus concepts)"
    )
    p.add_argument("--in-force", action="store_true", help="leave out repealed acts")
    p.add_argument("--org", action="append", help="organisations the documents name, by id (iom; see /organisations)")
    p.add_argument("--person", action="append", help="people the documents name, by id")
    p.add_argument("--place", action="append", help="places the documents name, by id")
    p.set_defaults(func=cmd_search)

    p = sub.add_parser("stats", help="what the index holds")
    _add_index_dir(p)
    p.set_defaults(func=cmd_stats)

    for face in FACES:
        face.add_parser(sub).set_defaults(func=face.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return args.func(args)
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `migrantlex search ... | head`
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0


if __name__ == "__main__":
    sys.exit(main())
