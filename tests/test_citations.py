"""Citations between provisions: found in running text, resolved across the acts of a real index
built from generated texts, shown as links and as "cited by" on the document page."""

from __future__ import annotations

import re
from html import unescape

import pytest

from indexer.citations import find_citations
from indexer.search import SearchEngine
from indexer.search.citation_graph import Source
from indexer.writer import index_paths
from search_web import create_app


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("в соответствии со статьей 13.3 настоящего Федерального закона",
         [("статьей 13.3", "13.3", "", None)]),
        ("состатьей 13.3настоящего Федерального закона", [("статьей 13.3", "13.3", "", None)]),
        ("частью 2 статьи 18.10 Кодекса Российской Федерации об административных правонарушениях",
         [("частью 2 статьи 18.10", "18.10", "2", ("offences", "ru")),
          ("Кодекса Российской Федерации об административных правонарушениях", "", "", ("offences", "ru"))]),
        ("статьями 5 и 6 Федерального закона от 25.07.2002 № 115-ФЗ",
         [("статьями 5", "5", "", ("115-ФЗ", "")), ("6", "6", "", ("115-ФЗ", "")),
          ("Федерального закона от 25.07.2002 № 115-ФЗ", "", "", ("115-ФЗ", ""))]),
        ("в соответствии с Трудовым кодексом Кыргызской Республики",
         [("Трудовым кодексом Кыргызской Республики", "", "", ("labour", "kg"))]),
        ("подпункта 1 пункта 3 статьи 13.2 настоящего Федерального закона", [("пункта 3 статьи 13.2", "13.2", "3", None)]),
        ("Article 5 of this Convention", [("Article 5", "5", "", None)]),
        ("Article 7 of the Labour Code of the Kyrgyz Republic",
         [("Article 7", "7", "", ("labour", "kg")),
          ("of the Labour Code of the Kyrgyz Republic", "", "", ("labour", "kg"))]),
        ("ст. 322.1 УК РФ", [("ст. 322.1", "322.1", "", ("criminal", "ru")), ("УК РФ", "", "", ("criminal", "ru"))]),
        ("статьи 5 указанного Кодекса", []),  # which code is for the reader of the sentence before
        ("в течение 5 мест 5 настоящего", []),  # `ст` inside a word is no article
    ],
)
def test_citations_in_running_text(text, expected):
    def act(c):
        if c.act is None:
            return None
        return (c.act.code.kind, c.country) if c.act.code else (c.act.act_number, c.country)

    assert [(text[c.start : c.end], c.article, c.part, act(c)) for c in find_citations(text)] == expected


LAW = """Федеральный закон "О трудовых мигрантах" от 01.02.2003 N 10-ФЗ

Статья 1. Основные понятия
Трудовой мигрант - иностранный гражданин, работающий по патенту.

Статья 2. Патент
Патент выдается в порядке, установленном статьей 1 настоящего Федерального закона.

Статья 3. Ответственность
За работу без патента лицо отвечает по статье 2 Уголовного кодекса Российской Федерации
и по статье 18.10 Кодекса Российской Федерации об административных правонарушениях.
"""
CODE = """Уголовный кодекс Российской Федерации

Статья 1. Уголовный закон
Уголовный закон применяется с учетом статьи 2 Федерального закона от 01.02.2003 № 10-ФЗ.

Статья 2. Незаконная работа
Работа без патента, выданного в соответствии со статьей 2 Федерального закона от 01.02.2003
№ 10-ФЗ, наказывается штрафом.
"""
LAW_ID, CODE_ID = "ru-law", "ru-code"


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    corpus = tmp_path_factory.mktemp("acts") / "ru"
    corpus.mkdir()
    (corpus / "law.txt").write_text(LAW, encoding="utf-8")
    (corpus / "code.txt").write_text(CODE, encoding="utf-8")
    index_dir = corpus.parent.parent / "ix"
    report = index_paths([corpus.parent], index_dir, workers=1, progress=False)
    assert len(report.indexed) == 2, report.summary()
    eng = SearchEngine(index_dir)
    yield eng
    eng.close()


