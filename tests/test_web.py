"""The web front end driven through Flask's test client, over a real index of real documents."""

from __future__ import annotations

import csv
import gzip
import io
import re
from html import unescape
from html.parser import HTMLParser
from urllib.parse import parse_qs, urljoin, urlsplit
from xml.etree import ElementTree as ET

import pytest
from markupsafe import escape

from indexer.metadata import doc_id_for
from search_web import create_app, i18n
from search_web.exports import safe_cell
from tests.web_corpus import (
    HOSTILE_SOURCE,
    HOSTILE_TITLE,
    PDF_RELPATH,
    SCAN_RELPATH,
)

PDF_DOC = doc_id_for(PDF_RELPATH)
LAW_115 = "ru-115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan"
UDHR_KY, UDHR_RU = "int-udhr-1948-ky", "int-udhr-1948-ru"
PAGE_BUDGET = 100 * 1024


@pytest.fixture(scope="module")
def app(web_index):
    app = create_app(web_index)
    app.config["TESTING"] = False  # exercise the real error handlers
    return app


@pytest.fixture()
def client(app):
    return app.test_client()


@pytest.fixture(scope="module")
def hostile(app) -> str:
    """The id of the generated document whose title is a script tag."""
    from search_web import get_engine

    with app.app_context():
        return next(d for d, m in get_engine().documents.items() if m.title == HOSTILE_TITLE)


def shown(text: str) -> str:
    """Text as a template shows it (escaped)."""
    return str(escape(text))


def api(client, url: str) -> dict:
    response = client.get(url)
    assert response.status_code == 200, response.get_data(as_text=True)
    return response.get_json()


