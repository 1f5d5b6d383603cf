"""Every registered view: its page, its JSON twin, the link between them and their description.

The views are read from the registry (search_web.views.VIEWS), so a page added tomorrow is
checked here without a line of this file changing, unless it takes a URL argument of a new kind.
"""

from __future__ import annotations

import re
from types import SimpleNamespace
from urllib.parse import urlencode

import pytest

from search_web import api, create_app, ui  # noqa: F401  (importing api and ui registers the views)
from search_web.openapi import Operation, openapi_document
from search_web.views import VIEWS

LAW_115 = "ru-115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan"
URL_ARGS = {  # a real value for each kind of argument in a view's URL rule
    "doc_id": LAW_115, "article": "13.3", "concept_id": "labour-migrant",
    "org_id": "ilo", "person_id": "aigul-asanov", "place_id": "ru",  # named by the ILO convention, the NGO release, 115-ФЗ
}  # fmt: skip
QUERY = "иностранный гражданин"
TWIN_RE = re.compile(r'<link rel="alternate" type="application/json" href="([^"]+)">')
PAGES = sorted(name for name, v in VIEWS.items() if v.page)


@pytest.fixture(scope="module")
def app(web_index):
    app = create_app(web_index)
    app.config["TESTING"] = False  # the real error handlers
    return app


@pytest.fixture()
def client(app):
    return app.test_client()


def url(app, endpoint: str, **query: str) -> str:
    rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
    missing = rule.arguments - URL_ARGS.keys()
    assert not missing, f"{endpoint}: add a sample value for {missing} to URL_ARGS"
    with app.test_request_context():
        from flask import url_for

        base = url_for(endpoint, **{k: URL_ARGS[k] for k in rule.arguments})
    return base + ("?" + urlencode(query) if query else "")


def doc_ids(data: object) -> set[str]:
    """Every document id anywhere in a JSON body."""
    if isinstance(data, dict):
        found = {data["doc_id"]} if isinstance(data.get("doc_id"), str) else set()
        return found.union(*(doc_ids(v) for v in data.values()))
    if isinstance(data, list):
        return set().union(*(doc_ids(v) for v in data))
    return set()


def test_the_registry_holds_the_pages_of_the_design():
    assert {"search", "document", "compare"} <= set(PAGES)
    assert {VIEWS[p].page for p in ("search", "document", "compare")} == {"/", "/documents/<doc_id>", "/compare"}


@pytest.mark.parametrize("name", PAGES)
def test_every_page_links_to_a_working_json_twin(app, client, name):
    page = client.get(url(app, f"ui.{name}", q=QUERY, ui="en"))
    assert page.status_code == 200 and page.mimetype == "text/html"
    links = TWIN_RE.findall(page.get_data(as_text=True))
    assert len(links) == 1, "exactly one JSON twin named in the page's head"
    twin_url = links[0].replace("&amp;", "&")
    assert twin_url.split("?")[0] == url(app, f"api.{name}")
    assert "ui=" not in twin_url, "the interface language is not part of the data"
    twin = client.get(twin_url)
    assert twin.status_code == 200, twin.get_data(as_text=True)
    assert twin.mimetype == "application/json"
    body = twin.get_json()
    assert body, "the twin answers with data"
    html = page.get_data(as_text=True)
    for doc_id in doc_ids(body):  # the page shows what its twin says
        assert doc_id in html, (name, doc_id)


@pytest.mark.parametrize("name", [n for n in PAGES if VIEWS[n].needs_query])
def test_a_page_without_a_query_is_its_form_and_its_twin_asks_for_one(app, client, name):
    page = client.get(url(app, f"ui.{name}"))
    assert page.status_code == 200 and not TWIN_RE.search(page.get_data(as_text=True))
    twin = client.get(url(app, f"api.{name}"))
    assert twin.status_code == 400 and twin.get_json()["error"]["parameter"] == "q"


@pytest.mark.parametrize("name", sorted(VIEWS))
def test_every_view_answers_json(app, client, name):
    response = client.get(url(app, f"api.{name}", q=QUERY))
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    assert response.headers["Access-Control-Allow-Origin"] == "*"


@pytest.mark.parametrize("name", [n for n in PAGES if VIEWS[n].needs_query])
def test_a_bad_query_is_a_400_on_the_page_and_its_twin(app, client, name):
    page = client.get(url(app, f"ui.{name}", q='"незакрытая фраза', ui="en"))
    assert page.status_code == 400 and page.mimetype == "text/html"
    assert 'value="&#34;незакрытая фраза"' in page.get_data(as_text=True), "the query stays in the box"
    twin = client.get(url(app, f"api.{name}", q='"незакрытая фраза'))
    assert twin.status_code == 400 and twin.get_json()["error"]["code"] == "bad_query"


def test_the_description_names_every_twin_and_nothing_else(client):
    spec = client.get("/api/openapi.json").get_json()
    described = {op["operationId"] for item in spec["paths"].values() for op in item.values()}
    assert len(described) == len(VIEWS) == len(spec["paths"])
    for path, item in spec["paths"].items():
        rule = re.sub(r"\{(\w+)\}", r"<\1>", path.removeprefix("/api"))
        assert any(v.api == rule for v in VIEWS.values()), path
        for name, value in URL_ARGS.items():
            path = path.replace("{" + name + "}", value)
        query = "?q=право" if any(p["name"] == "q" and p["required"] for p in item["get"]["parameters"]) else ""
        assert client.get(path + query).status_code == 200, path


def test_the_site_navigation_lists_the_views_with_a_label(app, client):
    html = client.get("/?ui=en").get_data(as_text=True)
    nav = re.search(r'<nav aria-label="[^"]*" class="sitenav">(.*?)</nav>', html, re.S).group(1)
    hrefs = re.findall(r'href="([^"]+)"', nav)
    expected = [url(app, v.endpoint) for v in VIEWS.values() if v.nav]
    assert hrefs[: len(expected)] == expected and hrefs[len(expected):] == ["/api/openapi.json"]
    assert 'aria-current="page"' in nav.split("</a>")[0], "the current page is marked"


def test_compare_page_and_twin_hold_the_same_columns(client):
    """One view, one default: the page and its twin list the same documents per country."""
    page = client.get("/compare?q=право").get_data(as_text=True)
    twin = client.get("/api/compare?q=право").get_json()
    assert twin["columns"]
    shown = len(re.findall(r'<article class="hit">', page))
    assert shown == sum(len(c["results"]) for c in twin["columns"])
    assert client.get("/compare?q=право&per_country=99").status_code == 400


def test_a_view_may_describe_its_twin_with_its_own_schema():
    """A schema written beside a view is published under the view's name and referenced."""
    glossary = {"type": "object", "properties": {"terms": {"type": "array"}}}
    view = SimpleNamespace(name="term_list", api="/terms/<lang>", operation=Operation("Terms", glossary))
    spec = openapi_document("", [*VIEWS.values(), view])
    assert spec["components"]["schemas"]["TermList"] == glossary
    ok = spec["paths"]["/api/terms/{lang}"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/TermList"}
    assert spec["paths"]["/api/search"]["get"]["operationId"] == "search"
