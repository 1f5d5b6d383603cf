"""The query algebra, paging, facets, filters and sorting on a small generated index (no corpus).

Every expectation is computed from the generated text (tests/synthetic.py), never typed in:
`A OR B` must find exactly the passages whose text holds A or B, a facet count must equal the
number of matching documents with that value, and so on. The same properties are checked on the
whole real corpus in test_search_features.py.
"""

from __future__ import annotations

from collections import Counter

import pytest

from indexer.search import Filters

ANY_MIGRANT = "мигрант OR migrant"


def passages(engine, q: str, filters: Filters | None = None) -> set[tuple[str, str]]:
    """The passages the query language itself finds (no concept expansion, no related tier)."""
    return {(row["doc_id"], row["label"]) for row in engine.export(q, filters, concepts=False)}


def documents(found: set[tuple[str, str]]) -> set[str]:
    return {doc_id for doc_id, _ in found}


def every_result(engine, q: str, limit: int = 3, **kwargs) -> list[dict]:
    """All results, page by page."""
    out, page = [], 1
    while True:
        res = engine.search(q, page=page, limit=limit, snippets=False, **kwargs)
        out.extend(res["results"])
        if not res["results"]:
            return out
        page += 1


# --- the query algebra -------------------------------------------------------------------


def test_a_word_finds_exactly_the_passages_that_hold_it(synthetic_engine, synthetic):
    for word in ("патент", "квота", "виза", "permit", "visa"):
        expected = synthetic.containing(word)
        assert expected and passages(synthetic_engine, word) == expected, word


def test_and_or_not_are_set_operations(synthetic_engine, synthetic):
    a, b = synthetic.containing("патент"), synthetic.containing("квота")
    assert a & b and a - b and b - a  # the generated text has every case
    assert passages(synthetic_engine, "патент квота") == a & b
    assert passages(synthetic_engine, "патент AND квота") == a & b
    assert passages(synthetic_engine, "патент OR квота") == a | b
    assert passages(synthetic_engine, "патент ИЛИ квота") == a | b
    assert passages(synthetic_engine, "патент NOT квота") == a - b
    assert passages(synthetic_engine, "патент -квота") == a - b


def test_parentheses_group(synthetic_engine, synthetic):
    a, b, c = (synthetic.containing(w) for w in ("патент", "квота", "виза"))
    assert passages(synthetic_engine, "(патент OR квота) виза") == (a | b) & c
    assert passages(synthetic_engine, "патент OR (квота виза)") == a | (b & c)
    assert passages(synthetic_engine, "(патент OR квота) -виза") == (a | b) - c


def test_words_of_two_languages_in_one_query(synthetic_engine, synthetic):
    both = synthetic.containing("патент") | synthetic.containing("permit")
    assert documents(synthetic.containing("permit")) and passages(synthetic_engine, "патент OR permit") == both


def test_phrase_needs_the_words_adjacent_and_slop_relaxes_it(synthetic_engine, synthetic):
    adjacent = synthetic.adjacent("трудовой", "договор")
    anywhere = synthetic.containing("трудовой", "договор")
    assert adjacent < anywhere
    assert passages(synthetic_engine, '"трудовой договор"') == adjacent
    assert passages(synthetic_engine, "трудовой договор") == anywhere
    assert passages(synthetic_engine, '"трудовой договор"~10') == anywhere


def test_a_word_finds_its_inflections_and_an_exact_form_only_itself(synthetic_engine, synthetic):
    genitive, dative = synthetic.containing("мигрантов"), synthetic.containing("мигранту")
    assert genitive and dative and not genitive & dative
    assert passages(synthetic_engine, "мигрант") == genitive | dative
    assert passages(synthetic_engine, "мигрантов") == genitive | dative
    assert passages(synthetic_engine, "=мигрантов") == genitive
    assert passages(synthetic_engine, "=мигранту") == dative


def test_title_scope_matches_titles_only(synthetic_engine, synthetic):
    russian = {(p.doc_id, p.label) for p in synthetic.passages if synthetic.document(p.doc_id).language == "ru"}
    assert passages(synthetic_engine, "title:сборник") == russian
    assert passages(synthetic_engine, "сборник") == russian  # a plain word also searches the title


# --- results, paging, sorting --------------------------------------------------------------


def test_one_result_per_document_with_its_passage_counts(synthetic_engine, synthetic):
    expected = synthetic.containing("мигрантов") | synthetic.containing("мигранту") | synthetic.containing(
        "migrants"
    ) | synthetic.containing("migrant")
    res = synthetic_engine.search(ANY_MIGRANT, limit=100, snippets=False)
    assert res["total"] == len(documents(expected)) and res["total_passages"] == len(expected)
    ids = [r["doc_id"] for r in res["results"]]
    assert sorted(ids) == sorted(documents(expected))
    assert all(1 <= len(r["passages"]) <= 3 for r in res["results"])
    assert sum(len(r["passages"]) + r["more_passages"] for r in res["results"]) == res["total_passages"]


