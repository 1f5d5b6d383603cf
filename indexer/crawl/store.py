"""Files on disk and the MANIFEST.tsv that describes them, both written atomically.

A file is written to a temporary name inside DIR/.crawl/tmp and renamed into place, so a
reader (or an interrupted crawl) never sees half a document. The manifest is regenerated from
the crawl state, never edited in place.
"""

from __future__ import annotations

from pathlib import Path

from indexer.cache_files import write_atomically
from indexer.crawl.state import CrawlState, DocRecord
from indexer.manifest import MANIFEST_NAME, format_manifest

STATE_DIR = ".crawl"


def tmp_dir(out_dir: Path) -> Path:
    path = out_dir / STATE_DIR / "tmp"
    path.mkdir(parents=True, exist_ok=True)
    return path


def clear_tmp(out_dir: Path) -> None:
    """Remove partial files an interrupted run left behind."""
    for leftover in tmp_dir(out_dir).iterdir():
        if leftover.is_file():
            leftover.unlink()


def store_file(target: Path, data: bytes, out_dir: Path) -> None:
    """Write `data` to `target` through a temporary file in DIR/.crawl/tmp and a rename."""
    target.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(target, lambda out: out.write(data), temp_dir=tmp_dir(out_dir))


def inside(out_dir: Path, relpath: str) -> Path:
    """The absolute path of `relpath` under `out_dir`; refuses anything that would escape it."""
    root = out_dir.resolve()
    target = (root / relpath).resolve()
    if (
        relpath.startswith(("/", "\\"))
        or ".." in Path(relpath).parts
        or not target.is_relative_to(root)
    ):
        raise ValueError(f"unsafe path {relpath!r}")
    return target


def manifest_row(doc: DocRecord, also_urls: list[str]) -> dict[str, str]:
    return {
        "path": doc.path, "title": doc.title, "country": doc.country, "doc_type": doc.doc_type,
        "language": doc.language, "date": "", "source": doc.url, "notes": doc.notes,
        "url": doc.url, "final_url": doc.final_url, "fetched_at": doc.fetched_at,
        "sha256": doc.sha256, "content_type": doc.content_type, "etag": doc.etag,
        "last_modified": doc.last_modified, "also_urls": " ".join(also_urls),
    }  # fmt: skip


def write_manifest(out_dir: Path, state: CrawlState) -> Path:
    """DIR/MANIFEST.tsv from the state: one row per stored file (format: indexer/manifest.py)."""
    rows = (
        manifest_row(doc, [u for u in state.urls_of(doc.sha256) if u != doc.url])
        for doc in state.docs()
    )
    target = out_dir / MANIFEST_NAME
    store_file(target, format_manifest(rows).encode("utf-8"), out_dir)
    return target
