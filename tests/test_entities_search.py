"""Entities in search, on a real index of generated documents (tests/entity_corpus.py): what
indexing stores, the facets and filters, the entity lists and pages with their twins and CSV, and
acronyms offered as the entity they name.

The oracle is `find_entities` run on the generated files themselves: the index must say what
the extraction says, whatever the gazetteer and rules find.
"""

from __future__ import annotations

import csv
import functools
import io
import json
from collections import Counter
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator
from whoosh import index as whoosh_index
from whoosh import query as wq

from indexer.catalog import Catalog
from indexer.cli import main as cli_main
from indexer.entities import find_entities
from indexer.metadata import doc_id_for
from search_web import create_app
from tests.entity_corpus import DOCUMENTS, HOSTILE_NAME, PERSON


@pytest.fixture(scope="module")
def client(entity_index):
    app = create_app(entity_index)
    return app.test_client()


@pytest.fixture(scope="module")
def spec(client) -> dict:
    return client.get("/api/openapi.json").get_json()


def check(spec: dict, schema: dict, body) -> None:
    validator = Draft202012Validator({**schema, "components": spec["components"]})
    errors = list(validator.iter_errors(body))
    assert not errors, "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@functools.cache
def named_by_files() -> dict[str, set[str]]:
    """Entity id -> the documents whose text names it (the oracle; read once, the model is slow)."""
    out: dict[str, set[str]] = {}
    for name, title, _type, language, _date, text in DOCUMENTS:
        for m in find_entities(text, language) + find_entities(title, language, use_model=False):
            out.setdefault(m.entity_id, set()).add(doc_id_for(name))
    return out


def test_indexing_stores_each_documents_entities_and_each_passages(entity_index):
    expected = named_by_files()
    catalog = Catalog(entity_index)
    try:
        rows = catalog.entities()
    finally:
        catalog.close()
    stored: dict[str, set[str]] = {}
    for doc_id, named in rows:
        stored.setdefault(named.entity_id, set()).add(doc_id)
        assert named.mentions >= 1 and named.surfaces
    assert stored == expected
    assert {"org:iom", "org:eaeu", "place:bishkek"} <= set(stored)
    ix = whoosh_index.open_dir(str(entity_index))
    with ix.searcher() as searcher:
        for docnum in searcher.docs_for_query(wq.Term("entities", "org:iom")):
            fields = searcher.stored_fields(docnum)
            found = {m.entity_id for m in find_entities(fields["body"], "ru" if "МОМ" in fields["body"] else "en")}
            assert "org:iom" in found, fields["body"]
        iom_docs = {searcher.stored_fields(n)["doc_id"] for n in searcher.docs_for_query(wq.Term("entities", "org:iom"))}
    assert iom_docs == expected["org:iom"]


def test_organisations_are_listed_most_documents_first_with_names_in_both_languages(client, spec):
    body = client.get("/api/organisations").get_json()
    check(spec, spec["paths"]["/api/organisations"]["get"]["responses"]["200"]["content"]["application/json"]["schema"], body)
    expected = {k.split(":", 1)[1]: len(v) for k, v in named_by_files().items() if k.startswith("org:")}
    assert {e["id"]: e["documents"] for e in body} == expected
    assert [e["documents"] for e in body] == sorted((e["documents"] for e in body), reverse=True)
    iom = next(e for e in body if e["id"] == "iom")
    assert iom["kind"] == "org" and {"IOM", "МОМ"} <= set(iom["aliases"])
    assert iom["documents"] == 3, "the English release, the Russian one and the report: one entity"


@pytest.mark.parametrize("typed", ["мом", "IOM", "Migration", "организация по миграции"])
def test_the_list_keeps_the_names_containing_what_is_typed(client, typed):
    found = client.get("/api/organisations", query_string={"name": typed}).get_json()
    assert "iom" in {e["id"] for e in found}
    assert all(any(typed.casefold() in a.casefold() for a in e["aliases"]) for e in found)
    page = client.get("/organisations", query_string={"name": typed, "ui": "en"}).get_data(as_text=True)
    assert 'href="/organisations/iom"' in page


def test_people_and_places_have_lists_too(client):
    people = client.get("/api/people").get_json()
    places = client.get("/api/places").get_json()
    expected = named_by_files()
    assert {e["id"] for e in people} == {k.split(":", 1)[1] for k in expected if k.startswith("person:")}
    assert {e["id"] for e in places} == {k.split(":", 1)[1] for k in expected if k.startswith("place:")}
    assert any(PERSON.split()[0] in e["name"] for e in people)
    assert "bishkek" in {e["id"] for e in places}


def test_an_organisation_page_gives_its_documents_passages_and_years(client, spec):
    body = client.get("/api/organisations/iom").get_json()
    check(spec, {"$ref": "#/components/schemas/EntityView"}, body)
    expected = named_by_files()["org:iom"]
    assert {r["doc_id"] for r in body["results"]} == expected
    years = Counter(next(d[4][:4] for d in DOCUMENTS if doc_id_for(d[0]) == doc) for doc in expected)
    assert {str(y["year"]): y["documents"] for y in body["by_year"]} == years
    for result in body["results"]:
        assert result["passages"], result["doc_id"]
        for p in result["passages"]:
            assert "<mark>" in p["snippet"], p
    html = client.get("/organisations/iom?ui=ru").get_data(as_text=True)
    assert "Международная организация по миграции" in html
    for doc_id in expected:
        assert f"/documents/{doc_id}" in html


