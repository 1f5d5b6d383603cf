"""Where the real data is (the corpus, the seeds, the hostile test PDFs), and how tests copy parts of it.

`../shared/corpus` holds the documents the search engine is for; `../shared/testdata` holds files
that exist only to exercise extraction (broken, encrypted, scanned, forms): they are not corpus and
the whole-corpus index leaves them out. Both folders can be moved with MIGRANTLEX_CORPUS and
MIGRANTLEX_TESTDATA.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
CORPUS = Path(os.environ.get("MIGRANTLEX_CORPUS", SHARED / "corpus")).resolve()
SEEDS = CORPUS.parent / "seeds"
SEEDS_MANIFEST = ROOT / "corpus" / "seeds.tsv"
TESTDATA = Path(os.environ.get("MIGRANTLEX_TESTDATA", SHARED / "testdata")).resolve()
TEST_PDFS = TESTDATA / "pdf"
MANIFEST = "MANIFEST.tsv"


def missing_data() -> list[Path]:
    """The real-data folders that are not here (the corpus tier skips when any it needs is)."""
    return [folder for folder in (CORPUS, TESTDATA) if not folder.is_dir()]


def manifest_paths(folder: Path) -> set[str]:
    """The relative paths a folder's MANIFEST.tsv lists (empty when it has none)."""
    manifest = folder / MANIFEST
    if not manifest.is_file():
        return set()
    lines = manifest.read_text(encoding="utf-8").splitlines()[1:]
    return {line.split("\t", 1)[0] for line in lines if line.strip()}


def corpus_files() -> Iterator[Path]:
    """The corpus's own documents: every file except copies of the test PDFs still lying in it.

    The test PDFs used to live in ../shared/corpus/pdf; until their owners remove those copies,
    a file whose relative path TESTDATA's manifest also lists is test material, not corpus.
    """
    test_material = manifest_paths(TESTDATA)
    for path in sorted(CORPUS.rglob("*")):
        rel = path.relative_to(CORPUS).as_posix()
        if path.is_file() and path.name != MANIFEST and rel not in test_material:
            yield path


def copy_corpus(dest: Path, relpaths: list[str]) -> Path:
    """Copy some real documents (keeping their folders) and their manifest lines into dest."""
    dest.mkdir(parents=True, exist_ok=True)
    lines = (CORPUS / MANIFEST).read_text(encoding="utf-8").splitlines(keepends=True)
    wanted = set(relpaths)
    kept = [lines[0]] + [line for line in lines[1:] if line.split("\t", 1)[0] in wanted]
    for rel in relpaths:
        (dest / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(CORPUS / rel, dest / rel)
    (dest / MANIFEST).write_text("".join(kept), encoding="utf-8")
    return dest
