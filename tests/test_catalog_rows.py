"""A document's catalog rows: compressed, only what differs from DocMeta's defaults, read back
whole; rows of catalogs written before still read."""

from __future__ import annotations

import json
import sqlite3
import zlib

from indexer.catalog import Catalog, FileRecord
from indexer.catalog_rows import META_WORDS
from indexer.models import DocMeta, Named


def test_a_document_reads_back_whole_from_a_row_without_its_defaults(tmp_path):
    plain = DocMeta(doc_id="a", path="/c/a.txt", relpath="a.txt", title="Закон", language="ru")
    full = DocMeta(
        doc_id="b", path="/c/b.pdf", relpath="b.pdf", title="Кодекс", country="kg", doc_type="code",
        language="ky", date="2006-07-18", source="https://example.org", notes="n", number="115-ФЗ",
        status="repealed", edition="2020-01-01", fetched_at="2026-01-01T00:00:00", file_type="pdf",
        page_count=12,
    )  # fmt: skip
    catalog = Catalog(tmp_path)
    try:
        for meta in (plain, full):
            catalog.record(FileRecord(meta.path, 1, 1, "0" * 64, "", meta.doc_id, "indexed"), meta)
        assert catalog.documents() == {"a": plain, "b": full}
        blob = catalog.db.execute("SELECT meta FROM documents WHERE doc_id = 'a'").fetchone()[0]
        unpacker = zlib.decompressobj(zdict=META_WORDS)
        row = json.loads(unpacker.decompress(blob) + unpacker.flush())
        assert "status" not in row and "notes" not in row and "doc_id" not in row and row["title"] == "Закон"
    finally:
        catalog.close()


def test_rows_written_as_plain_json_text_still_read(tmp_path):
    catalog = Catalog(tmp_path)
    try:
        catalog.db.execute(
            "INSERT INTO documents(doc_id, meta) VALUES ('old', ?)",
            (json.dumps({"doc_id": "old", "path": "/c/o.txt", "relpath": "o.txt", "title": "Старый"}),),
        )
        assert catalog.documents()["old"] == DocMeta(doc_id="old", path="/c/o.txt", relpath="o.txt", title="Старый")
    finally:
        catalog.close()


def test_a_documents_entities_and_its_files_digest_read_back(tmp_path):
    meta = DocMeta(doc_id="d", path="/c/d.txt", relpath="d.txt", title="Закон")
    named = [Named("place:kg", "place", "Кыргызстан", 1, ("Кыргызстана",)),
             Named("org:iom", "org", "МОМ", 3, ("МОМ", "IOM")), Named("law:115-fz", "law", "115-ФЗ", 1, ())]
    record = FileRecord(meta.path, 5, 7, "ab" * 32, "sig", "d", "indexed", "", 2)
    catalog = Catalog(tmp_path)
    try:
        catalog.commit_batch(1, [(record, meta)], [], {"d": named})
        assert catalog.files() == {meta.path: record} and catalog.file_of("d") == record
        assert catalog.entities() == [("d", named[1]), ("d", named[2]), ("d", named[0])]  # most mentioned first
        catalog.forget(meta.path, "d")
        assert catalog.entities() == [] and catalog.documents() == {}
    finally:
        catalog.close()


def test_a_catalog_written_before_still_reads_and_forgets(tmp_path):
    old = sqlite3.connect(tmp_path / "catalog.sqlite")
    old.executescript('''
        CREATE TABLE files (path BLOB PRIMARY KEY, size INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
            sha256 TEXT NOT NULL, manifest TEXT NOT NULL, doc_id TEXT, status TEXT NOT NULL,
            reason TEXT NOT NULL DEFAULT '', passages INTEGER NOT NULL DEFAULT 0);
        CREATE TABLE documents (doc_id TEXT PRIMARY KEY, meta TEXT NOT NULL);
        CREATE TABLE entities (doc_id TEXT NOT NULL, entity_id TEXT NOT NULL, kind TEXT NOT NULL,
            name TEXT NOT NULL, mentions INTEGER NOT NULL, surfaces TEXT NOT NULL,
            PRIMARY KEY (doc_id, entity_id)) WITHOUT ROWID;
        INSERT INTO entities VALUES ('old', 'org:iom', 'org', 'МОМ', 2, '["МОМ"]'), ('old', 'place:kg', 'place', 'Кыргызстан', 5, '[]');
    ''')  # fmt: skip
    meta = {"doc_id": "old", "path": "/c/o.txt", "relpath": "o.txt", "title": "Старый"}
    old.execute("INSERT INTO documents VALUES ('old', ?)", (zlib.compress(json.dumps(meta).encode()),))
    old.execute("INSERT INTO files VALUES (?, 1, 2, ?, '', 'old', 'indexed', '', 1)", (b"/c/o.txt", "cd" * 32))
    old.commit()
    old.close()
    catalog = Catalog(tmp_path)
    try:
        assert catalog.documents() == {"old": DocMeta(**meta)}
        assert catalog.files()["/c/o.txt"].sha256 == "cd" * 32
        assert [(d, e.entity_id) for d, e in catalog.entities()] == [("old", "place:kg"), ("old", "org:iom")]
        new = DocMeta(doc_id="new", path="/c/n.txt", relpath="n.txt")
        catalog.commit_batch(2, [(FileRecord(new.path, 1, 1, "", "", "new", "indexed"), new)], [],
                             {"new": [Named("org:ilo", "org", "МОТ", 1, ())]})  # fmt: skip
        assert [(d, e.entity_id) for d, e in catalog.entities()] == [
            ("new", "org:ilo"), ("old", "place:kg"), ("old", "org:iom")]  # fmt: skip
        catalog.forget("/c/o.txt", "old")
        assert [(d, e.entity_id) for d, e in catalog.entities()] == [("new", "org:ilo")]
        assert catalog.files()["/c/n.txt"].sha256 == ""
    finally:
        catalog.close()