@pytest.mark.parametrize("url", ["/organisations/no-such-org", "/people/iom", "/places/iom", "/organisations/Bad%20Id!"])
def test_unknown_entities_are_a_404_with_a_message(client, url):
    page = client.get(url)
    assert page.status_code == 404 and page.mimetype == "text/html"
    twin = client.get("/api" + url)
    assert twin.status_code == 404 and "no " in twin.get_json()["error"]["message"]


def test_a_gazetteer_organisation_no_document_names_has_an_empty_page(client):
    body = client.get("/api/organisations/undp").get_json()
    assert body["documents"] == 0 and body["results"] == [] and "ПРООН" in body["aliases"]


def test_entity_names_from_texts_are_shown_as_text(client):
    orgs = client.get("/api/organisations").get_json()
    hostile = next(e for e in orgs if "<b>" in e["name"])
    assert hostile["name"] == HOSTILE_NAME
    for url in ("/organisations", f"/organisations/{hostile['id']}", "/?q=мигрантов"):
        html = client.get(url).get_data(as_text=True)
        assert "<b>помощи</b>" not in html and "&lt;b&gt;помощи&lt;/b&gt;" in html, url


def test_search_has_entity_facets_and_filters(client, spec):
    res = client.get("/api/search?q=мигрант OR migrants").get_json()
    check(spec, {"$ref": "#/components/schemas/SearchResponse"}, res)
    org = {f["value"]: f["count"] for f in res["facets"]["org"]}
    expected = named_by_files()
    matching = {r["doc_id"] for r in client.get("/api/search?q=мигрант OR migrants&limit=100").get_json()["results"]}
    assert org["iom"] == len(expected["org:iom"] & matching)
    assert {f["value"] for f in res["facets"]["place"]} >= {"bishkek"}
    filtered = client.get("/api/search?q=мигрант OR migrants&org=iom&limit=100").get_json()
    assert {r["doc_id"] for r in filtered["results"]} == expected["org:iom"] & matching
    assert filtered["total"] == org["iom"] and filtered["filters"]["org"] == ["iom"]
    both = client.get("/api/search?q=мигрант OR migrants&org=iom&place=bishkek&limit=100").get_json()
    assert {r["doc_id"] for r in both["results"]} == expected["org:iom"] & expected["place:bishkek"] & matching
    page = client.get("/?q=мигрант OR migrants&ui=en").get_data(as_text=True)
    assert "org=iom" in page and "Organisations" in page


def test_a_bad_entity_filter_is_a_400(client):
    res = client.get("/api/search?q=мигрант&org=<script>")
    assert res.status_code == 400 and res.get_json()["error"]["parameter"] == "org"


def test_the_cli_filters_by_entity(entity_index, capsys):
    assert cli_main(["search", "мигрант OR migrants", "--index-dir", str(entity_index), "--org", "eaeu", "--json"]) == 0
    res = json.loads(capsys.readouterr().out)
    assert {r["doc_id"] for r in res["results"]} <= named_by_files()["org:eaeu"] and res["results"]


@pytest.mark.parametrize("typed, entity", [("МОМ", "iom"), ("ЕАЭС", "eaeu"), ("IOM", "iom"), ("EAEU", "eaeu")])
def test_an_acronym_is_offered_as_its_entity_not_corrected(client, typed, entity):
    res = client.get("/api/search", query_string={"q": typed}).get_json()
    assert [e["id"] for e in res["entities"]][:1] == [entity]
    assert res["did_you_mean"] is None
    offer = res["entities"][0]
    assert offer["page"] and offer["search"].startswith('"')
    full = client.get("/api/search", query_string={"q": offer["search"]}).get_json()
    assert full["total"] >= 1, offer
    html = client.get("/", query_string={"q": typed, "ui": "en"}).get_data(as_text=True)
    assert f'href="/organisations/{entity}"' in html


def test_a_word_that_names_no_entity_offers_none(client):
    assert client.get("/api/search?q=мигрант").get_json()["entities"] == []
    assert client.get("/api/search?q=мом").get_json()["entities"] == [], "a lowercase short word is no acronym"


def test_lists_download_as_csv(client):
    response = client.get("/organisations.csv")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert [r["id"] for r in rows] == [e["id"] for e in client.get("/api/organisations").get_json()]
    iom = next(r for r in rows if r["id"] == "iom")
    assert "МОМ" in iom["aliases"] and iom["url"].endswith("/organisations/iom")
    assert client.get("/people.csv").status_code == client.get("/places.csv").status_code == 200


def test_every_entity_twin_is_described(spec):
    paths = set(spec["paths"])
    assert {"/api/organisations", "/api/organisations/{org_id}", "/api/people", "/api/people/{person_id}",
            "/api/places", "/api/places/{place_id}"} <= paths  # fmt: skip


def test_a_removed_document_leaves_the_entity_lists(tmp_path):
    from indexer.writer import index_paths
    from tests.entity_corpus import write_documents

    folder = write_documents(tmp_path / "docs")
    index_dir = tmp_path / "ix"
    index_paths([folder], index_dir, workers=1, progress=False)
    Path(folder / "ngo-ru-2014.txt").unlink()
    index_paths([folder], index_dir, workers=1, progress=False)
    catalog = Catalog(index_dir)
    try:
        docs = {doc_id for doc_id, _ in catalog.entities()}
    finally:
        catalog.close()
    assert doc_id_for("ngo-ru-2014.txt") not in docs and docs
