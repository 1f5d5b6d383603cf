"""Every JSON API response, over many real queries, validates against /api/openapi.json."""

from __future__ import annotations

import random
import re

import pytest
from jsonschema import Draft202012Validator

from search_web import create_app

SYNTAX = ['"{a} {b}"', "{a} OR {b}", "{a} NOT {b}", "{a} -{b}", '"{a} {b}"~5', "={a}", "title:{a}", "heading:{a}", "{a3}*"]


@pytest.fixture(scope="module")
def client(web_index):
    return create_app(web_index).test_client()


@pytest.fixture(scope="module")
def spec(client) -> dict:
    response = client.get("/api/openapi.json")
    assert response.status_code == 200
    return response.get_json()


def validator(spec: dict, name: str) -> Draft202012Validator:
    return Draft202012Validator({"$ref": f"#/components/schemas/{name}", "components": spec["components"]})


def check(spec: dict, name: str, body: dict) -> None:
    errors = sorted(validator(spec, name).iter_errors(body), key=lambda e: list(e.path))
    assert not errors, f"{name}: " + "; ".join(f"{list(e.path)}: {e.message}" for e in errors[:5])


@pytest.fixture(scope="module")
def real_queries(client) -> list[str]:
    """Words and phrases taken from the indexed documents' own provisions, plus syntax variants."""
    rng = random.Random(7)
    stats = client.get("/api/stats").get_json()
    assert stats["documents"] >= 5
    words: list[str] = []
    ids = [d["doc_id"] for d in client.get("/api/search?q=право OR right OR укук&limit=50").get_json()["results"]]
    for doc_id in ids:
        doc = client.get(f"/api/documents/{doc_id}").get_json()
        for p in rng.sample(doc["passages"], min(6, len(doc["passages"]))):
            words += [w for w in re.findall(r"[^\W\d_]{5,}", p["text"])][:3]
    rng.shuffle(words)
    queries = words[:40]
    for template in SYNTAX:
        a, b = rng.sample(words, 2)
        queries.append(template.format(a=a, b=b, a3=a[:4]))
    queries += ["115-ФЗ статья 13.3", "ст. 5", "article 6", "гражданен", "zzqxqzzqx"]
    return queries


def test_the_description_is_well_formed(spec):
    assert spec["openapi"].startswith("3.1")
    for schema in spec["components"]["schemas"].values():
        Draft202012Validator.check_schema(schema)
    for path, item in spec["paths"].items():
        for op in item.values():
            for status, response in op["responses"].items():
                ref = response["content"]["application/json"]["schema"]["$ref"]
                assert ref.split("/")[-1] in spec["components"]["schemas"], (path, status)


def test_search_responses_validate(client, spec, real_queries):
    found = 0
    for i, q in enumerate(real_queries):
        extra = ["", "&sort=date", "&page=2&limit=3", "&country=kg", "&lang=ru&year_from=1990", "&snippets=0"][i % 6]
        response = client.get(f"/api/search?q={q}{extra}")
        assert response.status_code in (200, 400), (q, response.status_code)
        if response.status_code == 400:
            check(spec, "Error", response.get_json())
            continue
        body = response.get_json()
        check(spec, "SearchResponse", body)
        found += bool(body["results"])
    assert found >= len(real_queries) // 2


def test_document_and_find_responses_validate(client, spec, real_queries):
    ids = [d["doc_id"] for d in client.get("/api/search?q=право OR right OR укук&limit=50").get_json()["results"]]
    assert len(ids) >= 4
    ok = 0
    for doc_id, q in zip(ids, real_queries, strict=False):
        check(spec, "DocumentPart", client.get(f"/api/documents/{doc_id}").get_json())
        check(spec, "DocumentPart", client.get(f"/api/documents/{doc_id}?part=2").get_json())
        for url, schema in ((f"/api/documents/{doc_id}?q={q}", "DocumentPart"), (f"/api/documents/{doc_id}/find?q={q}", "FindResponse")):
            response = client.get(url)
            assert response.status_code in (200, 400), url
            check(spec, schema if response.status_code == 200 else "Error", response.get_json())
            ok += response.status_code == 200
    assert ok >= len(ids)


def test_compare_and_stats_validate(client, spec, real_queries):
    for q in real_queries[:12]:
        response = client.get(f"/api/compare?q={q}&per_country=2")
        check(spec, "CompareResponse" if response.status_code == 200 else "Error", response.get_json())
    check(spec, "Stats", client.get("/api/stats").get_json())


@pytest.mark.parametrize(
    ("url", "status"),
    [("/api/search", 400), ("/api/search?q=%22open", 400), ("/api/search?q=x&page=-1", 400),
     ("/api/documents/nope", 404), ("/api/documents/nope/find?q=x", 404), ("/api/compare?q=x&per_country=99", 400),
     ("/api/nothing-here", 404)],
)
def test_errors_validate(client, spec, url, status):
    response = client.get(url)
    assert response.status_code == status
    check(spec, "Error", response.get_json())


def test_schemas_are_strict_enough_to_catch_drift(spec):
    """A response with a key the description does not know, or a wrong type, fails validation."""
    good = {"doc_id": "a", "query": "q", "total": 0, "hits": []}
    assert validator(spec, "FindResponse").is_valid(good)
    assert not validator(spec, "FindResponse").is_valid(good | {"surprise": 1})
    assert not validator(spec, "FindResponse").is_valid(good | {"total": "0"})