@pytest.mark.parametrize("limit", [1, 3, 4, 7])
def test_pages_are_disjoint_and_cover_the_total(synthetic_engine, limit):
    total = synthetic_engine.search(ANY_MIGRANT, limit=1, snippets=False)["total"]
    seen: list[str] = []
    for page in range(1, -(-total // limit) + 1):
        res = synthetic_engine.search(ANY_MIGRANT, page=page, limit=limit, snippets=False)
        assert res["total"] == total and (res["page"], res["limit"]) == (page, limit)
        assert 1 <= len(res["results"]) <= limit
        seen.extend(r["doc_id"] for r in res["results"])
    assert len(seen) == len(set(seen)) == total
    beyond = synthetic_engine.search(ANY_MIGRANT, page=-(-total // limit) + 1, limit=limit, snippets=False)
    assert beyond["results"] == [] and beyond["total"] == total


def test_relevance_order_is_by_score(synthetic_engine):
    scores = [r["score"] for r in every_result(synthetic_engine, ANY_MIGRANT)]
    assert len(scores) > 3 and scores == sorted(scores, reverse=True)


def test_sort_by_date_orders_documents_newest_first(synthetic_engine, synthetic):
    found = documents(passages(synthetic_engine, ANY_MIGRANT))
    expected = sorted(found, key=lambda d: synthetic.document(d).date, reverse=True)
    assert [r["doc_id"] for r in every_result(synthetic_engine, ANY_MIGRANT, sort="date")] == expected


# --- facets and filters --------------------------------------------------------------------


def expected_facets(synthetic, doc_ids: set[str]) -> dict[str, Counter]:
    docs = [synthetic.document(d) for d in doc_ids]
    return {name: Counter(getattr(d, name) for d in docs) for name in ("country", "doc_type", "language", "year")}


def facet_counts(res: dict) -> dict[str, Counter]:
    return {name: Counter({v["value"]: v["count"] for v in values}) for name, values in res["facets"].items()}


@pytest.mark.parametrize("q", [ANY_MIGRANT, "патент OR permit", "квота"])
def test_facet_counts_are_the_matching_documents_per_value(synthetic_engine, synthetic, q):
    res = synthetic_engine.search(q, limit=1, snippets=False, concepts=False)  # the words typed only
    expected = expected_facets(synthetic, documents(passages(synthetic_engine, q)))
    assert {k: v for k, v in facet_counts(res).items() if k in expected} == expected


def test_a_facet_ignores_its_own_filter_and_obeys_the_others(synthetic_engine, synthetic):
    plain = synthetic_engine.search(ANY_MIGRANT, limit=1, snippets=False)
    kg = synthetic_engine.search(ANY_MIGRANT, filters=Filters(country=["kg"]), limit=1, snippets=False)
    assert kg["facets"]["country"] == plain["facets"]["country"]  # multi-select: other countries stay offered
    kg_docs = {d for d in documents(passages(synthetic_engine, ANY_MIGRANT)) if synthetic.document(d).country == "kg"}
    assert kg["total"] == len(kg_docs)
    assert facet_counts(kg)["doc_type"] == expected_facets(synthetic, kg_docs)["doc_type"]


@pytest.mark.parametrize(
    ("filters", "accepts"),
    [
        (Filters(country=["kg"]), lambda d: d.country == "kg"),
        (Filters(country=["kg", "int"]), lambda d: d.country in ("kg", "int")),
        (Filters(doc_type=["code"]), lambda d: d.doc_type == "code"),
        (Filters(language=["en"]), lambda d: d.language == "en"),
        (Filters(year_from=2005, year_to=2015), lambda d: 2005 <= d.year <= 2015),
        (Filters(country=["ru", "kz"], doc_type=["law"]), lambda d: d.country in ("ru", "kz") and d.doc_type == "law"),
    ],
    ids=["country", "two-countries", "doc_type", "language", "years", "country-and-type"],
)
def test_filters_keep_exactly_the_accepted_documents(synthetic_engine, synthetic, filters, accepts):
    everything = passages(synthetic_engine, ANY_MIGRANT)
    kept = {p for p in everything if accepts(synthetic.document(p[0]))}
    assert kept and kept < everything
    assert passages(synthetic_engine, ANY_MIGRANT, filters) == kept
    res = synthetic_engine.search(ANY_MIGRANT, filters=filters, limit=100, snippets=False)
    assert {r["doc_id"] for r in res["results"]} == documents(kept)
