"""Unit tier (no corpus): the read side at its edges answers, never raises an unexpected error."""

from __future__ import annotations

import pytest

from indexer.search import QueryError, SearchEngine
from indexer.search.notices import NOTICES
from indexer.search.parser import MAX_DEPTH, Word, content_words, parse
from indexer.search.plan import build_plan
from indexer.search.suggestions import MAX_WORD_CHARS, suggest
from indexer.writer import index_paths
from search_web import create_app, i18n
from tests.generated_index import write_documents


def test_an_index_without_passages_answers_no_documents_yet(tmp_path, fast_refresh):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "blank.txt").write_text("   \n", encoding="utf-8")  # skipped: no text
    index_paths([tmp_path / "empty"], tmp_path / "ix", workers=1, progress=False)
    engine = SearchEngine(tmp_path / "ix")
    try:
        for _ in range(2):  # the second search comes after a freshness check
            res = engine.search("патент")
            assert res["total"] == 0 and res["results"] == []
            assert [n["code"] for n in res["notices"]] == ["empty_index"]
            fast_refresh()
        assert engine.stats()["passages"] == 0

        client = create_app(engine=engine).test_client()
        api = client.get("/api/search", query_string={"q": "патент"})
        assert api.status_code == 200 and api.get_json()["notice"] == NOTICES["empty_index"]
        page = client.get("/", query_string={"q": "патент", "ui": "ru"})
        assert page.status_code == 200
        assert i18n.translate("ru", "notice_empty_index") in page.get_data(as_text=True)

        index_paths([write_documents(tmp_path / "docs")], tmp_path / "ix", workers=1, progress=False)
        fast_refresh()
        res = engine.search("патент")
        assert res["total"] > 0 and res["notices"] == []
    finally:
        engine.close()


@pytest.mark.parametrize("depth", [21, 340, 480])
def test_deeply_nested_brackets_are_a_friendly_error(depth):
    with pytest.raises(QueryError) as err:
        parse("(" * depth + "патент")
    assert err.value.code == "too_deep" and err.value.params == {"limit": MAX_DEPTH}
    assert err.value.position == MAX_DEPTH


def test_brackets_up_to_the_limit_still_parse():
    assert parse("(" * MAX_DEPTH + "патент" + ")" * MAX_DEPTH) == Word("патент")


@pytest.mark.parametrize("q", ["OR", "AND", "NOT", "ИЛИ", "И", "AND OR"])
def test_an_operator_alone_is_a_word(q):
    assert content_words(parse(q)) == q.split()


@pytest.mark.parametrize("q", ["или", "ИЛИ", "OR", "И", "the"])
def test_stop_words_alone_are_searched_not_refused(q):
    plan = build_plan(q)
    assert plan.query is not None and plan.words == [q]


@pytest.fixture(scope="module")
def reader(generated_index):
    from whoosh import index as whoosh_index

    ix = whoosh_index.open_dir(str(generated_index))
    searcher = ix.searcher()
    yield searcher.reader()
    searcher.close()
    ix.close()


def test_did_you_mean_corrects_a_typo(reader):
    assert suggest(["работодатля", "патент"], reader) == "работодателя патент"


def test_did_you_mean_skips_words_too_long_to_be_typos(reader):
    long_typo = "работодатля" * 4  # 44 letters: the fuzzy scan is not even started
    assert len(long_typo) > MAX_WORD_CHARS
    assert suggest([long_typo], reader) is None


def test_did_you_mean_stops_when_its_time_is_up(reader):
    assert suggest(["работодатля"], reader, budget=0.0) is None
