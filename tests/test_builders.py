"""Segment builders: their segments count only once committed, and a dead builder fails the batch."""

from __future__ import annotations

import pytest
from whoosh import index as whoosh_index
from whoosh.writing import NO_MERGE

from indexer.builders import BuilderError, SegmentBuilders, commit_with
from indexer.schema import build_schema
from indexer.writer import merge_deletions


def _passage(n: int) -> dict:
    return {"passage_id": f"d{n}/0", "doc_id": f"d{n}", "ordinal": 0, "body": f"мигранты статья {n}"}


def _one_passage_index_and_three_built(tmp_path):
    """An index holding d0, and two builders that have written d1-d3 (not committed)."""
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    first = ix.writer()
    first.add_document(**_passage(0))
    first.commit()
    builders = SegmentBuilders(tmp_path, 2)
    for n in (1, 2, 3):
        builders.add([_passage(n)])
    return ix, builders


def test_segments_count_once_committed_and_together_with_the_writers_deletions(tmp_path):
    ix, builders = _one_passage_index_and_three_built(tmp_path)
    try:
        assert ix.doc_count() == 1  # written, not yet named by a table of contents
        segments = builders.finish()
        assert len(segments) == 2 and not builders.busy
        writer = ix.writer()
        writer.delete_by_term("doc_id", "d0")
        commit_with(writer, NO_MERGE, segments)
    finally:
        builders.close()
    ix = whoosh_index.open_dir(str(tmp_path))
    with ix.searcher() as searcher:
        assert sorted(searcher.lexicon("doc_id")) == [b"d0", b"d1", b"d2", b"d3"]
        assert sorted(fields["doc_id"] for fields in searcher.all_stored_fields()) == ["d1", "d2", "d3"]


def test_a_builder_that_dies_fails_its_batch(tmp_path):
    whoosh_index.create_in(str(tmp_path), build_schema())
    builders = SegmentBuilders(tmp_path, 1)
    try:
        builders.add([_passage(1)])
        builders._procs[0].kill()
        builders._procs[0].join()
        with pytest.raises(BuilderError):
            builders.finish()
    finally:
        builders.close()


def test_the_last_commit_merges_the_builders_small_segments_with_the_others(tmp_path):
    """A run's last batch is often small: its segments (one per builder) are merged with the other
    small ones, not kept each with its own copy of the terms; the merged files are removed."""
    ix, builders = _one_passage_index_and_three_built(tmp_path)
    try:
        segments = builders.finish()
        assert len(segments) == 2
        commit_with(ix.writer(), merge_deletions, segments)
    finally:
        builders.close()
    ix = whoosh_index.open_dir(str(tmp_path))
    assert [segment.doc_count_all() for segment in ix._segments()] == [4]
    assert len([name for name in ix.storage.list() if name.endswith(".seg")]) == 1
    with ix.searcher() as searcher:
        assert sorted(fields["doc_id"] for fields in searcher.all_stored_fields()) == ["d0", "d1", "d2", "d3"]
