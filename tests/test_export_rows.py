"""Export rows come from the `row_facts` column, and an index made before that column existed still
exports the same rows (from the stored fields) and can still be written to."""

from __future__ import annotations

from whoosh import index as whoosh_index

from indexer.schema import build_schema
from indexer.search import SearchEngine
from indexer.writer import index_paths

LAW = "\n".join(
    f"Статья {n}. Трудовой мигрант имеет право на труд номер {n}.\nРаботодатель обязан платить." for n in range(1, 40)
)


def _corpus(root):
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "law.txt").write_text("Закон о труде\n" + LAW, encoding="utf-8")
    (corpus / "other.txt").write_text("Положение\n" + LAW.replace("мигрант", "работник"), encoding="utf-8")
    return corpus


def test_old_and_new_indexes_export_the_same_rows(tmp_path):
    corpus = _corpus(tmp_path)
    new_dir, old_dir = tmp_path / "new", tmp_path / "old"
    old_schema = build_schema()
    old_schema.remove("row_facts")
    old_dir.mkdir()
    whoosh_index.create_in(str(old_dir), old_schema)  # as an index written before the column
    for folder in (new_dir, old_dir):
        report = index_paths([corpus], folder, workers=1, progress=False)
        assert not report.skipped and report.passages > 70, report.summary()
    new, old = SearchEngine(new_dir), SearchEngine(old_dir)
    try:
        assert new.view().searcher.reader().has_column("row_facts")
        assert "row_facts" not in old.view().searcher.schema
        rows = list(new.export("труд"))
        assert len(rows) > 70 and {r["label"] for r in rows} >= {"Статья 1", "Статья 39"}
        assert all(r["passage_id"].startswith(r["doc_id"] + "/") for r in rows)
        assert rows == list(old.export("труд"))
    finally:
        new.close()
        old.close()
