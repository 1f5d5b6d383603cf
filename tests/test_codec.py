"""The compact codec writes what whoosh's own W3 codec writes, in fewer bytes, read by whoosh's reader."""

from __future__ import annotations

from pathlib import Path

import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.codec.whoosh3 import W3Codec

from indexer.codec import CompactCodec
from indexer.schema import build_schema
from indexer.search.whoosh_access import PostingStore
from indexer.writer import index_paths

WORDS = ["мигрант", "трудящийся", "патент", "статья", "разрешение", "работа", "migrant", "worker", "permit", "115-ФЗ", "13.3"]


def _passages() -> list[dict]:
    """Common words in long posting lists (several blocks), rare ones once, repeats (weights > 1)."""
    out = []
    for n in range(400):
        words = [WORDS[(n * k) % len(WORDS)] for k in range(1, 1 + n % 7)] + ["редко" + "".join("абвгдежзик"[int(c)] for c in str(n))]
        body = " ".join(words * (1 + n % 3))
        out.append({
            "passage_id": f"d{n}/0", "doc_id": f"d{n}", "ordinal": 0, "title": f"Закон {n % 5}",
            "heading": "Статья 1" if n % 2 else "", "body": body, "country": "kg",
        })  # fmt: skip
    return out


def _build(folder: Path, codec) -> whoosh_index.Index:
    ix = whoosh_index.create_in(str(folder), build_schema())
    writer = ix.writer(codec=codec)
    for fields in _passages():
        writer.add_document(**fields)
    writer.commit()
    return whoosh_index.open_dir(str(folder))


@pytest.fixture(scope="module")
def pair(tmp_path_factory):
    return _build(tmp_path_factory.mktemp("w3"), W3Codec()), _build(tmp_path_factory.mktemp("compact"), CompactCodec())


def _postings(reader, fieldname, text):
    matcher = reader.postings(fieldname, text)
    out = []
    while matcher.is_active():
        out.append((matcher.id(), float(matcher.weight()), matcher.value() or None))  # no value: None or ""
        matcher.next()
    return out


def test_every_posting_reads_back_as_whoosh_wrote_it(pair):
    w3, compact = pair
    with w3.reader() as theirs, compact.reader() as ours:
        terms = list(theirs.all_terms())
        assert terms == list(ours.all_terms())
        inlined = 0
        for fieldname, text in terms:
            assert _postings(ours, fieldname, text) == _postings(theirs, fieldname, text), (fieldname, text)
            assert ours.doc_frequency(fieldname, text) == theirs.doc_frequency(fieldname, text)
            assert ours.frequency(fieldname, text) == theirs.frequency(fieldname, text)
            inlined += ours.term_info(fieldname, text).is_inlined()
        assert inlined > 400  # each passage's rare word and doc_id


def test_the_compact_index_is_smaller(pair):
    w3, compact = pair

    def size(ix):
        return sum(ix.storage.file_length(name) for name in ix.storage.list())

    assert size(compact) < 0.75 * size(w3)


def test_search_and_the_posting_store_see_the_same_matches(pair):
    w3, compact = pair
    queries = [
        wq.Term("body", "мигрант"),
        wq.Term("body", "=редкож"),
        wq.Sequence([wq.Term("body", "=патент"), wq.Term("body", "=статья")]),
        wq.Term("doc_id", "d9"),
    ]
    for q in queries:
        with w3.searcher() as theirs, compact.searcher() as ours:
            expected = [(hit["passage_id"], round(hit.score, 6)) for hit in theirs.search(q, limit=None)]
            assert [(hit["passage_id"], round(hit.score, 6)) for hit in ours.search(q, limit=None)] == expected
            assert expected
    for text in ("мигрант", "=редкож", "=работа"):
        with w3.reader() as theirs, compact.reader() as ours:
            (r1, _), (r2, _) = theirs.leaf_readers()[0], ours.leaf_readers()[0]
            a, b = PostingStore().segment_postings(r1, "body", text), PostingStore().segment_postings(r2, "body", text)
            assert list(a[0]) == list(b[0]) and list(a[1]) == list(b[1])
            local = int(a[0][-1])
            assert PostingStore().term_chars(r2, "body", text, local) == PostingStore().term_chars(r1, "body", text, local)


def test_an_indexing_run_writes_compact_segments(tmp_path):
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "a.txt").write_text("Статья 1. Трудящиеся-мигранты получают патент.", encoding="utf-8")
    index_paths([tmp_path / "docs"], tmp_path / "ix", workers=1, progress=False)
    ix = whoosh_index.open_dir(str(tmp_path / "ix"))
    assert ix.doc_count() >= 1
    assert all(isinstance(segment.codec(), CompactCodec) for segment in ix._segments())


def test_stored_fields_read_back_as_stored_and_smaller(pair):
    w3, compact = pair
    with w3.reader() as theirs, compact.reader() as ours:
        assert [ours.stored_fields(n) for n in range(ours.doc_count_all())] == [
            theirs.stored_fields(n) for n in range(theirs.doc_count_all())
        ]

    def stored_bytes(ix):
        files = [segment.open_compound_file(ix.storage) for segment in ix._segments()]
        return sum(f.file_length(n) for f in files for n in f.list() if n.endswith("_stored.col"))

    assert all(segment.codec().stored_words for segment in compact._segments())
    assert stored_bytes(compact) < 0.9 * stored_bytes(w3)


def test_segments_written_before_the_dictionary_still_read(tmp_path):
    """A segment whose pickled codec has no dictionary version (written before it) reads as whoosh's
    plain column, beside new ones and merged into one."""
    older = CompactCodec()
    del older._stored_words  # as unpickled from an index written before the dictionary
    ix = whoosh_index.create_in(str(tmp_path), build_schema())
    passages = _passages()
    for codec, part in ((older, passages[:200]), (CompactCodec(), passages[200:])):
        writer = ix.writer(codec=codec)
        for fields in part:
            writer.add_document(**fields)
        writer.commit(merge=False)
    ix = whoosh_index.open_dir(str(tmp_path))
    assert sorted(segment.codec().stored_words for segment in ix._segments()) == [0, 1]
    expected = sorted(p["body"] for p in passages)
    with ix.searcher() as searcher:
        assert sorted(fields["body"] for fields in searcher.all_stored_fields()) == expected
    ix.writer(codec=CompactCodec()).commit(optimize=True)  # whoosh's merge reads both, writes one
    ix = whoosh_index.open_dir(str(tmp_path))
    assert [segment.codec().stored_words for segment in ix._segments()] == [1]
    with ix.searcher() as searcher:
        assert sorted(fields["body"] for fields in searcher.all_stored_fields()) == expected
