"""The query language: what parses to what, and which mistakes get which friendly message."""

import pytest

from indexer.search.notices import QueryError
from indexer.search.parser import Group, Not, Phrase, Word, parse


@pytest.mark.parametrize(
    "text, expected",
    [
        ("мигрант", Word("мигрант")),
        ("трудовой мигрант", Group("AND", [Word("трудовой"), Word("мигрант")])),
        ("трудовой AND мигрант", Group("AND", [Word("трудовой"), Word("мигрант")])),
        ("патент OR разрешение", Group("OR", [Word("патент"), Word("разрешение")])),
        ("патент ИЛИ разрешение", Group("OR", [Word("патент"), Word("разрешение")])),
        ("мигрант NOT беженец", Group("AND", [Word("мигрант"), Not(Word("беженец"))])),
        ("мигрант -беженец", Group("AND", [Word("мигрант"), Not(Word("беженец"))])),
        ('"трудовой мигрант"', Phrase("трудовой мигрант")),
        ('"мигрант патент"~5', Phrase("мигрант патент", slop=5)),
        ('="трудовых мигрантов"', Phrase("трудовых мигрантов", exact=True)),
        ("=мигрантов", Word("мигрантов", exact=True)),
        ("мигра*", Word("мигра", prefix=True)),
        ("title:кодекс", Word("кодекс", scope="title")),
        ('heading:"трудовая деятельность"', Phrase("трудовая деятельность", scope="heading")),
        (
            "(патент OR разрешение) мигрант",
            Group("AND", [Group("OR", [Word("патент"), Word("разрешение")]), Word("мигрант")]),
        ),
        ("115-ФЗ", Word("115-ФЗ")),
        ("13:00", Word("13:00")),
    ],
)
def test_parses(text, expected):
    assert parse(text) == expected


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "Type a word"),
        ("   ", "Type a word"),
        ('"трудовой мигрант', "Unclosed quote at position 1"),
        ("(патент OR разрешение", "Unclosed '('"),
        ("патент)", "Unmatched ')' at position 7"),
        ("патент OR", "'OR' at position 8 needs a word"),
        ("мигрант NOT", "'NOT' at position 9 needs a word"),
        ("AND мигрант", "'AND' at position 1 needs words on both sides"),
        ("foo:bar", "Unknown field 'foo:'"),
        ("x" * 10_000, "too long"),
    ],
)
def test_errors_are_friendly_and_point_at_the_problem(text, message):
    with pytest.raises(QueryError) as err:
        parse(text)
    assert message in err.value.message
