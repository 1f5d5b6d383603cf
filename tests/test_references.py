"""References as lawyers write them (indexer/references.py) and the act they resolve to
(indexer/search/acts.py), without an index: a table of what must be read, and what must not."""

from __future__ import annotations

import pytest

from indexer.models import DocMeta
from indexer.references import (
    article_lookup,
    code_kind,
    normalize_act_number,
    parse_reference,
    title_number,
)
from indexer.search.acts import resolve, same_act, translation_of


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



# query -> (article, part, point, subpoint, act number, code kind, code country, date)
READ = [
    # Russian: article, part, point, subpoint, in either order, with and without dots
    ("ч. 1 ст. 322.1 УК РФ", ("322.1", "1", "", "", "", "criminal", "ru", "")),
    ("ст. 322.1 ч. 1 УК РФ", ("322.1", "1", "", "", "", "criminal", "ru", "")),
    ("части 2 статьи 13.3", ("13.3", "2", "", "", "", "", "", "")),
    ("п. 5 ст. 13.3 115-ФЗ", ("13.3", "", "5", "", "115-ФЗ", "", "", "")),
    ("пп. 4 п. 1 ст. 9 115-ФЗ", ("9", "", "1", "4", "115-ФЗ", "", "", "")),
    ("подпункт а пункта 2 статьи 5", ("5", "", "2", "а", "", "", "", "")),
    ("ст.13.3", ("13.3", "", "", "", "", "", "", "")),
    ("статья 6-1", ("6-1", "", "", "", "", "", "", "")),
    ("ст. 327¹ ТК РФ", ("327.1", "", "", "", "", "labour", "ru", "")),
    ("ст. 52 ГК КР", ("52", "", "", "", "", "civil", "kg", "")),
    ("ГК КР статья 1", ("1", "", "", "", "", "civil", "kg", "")),
    ("гк кр ст 52", ("52", "", "", "", "", "civil", "kg", "")),
    ("ст. 150 ГПК КР", ("150", "", "", "", "", "civil_procedure", "kg", "")),
    ("ст. 18.10 КоАП РФ", ("18.10", "", "", "", "", "offences", "ru", "")),
    ("КоП КР ст. 93", ("93", "", "", "", "", "offences", "kg", "")),
    ("ст. 91 УПК РФ", ("91", "", "", "", "", "criminal_procedure", "ru", "")),
    ("НК РК", ("", "", "", "", "", "tax", "kz", "")),
    ("статья 1 Гражданского кодекса Кыргызской Республики", ("1", "", "", "", "", "civil", "kg", "")),
    ("статья 1 Гражданского процессуального кодекса Кыргызской Республики",
     ("1", "", "", "", "", "civil_procedure", "kg", "")),
    ("Кодекс о правонарушениях КР статья 1", ("1", "", "", "", "", "offences", "kg", "")),
    ("статья 18.10 Кодекса Российской Федерации об административных правонарушениях",
     ("18.10", "", "", "", "", "offences", "ru", "")),
    ("Кодекс Республики Казахстан об административных правонарушениях ст. 517",
     ("517", "", "", "", "", "offences", "kz", "")),
    ("уголовно-процессуального кодекса РФ статья 91", ("91", "", "", "", "", "criminal_procedure", "ru", "")),
    ("ТРУДОВОЙ КОДЕКС РЕСПУБЛИКИ КАЗАХСТАН", ("", "", "", "", "", "labour", "kz", "")),
    ("водный кодекс", ("", "", "", "", "", "water", "", "")),
    # act numbers and dates
    ("63-ФЗ", ("", "", "", "", "63-ФЗ", "", "", "")),
    ("115-фз", ("", "", "", "", "115-ФЗ", "", "", "")),
    ("Федеральный закон № 115-ФЗ", ("", "", "", "", "115-ФЗ", "", "", "")),
    ("N 115-ФЗ ст. 13.3", ("13.3", "", "", "", "115-ФЗ", "", "", "")),
    ("Федеральный закон от 25.07.2002 № 115-ФЗ", ("", "", "", "", "115-ФЗ", "", "", "2002-07-25")),
    ("закон № 477-IV статья 1", ("1", "", "", "", "477-IV", "", "", "")),
    ("477-ІV", ("", "", "", "", "477-IV", "", "", "")),  # Cyrillic І, as Kazakh texts write it
    ("Закон № 2337 статья 5", ("5", "", "", "", "2337", "", "", "")),
    ("1-ФКЗ", ("", "", "", "", "1-ФКЗ", "", "", "")),
    # English
    ("Article 6 migrant workers", ("6", "", "", "", "", "", "", "")),
    ("art. 5 para. 2", ("5", "", "2", "", "", "", "", "")),
    ("Criminal Code of the Russian Federation", ("", "", "", "", "", "criminal", "ru", "")),
    ("Article 5 of the Civil Procedure Code of the Kyrgyz Republic", ("5", "", "", "", "", "civil_procedure", "kg", "")),
    ("Code of Administrative Offences of the Russian Federation article 18.8",
     ("18.8", "", "", "", "", "offences", "ru", "")),
    ("Labour Code of the Republic of Kazakhstan", ("", "", "", "", "", "labour", "kz", "")),
    # Kyrgyz
    ("13-берене", ("13", "", "", "", "", "", "", "")),
    ("берене 23", ("23", "", "", "", "", "", "", "")),
    ("Кыргыз Республикасынын Эмгек кодекси 52-берене", ("52", "", "", "", "", "labour", "kg", "")),
    # a code named in Kyrgyz is Kyrgyzstan's unless another country is said
    ("Кылмыш-жаза кодекси 168-берене", ("168", "", "", "", "", "criminal", "kg", "")),
    ("Эмгек кодексинин 5-беренеси", ("5", "", "", "", "", "labour", "kg", "")),
    ("Жарандык кодекстин 52-беренеси", ("52", "", "", "", "", "civil", "kg", "")),
    ("Россия Федерациясынын Эмгек кодексинин 327.1-беренеси", ("327.1", "", "", "", "", "labour", "ru", "")),
    ("Орусия Федерациясынын Кылмыш-жаза кодекси", ("", "", "", "", "", "criminal", "ru", "")),
    ("Казакстан Республикасынын Эмгек кодекси", ("", "", "", "", "", "labour", "kz", "")),
]

