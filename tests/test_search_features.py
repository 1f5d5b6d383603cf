"""Issue #4's search features, checked on the index of the whole real corpus.

Totals, facets, filters, paging and sorting are checked against each other (a facet count must
equal the total of the search filtered by that value); the query language against passage sets
from `export()`, which lists every hit, so `A OR B` must be exactly the union of `A` and `B`.
"""

from __future__ import annotations

import re
import time

import pytest

from indexer.search import Filters, QueryError

FACET_QUERIES = ["иностранный гражданин", "трудовой договор", "migrant workers", "мигра*"]
MARK_RE = re.compile(r"<mark>(.*?)</mark>", re.S)


def passages(engine, q: str, filters: Filters | None = None) -> set[str]:
    """The passages the query language itself finds (no concept expansion, no related tier)."""
    return {row["passage_id"] for row in engine.export(q, filters, concepts=False)}


def all_results(engine, q: str, **kwargs) -> list[dict]:
    """Every result of a search, page by page (limit 10, as a user pages)."""
    out, page = [], 1
    while True:
        res = engine.search(q, page=page, limit=10, snippets=False, **kwargs)
        out.extend(res["results"])
        if not res["results"] or page * 10 >= res["total"]:
            return out
        page += 1


def marks(res: dict) -> list[str]:
    return [m.lower() for r in res["results"] for p in r["passages"] for m in MARK_RE.findall(p["snippet"])]


def facet_filter(name: str, value) -> Filters:
    if name == "year":
        return Filters(year_from=value, year_to=value)
    return Filters(**{name: [value]})


# --- response shape, facets, filters, paging, sorting ------------------------------------


def test_response_has_totals_timing_and_paging_fields(full_engine):
    res = full_engine.search("иностранный гражданин", page=2, limit=5)
    assert res["total"] > 10 and res["total_passages"] >= res["total"]
    assert isinstance(res["took_ms"], float) and res["took_ms"] >= 0
    assert (res["page"], res["limit"]) == (2, 5)
    assert len(res["results"]) == 5
    assert set(res["facets"]) == {
        "country", "doc_type", "language", "year", "status", "concept", "org", "person", "place",
    }  # fmt: skip


@pytest.mark.parametrize("q", FACET_QUERIES)
def test_facet_counts_equal_totals_of_the_filtered_search(full_engine, q):
    res = full_engine.search(q, limit=1, snippets=False)
    assert res["total"] > 0
    for name, values in res["facets"].items():
        # every document has a country, type, ...; not every one names a person or a place
        assert values or name in ("org", "person", "place"), f"{q!r}: empty facet {name}"
        for item in values:
            filtered = full_engine.search(q, filters=facet_filter(name, item["value"]), limit=1, snippets=False)
            assert filtered["total"] == item["count"], (q, name, item)
    for name in ("country", "doc_type", "language"):  # every document has these
        assert sum(v["count"] for v in res["facets"][name]) == res["total"], (q, name)


def test_facets_are_multi_select_a_facet_ignores_its_own_filter(full_engine):
    q = "иностранный гражданин"
    plain = full_engine.search(q, limit=1, snippets=False)
    kg = full_engine.search(q, filters=Filters(country=["kg"]), limit=1, snippets=False)
    assert kg["facets"]["country"] == plain["facets"]["country"]
    for item in kg["facets"]["doc_type"]:
        both = Filters(country=["kg"], doc_type=[item["value"]])
        assert full_engine.search(q, filters=both, limit=1, snippets=False)["total"] == item["count"]


