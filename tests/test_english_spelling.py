"""British and American -our spellings meet (`labour` ↔ `labor`); short words stay apart."""

import pytest

from analyzers import EXACT_PREFIX, text_analyzer


def stems(word: str) -> set[str]:
    return {t.text for t in text_analyzer()(word) if not t.text.startswith(EXACT_PREFIX)}


@pytest.mark.parametrize(
    "british, american",
    [("labour", "labor"), ("labourers", "laborers"), ("favourable", "favorable"), ("behaviour", "behavior")],
)
def test_spellings_meet(british, american):
    assert stems(british) & stems(american)


@pytest.mark.parametrize("word, other", [("four", "for"), ("hour", "hor"), ("labour", "laboratory")])
def test_short_and_unrelated_words_stay_apart(word, other):
    assert not stems(word) & stems(other)


def test_exact_forms_keep_the_spelling_typed(full_engine):
    """The seeds write both: the conference report `labour`, the workshop report `Labor`."""
    both = {r["doc_id"] for r in full_engine.search("labor migrants", limit=20)["results"]}
    assert {"003-47d3e49b2631fb29", "004-1200fd17383a3ac2"} <= both
    results = full_engine.search("=labor migrants", limit=20)["results"]
    exact = {r["doc_id"] for r in results if r["match"] == "all"}  # partial/concept matches follow, marked
    assert "004-1200fd17383a3ac2" in exact and "003-47d3e49b2631fb29" not in exact
