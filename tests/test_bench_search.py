"""benchmarks/bench_search.py samples its queries from any index, headings or not."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from indexer.catalog import Catalog, FileRecord
from indexer.models import DocMeta, Passage
from indexer.search import SearchEngine
from indexer.writer import open_or_create, passage_fields

BENCH = Path(__file__).resolve().parent.parent / "benchmarks" / "bench_search.py"


def _bench():
    spec = importlib.util.spec_from_file_location("bench_search", BENCH)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _engine(tmp_path: Path, texts: list[str]) -> SearchEngine:
    """An index of passages without headings (as the issue's 100k corpus of paragraphs)."""
    target = tmp_path / "ix"
    writer = open_or_create(target).writer()
    meta = DocMeta(doc_id="plain", path="", relpath="", title="", country="ru", doc_type="law", language="ru")
    for i, text in enumerate(texts):
        writer.add_document(**passage_fields(meta, Passage(label="", text=text, pages=[1]), i))
    writer.commit()
    catalog = Catalog(target)
    catalog.record(FileRecord("plain", 0, 0, "", "", meta.doc_id, "indexed"), meta)
    catalog.close()
    return SearchEngine(target)


def test_index_without_headings_samples_body_words(tmp_path):
    body = "Иностранные работники получают разрешение через миграционную службу региона."
    engine = _engine(tmp_path, [body] * 3)
    try:
        assert not any(s.get("heading") for s in engine.view().searcher.all_stored_fields())
        queries = _bench().sample_queries(engine, 20)
    finally:
        engine.close()
    assert len(queries) == 20
    words = {w.lower() for w in body.replace(".", "").split() if len(w) >= 5}
    assert {q.split()[0].strip('"=*') for q in queries if not q.endswith("*")} <= words


def test_index_without_words_is_a_clear_error(tmp_path):
    engine = _engine(tmp_path, ["1 2 3 4. 5 6 7."])
    try:
        with pytest.raises(SystemExit, match="no words"):
            _bench().sample_queries(engine, 5)
    finally:
        engine.close()
