"""Incremental, resumable indexing on real documents: unchanged, changed, touched, deleted, bad, killed."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from indexer.catalog import Catalog
from indexer.extract.ocr import available as ocr_available
from indexer.search import SearchEngine
from indexer.writer import index_paths
from tests.corpus_files import copy_corpus

SMALL = ["int/udhr-1948-en.txt", "int/udhr-1948-ru.txt", "int/ilo-c097-migration-for-employment-1949.md"]
BAD_PDFS = [
    "broken-empty-0-bytes.pdf",
    "broken-invalid-no-trailer.pdf",
    "encrypted-rc4-40-password-foo.pdf",
    "encrypted-aes256-r6-password-usersecret.pdf",
    "encrypted-libreoffice-writer-openpassword.pdf",
]


def hits(index_dir: Path, q: str) -> int:
    engine = SearchEngine(index_dir)
    try:
        return engine.search(q)["total"]
    finally:
        engine.close()


@pytest.fixture
def small(tmp_path, corpus) -> Path:
    return copy_corpus(tmp_path / "corpus", SMALL)


def test_first_run_indexes_and_second_run_reads_nothing(small, tmp_path):
    ix = tmp_path / "ix"
    first = index_paths([small], ix, workers=1, progress=False)
    assert len(first.indexed) == 3 and first.passages > 30 and not first.skipped

    # Same size and mtime but different bytes: a run that read the file would notice.
    target = small / "int/udhr-1948-en.txt"
    st = target.stat()
    data = target.read_bytes()
    target.write_bytes(data.replace(b"Article", b"Artikle", 1))
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))

    second = index_paths([small], ix, workers=1, progress=False)
    assert second.unchanged == 3 and not second.indexed and second.passages == 0


def test_touched_file_is_hashed_not_reindexed(small, tmp_path):
    ix = tmp_path / "ix"
    index_paths([small], ix, workers=1, progress=False)
    target = small / "int/udhr-1948-ru.txt"
    os.utime(target, (time.time() + 10, time.time() + 10))
    again = index_paths([small], ix, workers=1, progress=False)
    assert again.unchanged == 3 and not again.indexed
    rec = Catalog(ix).files()[str(target.resolve())]
    assert rec.mtime_ns == target.stat().st_mtime_ns


def test_changed_file_replaces_its_passages(small, tmp_path):
    ix = tmp_path / "ix"
    index_paths([small], ix, workers=1, progress=False)
    assert hits(ix, "=zanzibarite") == 0
    target = small / "int/udhr-1948-en.txt"
    target.write_text(target.read_text(encoding="utf-8") + "\n\nArticle 31\nZanzibarite clause.\n", encoding="utf-8")
    again = index_paths([small], ix, workers=1, progress=False)
    assert again.indexed == [str(target.resolve())] and again.unchanged == 2
    assert hits(ix, "=zanzibarite") == 1
    assert hits(ix, "title:universal") == 1  # replaced, not duplicated


def test_deleted_file_leaves_the_index(small, tmp_path):
    ix = tmp_path / "ix"
    index_paths([small], ix, workers=1, progress=False)
    assert hits(ix, "Member migrants employment") >= 1
    (small / "int/ilo-c097-migration-for-employment-1949.md").unlink()
    again = index_paths([small], ix, workers=1, progress=False)
    assert again.removed == 1
    assert hits(ix, "=immigrants") == 0
    assert len(Catalog(ix).documents()) == 2


def test_bad_files_are_reported_and_skipped_and_the_rest_indexed(small, tmp_path, test_pdfs):
    for name in BAD_PDFS:
        shutil.copy2(test_pdfs / name, small / name)
    (small / "random.pdf").write_bytes(os.urandom(4096))
    (small / "empty.txt").write_bytes(b"")
    (small / "scan.pdf").write_bytes((test_pdfs / "scan-book-page-c02-22.pdf").read_bytes())
    report = index_paths([small], tmp_path / "ix", workers=2, progress=False)
    skipped = dict(report.skipped)
    names = {Path(p).name: reason for p, reason in skipped.items()}
    assert len(report.indexed) == (4 if ocr_available() else 3)
    for name in BAD_PDFS:
        assert name in names, report.summary()
    assert "random.pdf" in names and "empty.txt" in names
    assert any("encrypt" in names[name].lower() for name in BAD_PDFS if "encrypted" in name)
    if ocr_available():  # scanned pages are read by tesseract
        assert "scan.pdf" in {Path(p).name for p in report.indexed}
    else:
        assert [Path(p).name for p in report.no_text] == ["scan.pdf"]
    assert "skipped" in report.summary()


def run_cli(*args: str, timeout: float = 300) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indexer.cli", *args], capture_output=True, text=True, timeout=timeout
    )


def test_strict_turns_a_skipped_file_into_exit_status_1(small, tmp_path):
    (small / "random.pdf").write_bytes(os.urandom(1000))
    ix = str(tmp_path / "ix")
    lax = run_cli("index", str(small), "--index-dir", ix, "--no-progress")
    assert lax.returncode == 0 and "random.pdf" in lax.stdout
    strict = run_cli("index", str(small), "--index-dir", ix, "--no-progress", "--strict")
    assert strict.returncode == 1


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_an_interrupted_run_leaves_a_usable_index_and_the_next_run_finishes(tmp_path, corpus, sig):
    src = copy_corpus(tmp_path / "corpus", ["kg/gk-kr-ch1.txt", "kg/ugolovnyi-kodeks-kr.txt", *SMALL])
    ix = tmp_path / "ix"
    proc = subprocess.Popen(
        [sys.executable, "-m", "indexer.cli", "index", str(src), "--index-dir", str(ix), "--workers", "1",
         "--no-progress"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True,
    )
    deadline = time.time() + 120
    while time.time() < deadline and not (ix / "catalog.sqlite").exists():
        time.sleep(0.1)
    time.sleep(3)
    if proc.poll() is None:
        os.killpg(proc.pid, sig)
    proc.communicate(timeout=120)
    # The index opens and answers whatever state it was left in.
    from whoosh import index as whoosh_index

    if whoosh_index.exists_in(str(ix)):
        engine = SearchEngine(ix)
        engine.search("кодекс")
        engine.close()
    finish = index_paths([src], ix, workers=1, progress=False)
    assert not finish.skipped
    assert finish.unchanged + len(finish.indexed) == 5
    fresh = index_paths([src], tmp_path / "fresh", workers=1, progress=False)
    engine = SearchEngine(ix)
    assert engine.stats()["passages"] == fresh.passages
    assert engine.stats()["documents"] == 5
