"""Citations, parts and the contents on the whole corpus: the examples of issue 11."""

from __future__ import annotations

import re
from html import unescape

import pytest

LAW_115 = "ru-115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan"
LAW_109 = "ru-109-fz-o-migratsionnom-uchete"


@pytest.fixture(scope="module")
def client(full_index):
    from search_web import create_app

    return create_app(full_index).test_client()


def _article(html: str, number: str) -> str:
    return re.search(rf'<section class="provision[^"]*" id="art-{re.escape(number)}">(.*?)</section>', html, re.S).group(1)


def test_115_fz_article_13_3_is_cited_by_its_article_5(full_engine):
    citing = full_engine.document(LAW_115, article="13.3")["cited_by"]
    assert {"doc_id": LAW_115, "article": "5", "label": "Статья 5"} in citing


def test_another_law_cites_115_fz_and_its_page_links_there(full_engine, client):
    """109-ФЗ art. 2: `в соответствии со статьей 13.2 Федерального закона от 25 июля 2002 года
    N 115-ФЗ` (glued in the source: `состатьей 13.2Федерального`)."""
    citing = full_engine.document(LAW_115, article="13.2")["cited_by"]
    assert {"doc_id": LAW_109, "article": "2", "label": "Статья 2"} in citing
    html = unescape(client.get(f"/documents/{LAW_109}/art-2").get_data(as_text=True))
    assert f'<a href="/documents/{LAW_115}/art-13.2#art-13.2">статьей 13.2</a>' in _article(html, "2")
    page = unescape(client.get(f"/documents/{LAW_115}/art-13.2").get_data(as_text=True))
    cited = re.search(r'<p class="cited">(.*?)</p>', _article(page, "13.2"), re.S).group(1)
    assert f'href="/documents/{LAW_109}/art-2#art-2">Статья 2 (Федеральный закон' in cited


def test_an_act_not_in_the_collection_is_said_so_not_linked(client):
    """УПК РФ art. 208 cites `части 2 статьи 16 Федерального закона от 20 августа 2004 года
    № 119-ФЗ`, a law the collection does not have: the words stay text, titled so."""
    html = unescape(client.get("/documents/ru-upk-rf/art-208").get_data(as_text=True))
    article = _article(html, "208")
    missing = '<span class="not-here" title="Этого акта нет в коллекции">'
    assert f"{missing}части 2 статьи 16</span> {missing}Федерального закона от 20 августа 2004 года № 119-ФЗ</span>" in article
    assert not re.search(r'<a href="[^"]*">[^<]*статьи 16</a>', article)


def test_a_part_reference_opens_and_shows_that_part(full_engine):
    res = full_engine.search("ч. 2 ст. 13.3 115-ФЗ")
    first = res["results"][0]
    assert first["doc_id"] == LAW_115 and first["passages"][0]["label"] == "Статья 13.3"
    assert first["passages"][0]["snippet"].startswith("<mark>2.</mark> ")


def test_the_contents_name_chapters_by_their_titles(client):
    html = unescape(client.get(f"/documents/{LAW_115}/art-13.3").get_data(as_text=True))
    assert "Глава I. Общие положения" in html
    assert '<p class="crumbs">Глава I. Общие положения' in html
