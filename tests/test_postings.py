"""Packed posting values decode to exactly what whoosh's own formats would have stored."""

from __future__ import annotations

import pytest
from whoosh import formats

from analyzers import text_analyzer
from indexer.postings import CompactCharacters, CompactPositions, pack, unpack
from indexer.schema import build_schema

TEXTS = [
    "Трудящиеся-мигранты из Кыргызстана: мигранты и мигрантов, статья 13.3 115-ФЗ, ст. 327¹ состатьей",
    "Migrant workers' rights: the migrant worker and his family (Article 5) " * 40,
    "мигрант-мигрант мигрант‐мигрант",  # one term twice at one place: start deltas below zero
    "слово " * 11_000 + "мигрант",  # character offsets past 65,535
    "İSTANBUL Straße ÉCOLE İİ-İ",  # lower case longer than the text: offsets of the whole token
    "",
    "Кыргыз Республикасынын мыйзамы; Қазақстан; C097 P029 R86; 18.07.2006; 5-ФКЗ; 1-р; 2006",
]


@pytest.mark.parametrize("text", TEXTS)
def test_packed_values_decode_like_whoosh_formats(text):
    analyzer = text_analyzer()
    for ours, theirs in ((CompactCharacters(), formats.Characters()), (CompactPositions(), formats.Positions())):
        expected = {w: (n, wt, v) for w, n, wt, v in theirs.word_values(text, analyzer, mode="index")}
        got = list(ours.word_values(text, analyzer, mode="index"))
        assert {w for w, *_ in got} == set(expected)
        for word, freq, weight, value in got:
            their_freq, their_weight, their_value = expected[word]
            assert (freq, weight) == (their_freq, their_weight)
            assert ours.decode_frequency(value) == theirs.decode_frequency(their_value) == freq
            assert ours.decode_weight(value) == theirs.decode_weight(their_value)
            assert ours.decode_positions(value) == theirs.decode_positions(their_value)
            if isinstance(ours, CompactCharacters):
                assert ours.decode_characters(value) == theirs.decode_characters(their_value)


def test_pack_picks_the_narrowest_type_that_holds_the_numbers():
    cases = (([1, 2, 255], 3), ([0, 256], 4), ([-1, 5], 8), ([2**40], 8), ([], 0), ([65_535], 2), ([2**31 - 1], 4), ([2**31], 8))
    for numbers, size in cases:
        value = pack(numbers)
        assert len(value) == 1 + size and list(unpack(value)) == numbers


def test_the_schema_packs_every_text_field():
    schema = build_schema()
    assert isinstance(schema["body"].format, CompactCharacters)
    assert isinstance(schema["heading"].format, CompactCharacters)
    assert isinstance(schema["title"].format, CompactPositions)


@pytest.mark.parametrize("text", TEXTS)
def test_word_values_read_with_index_terms_are_the_analyzers_exactly(text):
    analyzer = text_analyzer()
    for ours, generic in ((CompactCharacters(), formats.Characters), (CompactPositions(), formats.Positions)):
        expected = list(generic.word_values(ours, text, analyzer, mode="index"))
        got = ours.word_values(text, analyzer, mode="index")
        assert got == expected
        assert [type(weight) for _, _, weight, _ in got] == [type(weight) for _, _, weight, _ in expected]


def test_another_analyzer_or_a_query_takes_whooshs_way():
    from whoosh.analysis import StandardAnalyzer

    text = "состатьей мигранты"
    fmt = CompactCharacters()
    assert {w for w, *_ in fmt.word_values(text, StandardAnalyzer(), mode="index")} == {"состатьей", "мигранты"}
    query = {w for w, *_ in fmt.word_values(text, text_analyzer(), mode="query")}
    assert "=со" not in query and "=со" in {w for w, *_ in fmt.word_values(text, text_analyzer(), mode="index")}