def test_filters_narrow_results(full_engine):
    docs = full_engine.documents
    ru_q, mixed_q = "иностранный гражданин", "migrant OR мигрант OR worker"
    cases = {
        "country": (ru_q, Filters(country=["kg"]), lambda m: m.country == "kg"),
        "doc_type": (ru_q, Filters(doc_type=["law"]), lambda m: m.doc_type == "law"),
        "language": (mixed_q, Filters(language=["en"]), lambda m: m.language == "en"),
        "years": (ru_q, Filters(year_from=2000, year_to=2010), lambda m: m.year and 2000 <= m.year <= 2010),
        "two": (mixed_q, Filters(country=["kg", "int"], doc_type=["code", "convention"]),
                lambda m: m.country in ("kg", "int") and m.doc_type in ("code", "convention")),
    }
    for name, (q, filters, accepted) in cases.items():
        everything = full_engine.search(q, limit=1, snippets=False)["total"]
        results = all_results(full_engine, q, filters=filters)
        assert results, name
        assert len(results) < everything, name
        assert all(accepted(docs[r["doc_id"]]) for r in results), name


def test_paging_returns_disjoint_pages_that_cover_the_total(full_engine):
    q = "трудовой договор"
    total = full_engine.search(q, limit=1, snippets=False)["total"]
    assert total > 20
    seen: list[str] = []
    for page in range(1, total // 7 + 2):
        res = full_engine.search(q, page=page, limit=7, snippets=False)
        assert res["total"] == total
        seen.extend(r["doc_id"] for r in res["results"])
    assert len(seen) == len(set(seen)) == total
    beyond = full_engine.search(q, page=total // 7 + 3, limit=7, snippets=False)
    assert beyond["results"] == [] and beyond["total"] == total


def test_relevance_pages_are_in_score_order(full_engine):
    q = "иностранный гражданин"
    scores = [r["score"] for r in all_results(full_engine, q)]
    assert scores == sorted(scores, reverse=True)


def test_sort_by_date_orders_documents_newest_first(full_engine):
    q = "иностранный гражданин"
    results = all_results(full_engine, q, sort="date")
    assert len(results) == full_engine.search(q, limit=1, snippets=False)["total"]
    dated = [r["date"] for r in results if r["date"]]
    assert dated == sorted(dated, reverse=True) and len(set(dated)) > 5
    assert [r["date"] for r in results[len(dated) :]] == [""] * (len(results) - len(dated))
    with pytest.raises(QueryError):
        full_engine.search(q, sort="title")


def test_one_result_per_document_with_at_most_three_passages(full_engine):
    q = "иностранный гражданин"
    res = full_engine.search(q, limit=100)
    assert res["total"] <= 100
    ids = [r["doc_id"] for r in res["results"]]
    assert len(ids) == len(set(ids)) == res["total"]
    assert all(1 <= len(r["passages"]) <= 3 for r in res["results"])
    assert any(r["more_passages"] > 0 for r in res["results"])
    assert sum(len(r["passages"]) + r["more_passages"] for r in res["results"]) == res["total_passages"]
    for r in res["results"]:
        assert {p["passage_id"].rsplit("/", 1)[0] for p in r["passages"]} == {r["doc_id"]}


# --- the query language on real text ------------------------------------------------------


def test_and_or_not_are_set_operations_on_passages(full_engine):
    a, b = passages(full_engine, "патент"), passages(full_engine, "квота")
    assert a and b and a - b and b - a
    assert passages(full_engine, "патент OR квота") == a | b
    assert passages(full_engine, "патент ИЛИ квота") == a | b
    both = passages(full_engine, "патент квота")
    assert both == a & b and both
    assert passages(full_engine, "патент NOT квота") == a - b
    assert passages(full_engine, "патент -квота") == a - b


def test_phrase_matches_across_inflections_and_only_adjacent_words(full_engine):
    phrase = passages(full_engine, '"трудовой договор"')
    words = passages(full_engine, "трудовой договор")
    assert phrase and phrase < words  # some passages have both words apart
    res = full_engine.search('"трудовой договор"', limit=20)
    snippets = " ".join(p["snippet"] for r in res["results"] for p in r["passages"]).lower()
    assert "<mark>трудового</mark> <mark>договора</mark>" in snippets
    assert "<mark>трудовой</mark> <mark>договор</mark>" in snippets


def test_proximity_is_between_phrase_and_and(full_engine):
    phrase = passages(full_engine, '"трудовой договор"')
    words = passages(full_engine, "трудовой договор")
    near = passages(full_engine, '"договор трудовой"~3')  # any order
    wider = passages(full_engine, '"договор трудовой"~20')
    assert phrase <= near <= wider <= words
    assert near < wider


def test_exact_form_matches_only_that_form(full_engine):
    exact = full_engine.search("=мигрантов", limit=20)
    assert exact["total"] > 0
    assert set(marks(exact)) == {"мигрантов"}
    assert passages(full_engine, "=мигрантов") < passages(full_engine, "мигрантов")
    phrase = full_engine.search('="иностранных граждан"', limit=20)
    assert phrase["total"] > 0 and set(marks(phrase)) == {"иностранных", "граждан"}


def test_title_scope_matches_titles_only(full_engine):
    results = all_results(full_engine, "title:кодекс")
    titled = {d for d, m in full_engine.documents.items() if "кодекс" in m.title.lower()}
    assert {r["doc_id"] for r in results} == titled
    body_only = {row["doc_id"] for row in full_engine.export("кодекс")} - titled
    assert body_only  # the laws that cite a code are left out by title:


def test_heading_scope_matches_provision_headings(full_engine):
    res = full_engine.search("heading:патент", limit=50)
    assert res["total"] > 0
    for r in res["results"]:
        for p in r["passages"]:
            assert "патент" in f"{p['label']} {p['heading']}".lower(), (r["doc_id"], p["label"], p["heading"])
    assert passages(full_engine, "heading:патент") < passages(full_engine, "патент")


def test_prefix_matches_every_word_starting_so_and_stays_bounded(full_engine):
    res = full_engine.search("мигра*", limit=50)
    assert marks(res) and all(m.startswith("мигра") for m in marks(res))
    prefixed = {r["doc_id"] for r in all_results(full_engine, "мигра*")}
    for word in ("мигрант", "миграционный", "миграция"):  # the words alone: a concept's other terms aside
        assert {r["doc_id"] for r in all_results(full_engine, word, concepts=False)} <= prefixed, word
    started = time.process_time()  # CPU time: a busy shared machine does not make it fail
    common = full_engine.search("пр*", limit=10)  # thousands of terms start with пр-
    assert common["total"] > 50 and time.process_time() - started < 10
    with pytest.raises(QueryError):
        full_engine.search("п*")


@pytest.mark.parametrize("q", ["115-ФЗ статья 13.3", "ст. 13.3", "статья 13.3 115-ФЗ"])
def test_article_lookup_puts_the_provision_first(full_engine, q):
    first = full_engine.search(q, limit=5)["results"][0]
    assert first["doc_id"] == "ru-115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan"
    assert first["passages"][0]["label"] == "Статья 13.3"


def test_article_lookup_with_a_code_abbreviation(full_engine):
    """How Russian lawyers cite: `ст. 327.2 ТК РФ` (the code's text never says `ТК РФ`)."""
    res = full_engine.search("ст. 327.2 ТК РФ", limit=5)
    assert res["total"] > 0, "no results at all for an article citation"
    first = res["results"][0]
    assert (first["doc_id"], first["passages"][0]["label"]) == ("ru-trudovoy-kodeks-rf", "Статья 327.2")


def test_words_that_never_meet_fall_back_with_a_notice(full_engine):
    assert not passages(full_engine, "патент") & passages(full_engine, "domestic")  # never meet
    res = full_engine.search("патент domestic", limit=10)
    assert res["notice"] and res["total"] > 0
    countries = {r["country"] for r in all_results(full_engine, "патент domestic")}
    assert {"ru", "int"} <= countries  # documents with either word
    assert full_engine.search("патент иностранного гражданина")["notice"] is None


# --- snippets ---------------------------------------------------------------------------


@pytest.mark.parametrize("q", ["иностранный гражданин", "domestic workers", '"трудовой договор"', "мигра*"])
def test_snippets_have_at_most_two_fragments(full_engine, q):
    res = full_engine.search(q, limit=20)
    for r in res["results"]:
        for p in r["passages"]:
            fragments = [f for f in p["snippet"].split("…") if f.strip()]
            assert 1 <= len(fragments) <= 2, p["snippet"]


def test_snippets_mark_inflected_forms_of_the_query_words(full_engine):
    found = set(marks(full_engine.search("иностранный гражданин", limit=20)))  # a concept's terms may be marked too
    assert {"иностранных", "граждан"} <= found or {"иностранного", "гражданина"} <= found, found
    typed_only = set(marks(full_engine.search("иностранный гражданин", limit=20, concepts=False)))
    assert {"иностранных", "граждан"} <= typed_only or {"иностранного", "гражданина"} <= typed_only, typed_only
    assert all(m.startswith(("иностран", "граждан")) for m in typed_only), typed_only
    english = set(marks(full_engine.search("worker", limit=20)))
    assert "workers" in english and all(m.startswith("worker") for m in english)


def test_snippets_and_document_html_escape_the_text(tmp_path):
    from indexer.search import SearchEngine
    from indexer.writer import index_paths

    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "escape-check.txt").write_text(
        "Статья 1. Проверка\n"
        "Трудовой мигрант <script>alert('x')</script> и компания AT&T получают патент "
        "по правилам <b>этой</b> статьи.\n",
        encoding="utf-8",
    )
    index_paths([docs], tmp_path / "ix", workers=1, progress=False)
    engine = SearchEngine(tmp_path / "ix")
    try:
        res = engine.search("мигрант патент")
        snippet = res["results"][0]["passages"][0]["snippet"]
        doc_id = res["results"][0]["doc_id"]
        html = engine.document(doc_id, q="мигрант")["passages"]
        marked = [p["html"] for p in html if p["matched"]]
        assert marked
        for text in (snippet, *marked):
            assert "<script>" not in text and "<b>" not in text
            assert "&lt;script&gt;" in text and "AT&amp;T" in text and "&lt;b&gt;" in text
            assert re.sub(r"</?mark>", "", text).count("<") == 0
            assert "<mark>мигрант</mark>" in text
    finally:
        engine.close()


# --- did you mean -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typo", "meant"), [("мигрантв", "мигрантов"), ("lobour", "labour"), ("иностраных", "иностранных")]
)
def test_did_you_mean(full_engine, typo, meant):
    res = full_engine.search(typo)
    assert res["did_you_mean"] == meant
    assert full_engine.search(meant)["total"] > res["total"]


