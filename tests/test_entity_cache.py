"""The entities' descriptions cached beside the index: the same as describing them, and never
served for other rows."""

from __future__ import annotations

from indexer.models import DocMeta, Named
from indexer.search.entities import EntityIndex
from indexer.search.entity_cache import CACHE_FILE, load_or_build

DOCS = {
    "kg-law": DocMeta("kg-law", "/c/kg.txt", "kg.txt", language="ru"),
    "int-report": DocMeta("int-report", "/c/rep.txt", "rep.txt", language="en"),
}


def _rows(name: str = "Международная организация по миграции") -> list[tuple[str, Named]]:
    return [
        ("kg-law", Named("org:iom", "org", "МОМ", 4, ("МОМ", "IOM"))),
        ("int-report", Named("org:iom", "org", "IOM", 2, ("IOM",))),
        ("kg-law", Named("org:fond-nadezhda", "org", name, 1, (f"ОФ «{name}»", name))),
        ("int-report", Named("place:osh", "place", "Osh", 1, ("Osh",))),
        ("int-report", Named("org:migrant-help-centre", "org", "Migrant Help Centre", 2, ("Migrant Help Centre",))),
    ]


def _same(a: EntityIndex, b: EntityIndex) -> None:
    assert a.info == b.info and list(a.info) == list(b.info)
    assert a.aliases == b.aliases and a.by_doc == b.by_doc and a.named_in == b.named_in


def test_cached_descriptions_equal_described_ones(tmp_path):
    first = load_or_build(tmp_path, _rows(), DOCS)
    assert (tmp_path / CACHE_FILE).exists()
    _same(first, EntityIndex.build(_rows(), DOCS))
    again = load_or_build(tmp_path, _rows(), DOCS)
    _same(again, EntityIndex.build(_rows(), DOCS))
    assert [e.id for e in again.named_by("МОМ", ["МОМ"])] == ["iom"]


def test_other_rows_are_not_served_the_old_descriptions(tmp_path):
    load_or_build(tmp_path, _rows(), DOCS)
    renamed = load_or_build(tmp_path, _rows("Надежда"), DOCS)
    _same(renamed, EntityIndex.build(_rows("Надежда"), DOCS))
    assert renamed.info["org:fond-nadezhda"].name == "Надежда"


def test_a_naming_document_in_another_language_is_not_served_the_old_descriptions(tmp_path):
    load_or_build(tmp_path, _rows(), DOCS)
    relabelled = {**DOCS, "int-report": DocMeta("int-report", "/c/rep.txt", "rep.txt", language="ky")}
    described = load_or_build(tmp_path, _rows(), relabelled)
    _same(described, EntityIndex.build(_rows(), relabelled))
    assert described.info["place:osh"].names == {"ky": "Osh"}


def test_a_broken_cache_is_described_again(tmp_path):
    load_or_build(tmp_path, _rows(), DOCS)
    (tmp_path / CACHE_FILE).write_bytes(b"[1, 2")
    _same(load_or_build(tmp_path, _rows(), DOCS), EntityIndex.build(_rows(), DOCS))
    assert (tmp_path / CACHE_FILE).read_bytes() != b"[1, 2"


def test_a_catalog_state_key_names_the_rows_and_another_key_describes_again(tmp_path):
    """With the catalog's key (what a server has) the rows are not hashed: that key names them."""
    load_or_build(tmp_path, _rows(), DOCS, catalog_key="state-1")
    written = (tmp_path / CACHE_FILE).read_bytes()
    _same(load_or_build(tmp_path, _rows(), DOCS, catalog_key="state-1"), EntityIndex.build(_rows(), DOCS))
    assert (tmp_path / CACHE_FILE).read_bytes() == written, "read, not described again"
    renamed = load_or_build(tmp_path, _rows("Надежда"), DOCS, catalog_key="state-2")
    assert renamed.info["org:fond-nadezhda"].name == "Надежда"
    assert (tmp_path / CACHE_FILE).read_bytes() != written
