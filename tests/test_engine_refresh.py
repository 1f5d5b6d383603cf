"""A serving engine never pairs a whoosh generation with a catalog that has not caught up."""

from __future__ import annotations

from whoosh import index as whoosh_index

from indexer.catalog import Catalog, FileRecord
from indexer.models import DocMeta, Passage
from indexer.search import SearchEngine
from indexer.writer import passage_fields


def test_a_reader_waits_for_the_catalog_then_moves_on(tmp_path, one_article_index, fast_refresh):
    _, ix = one_article_index
    engine = SearchEngine(ix)
    try:
        assert engine.search("мигрант")["total"] == 1

        # A writer between its whoosh commit and its catalog commit.
        ghost = DocMeta(doc_id="ghost", path=str(tmp_path / "ghost.txt"), relpath="ghost.txt", title="ghost")
        passage = Passage(label="Статья 1", text="Мигрант и его семья.", pages=[1], kind="article")
        ixw = whoosh_index.open_dir(str(ix))
        with ixw.writer() as w:
            w.add_document(**passage_fields(ghost, passage, 0))
        fast_refresh()
        assert engine.search("мигрант")["total"] == 1 and "ghost" not in engine.documents

        # The writer's catalog commit, with the generation it matches: readers move to it, even
        # though whoosh has not changed since they last looked.
        catalog = Catalog(ix)
        record = FileRecord(ghost.path, 1, 1, "0" * 64, "", "ghost", "indexed", passages=1)
        catalog.commit_batch(ixw.latest_generation(), [(record, ghost)], [])
        catalog.close()
        fast_refresh()
        assert engine.search("мигрант")["total"] == 2 and "ghost" in engine.documents
    finally:
        engine.close()
