"""Unit tier (no corpus): the engine says what happened as codes; each face words them itself."""

from __future__ import annotations

import json

import pytest

from indexer.cli import render_results
from indexer.search import QueryError, SearchEngine
from indexer.search.notices import ERRORS, NOTICES
from indexer.search.plan import build_plan
from indexer.settings import MAX_QUERY_CHARS
from search_web import create_app, i18n


@pytest.fixture(scope="module")
def engine(generated_index):
    eng = SearchEngine(generated_index)
    yield eng
    eng.close()


@pytest.mark.parametrize(
    "q, code, details",
    [
        ("", "empty", {}),
        ('"трудовой мигрант', "unclosed_quote", {"position": 0}),
        ("патент (квота", "unclosed_paren", {"position": 7}),
        ("патент)", "unmatched_paren", {"position": 6}),
        ("патент OR", "operator_needs_word", {"position": 7, "operator": "OR"}),
        ("мигрант NOT", "operator_needs_word", {"position": 8, "operator": "NOT"}),
        ("AND мигрант", "operator_needs_words", {"position": 0, "operator": "AND"}),
        ("foo:bar", "unknown_field", {"field": "foo"}),
        ("а*", "prefix_too_short", {"word": "а"}),
        ("x" * (MAX_QUERY_CHARS + 1), "too_long", {"limit": MAX_QUERY_CHARS, "length": MAX_QUERY_CHARS + 1}),
        ("-беженец -патент", "only_exclusions", {}),
    ],
)
def test_query_errors_carry_a_code_and_its_parameters(q, code, details):
    with pytest.raises(QueryError) as err:
        build_plan(q)
    got = err.value.to_dict()
    assert got["code"] == code
    assert {k: got.get(k) for k in details} == details
    assert got["message"] == err.value.message and got["message"]


def test_a_bad_sort_is_a_coded_error(engine):
    with pytest.raises(QueryError) as err:
        engine.search("патент", sort="random")
    assert err.value.code == "bad_sort"


def test_partial_match_is_a_notice_code(engine):
    res = engine.search("патент зебра")
    assert [n["code"] for n in res["notices"]] == ["partial_match"]
    assert res["notice"] == NOTICES["partial_match"]  # the English text stays for old clients
    assert res["total"] > 0
    assert engine.search("патент")["notices"] == []


def test_the_cli_prints_the_notices(engine):
    assert NOTICES["partial_match"] in render_results(engine.search("патент зебра"))


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_every_code_has_words_in_every_interface_language(lang):
    keys = set(i18n.CATALOGUE[lang])
    assert {f"qerr_{code}" for code in ERRORS} <= keys
    assert set(i18n.NOTICE_KEYS) == set(NOTICES)
    assert set(i18n.NOTICE_KEYS.values()) <= keys


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
@pytest.mark.parametrize("q", ['"трудовой мигрант', "патент OR", "foo:bar", "а*", "x" * (MAX_QUERY_CHARS + 1)])
def test_the_web_words_query_errors_by_code(lang, q):
    with pytest.raises(QueryError) as err:
        build_plan(q)
    exc = err.value
    text = i18n.query_error_text(lang, exc.code, exc.params, exc.position)
    assert text and "{" not in text
    if "{column}" in ERRORS[exc.code]:
        assert str(exc.position + 1) in text
    if lang != "en":
        assert text != exc.message


@pytest.mark.parametrize("lang", i18n.LANGUAGES)
def test_the_web_words_notices_by_code_not_by_their_english(lang):
    reworded = [{"code": "partial_match", "message": "Some other English wording."}]
    assert i18n.notice_text(lang, reworded) == i18n.translate(lang, "notice_partial")
    unknown = [{"code": "new_code", "message": "Something new."}]
    assert i18n.notice_text(lang, unknown) == "Something new."
    assert i18n.notice_text(lang, []) is None


@pytest.fixture(scope="module")
def client(engine):
    app = create_app(engine=engine)
    app.config["TESTING"] = True
    return app.test_client()


def test_the_api_keeps_its_fields_and_adds_the_codes(client):
    body = client.get("/api/search", query_string={"q": '"трудовой мигрант'}).get_json()["error"]
    assert body["code"] == "bad_query" and body["reason"] == "unclosed_quote"
    assert body["position"] == 0 and "Unclosed quote" in body["message"]
    res = client.get("/api/search", query_string={"q": "патент зебра"}).get_json()
    assert res["notices"][0]["code"] == "partial_match" and res["notice"]


def test_pages_show_errors_and_notices_in_the_interface_language(client):
    page = client.get("/", query_string={"q": "патент OR", "ui": "ru"}).get_data(as_text=True)
    assert i18n.translate("ru", "qerr_operator_needs_word", operator="OR", column=8) in page
    page = client.get("/", query_string={"q": "патент зебра", "ui": "ky"}).get_data(as_text=True)
    assert i18n.translate("ky", "notice_partial") in page


def test_codes_are_plain_data(engine):
    res = engine.search("патент зебра")
    assert json.loads(json.dumps(res, ensure_ascii=False))["notices"] == res["notices"]
