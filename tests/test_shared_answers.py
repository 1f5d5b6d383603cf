"""A server's workers share the answers they keep, and never share one across index states."""

from __future__ import annotations

import os
import signal
import subprocess
import urllib.request

import pytest

from indexer.catalog import Catalog
from indexer.search import SearchEngine
from indexer.writer import index_paths
from search_web import create_app, response_cache
from search_web.response_cache import CACHE_HEADER
from search_web.shared_answers import SharedAnswers
from tests.test_web_serve import CLI, ROOT, free_port, wait_until_up

ARTICLES = [f"Статья {n}. Трудящийся-мигрант вправе работать по найму, пункт {n}." for n in range(1, 40)]


def build_index(folder):
    src, ix = folder / "src", folder / "ix"
    src.mkdir()
    (src / "a.txt").write_text("\n\n".join(ARTICLES), encoding="utf-8")
    index_paths([src], ix, workers=1, progress=False)
    return src, ix


@pytest.fixture(scope="module")
def index(tmp_path_factory):
    """One index for the tests that only read it."""
    return build_index(tmp_path_factory.mktemp("shared"))


def two_apps(ix, shared):
    """Two apps over one index and one answers file: two workers of one server."""
    return [create_app(ix, shared_answers=shared) for _ in range(2)]


@pytest.fixture()
def two_workers(index, tmp_path):
    apps = two_apps(index[1], tmp_path / "answers.sqlite")
    yield apps
    for app in apps:
        app.extensions["migrantlex.engine"].close()


def test_an_answer_one_worker_found_is_a_hit_for_the_other_with_the_same_bytes(two_workers):
    one, other = two_workers
    for path in ("/?q=мигрант", "/api/search?q=мигрант", "/compare?q=мигрант", "/feed.atom?q=мигрант"):
        first = one.test_client().get(path, headers={"Accept-Encoding": "gzip"})
        second = other.test_client().get(path, headers={"Accept-Encoding": "gzip"})
        assert (first.status_code, first.headers[CACHE_HEADER], second.headers[CACHE_HEADER]) == (200, "miss", "hit")
        assert second.get_data() == first.get_data()
        assert second.headers["Content-Type"] == first.headers["Content-Type"]


def test_a_new_generation_is_never_answered_from_what_another_worker_kept(tmp_path, fast_refresh):
    src, ix = build_index(tmp_path)
    one, other = apps = two_apps(ix, tmp_path / "answers.sqlite")
    try:
        assert one.test_client().get("/api/search?q=медицинскую").get_json()["total"] == 0
        (src / "b.txt").write_text("Статья 1. Мигрант имеет право на медицинскую помощь.", encoding="utf-8")
        index_paths([src], ix, workers=1, progress=False)
        fast_refresh()
        fresh = other.test_client().get("/api/search?q=медицинскую")
        assert fresh.headers[CACHE_HEADER] == "miss" and fresh.get_json()["total"] == 1
    finally:
        for app in apps:
            app.extensions["migrantlex.engine"].close()


def test_engines_on_one_index_name_its_state_alike_and_a_catalog_change_renames_it(tmp_path):
    _src, ix = build_index(tmp_path)
    engines = [SearchEngine(ix), SearchEngine(ix)]
    try:
        before = engines[0].state()
        assert engines[1].state() == before
        catalog = Catalog(ix)
        try:  # a catalog commit alone (same whoosh generation): the documents' facts changed
            generation, state = catalog.state()
            (doc_id, meta), = state.documents.items()
            meta.title = "Другое название"
            catalog.commit_batch(generation, [(catalog.file_of(doc_id), meta)], [])
        finally:
            catalog.close()
        engines.append(SearchEngine(ix))
        assert engines[2].state() != before
    finally:
        for engine in engines:
            engine.close()


def test_a_csv_export_is_kept_once_sent_whole(two_workers):
    one, other = two_workers
    first = one.test_client().get("/search.csv?q=мигрант")
    body = first.get_data()
    assert first.headers[CACHE_HEADER] == "miss" and body.count(b"\n") == len(ARTICLES) + 1
    again = other.test_client().get("/search.csv?q=мигрант")
    assert again.headers[CACHE_HEADER] == "hit" and again.get_data() == body
    assert again.headers["Content-Disposition"] == first.headers["Content-Disposition"]


def test_a_stream_left_early_or_past_the_largest_size_is_not_kept(two_workers, monkeypatch):
    client = two_workers[0].test_client()
    left = client.get("/search.csv?q=мигрант", buffered=False)
    next(iter(left.response))
    left.close()  # the client went away after the first chunk
    assert client.get("/search.csv?q=мигрант").headers[CACHE_HEADER] == "miss"

    monkeypatch.setattr(response_cache, "LARGEST_KEPT_BYTES", 1000)
    monkeypatch.setattr(response_cache, "LARGEST_SHARED_BYTES", 1000)
    for _ in range(2):
        big = client.get("/search.csv?q=работать")
        assert big.headers[CACHE_HEADER] == "miss" and len(big.get_data()) > 1000


def test_an_answer_too_large_for_memory_is_kept_in_the_shared_file_only(two_workers, monkeypatch):
    one, other = two_workers
    monkeypatch.setattr(response_cache, "LARGEST_KEPT_BYTES", 1000)
    first = one.test_client().get("/search.csv?q=работать")
    body = first.get_data()
    assert len(body) > 1000 and one.extensions["migrantlex.response_cache"].used_bytes == 0
    again = other.test_client().get("/search.csv?q=работать")
    assert again.headers[CACHE_HEADER] == "hit" and again.get_data() == body
    assert other.extensions["migrantlex.response_cache"].used_bytes == 0


def test_the_shared_file_keeps_to_its_budget_oldest_first(tmp_path):
    shared = SharedAnswers(tmp_path / "a.sqlite", budget_bytes=10_000)
    for n in range(64):
        shared.put(("answer", n), 200, [("Content-Type", "text/plain")], bytes(1000))
    assert shared.get(("answer", 0)) is None and len(shared) < 64
    assert shared.get(("answer", 63)) == (200, [("Content-Type", "text/plain")], bytes(1000))


def test_a_broken_shared_file_is_a_miss_not_an_error(two_workers):
    one = two_workers[0]
    path = one.extensions["migrantlex.response_cache"].shared.path
    for suffix in ("", "-wal", "-shm"):
        if os.path.exists(f"{path}{suffix}"):
            os.remove(f"{path}{suffix}")
    path.mkdir()  # the file is gone and cannot come back
    response = one.test_client().get("/api/search?q=мигрант&page=1")
    assert response.status_code == 200 and response.headers[CACHE_HEADER] == "miss"


@pytest.mark.system
def test_serve_workers_share_answers_and_the_scratch_file_goes_at_exit(index, tmp_path):
    _src, ix = index
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    port = free_port()
    proc = subprocess.Popen(
        [*CLI, "serve", "--port", str(port), "--workers", "2", "--index-dir", str(ix), "--no-embed"],
        cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        env={**os.environ, "TMPDIR": str(scratch)},
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/api/stats", proc)
        assert [p.name for p in scratch.iterdir()][0].startswith("migrantlex-answers-")
        seen = []
        for _ in range(8):  # fresh connections: the two workers take turns as they come
            with urllib.request.urlopen(base + "/api/search?q=%D0%BC%D0%B8%D0%B3%D1%80%D0%B0%D0%BD%D1%82", timeout=10) as r:
                seen.append(r.headers[CACHE_HEADER])
        assert seen == ["miss"] + ["hit"] * 7
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=20)
    assert list(scratch.iterdir()) == []
