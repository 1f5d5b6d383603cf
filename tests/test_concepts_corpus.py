"""Concept search on the whole corpus: the checks of issue 10 (corpus tier).

Run against an index already built with MIGRANTLEX_TEST_FULL_INDEX=DIR while developing.
"""

from __future__ import annotations

import pytest

from indexer.search.ranking import DEFAULT_PROFILE

MIGRATION_LAW_RU = "ru-115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan"


def ids(res: dict) -> list[str]:
    return [r["doc_id"] for r in res["results"]]


def test_compare_labour_migrant_has_a_column_per_country_each_with_its_migration_act(full_engine):
    res = full_engine.compare("трудовой мигрант", countries=["ru", "kg", "kz", "int"], per_country=3)
    columns = {c["country"]: c for c in res["columns"]}
    assert list(columns) == ["ru", "kg", "kz", "int"]
    assert MIGRATION_LAW_RU in ids(columns["ru"])
    assert "477-IV" in [r["number"] for r in columns["kz"]["results"]]
    assert any("migrant workers" in r["title"].lower() or "migration for employment" in r["title"].lower()
               for r in columns["int"]["results"])


def test_compare_by_default_has_every_country_of_the_index_international_last(full_engine):
    res = full_engine.compare("трудовой мигрант", per_country=1)
    countries = [c["country"] for c in res["columns"]]
    assert {"ru", "kg", "kz", "int"} <= set(countries) and countries[-1] == "int"


def test_patent_ranks_the_work_patent_above_the_civil_code(full_engine):
    found = ids(full_engine.search("патент", limit=10, snippets=False))
    assert found.index(MIGRATION_LAW_RU) < found.index("ru-gk-rf-ch4")
    first = full_engine.search("патент", limit=1, snippets=False)["results"][0]
    assert first["doc_id"] == MIGRATION_LAW_RU and first["passages"][0]["label"] == "Статья 13.3"


def test_deportation_finds_russian_documents(full_engine):
    res = full_engine.search("deportation", limit=10, snippets=False)
    assert any(r["country"] == "ru" for r in res["results"])
    assert MIGRATION_LAW_RU in ids(res)


def test_residence_permit_finds_the_articles_on_the_vid_na_zhitelstvo(full_engine):
    res = full_engine.search("residence permit", limit=10, snippets=False)
    law = next(r for r in res["results"] if r["doc_id"] == MIGRATION_LAW_RU)
    about = {h["passage_id"] for h in full_engine.find_in_document(MIGRATION_LAW_RU, '"вид на жительство"')}
    assert about & {p["passage_id"] for p in law["passages"]}


def test_trafficking_in_russian_finds_the_un_protocol(full_engine):
    found = ids(full_engine.search("торговля людьми", limit=10, snippets=False))
    assert any(d.startswith("int-un-protocol-trafficking") for d in found)


@pytest.mark.parametrize("q", ["migrant workers", "residence permit", "deportation"])
def test_an_english_query_keeps_its_english_documents_first(full_engine, q):
    """Concept matches follow the words' documents; documents in other languages that the
    cross-language layer finds (when the index has vectors) are fused in by rank and marked, and
    every one of the words' documents stays in the answer, in its order."""
    plain = ids(full_engine.search(q, limit=20, concepts=False, snippets=False))
    res = full_engine.search(q, limit=20 + len(plain) + DEFAULT_PROFILE.crosslang_top_k, snippets=False)
    fused = {  # another language's documents, fused in by the layer (with the concept tier's terms or not)
        r["doc_id"] for r in res["results"]
        if res["crosslang"]["hits"] and r["language"] != "en" and r["doc_id"] not in plain
    }
    expanded = [d for d in ids(res) if d not in fused]
    assert set(expanded[: len(plain)]) == set(plain)