def test_no_suggestion_for_words_the_index_knows(full_engine):
    assert full_engine.search("иностранный гражданин")["did_you_mean"] is None


# --- more like this, citations, documents ---------------------------------------------------


def test_more_like_this_returns_passages_of_other_documents_other_countries_first(full_engine):
    first = full_engine.search("патент иностранного гражданина", limit=1)["results"][0]
    source = first["passages"][0]["passage_id"]
    rows = full_engine.more_like_this(source, limit=10)
    assert rows
    assert all(r["doc"]["doc_id"] != first["doc_id"] for r in rows)
    home = [r["doc"]["country"] == first["country"] for r in rows]
    assert home == sorted(home)  # other countries before the document's own
    assert not home[0]
    assert all(r["label"] and r["snippet"] for r in rows)


def test_citations_of_pdf_passages_name_act_provision_and_page(full_engine):
    res = full_engine.search(
        "отношения регулируемые гражданским законодательством", filters=Filters(country=["kg"]), limit=20
    )
    pdf = next(r for r in res["results"] if r["doc_id"] == "pdf-kg-grazhdanskii-kodeks-ch1-pdf")
    for p in pdf["passages"]:
        assert p["pages"] and p["label"]
        cite = p["citation"]
        assert pdf["title"] in cite and p["label"] in cite
        page = f"p. {p['pages'][0]}" if len(p["pages"]) == 1 else f"pp. {p['pages'][0]}–{p['pages'][-1]}"
        assert page in cite
    meta = full_engine.document("pdf-kg-grazhdanskii-kodeks-ch1-pdf")
    assert meta["page_count"] > 100
    assert max(p["pages"][-1] for p in meta["passages"]) > 100


