"""The web keeps finished answers per worker and reuses them only while nothing they depend on changed."""

from __future__ import annotations

import pytest

from indexer.writer import index_paths
from search_web import create_app
from search_web.response_cache import CACHE_HEADER, ResponseCache


@pytest.fixture()
def served(one_article_index, fast_refresh):
    src, ix = one_article_index
    app = create_app(ix)
    yield app, src, ix, fast_refresh
    app.extensions["migrantlex.engine"].close()


def test_the_same_request_is_answered_from_the_cache_with_the_same_body(served):
    app, *_ = served
    client = app.test_client()
    first = client.get("/api/search?q=мигрант", headers={"Accept-Encoding": "gzip"})
    second = client.get("/api/search?q=мигрант", headers={"Accept-Encoding": "gzip"})
    assert (first.headers[CACHE_HEADER], second.headers[CACHE_HEADER]) == ("miss", "hit")
    assert second.get_data() == first.get_data() and second.headers["Content-Encoding"] == "gzip"
    assert second.headers["Content-Security-Policy"] == first.headers["Content-Security-Policy"]
    assert second.headers["Content-Type"] == first.headers["Content-Type"]


def test_language_and_encoding_and_query_are_part_of_the_key(served):
    app, *_ = served
    client = app.test_client()
    ru = client.get("/?q=мигрант", headers={"Accept-Language": "ru"}).get_data(as_text=True)
    en = client.get("/?q=мигрант", headers={"Accept-Language": "en"})
    assert en.headers[CACHE_HEADER] == "miss" and en.get_data(as_text=True) != ru
    plain = client.get("/?q=мигрант", headers={"Accept-Language": "ru", "Accept-Encoding": "gzip"})
    assert plain.headers[CACHE_HEADER] == "miss"
    assert client.get("/?q=мигранты", headers={"Accept-Language": "ru"}).headers[CACHE_HEADER] == "miss"


def test_a_language_switch_is_never_kept_or_served_kept(served):
    """?ui= sets a cookie: that answer is personal, and must reach the client with its cookie."""
    app, *_ = served
    client = app.test_client()
    client.get("/?q=мигрант&ui=en")
    again = client.__class__(app).get("/?q=мигрант&ui=en")  # a new client: no cookie yet
    assert "Set-Cookie" in again.headers and again.headers.get(CACHE_HEADER) is None


def test_errors_are_not_kept(served):
    app, *_ = served
    client = app.test_client()
    for _ in range(2):
        response = client.get("/api/search?q=(((")
        assert response.status_code == 400 and CACHE_HEADER not in response.headers
        assert client.get("/documents/no-such-doc").status_code == 404


def test_a_new_index_generation_is_never_answered_from_the_old_one(served):
    app, src, ix, wait_for_refresh = served
    client = app.test_client()
    assert client.get("/api/search?q=мигрант").get_json()["total"] == 1
    assert client.get("/api/search?q=мигрант").headers[CACHE_HEADER] == "hit"
    (src / "b.txt").write_text("Статья 2. Мигрант имеет право на медицинскую помощь.", encoding="utf-8")
    index_paths([src], ix, workers=1, progress=False)
    wait_for_refresh()
    fresh = client.get("/api/search?q=мигрант")
    assert fresh.headers[CACHE_HEADER] == "miss" and fresh.get_json()["total"] == 2


def test_the_byte_budget_drops_the_least_recently_used_first():
    cache = ResponseCache(budget_bytes=10)
    cache.put(("a",), 200, [], b"12345")
    cache.put(("b",), 200, [], b"12345")
    assert cache.get(("a",)) is not None  # a is now the most recent
    cache.put(("c",), 200, [], b"12345")
    assert cache.get(("b",)) is None and cache.get(("a",)) and cache.get(("c",))
    assert cache.used_bytes == 10 and len(cache) == 2
    cache.put(("huge",), 200, [], b"x" * 11)  # larger than the whole budget: not kept
    assert cache.get(("huge",)) is None and cache.used_bytes == 10


def test_without_the_answer_cache_every_request_is_answered_anew(one_article_index):
    """serve --no-answer-cache (benchmarks of the engine itself): nothing kept, the same answers."""
    _src, ix = one_article_index
    app = create_app(ix, answer_cache=False)
    client = app.test_client()
    first, second = (client.get("/api/search?q=мигрант").get_json() for _ in range(2))
    assert first["total"] > 0 and {**first, "took_ms": 0} == {**second, "took_ms": 0}
    page = client.get("/?q=мигрант")
    assert page.status_code == 200 and CACHE_HEADER not in page.headers
    app.extensions["migrantlex.engine"].close()
