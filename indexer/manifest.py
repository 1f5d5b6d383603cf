"""The MANIFEST.tsv format, read by the indexer and written by the crawler (corpus/README.md).

One header line of column names, then one line per file, cells separated by tabs, no quoting:
a hand-written manifest in any spreadsheet works. Only `path` is required; the indexer reads
FIELDS and ignores other columns, and a missing column reads as empty. Because nothing is
quoted, a cell can hold no tab or line break: writing folds every run of white space into one
space, so a row always comes back as one row with its columns in place.
"""

from __future__ import annotations

import csv
import os
from collections.abc import Iterable, Mapping
from pathlib import Path

MANIFEST_NAME = "MANIFEST.tsv"
FIELDS = ("title", "country", "doc_type", "language", "date", "source", "notes", "fetched_at")
ACT_FIELDS = ("number", "status", "edition")  # optional: what the act's text says otherwise (act_facts)
# What the crawler writes: the path, the fields the indexer reads, then provenance.
COLUMNS = (
    "path", "title", "country", "doc_type", "language", "date", "source", "notes",
    "url", "final_url", "fetched_at", "sha256", "content_type", "etag", "last_modified", "also_urls",
)  # fmt: skip

Row = dict[str, str]


def cell(value: object) -> str:
    """A value as one manifest cell: tabs and line breaks (all runs of white space) become a space."""
    return " ".join(str(value).split())


def format_manifest(rows: Iterable[Mapping[str, object]], columns: tuple[str, ...] = COLUMNS) -> str:
    """The text of a manifest with `columns`; a column a row lacks is written empty."""
    lines = ["\t".join(columns)]
    lines += ["\t".join(cell(row.get(c, "")) for c in columns) for row in rows]
    return "\n".join(lines) + "\n"


def read_manifest_file(manifest: Path) -> dict[str, Row]:
    """FIELDS of each row keyed by its `path`; {} when the file does not exist.

    Unknown columns are ignored, missing ones are empty, so crawler manifests with extra
    provenance columns and hand-written ones with fewer columns both work.
    """
    if not manifest.is_file():
        return {}
    rows: dict[str, Row] = {}
    with manifest.open(encoding="utf-8-sig", newline="") as fh:
        for row in csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE):
            path = (row.get("path") or "").strip()
            if path:
                rows[path] = {k: (row.get(k) or "").strip() for k in FIELDS + ACT_FIELDS}
    return rows


def read_manifest(folder: Path) -> dict[str, Row]:
    """Rows of folder/MANIFEST.tsv keyed by relative path; {} when there is none."""
    return read_manifest_file(folder / MANIFEST_NAME)


def manifest_signature(row: Mapping[str, str]) -> str:
    """A string that changes when a manifest row changes (a changed row re-indexes its file).

    The act columns count only when filled, so adding them to the format re-indexes nothing.
    """
    signature = "\t".join(row.get(k, "") for k in FIELDS)
    extra = "\t".join(row.get(k, "") for k in ACT_FIELDS)
    return f"{signature}\t{extra}" if extra.strip("\t") else signature


class ManifestIndex:
    """Finds the manifest row for a file: the nearest MANIFEST.tsv above it that names it."""

    def __init__(self, extra: list[tuple[Path, Path]] | None = None) -> None:
        """`extra`: (manifest file, folder its paths are relative to), consulted first.

        For documents in a folder we cannot write to (our own corpus/seeds.tsv describes
        ../shared/seeds, say).
        """
        self._cache: dict[Path, dict[str, Row]] = {}
        self._extra = [(folder.resolve(), read_manifest_file(m)) for m, folder in extra or []]
        # per folder (as given): its real path and the folders at and above it, nearest first
        self._folders: dict[Path, tuple[Path, tuple[Path, ...]]] = {}

    def lookup(self, path: Path) -> tuple[Row, Path | None]:
        """(row, the manifest's folder), or ({}, None) when no manifest names the file."""
        path, folders = self._place(path)
        for folder, rows in self._extra:
            if path.is_relative_to(folder) and path.relative_to(folder).as_posix() in rows:
                return rows[path.relative_to(folder).as_posix()], folder
        for folder in folders:
            rows = self._rows(folder)
            if not rows:
                continue
            row = rows.get(path.relative_to(folder).as_posix())
            if row is not None:
                return row, folder
        return {}, None

    def _place(self, path: Path) -> tuple[Path, tuple[Path, ...]]:
        """The file's real path and the folders above it; a folder is resolved once, not once
        per file (100,000 files: a minute of system calls)."""
        if os.path.islink(path):
            path = path.resolve()
        known = self._folders.get(path.parent)
        if known is None:
            real = path.parent.resolve()
            known = self._folders[path.parent] = (real, (real, *real.parents))
        return known[0] / path.name, known[1]

    def _rows(self, folder: Path) -> dict[str, Row]:
        rows = self._cache.get(folder)
        if rows is None:
            rows = self._cache[folder] = read_manifest(folder)
        return rows