def test_document_returns_passages_in_order_with_pages_and_highlights(full_engine):
    doc = full_engine.document("ru-115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan", q="патент")
    ids = [p["passage_id"] for p in doc["passages"]]
    ordinals = [int(i.rsplit("/", 1)[1]) for i in ids]
    assert ordinals == sorted(ordinals) and len(ordinals) > 50
    assert all(p["pages"] for p in doc["passages"])
    labels = [p["label"] for p in doc["passages"]]
    assert labels.index("Статья 13.2") < labels.index("Статья 13.3") < labels.index("Статья 14")
    matched = [p for p in doc["passages"] if p["matched"]]
    assert matched and len(matched) < len(doc["passages"])
    assert all("<mark>" in p["html"] for p in matched)
    assert all("<mark>" not in p["html"] for p in doc["passages"] if not p["matched"])
    by_label = {p["label"]: p for p in doc["passages"]}
    assert by_label["Статья 13.3"]["matched"]
    assert full_engine.document("no-such-document") is None


def test_document_links_translations(full_engine):
    udhr = {"en": "int-udhr-1948-en", "ru": "int-udhr-1948-ru", "ky": "int-udhr-1948-ky",
            "kk": "int-udhr-1948-kk", "tg": "int-udhr-1948-tg"}
    for lang, doc_id in udhr.items():
        doc = full_engine.document(doc_id)
        linked = {t["language"]: t["doc_id"] for t in doc["translations"]}
        assert linked == {k: v for k, v in udhr.items() if k != lang}, doc_id
    law = full_engine.document("ru-115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan")
    assert law["translations"] == []