NOT_READ = [
    "статьей",  # the word alone
    "статья",
    "Article",
    "пост 5",  # `ст` inside a word
    "часть 2",  # a part without an article
    "п. 5",
    "тк",  # a lowercase abbreviation without a country
    "ук",
    "трудовой мигрант",
    "кодекс",  # a code of no kind
    "1-2 дня",
    "COVID-19",
    "2002-07-25",
    "N 5",  # a bare N is not №
    "код доступа",
    '"ТК"',  # a quoted abbreviation is a word
]


def _row(ref):
    code = ref.code
    return (ref.article, ref.part, ref.point, ref.subpoint, ref.act_number,
            code.kind if code else "", code.country if code else "", ref.date)


@pytest.mark.parametrize("text, expected", READ, ids=[t for t, _ in READ])
def test_reference_is_read(text, expected):
    ref = parse_reference(text)
    assert ref is not None, text
    assert _row(ref) == expected


@pytest.mark.parametrize("text", NOT_READ)
def test_not_a_reference(text):
    assert parse_reference(text) is None


def test_lowercase_abbreviation_counts_with_a_country():
    assert parse_reference("ск рф").code.kind == "family"
    assert parse_reference("ск") is None


def test_spans_cover_the_reference_and_leave_the_other_words():
    text = "ч. 1 ст. 322.1 УК РФ организация незаконной миграции"
    ref = parse_reference(text)
    covered = "".join(ch if any(s <= i < e for s, e in ref.spans) else " " for i, ch in enumerate(text))
    left = "".join(ch for i, ch in enumerate(text) if not any(s <= i < e for s, e in ref.spans))
    assert "322.1" in covered and "УК РФ" in covered
    assert left.split() == ["организация", "незаконной", "миграции"]


def test_act_text_names_the_act_as_typed():
    assert parse_reference("ст. 18.10 КоАП РФ").act_text() == "КоАП РФ"
    assert parse_reference("Федеральный закон № 115-ФЗ").act_text() == "№ 115-ФЗ"


@pytest.mark.parametrize(
    "title, kind",
    [
        ("Гражданский кодекс Кыргызской Республики. Часть I", "civil"),
        ("Гражданский процессуальный кодекс Кыргызской Республики", "civil_procedure"),
        ("Кодекс Кыргызской Республики о правонарушениях", "offences"),
        ("Кодекс Республики Казахстан об административных правонарушениях", "offences"),
        ("Кодекс административного судопроизводства Российской Федерации", "administrative_procedure"),
        ("Уголовно-процессуальный кодекс Российской Федерации", "criminal_procedure"),
        ("Уголовно-исполнительный кодекс Российской Федерации", "penal"),
        ("Кодекс внутреннего водного транспорта Российской Федерации", "inland_water_transport"),
        ("Водный кодекс Российской Федерации", "water"),
        ("Налоговый кодекс Российской Федерации. Часть первая", "tax"),
        ('Федеральный закон "О введении в действие Уголовного кодекса Российской Федерации"', ""),
        ("Закон Республики Казахстан \"О миграции населения\"", ""),
    ],
)
def test_code_kind_of_a_title(title, kind):
    assert code_kind(title) == kind


def _meta(doc_id, title, country, number="", date="", language="ru", doc_type="code", **kw):
    return DocMeta(doc_id, f"/x/{doc_id}", doc_id, title=title, country=country, number=number, date=date,
                   language=language, doc_type=doc_type, **kw)


