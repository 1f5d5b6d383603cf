"""The catalog's state kept beside it (indexer/catalog_cache.py): the same as SQLite says, and
never served once the catalog has changed."""

from __future__ import annotations

import os
import shutil
import sqlite3

import pytest

from indexer import catalog_cache
from indexer.catalog import Catalog, FileRecord
from indexer.models import DocMeta, Named
from indexer.search import SearchEngine

ODD_PATH = os.fsdecode(b"/corpus/\xff\xfe-law.txt")  # a non-UTF-8 file name: surrogates in the path


def _commit(folder, generation: int, title: str = "Закон о миграции") -> None:
    catalog = Catalog(folder)
    try:
        metas = [
            DocMeta("kg-law", ODD_PATH, "law.txt", title=title, country="kg", doc_type="law", language="ru",
                    date="2006-01-13", number="№ 4", page_count=3),
            DocMeta("int-conv", "/corpus/conv.txt", "conv.txt", title="Convention", country="int", status="repealed"),
        ]
        records = [(FileRecord(m.path, 10, 1, "ab", "", m.doc_id, "indexed", "", 2), m) for m in metas]
        entities = {"kg-law": [Named("org:iom", "org", "МОМ", 3, ("МОМ", "IOM")), Named("place:osh", "place", "Ош", 1, ("Оше",))]}
        catalog.commit_batch(generation, records, [], entities)
    finally:
        catalog.close()


def _from_sqlite(folder):
    catalog = Catalog(folder)
    try:
        return catalog.generation(), catalog.documents(), catalog.entities()
    finally:
        catalog.close()


def _state(folder):
    catalog = Catalog(folder)
    try:
        generation, state = catalog.state()
        return generation, state.documents, state.entities
    finally:
        catalog.close()


def _kept(folder):
    return catalog_cache.load(folder, catalog_cache.catalog_key(folder / "catalog.sqlite"))


def test_the_kept_state_is_what_sqlite_says(tmp_path):
    _commit(tmp_path, 3)
    assert _kept(tmp_path) is None
    assert _state(tmp_path) == _from_sqlite(tmp_path)  # read from SQLite, and kept
    assert _kept(tmp_path) == _from_sqlite(tmp_path)
    assert _state(tmp_path) == _from_sqlite(tmp_path)  # read from the file
    assert _state(tmp_path)[1]["kg-law"].path == ODD_PATH


def test_a_write_to_the_catalog_is_never_served_the_old_state(tmp_path):
    _commit(tmp_path, 3, title="Закон А")
    _state(tmp_path)
    _commit(tmp_path, 3, title="Закон Б")  # same generation, same size: only the content moved
    assert _kept(tmp_path) is None
    assert _state(tmp_path)[1]["kg-law"].title == "Закон Б"
    assert _kept(tmp_path)[1]["kg-law"].title == "Закон Б"


def test_a_broken_file_means_reading_sqlite_and_keeping_it_again(tmp_path):
    _commit(tmp_path, 3)
    _state(tmp_path)
    (tmp_path / catalog_cache.CACHE_FILE).write_bytes(b'{"key": "')
    assert _state(tmp_path) == _from_sqlite(tmp_path)
    assert _kept(tmp_path) == _from_sqlite(tmp_path)


def test_a_catalog_in_wal_mode_is_always_read_from_sqlite(tmp_path):
    _commit(tmp_path, 3)
    db = sqlite3.connect(tmp_path / "catalog.sqlite")
    assert db.execute("PRAGMA journal_mode=WAL").fetchone()[0] == "wal"
    db.close()
    assert catalog_cache.catalog_key(tmp_path / "catalog.sqlite") is None
    assert _state(tmp_path) == _from_sqlite(tmp_path)
    assert not (tmp_path / catalog_cache.CACHE_FILE).exists()


@pytest.fixture
def index_copy(tmp_path, synthetic_index):
    return shutil.copytree(synthetic_index, tmp_path / "ix")


def test_an_engine_on_the_kept_state_answers_as_on_sqlite(index_copy):
    (index_copy / catalog_cache.CACHE_FILE).unlink(missing_ok=True)
    answers = []
    for _ in range(2):  # the first engine reads SQLite (and keeps the state), the second the file
        engine = SearchEngine(index_copy)
        try:
            found = engine.search("мигрант", limit=50)
            answers.append([{k: v for k, v in found.items() if k != "took_ms"}, engine.stats()])
        finally:
            engine.close()
        assert (index_copy / catalog_cache.CACHE_FILE).exists()
    assert answers[0] == answers[1] and answers[0][0]["total"] > 0