class Links(HTMLParser):
    """Collects hrefs (with their text), form controls and landmarks of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[tuple[str, str]] = []
        self.inputs: list[dict] = []
        self.label_for: set[str] = set()
        self.tags: list[str] = []
        self._href: str | None = None
        self._text: list[str] = []
        self._in_label = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        self.tags.append(tag)
        if tag == "a" and "href" in a:
            self._href, self._text = a["href"], []
        if tag == "label":
            self._in_label += 1
            if a.get("for"):
                self.label_for.add(a["for"])
        if tag in ("input", "select", "textarea") and a.get("type") != "hidden":
            self.inputs.append(a | {"_in_label": self._in_label > 0})

    def handle_endtag(self, tag):
        if tag == "a" and self._href is not None:
            self.links.append((self._href, " ".join("".join(self._text).split())))
            self._href = None
        if tag == "label":
            self._in_label -= 1

    def handle_data(self, data):
        if self._href is not None:
            self._text.append(data)


def parse(html: str) -> Links:
    parser = Links()
    parser.feed(html)
    return parser


def query_of(href: str) -> dict[str, list[str]]:
    return parse_qs(urlsplit(href).query)


# --- search page -----------------------------------------------------------------------


def test_search_page_shows_results_with_passages_labels_and_marked_snippets(client):
    res = api(client, "/api/search?q=юридическое+лицо")
    assert res["total"] >= 2
    page = client.get("/?q=юридическое+лицо&ui=ru")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    for doc in res["results"]:
        assert f'href="/documents/{doc["doc_id"]}?q=' in html
        for p in doc["passages"][:3]:  # the best three passages of each document
            assert p["label"] in html
            assert p["snippet"] in html  # the engine's escaped snippet, <mark> kept
    assert "<mark>" in html
    first = res["results"][0]
    assert i18n.value_name("ru", "country", first["country"]) in html
    assert i18n.translate("ru", "results_count", total=res["total"], passages=res["total_passages"], ms=res["took_ms"]).split(" за ")[0] in html


def test_pdf_passages_link_to_the_original_at_their_page(client):
    res = api(client, "/api/search?q=юридическое+лицо&country=kg&type=code")
    pdf = next(d for d in res["results"] if d["doc_id"] == PDF_DOC)
    html = client.get("/?q=юридическое+лицо&country=kg&type=code").get_data(as_text=True)
    page = max(p["pages"][0] for p in pdf["passages"])  # one past the first page: a link that is not trivially #page=1
    assert page > 1
    assert f'href="/documents/{PDF_DOC}/file#page={page}"' in html


def test_facet_links_filter_and_show_counts(client):
    res = api(client, "/api/search?q=право")
    countries = res["facets"]["country"]
    assert len(countries) >= 2, "the sample spans several countries"
    html = client.get("/?q=право&ui=en").get_data(as_text=True)
    links = parse(html).links
    for facet in countries:
        name = i18n.value_name("en", "country", facet["value"])
        link = next(href for href, text in links if facet_text(text).startswith(name + " ") and "country=" in href)
        assert text_count(links, link) == str(facet["count"])
        filtered = api(client, "/api/search?" + urlsplit(link).query)
        assert filtered["total"] == facet["count"]
        assert {d["country"] for d in filtered["results"]} == {facet["value"]}
        # the filter shows as selected and its link removes it again
        html2 = client.get(link).get_data(as_text=True)
        again = next(href for href, text in parse(html2).links if facet_text(text).startswith(name + " ") and "q=" in href)
        assert "country" not in query_of(again)


def facet_text(text: str) -> str:
    return text.lstrip("☐☑ ")


def text_count(links, href) -> str:
    text = next(text for h, text in links if h == href)
    return re.search(r"(\d+)", text.split()[-1]).group(1)


def test_filters_and_query_live_in_the_url_and_survive_a_new_search(client):
    html = client.get("/?q=право&country=int&lang=ru&sort=date").get_data(as_text=True)
    form = re.search(r'<form class="query".*?</form>', html, re.S).group(0)
    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert hidden == {"country": "int", "lang": "ru", "sort": "date"}
    res = api(client, "/api/search?q=право&country=int&lang=ru&sort=date")
    assert res["filters"]["country"] == ["int"] and res["filters"]["language"] == ["ru"]
    assert all(d["country"] == "int" and d["language"] == "ru" for d in res["results"])


def test_year_facet_and_year_range(client):
    res = api(client, "/api/search?q=право")
    year = res["facets"]["year"][0]
    filtered = api(client, f"/api/search?q=право&year_from={year['value']}&year_to={year['value']}")
    assert filtered["total"] == year["count"]
    assert all(d["date"].startswith(str(year["value"])) for d in filtered["results"])


def test_year_range_form_keeps_the_other_filters(client):
    html = client.get("/?q=право&country=kg&ui=en").get_data(as_text=True)
    form = re.search(r'<form class="years".*?</form>', html, re.S).group(0)
    assert '<input type="hidden" name="q" value="право">' in form
    assert '<input type="hidden" name="country" value="kg">' in form
    assert 'name="year_from"' in form and 'name="year_to"' in form
    res = api(client, "/api/search?q=право&country=kg&year_from=2000")
    assert res["total"] and all(int(d["date"][:4]) >= 2000 and d["country"] == "kg" for d in res["results"])
    shown_html = client.get("/?q=право&country=kg&year_from=2000").get_data(as_text=True)
    assert 'name="year_from" min="0" max="9999" inputmode="numeric" value="2000"' in shown_html


def test_long_facets_fold_into_details(client, monkeypatch):
    from search_web import ui

    monkeypatch.setattr(ui, "FACET_VALUES_SHOWN", 2)
    res = api(client, "/api/search?q=право")
    html = client.get("/?q=право&ui=en").get_data(as_text=True)
    folded = [f for f in res["facets"] if len(res["facets"][f]) > 2]  # every facet the page shows
    assert folded and html.count("<details><summary>") == len(folded)


def test_paging_walks_every_document_once(client):
    first = api(client, "/api/search?q=право&limit=2")
    assert first["total"] > 2
    seen = []
    pages = -(-first["total"] // 2)
    for n in range(1, pages + 1):
        seen += [d["doc_id"] for d in api(client, f"/api/search?q=право&limit=2&page={n}")["results"]]
    assert len(seen) == len(set(seen)) == first["total"]
    html = client.get("/?q=право&limit=2&page=2").get_data(as_text=True)
    rels = {h: t for h, t in parse(html).links if "page=" in h or "limit=2" in h}
    assert any(query_of(h).get("page") == ["3"] for h in rels)  # next
    assert 'aria-current="page"' in html


def test_sort_by_date_is_newest_first(client):
    res = api(client, "/api/search?q=право&sort=date&limit=50")
    dates = [d["date"] for d in res["results"]]
    assert dates == sorted(dates, reverse=True) and len(dates) > 2


def test_did_you_mean_offers_a_corrected_query_link(client):
    res = api(client, "/api/search?q=гражданен")  # a typo
    assert res["did_you_mean"], res
    html = client.get("/?q=гражданен").get_data(as_text=True)
    link = next(h for h, t in parse(html).links if t == res["did_you_mean"])
    assert query_of(link)["q"] == [res["did_you_mean"]]
    assert api(client, "/api/search?" + urlsplit(link).query)["total"] > 0


def test_empty_state_teaches_queries_and_syntax(client):
    html = client.get("/?ui=en").get_data(as_text=True)
    stats = api(client, "/api/stats")
    assert i18n.translate("en", "empty_intro", docs=stats["documents"], passages=stats["passages"]) in html
    links = [h for h, _ in parse(html).links if h.startswith("/?q=")]
    assert len(links) >= len(i18n.EXAMPLE_QUERIES) + len(i18n.SYNTAX_EXAMPLES)
    for example, key in i18n.SYNTAX_EXAMPLES:
        assert i18n.translate("en", key) in html and shown(example) in html


def test_no_results_page_helps(client):
    html = client.get("/?q=zzqxqzzqx&country=kg&ui=en").get_data(as_text=True)
    assert "Nothing found for “zzqxqzzqx”" in html
    assert i18n.translate("en", "no_results_help") in html
    assert i18n.translate("en", "clear_filters") in html


def test_bad_query_is_a_friendly_400(client):
    page = client.get('/?q="незакрытая+фраза&ui=en')
    assert page.status_code == 400
    html = page.get_data(as_text=True)
    assert i18n.translate("en", "query_error") in html and "Traceback" not in html
    assert 'value="&#34;незакрытая фраза"' in html, "the query stays in the box to be fixed"
    assert i18n.translate("en", "syntax_title") in html, "with the syntax help next to it"
    assert "<code>^</code>" in html  # the caret under the opening quote (position 0)
    compare = client.get('/compare?q="незакрытая+фраза&ui=en')
    assert compare.status_code == 400 and i18n.translate("en", "query_error") in compare.get_data(as_text=True)
    response = client.get('/api/search?q="незакрытая+фраза')
    assert response.status_code == 400
    err = response.get_json()["error"]
    assert err["code"] == "bad_query" and err["message"] and isinstance(err.get("position"), int)


@pytest.mark.parametrize(
    "query",
    ["page=abc", "page=0", "limit=1000", "sort=random", "year_from=20x", "year_from=2010&year_to=2000",
     "country=<script>", "q=" + "а" * 501],
)
def test_bad_parameters_are_400_with_the_parameter_named(client, query):
    if not query.startswith("q="):
        query = "q=право&" + query
    response = client.get("/api/search?" + query)
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "bad_parameter"
    page = client.get("/?" + query)
    assert page.status_code == 400 and "Traceback" not in page.get_data(as_text=True)


def test_api_search_requires_a_query(client):
    response = client.get("/api/search")
    assert response.status_code == 400
    assert response.get_json()["error"]["parameter"] == "q"


# --- CSV and Atom ------------------------------------------------------------------------


def test_every_page_names_its_json_twin(client):
    for page, twin in [
        ("/?q=право&country=kg&ui=en", "/api/search?q=%D0%BF%D1%80%D0%B0%D0%B2%D0%BE&amp;country=kg"),
        ("/compare?q=право", "/api/compare?q=%D0%BF%D1%80%D0%B0%D0%B2%D0%BE"),
        (f"/documents/{LAW_115}?part=2", f"/api/documents/{LAW_115}?part=2"),
    ]:
        html = client.get(page).get_data(as_text=True)
        assert f'<link rel="alternate" type="application/json" href="{twin}">' in html, page
        assert client.get(twin.replace("&amp;", "&")).status_code == 200


def test_csv_holds_every_matching_passage_not_one_page(client):
    res = api(client, "/api/search?q=иностранный+гражданин&limit=1")
    response = client.get("/search.csv?q=иностранный+гражданин&limit=1")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    text = response.get_data(as_text=True)
    assert text.startswith("\ufeff")
    rows = list(csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    assert len(rows) == res["total_passages"] > 10
    assert {r["doc_id"] for r in rows} == {d["doc_id"] for d in api(client, "/api/search?q=иностранный+гражданин&limit=100")["results"]}
    assert all(r["citation"] and r["label"] for r in rows)


def test_csv_respects_filters_and_defuses_formulas(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/search.csv?q=право&country=kg").get_data(as_text=True).lstrip("\ufeff"))))
    assert rows and {r["country"] for r in rows} == {"kg"}
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)" and safe_cell("-1") == "'-1" and safe_cell(2.5) == 2.5
    assert client.get("/search.csv").status_code == 400


def test_atom_feed_lists_newest_matching_documents(client):
    response = client.get("/feed.atom?q=право")
    assert response.status_code == 200 and response.mimetype == "application/atom+xml"
    ns = {"a": "http://www.w3.org/2005/Atom"}
    feed = ET.fromstring(response.data)
    entries = feed.findall("a:entry", ns)
    res = api(client, "/api/search?q=право&sort=date&limit=20")
    assert [e.find("a:title", ns).text for e in entries] == [d["title"] for d in res["results"]]
    updated = [e.find("a:updated", ns).text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert all(e.find("a:link", ns).get("href").startswith("http://localhost/documents/") for e in entries)
    html = client.get("/?q=право").get_data(as_text=True)
    assert 'type="application/atom+xml"' in html


# --- document page -----------------------------------------------------------------------


def test_document_page_shows_metadata_contents_text_and_citations(client):
    doc = api(client, f"/api/documents/{LAW_115}")
    html = client.get(f"/documents/{LAW_115}?ui=ru").get_data(as_text=True)
    assert f">{shown(doc['title'])}</h1>" in html
    assert shown(doc["source"]) in html and shown(doc["number"]) in html
    assert "25.07.2002" in html  # the date as Russians write it
    assert f'value="{shown(doc["passages"][0]["citation"])}"' in html
    labels_shown = re.findall(r'<li><a href="#p-[^"]+">([^<]+)</a>', html)
    assert labels_shown and all(lbl in {p["label"] for p in doc["passages"]} | {"Положение"} for lbl in labels_shown)


def test_document_text_is_cut_into_parts_that_cover_every_passage(client):
    doc = api(client, "/api/documents/kg-trudovoy-kodeks-kr")
    html = client.get("/documents/kg-trudovoy-kodeks-kr").get_data(as_text=True)
    last = int(re.search(r"<span>[^<]* / (\d+)</span>", html).group(1))  # the pager: part 1 / N
    assert last > 1
    seen, pieces = [], []
    for n in range(1, last + 1):
        page = client.get(f"/documents/kg-trudovoy-kodeks-kr?part={n}")
        body = page.get_data(as_text=True)
        assert len(page.data) < PAGE_BUDGET, (n, len(page.data))
        seen += re.findall(r'<section class="provision[^"]*" id="([^"]+)"', body)
        pieces += re.findall(r'id="(p-[^"]+)"', body)
    from search_web.document_view import anchor, blocks

    assert doc["parts"] and len(doc["parts"]) == last, "the API names the page's parts"
    every = [p for n in range(1, last + 1) for p in api(client, f"/api/documents/kg-trudovoy-kodeks-kr?part={n}")["passages"]]
    assert len(every) == doc["passages_total"]
    assert seen == [b.anchor for b in blocks(every)], "whole articles, in reading order"
    assert any(a.startswith("art-") for a in seen)
    assert set(pieces) | set(seen) >= {anchor(p["passage_id"]) for p in every}, "old anchors land"


def test_document_with_query_marks_words_and_finds_every_hit(client):
    q = "юридическое лицо"
    hits = api(client, f"/api/documents/{PDF_DOC}/find?q={q}")
    assert hits["total"] > 5
    html = client.get(f"/documents/{PDF_DOC}?q={q}").get_data(as_text=True)
    assert "<mark>" in html
    listed = re.findall(r'<ol class="finds"[^>]*>(.*?)</ol>', html, re.S)[0]
    shown = len(re.findall(r"<li>", listed))
    assert shown == min(hits["total"], 20)
    # the first hit links to the part and anchor of its provision, which is on that page
    href = re.search(r'<ol class="finds"[^>]*>\s*<li><a href="([^"]+)"', html).group(1).replace("&amp;", "&")
    target = client.get(href.split("#")[0]).get_data(as_text=True)
    assert f'id="{href.split("#")[1]}"' in target
    assert len(client.get(f"/documents/{PDF_DOC}?q={q}").data) < PAGE_BUDGET


def test_search_result_link_opens_the_part_holding_the_passage(client):
    res = api(client, "/api/search?q=юридическое+лицо&country=kg&type=code")
    pdf = next(d for d in res["results"] if d["doc_id"] == PDF_DOC)
    passage = pdf["passages"][:3][-1]
    html = client.get("/?q=юридическое+лицо&country=kg&type=code").get_data(as_text=True)
    address = f"/art-{passage['article']}" if passage["article"] else passage["passage_id"]
    href = next(h for h, _ in parse(html).links if address in h.replace("%2F", "/"))
    path, fragment = href.split("#")
    page = client.get(path).get_data(as_text=True)
    assert f'id="{fragment}"' in page
    assert f'href="/documents/{PDF_DOC}/file#page={passage["pages"][0]}"' in page


def test_pdf_document_marks_pages_and_opens_original_at_page(client):
    html = client.get(f"/documents/{PDF_DOC}?part=1").get_data(as_text=True)
    markers = re.findall(r'<p class="pagebreak"><a href="/documents/' + PDF_DOC + r'/file#page=(\d+)">', html)
    assert len(markers) >= 2 and [int(m) for m in markers] == sorted(int(m) for m in markers)
    original = client.get(f"/documents/{PDF_DOC}/file")
    assert original.status_code == 200 and original.mimetype == "application/pdf"
    assert original.data.startswith(b"%PDF")
    assert "frame-ancestors 'none'" in original.headers["Content-Security-Policy"]


def test_translations_link_the_same_act_in_other_languages(client):
    ky = api(client, f"/api/documents/{UDHR_KY}")
    assert UDHR_RU in [t["doc_id"] for t in ky["translations"]]
    html = client.get(f"/documents/{UDHR_KY}").get_data(as_text=True)
    assert f'href="/documents/{UDHR_RU}" hreflang="ru"' in html
    html_ru = client.get(f"/documents/{UDHR_RU}").get_data(as_text=True)
    assert f'href="/documents/{UDHR_KY}" hreflang="ky"' in html_ru


@pytest.mark.parametrize(
    "path", ["/documents/nope", "/documents/..%2F..%2Fetc%2Fpasswd", "/documents/%2Fetc%2Fpasswd/file", "/documents/nope/file"]
)
def test_documents_are_served_by_id_only(client, path):
    page = client.get(path)
    assert page.status_code == 404
    assert "root:" not in page.get_data(as_text=True)
    assert client.get("/api" + path).status_code == 404


def test_back_link_returns_to_the_search_with_its_filters(client):
    url = f"/documents/{LAW_115}?q=право"
    ours = client.get(url, headers={"Referer": "http://localhost/?q=право&country=ru&page=2"}).get_data(as_text=True)
    assert '<p class="back"><a href="/?q=право&amp;country=ru&amp;page=2">' in ours
    theirs = client.get(url, headers={"Referer": "http://evil.example/?q=x"}).get_data(as_text=True)
    assert '<p class="back"><a href="/?q=%D0%BF%D1%80%D0%B0%D0%B2%D0%BE">' in theirs
    assert "evil" not in theirs


def test_a_scan_without_text_says_so_and_links_the_original(client):
    scan = doc_id_for(SCAN_RELPATH)
    doc = api(client, f"/api/documents/{scan}")
    assert doc["passages"] == []
    html = client.get(f"/documents/{scan}?q=право&ui=en").get_data(as_text=True)
    assert i18n.translate("en", "no_text") in html
    assert f'href="/documents/{scan}/file"' in html


def test_only_web_sources_become_links():
    from search_web.ui import is_url

    assert is_url("https://pravo.gov.ru/x") and is_url("http://cbd.minjust.gov.kg/act/1")
    assert not is_url("javascript:alert(1)") and not is_url(HOSTILE_SOURCE) and not is_url("/etc/passwd")


def test_text_originals_are_plain_text_in_a_sandbox(client, hostile):
    original = client.get(f"/documents/{hostile}/file")
    assert original.mimetype == "text/plain"
    assert original.headers["Content-Security-Policy"].startswith("sandbox")


# --- compare -------------------------------------------------------------------------------


def test_compare_page_has_one_column_per_country(client):
    res = api(client, "/api/compare?q=право&per_country=3")
    assert len(res["columns"]) >= 2
    html = client.get("/compare?q=право&ui=en").get_data(as_text=True)
    columns = re.findall(r'<section class="column"[^>]*>\s*<h2[^>]*>([^<]+)<', html)
    assert [c.strip() for c in columns] == [i18n.value_name("en", "country", c["country"]) for c in res["columns"]]
    for col in res["columns"]:
        assert all(d["country"] == col["country"] for d in col["results"])


def test_compare_chosen_countries_only(client):
    res = api(client, "/api/compare?q=право&country=kg&country=int")
    assert [c["country"] for c in res["columns"]] == ["kg", "int"]
    html = client.get("/compare?q=право&country=kg").get_data(as_text=True)
    assert len(re.findall(r'<section class="column"', html)) == 1
    assert 'value="kg" checked' in html


def test_compare_empty_form(client):
    html = client.get("/compare?ui=en").get_data(as_text=True)
    assert shown(i18n.translate("en", "compare_intro")) in html and 'name="country"' in html


# --- languages of the interface ----------------------------------------------------------


def test_every_label_is_translated():
    assert i18n.missing_keys() == {}
    for lang in i18n.LANGUAGES:
        for key, text in i18n.CATALOGUE[lang].items():
            assert text.strip(), (lang, key)
            if lang != "en" and key not in ("nav_api",):
                assert text != i18n.CATALOGUE["en"][key], (lang, key)


@pytest.mark.parametrize(
    ("header", "lang"), [("ky-KG,ky;q=0.9,ru;q=0.8", "ky"), ("en-US,en;q=0.9", "en"), ("ru-RU", "ru"), ("de-DE", "ru")]
)
def test_language_from_accept_language(client, header, lang):
    html = client.get("/", headers={"Accept-Language": header}).get_data(as_text=True)
    assert f'<html lang="{lang}">' in html
    assert i18n.translate(lang, "syntax_title") in html


def test_language_switch_is_remembered_in_a_cookie(client):
    page = client.get("/?ui=ky", headers={"Accept-Language": "en"})
    assert "ui=ky" in page.headers["Set-Cookie"]
    html = client.get("/compare", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert '<html lang="ky">' in html and i18n.translate("ky", "compare_intro") in html
    switch = parse(html).links
    assert any(h.endswith("ui=en") for h, _ in switch)


def test_kyrgyz_page_has_no_english_labels(client):
    html = client.get("/?q=право&ui=ky").get_data(as_text=True)
    for key in ("filters", "facet_country", "sort_label", "download_csv", "skip_to_content"):
        assert i18n.translate("ky", key) in html
        assert i18n.translate("en", key) not in html


# --- escaping, headers, errors -------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/?q=трудовой+мигрант", "/documents/{hostile}", "/documents/{hostile}?q=мигрант",
     "/compare?q=трудовой+мигрант", "/?q=мигрант&sort=date"],
)
def test_markup_in_documents_is_shown_as_text(client, hostile, url):
    url = url.format(hostile=hostile)
    html = client.get(url).get_data(as_text=True)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html, url
    assert "<script>alert" not in html and "<b>" not in html and "<img" not in html
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == ['<script src="/static/app.js" defer>']


def test_hostile_title_in_feed_and_csv(client, hostile):
    feed = client.get("/feed.atom?q=трудовой+мигрант").data
    titles = [e.text for e in ET.fromstring(feed).iter("{http://www.w3.org/2005/Atom}title")]
    assert HOSTILE_TITLE in titles and b"<script>" not in feed
    doc = api(client, f"/api/documents/{hostile}")
    assert doc["title"] == HOSTILE_TITLE and doc["source"] == HOSTILE_SOURCE


@pytest.mark.parametrize("url", ["/", "/?q=право", "/api/search?q=право", "/documents/nope", "/api/nope", f"/documents/{PDF_DOC}/file"])
def test_security_headers_everywhere(client, url):
    headers = client.get(url).headers
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"


def test_page_csp_allows_only_our_own_assets(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'none'" in csp and "script-src 'self'" in csp and "unsafe" not in csp


def test_errors_never_show_a_stack_trace(web_index):
    app = create_app(web_index)

    @app.get("/boom-for-test")
    def boom():
        raise RuntimeError("secret internals")

    @app.get("/api/boom-for-test")
    def api_boom():
        raise RuntimeError("secret internals")

    client = app.test_client()
    page = client.get("/boom-for-test?ui=en")
    assert page.status_code == 500
    body = page.get_data(as_text=True)
    assert "secret internals" not in body and "Traceback" not in body
    assert i18n.translate("en", "error_500") in body
    response = client.get("/api/boom-for-test")
    assert response.status_code == 500 and response.get_json()["error"]["code"] == "internal_error"
    assert "secret" not in response.get_data(as_text=True)


def test_not_found_and_method_not_allowed(client):
    assert client.get("/no/such/page").status_code == 404
    response = client.get("/api/no/such")
    assert response.status_code == 404 and response.get_json()["error"]["status"] == 404
    assert client.post("/api/search?q=x").status_code == 405
    assert client.post("/api/search?q=x").get_json()["error"]["status"] == 405


# --- weight, compression, accessibility ----------------------------------------------------


@pytest.mark.parametrize(
    "url",
    ["/", "/?q=право&limit=50", "/?q=юридическое+лицо", "/compare?q=право", f"/documents/{PDF_DOC}",
     f"/documents/{PDF_DOC}?q=право", f"/documents/{LAW_115}?q=иностранный+гражданин", "/documents/kg-trudovoy-kodeks-kr?q=работник"],
)
def test_pages_stay_under_100_kb(client, url):
    page = client.get(url)
    assert page.status_code == 200
    assert len(page.data) < PAGE_BUDGET, (url, len(page.data))


def test_text_is_gzipped_for_clients_that_accept_it(client):
    plain = client.get("/documents/kg-trudovoy-kodeks-kr").data
    packed = client.get("/documents/kg-trudovoy-kodeks-kr", headers={"Accept-Encoding": "gzip, deflate"})
    assert packed.headers["Content-Encoding"] == "gzip" and "Accept-Encoding" in packed.headers["Vary"]
    assert gzip.decompress(packed.data) == plain and len(packed.data) < len(plain) / 3
    assert "Content-Encoding" not in client.get("/documents/kg-trudovoy-kodeks-kr").headers


@pytest.mark.parametrize("url", ["/", "/?q=право", f"/documents/{PDF_DOC}?q=право", "/compare?q=право", "/documents/nope"])
def test_pages_have_landmarks_and_labelled_controls(client, url):
    html = client.get(url).get_data(as_text=True)
    parsed = parse(html)
    for landmark in ("header", "nav", "main", "footer"):
        assert landmark in parsed.tags, (url, landmark)
    assert html.count("<main") == 1 and html.count("<h1") == 1
    for control in parsed.inputs:
        assert control.get("id") in parsed.label_for or control["_in_label"] or control.get("aria-label"), (url, control)
    assert '<a class="skip" href="#main">' in html


def _luminance(hex_color: str) -> float:
    channels = [int(hex_color[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_stylesheet_colours_meet_wcag_aa_contrast(client):
    css = client.get("/static/style.css").get_data(as_text=True)
    colours = dict(re.findall(r"--(\w+):\s*(#[0-9a-fA-F]{6})", css))
    pairs = [("fg", "bg"), ("muted", "bg"), ("link", "bg"), ("muted", "soft"), ("link", "soft"), ("fg", "mark")]
    for fg, bg in pairs:
        assert contrast(colours[fg], colours[bg]) >= 4.5, (fg, bg)
    assert contrast("#ffffff", colours["accent"]) >= 4.5  # header text and buttons


def test_an_article_address_opens_the_whole_article_in_its_part(client):
    """/documents/<id>/art-13.3 survives a re-index: the part holding it, the article one block."""
    twin = api(client, f"/api/documents/{LAW_115}/art-13.3")
    assert twin["article"] == "13.3" and len(twin["passages"]) > 1, "a long article, all its pieces"
    assert {p["article"] for p in twin["passages"]} == {"13.3"}
    assert [p["kind"] for p in twin["passages"]][1:] == ["article-chunk"] * (len(twin["passages"]) - 1)
    page = client.get(f"/documents/{LAW_115}/art-13.3")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and len(page.data) < PAGE_BUDGET
    sections = re.findall(r'<section class="provision[^"]*" id="art-13\.3">(.*?)</section>', html, re.S)
    assert len(sections) == 1 and sections[0].count("<h3>") == 1, "one article, its heading once"
    shown = " ".join(unescape(re.sub(r"<[^>]+>", " ", sections[0])).split())  # the reading view reflows lines
    for p in twin["passages"]:
        assert " ".join(p["text"][-40:].split()) in shown
    old = client.get(f"/documents/{LAW_115}?passage={twin['passages'][2]['passage_id']}").get_data(as_text=True)
    assert 'id="art-13.3"' in old, "?passage= links still open the part"
    assert client.get(f"/documents/{LAW_115}/art-999.9").status_code == 404
    assert client.get(f"/api/documents/{LAW_115}/art-x1").status_code == 404


def test_search_results_link_to_the_article_address(client):
    html = client.get("/?q=115-ФЗ+статья+13.3").get_data(as_text=True)
    assert f'href="/documents/{LAW_115}/art-13.3?q=' in html


def test_parts_and_points_of_an_article_have_anchors(client):
    """`ч. 12 ст. 13.3` can land on its part: numbered parts and points are anchored, once each."""
    html = client.get(f"/documents/{LAW_115}/art-13.3").get_data(as_text=True)
    article = re.search(r'<section class="provision[^"]*" id="art-13\.3">(.*?)</section>', html, re.S).group(1)
    assert 'id="art-13.3-part-3"></span>3. Отказ в приеме' in article
    assert 'id="art-13.3-part-12"></span>12. Срок рассмотрения' in article
    assert re.search(r'id="art-13\.3-part-\d+-point-3"></span>3\) миграционную карту', article)
    ids = re.findall(r'id="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "every anchor once"


def test_the_contents_follow_the_structure_and_link_to_article_addresses(client):
    """Divisions fold (<details>), the one shown is open with its articles' headings, the others
    name their first and last provision (a code's 1,200 article links were half its page), and
    every link of the contents opens a page holding its target; each article has its breadcrumb."""
    for path in (f"/documents/{LAW_115}", f"/documents/{LAW_115}/art-13.3"):
        html = client.get(path).get_data(as_text=True)
        toc = re.search(r'<nav class="contents"[^>]*>(.*?)</nav>', html, re.S).group(1)
        assert "<details open><summary>" in toc and "<details><summary>" in toc
        closed = re.findall(r"<p>(.*?)</p>", toc, re.S)
        assert closed and all(p.count("<a ") <= 2 for p in closed), "a closed division: its first and last provision"
        links = re.findall(r'href="([^"]+)"', toc)
        assert any(h.endswith("art-13.3#art-13.3") or h == "#art-13.3" for h in links)
        for href in links[:: max(1, len(links) // 8)]:
            target, fragment = urljoin(path, href).split("#")
            body = client.get(target).get_data(as_text=True) if target != path else html
            assert f'id="{fragment}"' in body, (path, href)
    assert '<p class="crumbs">Глава' in html


def test_references_inside_the_text_link_and_articles_show_what_cites_them(client):
    """115-ФЗ: art. 13.3 is cited by art. 5 of the same law; its text links the articles it names."""
    html = client.get(f"/documents/{LAW_115}/art-13.3").get_data(as_text=True)
    article = re.search(r'<section class="provision[^"]*" id="art-13\.3">(.*?)</section>', html, re.S).group(1)
    cited = re.search(r'<p class="cited">(.*?)</p>', article, re.S).group(1)
    assert re.search(r'href="[^"]*art-5#art-5">Статья 5<', cited)
    links = re.findall(r'<a href="([^"]+)">(?:со|с|в)?(стать\w*\s*[\d.]+)</a>\s*настоящ', unescape(article))
    assert links, "the articles 13.3 names are links"
    for href, words in links[:5]:
        target, fragment = urljoin(f"/documents/{LAW_115}/art-13.3", href).split("#")
        assert fragment == "art-" + re.search(r"[\d.]+$", words).group(0)
        assert f'id="{fragment}"' in client.get(target).get_data(as_text=True)


def test_a_reference_to_a_part_links_to_that_part(client):
    """`ч. 12 ст. 13.3 115-ФЗ`: the result opens the article at its part 12, which has the anchor."""
    html = client.get("/?q=ч.+12+ст.+13.3+115-ФЗ").get_data(as_text=True)
    href = re.search(rf'href="(/documents/{LAW_115}/art-13\.3[^"]*)"', html).group(1).replace("&amp;", "&")
    path, fragment = href.split("#")
    assert fragment == "art-13.3-part-12"
    assert f'id="{fragment}"' in client.get(path).get_data(as_text=True)
