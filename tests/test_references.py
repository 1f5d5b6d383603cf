"""References as people write them (ru/en/ky): the article a query names, act numbers, code abbreviations."""

from __future__ import annotations

import pytest

from indexer.references import article_lookup, expand_abbreviations, find_article, title_number


@pytest.mark.parametrize(
    "text, expected",
    [
        # Russian
        ("115-ФЗ статья 13.3", ("13.3", "115-фз")),
        ("статья 13.3 115-ФЗ", ("13.3", "115-фз")),
        ("N 115-ФЗ ст. 13.3", ("13.3", "115-фз")),
        ("№ 115-ФЗ ст.13.3", ("13.3", "115-фз")),
        ("ст. 6 1-ФКЗ", ("6", "1-фкз")),
        ("ст.18 патент", ("18", "")),
        ("Статья 327.2 трудового кодекса", ("327.2", "")),
        ("статьи 5 и 6", ("5", "")),
        ("в статье 22", ("22", "")),
        ("статью 6-1", ("6-1", "")),
        ("СТ. 13", ("13", "")),
        ("статьей", None),
        ("пост 5", None),
        ("частью 3", None),
        ("115-ФЗ", None),
        # English
        ("Article 6 migrant workers", ("6", "")),
        ("article 12.1", ("12.1", "")),
        ("art. 98", ("98", "")),
        ("Art.7 ILO", ("7", "")),
        ("articles of the convention", None),
        ("partial 5", None),
        # Kyrgyz: the number first, or the word first
        ("12-берене", ("12", "")),
        ("12 берене", ("12", "")),
        ("6-1-берене", ("6-1", "")),
        ("12-беренеси", ("12", "")),
        ("берене 12", ("12", "")),
        ("эмгек мигранты", None),
    ],
)
def test_article_references(text, expected):
    assert article_lookup(text) == expected


def test_spans_cover_every_reference_so_the_rest_can_be_searched_as_words():
    text = "N 115-ФЗ ст. 13.3 патент"
    ref = find_article(text)
    covered = "".join(" " if any(s <= i < e for s, e in ref.spans) else ch for i, ch in enumerate(text))
    assert covered.split() == ["патент"]


@pytest.mark.parametrize(
    "text, expected",
    [
        ("ст. 327.2 ТК РФ", "ст. 327.2 title:трудовой title:кодекс title:российской title:федерации"),
        ("УК КР", "title:уголовный title:кодекс title:кыргызской title:республики"),
        ("КоАП", "title:кодекс title:правонарушениях"),
        ("ГПК РФ ст. 5", "title:гражданский title:процессуальный title:кодекс title:российской title:федерации ст. 5"),
        ("тк рф", "тк рф"),  # lower case: ordinary words
        ("ТКРФ", "ТКРФ"),  # not standalone
        ('"ТК РФ"', '"ТК РФ"'),  # quoted: as typed
        ("title:ТК", "title:ТК"),  # already scoped
        ('"ТК РФ', '"ТК РФ'),  # unclosed quote: left for the parser to report
    ],
)
def test_code_abbreviations_stand_for_their_titles(text, expected):
    assert expand_abbreviations(text) == expected


@pytest.mark.parametrize(
    "texts, expected",
    [
        (("Федеральный закон от 25.07.2002 N 115-ФЗ",), "115-ФЗ"),
        (("Федеральный конституционный закон № 1-ФКЗ",), "1-ФКЗ"),
        (("Закон Кыргызской Республики № 106",), "106"),
        (("ILO Convention No. 97",), "97"),
        (("Закон о миграции", "принят 2006 г., № 61"), "61"),
        (("Кодекс без номера",), ""),
    ],
)
def test_an_acts_number_in_its_title_or_notes(texts, expected):
    assert title_number(*texts) == expected
