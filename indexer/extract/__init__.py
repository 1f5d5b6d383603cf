"""Extraction: any supported file in, normalised pages out (`extract(path) -> Extracted`).

One extractor per file type (the table is indexer/filetypes.py) behind one function. The type
is decided by sniffing the content as well as the name (see sniff.py); every extractor's output
goes through the same normalisation (finish.py). Files that cannot be read at all raise ExtractionError with a reason for the user.
`extract` is a top-level function, safe to call in worker processes; `extract_many` does that.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from indexer.budgets import FILE_SECONDS
from indexer.extract.finish import finish
from indexer.extract.sniff import sniff
from indexer.extract.timeout import TimeLimitExceeded, time_limit
from indexer.filetypes import BY_NAME
from indexer.models import Extracted, ExtractionError


def extract(path: Path | str, *, max_pages: int | None = None) -> Extracted:
    """Pages, title, headings and warnings of one file; ExtractionError if it cannot be read.

    max_pages limits a paged type (PDF) to its first pages (for previews and fast tests).
    """
    path = Path(path)
    kind = sniff(path)
    file_type = BY_NAME[kind]
    extractor = file_type.load_extractor()
    options = {"max_pages": max_pages} if file_type.paged else {}
    try:
        if file_type.paged:  # PDF: budgets per page and per file of its own, keeping the pages read
            return finish(extractor(path, **options))
        with time_limit(FILE_SECONDS):
            return finish(extractor(path, **options))
    except ExtractionError:
        raise
    except TimeLimitExceeded as exc:
        raise ExtractionError(f"took longer than {FILE_SECONDS:.0f} s to extract ({kind})") from exc
    except MemoryError as exc:
        raise ExtractionError(f"file too large to extract in memory ({kind})") from exc
    except RecursionError as exc:
        raise ExtractionError(f"file structure nested too deeply ({kind})") from exc
    except Exception as exc:  # a file no extractor anticipated must not end the caller's run
        message = " ".join(str(exc).split())[:200]
        raise ExtractionError(f"could not extract {kind} ({type(exc).__name__}: {message})") from exc


def extract_or_error(path: Path | str) -> Extracted | ExtractionError:
    """extract() that returns the ExtractionError instead of raising it (handy in worker pools)."""
    try:
        return extract(path)
    except ExtractionError as exc:
        return exc


def extract_many(
    paths: Iterable[Path | str], workers: int = 2
) -> Iterator[tuple[Path, Extracted | ExtractionError]]:
    """Extract files in worker processes, yielding (path, result or ExtractionError) in input order."""
    paths = [Path(p) for p in paths]
    if workers <= 1:
        for path in paths:
            yield path, extract_or_error(path)
        return
    with ProcessPoolExecutor(max_workers=workers) as pool:
        yield from zip(paths, pool.map(extract_or_error, paths), strict=True)


__all__ = ["ExtractionError", "Extracted", "extract", "extract_many", "extract_or_error", "sniff"]
