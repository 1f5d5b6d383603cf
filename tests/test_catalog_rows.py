"""A document's catalog row: compressed, only what differs from DocMeta's defaults, read back whole."""

from __future__ import annotations

import json
import zlib

from indexer.catalog import Catalog, FileRecord
from indexer.models import DocMeta


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
        row = json.loads(zlib.decompress(blob))
        assert "status" not in row and "notes" not in row and row["title"] == "Закон"
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
