"""`index --exclude-manifest`: files another manifest lists (test material beside a corpus) stay out."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from indexer.catalog import Catalog
from indexer.writer import index_paths


def indexed(index_dir) -> set[str]:
    catalog = Catalog(index_dir)
    try:
        return set(catalog.documents())
    finally:
        catalog.close()


def test_listed_files_are_not_indexed_and_leave_an_index_that_had_them(tmp_path, synthetic):
    src = shutil.copytree(synthetic.folder, tmp_path / "corpus")
    left_out = synthetic.documents[:2]
    exclude = tmp_path / "testdata" / "MANIFEST.tsv"
    exclude.parent.mkdir()
    exclude.write_text("path\ttitle\n" + "".join(f"{d.relpath}\tnot corpus\n" for d in left_out), encoding="utf-8")
    everything = {d.doc_id for d in synthetic.documents}
    kept = everything - {d.doc_id for d in left_out}

    ix = tmp_path / "ix"
    index_paths([src], ix, workers=1, progress=False)
    assert indexed(ix) == everything
    report = index_paths([src], ix, workers=1, progress=False, exclude_manifest=exclude)
    assert report.removed == len(left_out) and indexed(ix) == kept

    fresh = tmp_path / "fresh"
    done = subprocess.run(
        [sys.executable, "-m", "indexer.cli", "index", str(src), "--index-dir", str(fresh),
         "--exclude-manifest", str(exclude), "--no-progress"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert indexed(fresh) == kept


def test_a_missing_exclude_manifest_is_an_error_not_an_empty_list(tmp_path, synthetic):
    with pytest.raises(FileNotFoundError, match="no such manifest"):
        index_paths([synthetic.folder], tmp_path / "ix", progress=False, exclude_manifest=tmp_path / "none.tsv")