def test_the_ids_are_as_the_tests_expect(engine):
    assert set(engine.documents) == {LAW_ID, CODE_ID}
    assert engine.documents[LAW_ID].number == "10-ФЗ"


def test_cited_by_lists_provisions_of_this_and_other_acts(engine):
    graph = engine.citation_graph()
    assert graph.citing(LAW_ID, "1") == [Source(LAW_ID, "art-2", "Статья 2")]
    assert graph.citing(LAW_ID, "2") == [Source(CODE_ID, "art-1", "Статья 1"), Source(CODE_ID, "art-2", "Статья 2")]
    assert graph.citing(CODE_ID, "2") == [Source(LAW_ID, "art-3", "Статья 3")]
    assert graph.citing(LAW_ID, "3") == []


def test_the_api_gives_an_articles_citations(engine):
    found = engine.document(LAW_ID, article="2")
    assert found["cited_by"] == [
        {"doc_id": CODE_ID, "article": "1", "label": "Статья 1"},
        {"doc_id": CODE_ID, "article": "2", "label": "Статья 2"},
    ]


def test_the_graph_is_cached_beside_the_index_and_read_back(engine):
    from indexer.search.citation_graph import CACHE_FILE, load_or_build
    from indexer.search.whoosh_access import generation_key

    view = engine.view()
    built = view.citations
    assert (engine.index_dir / CACHE_FILE).is_file()
    again = load_or_build(engine.index_dir, generation_key(view.searcher), view.searcher, view.docs)
    assert again.cited_by == built.cited_by and (again.inbound == built.inbound).all()


def test_inbound_citations_count_per_passage(engine):
    view = engine.view()
    numbers = {view.searcher.stored_fields(n)["label"] + "@" + view.doc_of(n): n for n in range(len(view.doc_index))}
    inbound = view.citations.inbound
    assert inbound[numbers[f"Статья 2@{LAW_ID}"]] == 2
    assert inbound[numbers[f"Статья 3@{LAW_ID}"]] == 0
    lift = view.citations.lift(0.1)
    assert lift[numbers[f"Статья 2@{LAW_ID}"]] == pytest.approx(1.1)
    assert lift[numbers[f"Статья 3@{LAW_ID}"]] == 1.0


def test_a_reference_search_is_not_lifted_past_its_provision(engine):
    """`статья 3 10-ФЗ` names a provision nobody cites: it still comes first."""
    res = engine.search("статья 3 10-ФЗ патент")
    assert res["results"][0]["doc_id"] == LAW_ID
    assert res["results"][0]["passages"][0]["label"] == "Статья 3"


def test_the_page_links_citations_and_lists_what_cites_an_article(engine):
    client = create_app(engine.index_dir).test_client()
    html = unescape(client.get(f"/documents/{LAW_ID}/art-3").get_data(as_text=True))
    article = re.search(r'id="art-3">(.*?)</section>', html, re.S).group(1)
    assert f'<a href="/documents/{CODE_ID}/art-2#art-2">статье 2</a>' in article
    assert '<span class="not-here" title="Этого акта нет в коллекции">статье 18.10</span>' in article
    code_page = unescape(client.get(f"/documents/{CODE_ID}/art-2").get_data(as_text=True))
    cited = re.search(r'id="art-2">.*?<p class="cited">(.*?)</p>', code_page, re.S).group(1)
    assert f'href="/documents/{LAW_ID}/art-3#art-3">Статья 3 (Федеральный закон' in cited
    law_page = unescape(client.get(f"/documents/{LAW_ID}/art-2").get_data(as_text=True))
    assert re.search(r'<a href="[^"]*#art-1">статьей 1</a>\s*настоящего', law_page)
    assert client.get(f"/documents/{CODE_ID}/art-2#art-2").status_code == 200
