"""Sources on every result and the reading view of hard-wrapped texts (issue 14, item 3), on a real
index of generated documents shaped like the corpus's (tests/reading_docs.py)."""

from __future__ import annotations

import re

import pytest

from indexer.cli import render_results
from indexer.search import SearchEngine
from search_web import create_app
from tests.reading_docs import LAW_URL, PRESS_PUBLISHER, PRESS_SITE, build_reading_index


@pytest.fixture(scope="module")
def reading_index(tmp_path_factory):
    return build_reading_index(tmp_path_factory.mktemp("reading"))


@pytest.fixture(scope="module")
def client(reading_index):
    app = create_app(reading_index)
    app.config["TESTING"] = False
    return app.test_client()


def hits(html: str) -> dict[str, str]:
    """Each result's HTML by its document id."""
    out = {}
    for item in re.findall(r'<li class="hit">(.*?)</li>\s*(?=<li class="hit">|</ol>)', html, re.S):
        doc_id = re.search(r'href="/documents/([^?"/]+)', item).group(1)
        out[doc_id] = item
    return out


def test_every_result_names_its_source_and_links_to_the_original(client):
    html = client.get("/?q=мигранты&ui=ru").get_data(as_text=True)
    found = hits(html)
    assert set(found) == {"press", "law", "note", "report-pdf"}
    assert f"Источник: {PRESS_PUBLISHER}" in found["press"]
    assert f'href="https://{PRESS_SITE}"' in found["press"]
    assert "Источник: example.org" in found["law"] and f'href="{LAW_URL}"' in found["law"]
    assert "Источник:" not in found["note"]  # its source is its own path: nothing to say
    assert 'href="/documents/note/file"' in found["note"]  # the original is the file
    assert 'href="/documents/report-pdf/file"' in found["report-pdf"]
    assert "01.06.2013" in found["press"]  # the date, as the page's language writes it


def test_page_numbers_only_for_paged_originals_and_in_the_pages_language(client):
    ru = hits(client.get("/?q=мигранты&ui=ru").get_data(as_text=True))
    for doc_id in ("press", "note", "law"):
        assert not re.search(r">\s*(p\.|стр\.) \d", ru[doc_id]), doc_id
    assert ">Текст</a>" in ru["press"]  # the whole text of a press release, not its `p. 1`
    assert ">стр. 1</a>" in ru["report-pdf"] and ">p. 1<" not in ru["report-pdf"]
    en = hits(client.get("/?q=мигранты&ui=en").get_data(as_text=True))
    assert ">p. 1</a>" in en["report-pdf"] and ">Text</a>" in en["press"]


def test_the_api_gives_publisher_source_url_and_original_url(client):
    results = {r["doc_id"]: r for r in client.get("/api/search?q=мигранты").get_json()["results"]}
    press, note, pdf = results["press"], results["note"], results["report-pdf"]
    assert (press["publisher"], press["source_url"], press["original_url"]) == (
        PRESS_PUBLISHER, f"https://{PRESS_SITE}", f"https://{PRESS_SITE}"
    )
    assert (note["publisher"], note["source_url"], note["original_url"]) == ("", "", "/documents/note/file")
    assert (press["paged"], pdf["paged"]) == (False, True)
    assert press["passages"][0]["label"] == "" and pdf["passages"][0]["label"] == "p. 1"
    assert "p. 1" not in press["passages"][0]["citation"]


def test_the_cli_names_the_source_and_no_page_of_a_text(reading_index):
    engine = SearchEngine(reading_index)
    res = engine.search("мигранты")
    for doc in res["results"]:
        doc["original_url"] = doc["source_url"] or "file:///x"
    out = render_results(res)
    assert f"source: {PRESS_PUBLISHER} — https://{PRESS_SITE}" in out
    assert "source: file:///x" in out  # the note: no publisher, its file
    press = out[out.index("(пресс-релиз)") :].split("\n\n")[0]
    assert "p. 1" not in press


def test_the_reading_view_joins_wrapped_lines_and_keeps_breaks_lists_and_headings(client):
    html = client.get("/documents/press?ui=ru").get_data(as_text=True)
    body = html[html.index('class="body"') :]
    assert "<p>Обсуждение применения наилучших практик в области защиты прав трудовых мигрантов в Кыргызстане</p>" in body
    assert "<p>Бишкек, 1 июня 2013 года.</p>" in body  # a short line ends its paragraph
    assert '<p class="head">ПРЕСС-РЕЛИЗ</p>' in body
    assert "pagebreak" not in html and "стр. 1" not in html  # a text file has no pages
    law = client.get("/documents/law?ui=ru").get_data(as_text=True)
    assert '<p class="head"><span id="p-law_2"></span>С т а т ь я 2. Водное законодательство Тестовой Республики</p>' in law
    assert "<p>водозабор - комплекс сооружений и устройств для забора воды из водных объектов;</p>" in law
    assert ('<p class="item"><span id="art-2-point-2"></span>2) для полива садовых и огородных участков, '
            "расположенных на землях населенных пунктов;</p>") in law  # the point's anchor kept
    assert 'href="#art-2"' in law  # the table of contents still leads to the article


def test_the_reading_view_keeps_the_query_marks(client):
    html = client.get("/documents/press?q=мигрантов&ui=ru").get_data(as_text=True)
    assert "прав трудовых <mark>мигрантов</mark> в Кыргызстане</p>" in html


def test_the_csv_says_no_page_of_a_text(client):
    rows = client.get("/search.csv?q=мигранты").get_data(as_text=True).splitlines()
    press = next(r for r in rows if "пресс-релиз" in r)
    assert "p. 1" not in press
    assert any("p. 1" in r for r in rows if "Отчет" in r)  # the PDF's page stays
