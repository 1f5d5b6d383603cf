"""Indexing that loses nothing and never hangs: odd names, special files, links, ghosts, locks.

All on small generated folders (no corpus): the unit tier.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from whoosh import index as whoosh_index

from indexer.catalog import Catalog, documents_for
from indexer.search import SearchEngine
from indexer.writer import IndexBusy, index_paths

WORDS = ["мигрант", "патент", "работодатель", "разрешение", "трудовой", "договор", "гражданство", "регистрация"]


def law(seed: int, articles: int = 4) -> str:
    """A small generated law: a title and numbered articles with varied words."""
    lines = [f"Закон о трудовой миграции номер {seed}"]
    for n in range(1, articles + 1):
        words = [WORDS[(seed * 7 + n * 3 + i) % len(WORDS)] for i in range(12)]
        lines += [f"Статья {n}. Положение {seed}-{n}", " ".join(words) + f" слово{seed}x{n}."]
    return "\n\n".join(lines) + "\n"


def make_folder(root: Path, count: int = 4) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    for i in range(count):
        (root / f"law-{i}.txt").write_text(law(i), encoding="utf-8")
    return root


def declare_laws(folder: Path) -> Path:
    """A MANIFEST.tsv typing the folder's text files as laws, as the corpus's manifest types its own.
    A law does not get the Russian NER model (`indexer.entities.model_policy`), which costs each
    writer process ~1 CPU s to load: tests of a CLI run's interrupts or a full disk need it not."""
    rows = ["path\tdoc_type"] + [f"{f.name}\tlaw" for f in sorted(folder.glob("*.txt"))]
    (folder / "MANIFEST.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def search_total(index_dir: Path, q: str) -> int:
    engine = SearchEngine(index_dir)
    try:
        return engine.search(q)["total"]
    finally:
        engine.close()


def doc_ids(index_dir: Path) -> list[str]:
    ix = whoosh_index.open_dir(str(index_dir))
    with ix.searcher() as s:
        ids = sorted({fields["doc_id"] for fields in s.all_stored_fields()})
    ix.close()
    return ids


def live_passages(index_dir: Path) -> int:
    ix = whoosh_index.open_dir(str(index_dir))
    try:
        return ix.doc_count()
    finally:
        ix.close()


def test_a_non_utf8_file_name_is_indexed_and_shown_with_replacement_characters(tmp_path):
    src = make_folder(tmp_path / "src", 2)
    raw = os.path.join(os.fsencode(src), "Закон-2.txt".encode("cp1251"))
    with open(raw, "wb") as fh:
        fh.write(law(2).encode("cp1251"))
    report = index_paths([src], tmp_path / "ix", workers=1, progress=False)
    assert len(report.indexed) == 3 and not report.skipped, report.summary()
    report.summary().encode("utf-8")  # printable whatever the names
    docs = Catalog(tmp_path / "ix").documents()
    odd = next(m for m in docs.values() if "\ufffd" in m.relpath)
    assert odd.relpath.endswith(".txt")
    for shown in (odd.relpath, odd.source, odd.title):
        shown.encode("utf-8")  # no lone surrogates left in what is displayed
    assert os.fsencode(odd.path) == raw  # the file can be found again exactly
    assert search_total(tmp_path / "ix", "слово2x1") == 1
    again = index_paths([src], tmp_path / "ix", workers=1, progress=False)
    assert again.unchanged == 3 and not again.indexed


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_skipped_with_a_reason_and_does_not_hang(tmp_path):
    src = make_folder(tmp_path / "src", 2)
    os.mkfifo(src / "pipe.txt")
    result: dict = {}
    worker = threading.Thread(
        target=lambda: result.update(r=index_paths([src], tmp_path / "ix", workers=1, progress=False))
    )
    worker.start()
    worker.join(timeout=120)
    assert not worker.is_alive(), "indexing hung on a FIFO"
    report = result["r"]
    assert len(report.indexed) == 2
    assert [(Path(p).name, why) for p, why in report.skipped] == [("pipe.txt", "not a regular file (a named pipe (FIFO))")]


def test_links_inside_the_tree_are_one_document_and_links_out_are_skipped(tmp_path):
    src = make_folder(tmp_path / "src", 2)
    outside = tmp_path / "elsewhere.txt"
    outside.write_text(law(9), encoding="utf-8")
    (src / "sub").mkdir()
    (src / "sub" / "alias.txt").symlink_to(src / "law-0.txt")
    (src / "out.txt").symlink_to(outside)
    (src / "zero.txt").symlink_to("/dev/zero")
    (src / "broken.txt").symlink_to(tmp_path / "missing.txt")
    report = index_paths([src], tmp_path / "ix", workers=1, progress=False)
    assert sorted(Path(p).name for p in report.indexed) == ["law-0.txt", "law-1.txt"]
    reasons = {Path(p).name: why for p, why in report.skipped}
    assert reasons == {
        "out.txt": "symbolic link to a file outside the folder",
        "zero.txt": "symbolic link to a file outside the folder",
        "broken.txt": "broken symbolic link",
    }
    assert search_total(tmp_path / "ix", "слово0x1") == 1
    assert search_total(tmp_path / "ix", "слово9x1") == 0


def test_a_file_that_becomes_unreadable_then_disappears_leaves_no_ghost(tmp_path):
    src = make_folder(tmp_path / "src", 3)
    ix = tmp_path / "ix"
    index_paths([src], ix, workers=1, progress=False)
    assert search_total(ix, "слово1x2") == 1
    (src / "law-1.txt").write_bytes(os.urandom(2000) + b"\x00")  # now unreadable (binary)
    report = index_paths([src], ix, workers=1, progress=False)
    assert [Path(p).name for p, _ in report.skipped] == ["law-1.txt"]
    assert search_total(ix, "слово1x2") == 0
    (src / "law-1.txt").unlink()
    report = index_paths([src], ix, workers=1, progress=False)
    assert report.removed == 1 and search_total(ix, "слово1x2") == 0
    assert "law-1" not in Catalog(ix).documents()
    assert live_passages(ix) == live_passages_of_clean_run(src, tmp_path / "clean")


def live_passages_of_clean_run(src: Path, index_dir: Path) -> int:
    index_paths([src], index_dir, workers=1, progress=False)
    return live_passages(index_dir)


def test_a_manifest_appearing_in_a_subfolder_keeps_ids_and_adds_no_duplicate(tmp_path):
    src = tmp_path / "src"
    make_folder(src / "kg", 2)
    ix = tmp_path / "ix"
    index_paths([src], ix, workers=1, progress=False)
    before = doc_ids(ix)
    (src / "kg" / "MANIFEST.tsv").write_text(
        "path\ttitle\tcountry\nlaw-0.txt\tЗакон номер ноль\tkg\n", encoding="utf-8"
    )
    report = index_paths([src], ix, workers=1, progress=False)
    assert [Path(p).name for p in report.indexed] == ["law-0.txt"]  # its manifest row changed
    assert doc_ids(ix) == before == ["kg-law-0", "kg-law-1"]
    assert Catalog(ix).documents()["kg-law-0"].title == "Закон номер ноль"
    assert live_passages(ix) == live_passages_of_clean_run(src, tmp_path / "clean")


def test_colliding_ids_are_decided_by_name_not_by_which_worker_finishes_first(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for name, seed in (("Закон.txt", 1), ("закон.txt", 2), ("ЗАКОН.txt", 3)):
        (src / name).write_text(law(seed), encoding="utf-8")
    runs = [doc_ids(_index_fresh(src, tmp_path / f"ix{n}", workers)) for n, workers in enumerate((1, 2, 2))]
    assert runs[0] == runs[1] == runs[2] and len(runs[0]) == 3


def _index_fresh(src: Path, ix: Path, workers: int) -> Path:
    index_paths([src], ix, workers=workers, progress=False)
    return ix


def test_the_catalog_records_the_whoosh_generation_it_matches(tmp_path):
    src = make_folder(tmp_path / "src", 2)
    ix = tmp_path / "ix"
    index_paths([src], ix, workers=1, progress=False)
    index = whoosh_index.open_dir(str(ix))
    with index.searcher() as s:
        generation = s.reader().generation()
    assert Catalog(ix).generation() == generation == index.latest_generation()
    assert set(documents_for(ix, generation)) == {"law-0", "law-1"}
    assert documents_for(ix, generation + 1) is None  # a reader ahead of the catalog waits


def test_a_second_run_on_a_locked_folder_stops_at_once_with_one_line(tmp_path):
    src = make_folder(tmp_path / "src", 1)
    ix = tmp_path / "ix"
    index_paths([src], ix, workers=1, progress=False)
    from indexer.writer import _lock_run

    lock = _lock_run(ix)
    try:
        with pytest.raises(IndexBusy):
            index_paths([src], ix, workers=1, progress=False)
        proc = subprocess.run(
            [sys.executable, "-m", "indexer.cli", "index", str(src), "--index-dir", str(ix), "--no-progress"],
            capture_output=True, text=True, timeout=60,
        )
    finally:
        lock.release()
    assert proc.returncode == 1
    assert proc.stderr.strip().count("\n") == 0 and "already writing" in proc.stderr
    assert "Traceback" not in proc.stderr