def test_find_in_document_lists_every_hit_in_reading_order(full_engine):
    doc_id = "ru-115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan"
    rows = full_engine.find_in_document(doc_id, "патент")
    expected = {r["passage_id"] for r in full_engine.export("патент") if r["doc_id"] == doc_id}
    assert {r["passage_id"] for r in rows} == expected and len(expected) > 3
    ordinals = [r["ordinal"] for r in rows]
    assert ordinals == sorted(ordinals)
    assert all("<mark>" in r["snippet"] for r in rows)
    assert full_engine.find_in_document("no-such-document", "патент") == []


def test_compare_returns_one_column_per_country(full_engine):
    q = "иностранный гражданин"
    res = full_engine.compare(q, per_country=3)
    countries = [c["country"] for c in res["columns"]]
    assert countries == res["countries"] == full_engine.countries()  # no choice: every country of the index
    assert len(set(countries)) == len(countries) >= 2
    assert {c["country"] for c in res["columns"] if c["results"]} >= {"ru", "kg"}
    for column in res["columns"]:
        assert len(column["results"]) <= 3
        assert {r["country"] for r in column["results"]} <= {column["country"]}
        assert bool(column["results"]) == bool(column["total"])
        assert column["results"] or isinstance(column["try_concepts"], list)  # an empty one has concepts to try
        alone = full_engine.search(q, filters=Filters(country=[column["country"]]), limit=1, snippets=False)
        assert column["total"] == alone["total"]
    chosen = full_engine.compare(q, countries=["kg", "ru"])
    assert [c["country"] for c in chosen["columns"]] == ["kg", "ru"]


@pytest.mark.parametrize("q", ["патент", "иностранный гражданин"])
def test_export_yields_every_hit_not_one_page(full_engine, q):
    rows = list(full_engine.export(q))
    res = full_engine.search(q, limit=10, snippets=False)
    assert len(rows) == res["total_passages"] > 10
    assert len({r["passage_id"] for r in rows}) == len(rows)
    assert len({r["doc_id"] for r in rows}) == res["total"]
    assert all(r["citation"] and r["label"] in r["citation"] for r in rows)
    kg = list(full_engine.export(q, Filters(country=["kg"])))
    assert kg and {r["country"] for r in kg} == {"kg"} and len(kg) < len(rows)
