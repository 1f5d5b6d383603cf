"""A passage is found by its id, "<doc_id>/<ordinal>", though the index keeps no term per passage id."""

from __future__ import annotations

from whoosh import index as whoosh_index

from indexer.search.documents import passage_number
from indexer.writer import index_paths


def test_every_passage_is_found_by_its_id_and_a_bad_id_finds_none(tmp_path):
    (tmp_path / "docs").mkdir()
    for name, text in {"a.txt": "Статья 1. Патент.\n\nСтатья 2. Разрешение на работу.", "b.txt": "Мигрант."}.items():
        (tmp_path / "docs" / name).write_text(text, encoding="utf-8")
    index_paths([tmp_path / "docs"], tmp_path / "ix", workers=1, progress=False)
    with whoosh_index.open_dir(str(tmp_path / "ix")).searcher() as searcher:
        ids = [searcher.stored_fields(n)["passage_id"] for n in range(searcher.doc_count_all())]
        assert len(ids) >= 3
        for docnum, passage_id in enumerate(ids):
            assert passage_number(searcher, passage_id) == docnum
        for bad in ("", "/", "nowhere/0", f"{ids[0]}9", ids[0].replace("/", "/x"), "no-slash"):
            assert passage_number(searcher, bad) is None, bad
