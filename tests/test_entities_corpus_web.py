"""/organisations on the whole corpus and the seeds: the organisations the seeds' press releases
and reports name are listed, each with its documents, and an organisation's English and Russian
names lead to one entity where the texts give both (the seeds' centre: TSPC / ТАЦ).

The oracle is `find_entities` on the seeds' files: every organisation the gazetteer knows that
a seed names must be listed with that seed among its documents.
"""

from __future__ import annotations

import pytest

from indexer.entities import entity_record, find_entities
from indexer.manifest import read_manifest_file
from indexer.metadata import doc_id_for
from search_web import create_app
from tests.corpus_files import SEEDS, SEEDS_MANIFEST


@pytest.fixture(scope="module")
def client(full_index):
    return create_app(full_index).test_client()


def seeds() -> list[tuple[str, str, str]]:
    """(doc_id, language, text) of each seed."""
    rows = read_manifest_file(SEEDS_MANIFEST)
    return [(doc_id_for(path), row["language"], (SEEDS / path).read_text(encoding="utf-8")) for path, row in rows.items()]


def documents_of(client, org_id: str) -> set[str]:
    """Every document an organisation's page lists, all pages walked."""
    found, page = set(), 1
    while True:
        body = client.get(f"/api/organisations/{org_id}?page={page}").get_json()
        found |= {r["doc_id"] for r in body["results"]}
        if not body["results"] or len(found) >= body["documents"]:
            return found
        page += 1


def test_the_organisations_the_seeds_name_are_listed_with_their_documents(client, corpus):
    listed = {e["id"]: e for e in client.get("/api/organisations").get_json()}
    expected: dict[str, set[str]] = {}
    for doc_id, language, text in seeds():
        for m in find_entities(text, language):
            if m.kind == "org" and entity_record(m.entity_id) is not None:
                expected.setdefault(m.entity_id.split(":", 1)[1], set()).add(doc_id)
    assert {"tspc", "auca", "osf"} <= set(expected), "the seeds name their centre, its university and its donor"
    for org_id, docs in expected.items():
        assert org_id in listed, org_id
        assert docs <= documents_of(client, org_id), org_id
    counts = [e["documents"] for e in listed.values()]
    assert list(listed) and counts == sorted(counts, reverse=True)


def test_english_and_russian_names_lead_to_one_organisation(client, corpus):
    by_english = client.get("/api/organisations", query_string={"name": "Tian Shan Policy Center"}).get_json()
    by_russian = client.get("/api/organisations", query_string={"name": "Тянь-Шаньский аналитический центр"}).get_json()
    assert [e["id"] for e in by_english][:1] == [e["id"] for e in by_russian][:1] == ["tspc"]
    docs = documents_of(client, "tspc")
    releases = {doc_id for doc_id, _language, _text in seeds()[:2]}  # the English release and its Russian version
    assert releases <= docs
    page = client.get("/organisations?ui=ru").get_data(as_text=True)
    assert 'href="/organisations/tspc"' in page and "Тянь-Шаньский аналитический центр" in page
