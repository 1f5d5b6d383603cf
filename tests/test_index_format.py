"""An index built by another analysis or split is redone in full by the next run, once."""

from __future__ import annotations

from pathlib import Path

from indexer.catalog import Catalog
from indexer.settings import INDEX_FORMAT
from indexer.writer import index_paths

TEXTS = {
    "a.txt": "Статья 1. Трудовые мигранты\n\nТрудящийся-мигрант вправе заключить трудовой договор.",
    "b.txt": "Article 1. Migrant workers\n\nA migrant worker may conclude a contract of employment.",
}


def _folder(tmp_path: Path) -> Path:
    folder = tmp_path / "docs"
    folder.mkdir()
    for name, text in TEXTS.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


def _recorded_format(index_dir: Path) -> int | None:
    catalog = Catalog(index_dir)
    try:
        return catalog.index_format()
    finally:
        catalog.close()


def test_a_complete_run_records_the_format(tmp_path):
    ix = tmp_path / "ix"
    report = index_paths([_folder(tmp_path)], ix, workers=1, progress=False)
    assert len(report.indexed) == 2 and not report.reindexed_all
    assert _recorded_format(ix) == INDEX_FORMAT


def test_another_format_reindexes_every_file_once(tmp_path):
    folder, ix = _folder(tmp_path), tmp_path / "ix"
    index_paths([folder], ix, workers=1, progress=False)
    catalog = Catalog(ix)
    catalog.set_index_format(INDEX_FORMAT - 1)  # as an older migrantlex would have left it
    catalog.close()

    redone = index_paths([folder], ix, workers=1, progress=False)
    assert len(redone.indexed) == 2 and redone.unchanged == 0
    assert "re-indexed" in redone.summary() and str(INDEX_FORMAT) in redone.reindexed_all

    again = index_paths([folder], ix, workers=1, progress=False)
    assert again.unchanged == 2 and not again.indexed and not again.reindexed_all


def test_a_file_named_through_dot_dot_or_a_link_keeps_one_id(tmp_path):
    folder, ix = _folder(tmp_path), tmp_path / "ix"
    (tmp_path / "link").symlink_to(folder)
    first = index_paths([folder / ".." / "docs" / "a.txt"], ix, workers=1, progress=False)
    again = index_paths([tmp_path / "link" / "a.txt"], ix, workers=1, progress=False)
    assert len(first.indexed) == 1 and again.unchanged == 1 and not again.indexed