DOCS = {m.doc_id: m for m in [
    _meta("kg-gk-1", "Гражданский кодекс Кыргызской Республики. Часть I", "kg", "15", "1996-05-08"),
    _meta("kg-gk-1-pdf", "Гражданский кодекс Кыргызской Республики (часть I)", "kg", "", "1996-05-08"),
    _meta("kg-gpk", "Гражданский процессуальный кодекс Кыргызской Республики", "kg", "14", "2017-01-25"),
    _meta("kg-nk", "Налоговый кодекс Кыргызской Республики", "kg", "3", "2022-01-18"),
    _meta("kg-kop", "Кодекс Кыргызской Республики о правонарушениях", "kg", "128", "2021-10-28"),
    _meta("kg-vk", "Водный кодекс Кыргызской Республики", "kg", "8", "2005-01-12"),
    _meta("ru-uk", "Уголовный кодекс Российской Федерации", "ru", "63-ФЗ", "1996-06-13"),
    _meta("ru-bk", "Бюджетный кодекс Российской Федерации", "ru", "145-ФЗ", "1998-07-31"),
    _meta("ru-nk1", "Налоговый кодекс Российской Федерации. Часть первая", "ru", "146-ФЗ", "1998-07-31"),
    _meta("ru-nk1-v2", "Налоговый кодекс Российской Федерации. Часть первая", "ru", "146-ФЗ", "1998-07-31"),
    _meta("ru-gk3", "Гражданский кодекс Российской Федерации. Часть третья", "ru", "146-ФЗ", "2001-11-26"),
    _meta("ru-109", "Федеральный закон от 18.07.2006 N 109-ФЗ", "ru", "109-ФЗ", "2006-07-18", doc_type="law"),
    _meta("ru-115", "Федеральный закон от 25.07.2002 N 115-ФЗ", "ru", "115-ФЗ", "2002-07-25", doc_type="law"),
    _meta("kz-477", "Закон Республики Казахстан \"О миграции населения\" от 22.07.2011 № 477-IV", "kz",
          "477-IV", "2011-07-22", doc_type="law"),
    _meta("int-udhr-en", "Universal Declaration of Human Rights", "int", "", "1948-12-10", "en", "convention"),
    _meta("int-udhr-ky", "Адам укуктарынын жалпы декларациясы", "int", "", "1948-12-10", "ky", "convention"),
]}


@pytest.mark.parametrize(
    "query, docs",
    [
        ("ст. 52 ГК КР", ["kg-gk-1", "kg-gk-1-pdf"]),  # the Civil Code, not the Civil Procedure Code
        ("статья 1 Гражданского кодекса Кыргызской Республики", ["kg-gk-1", "kg-gk-1-pdf"]),
        ("ст. 5 ГПК КР", ["kg-gpk"]),
        ("Кодекс о правонарушениях КР статья 1", ["kg-kop"]),  # not the Water Code
        ("63-ФЗ", ["ru-uk"]),  # not the Budget Code
        ("Федеральный закон № 115-ФЗ", ["ru-115"]),  # not 109-ФЗ
        ("146-ФЗ", ["ru-gk3", "ru-nk1", "ru-nk1-v2"]),  # numbers restart every year
        ("146-ФЗ от 26.11.2001", ["ru-gk3"]),  # the date says which
        ("закон № 477-ІV", ["kz-477"]),
        ("ст. 18.10 КоАП РФ", []),  # not in the collection
        ("НК РФ", ["ru-nk1", "ru-nk1-v2"]),
    ],
)
def test_reference_resolves_to_the_act(query, docs):
    assert resolve(parse_reference(query), DOCS) == docs


def test_files_of_one_act_are_grouped_and_nothing_else():
    assert same_act(DOCS["kg-gk-1"], DOCS["kg-gk-1-pdf"])  # TXT and PDF: same title and date
    assert same_act(DOCS["ru-nk1"], DOCS["ru-nk1-v2"])  # same number, same year
    assert not same_act(DOCS["ru-nk1"], DOCS["ru-bk"])  # same date, another act
    assert not same_act(DOCS["ru-nk1"], DOCS["ru-gk3"])  # same number, another year
    assert translation_of(DOCS["int-udhr-en"], DOCS["int-udhr-ky"])
    assert not translation_of(DOCS["ru-nk1"], DOCS["ru-bk"])


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


def _scanned(reference, docs: dict[str, DocMeta]) -> list[str]:
    """resolve() as a plain scan of every title, the way it was before acts were indexed."""
    found = list(docs.values())
    if reference.act_number:
        found = [m for m in found if m.number and normalize_act_number(m.number) == reference.act_number]
    code = reference.code
    if code:
        found = [m for m in found if code_kind(m.title) == code.kind and (not code.country or m.country == code.country)]
    if reference.date:
        found = [m for m in found if m.date == reference.date] or found
    return sorted(m.doc_id for m in found)


@pytest.mark.parametrize("query", [
    "ст. 52 ГК КР", "ст. 5 ГПК КР", "63-ФЗ", "146-ФЗ", "146-ФЗ от 26.11.2001", "НК РФ", "ст. 18.10 КоАП РФ",
    "ст. 13 146-ФЗ НК РФ", "Гражданский кодекс", "Водный кодекс Кыргызской Республики", "закон № 477-ІV",
])  # fmt: skip
def test_the_act_index_finds_what_a_scan_of_every_title_finds(query):
    reference = parse_reference(query)
    assert resolve(reference, DOCS) == _scanned(reference, DOCS)
    assert resolve(reference, dict(DOCS)) == _scanned(reference, DOCS)  # another catalog: indexed afresh
