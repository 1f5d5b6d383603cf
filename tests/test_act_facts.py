"""Act number, status and edition read from the places official texts state them."""

from __future__ import annotations

import pytest

from indexer.act_facts import IN_FORCE, REPEALED, act_facts
from indexer.extract import extract

RU_CODE = """РОССИЙСКАЯ ФЕДЕРАЦИЯ

Уголовный кодекс Российской Федерации

Принят Государственной Думой 24 мая 1996 года
(В редакции федеральных законов от 27.05.1998 № 77-ФЗ, от 06.07.2016 № 375-ФЗ,
от 04.08.2023 № 440-ФЗ)

Статья 1. Уголовное законодательство Российской Федерации
1. Уголовное законодательство Российской Федерации состоит из настоящего Кодекса.

Президент Российской Федерации Б.Ельцин
Москва, Кремль
13 июня 1996 года
№ 63-ФЗ
"""
RU_REPEALED = """Утратил силу - Федеральный закон от 03.06.2006 г. N 73-ФЗ

РОССИЙСКАЯ ФЕДЕРАЦИЯ
Водный кодекс Российской Федерации
(В редакции федеральных законов от 30.06.2003 г. N 86-ФЗ; от 31.12.2005 г. N 199-ФЗ)

Статья 142. Признать утратившим силу Водный кодекс РСФСР.

Президент Российской Федерации Б.Ельцин
Москва, Кремль 16 ноября 1995 года N 167-ФЗ
"""
KG_CODE = """  ГРАЖДАНСКИЙ КОДЕКС КЫРГЫЗСКОЙ РЕСПУБЛИКИ
от 8 мая 1996 года № 15
(В редакции Законов Кыргызской Республики от 29 апреля 1997 года № 29, 22 апреля 2024 года № 78)
Статья 1. Отношения, регулируемые гражданским законодательством
"""
KG_CODE_WITH_NOTE = """Изменения, внесенные Законом КР от 16 декабря 2016 года № 207,
вступают в силу по истечении шести месяцев

ГРАЖДАНСКИЙ КОДЕКС КЫРГЫЗСКОЙ РЕСПУБЛИКИ

от 8 мая 1996 года № 15

(В редакции Законов КР от 29 апреля 1997 года № 29, 15 октября 1997 года
№ 76, 2 декабря 1998 года № 148)
"""
RU_LAW = """Федеральный закон "О правовом положении иностранных граждан в Российской Федерации" от 25.07.2002 N 115-ФЗ (последняя редакция)

Статья 1. Предмет регулирования настоящего Федерального закона
"""
KZ_LAW = """Примечание РЦПИ!
Сноска. Статья 5 с изменениями, внесенными Законом РК от 13.05.2020 № 327-VI.
Статья 5. Права мигрантов
Сноска. Статья 5 с изменением, внесенным Законом РК от 30.12.2022 № 177-VII.
"""


@pytest.mark.parametrize(
    ("text", "number", "status", "edition"),
    [
        (RU_CODE, "63-ФЗ", IN_FORCE, "2023-08-04"),
        (RU_REPEALED, "167-ФЗ", REPEALED, "2005-12-31"),
        (KG_CODE, "15", IN_FORCE, "2024-04-22"),
        (KG_CODE_WITH_NOTE, "15", IN_FORCE, "1998-12-02"),
        (RU_LAW, "115-ФЗ", IN_FORCE, ""),
        (KZ_LAW, "", IN_FORCE, "2022-12-30"),
        ("Just a report about migration.", "", IN_FORCE, ""),
    ],
)
def test_facts_from_the_text(text, number, status, edition):
    facts = act_facts(text)
    assert (facts.number, facts.status, facts.edition) == (number, status, edition)


def test_repealing_act_is_kept():
    assert act_facts(RU_REPEALED).repealed_by == "Федеральный закон от 03.06.2006 г. N 73-ФЗ"


def test_a_provision_repealing_another_act_does_not_repeal_this_one():
    assert act_facts(RU_CODE + "\nСтатья 2. Признать утратившим силу Уголовный кодекс РСФСР.").status == IN_FORCE


def test_numbers_in_the_amendment_list_are_not_the_acts_number():
    head_only = RU_CODE.split("Президент")[0]
    assert act_facts(head_only).number == ""


@pytest.mark.corpus
@pytest.mark.parametrize(
    ("relpath", "number", "status"),
    [
        ("ru/ugolovnyi-kodeks-rf.txt", "63-ФЗ", IN_FORCE),
        ("ru/trudovoy-kodeks-rf.txt", "197-ФЗ", IN_FORCE),
        ("ru/vodnyi-kodeks-rf-1995.txt", "167-ФЗ", REPEALED),
        ("ru/vodnyi-kodeks-rf-2006.txt", "74-ФЗ", IN_FORCE),
        ("ru/115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan.txt", "115-ФЗ", IN_FORCE),
        ("kg/ugolovnyi-kodeks-kr.txt", "127", IN_FORCE),
        ("pdf/kg-grazhdanskii-kodeks-ch1.pdf", "15", IN_FORCE),
        ("pdf/kg-grazhdanskii-kodeks-ch2.pdf", "1", IN_FORCE),
    ],
)
def test_real_acts(corpus, relpath, number, status):
    """The PDFs of the Kyrgyz Civil Code open with a note naming an amending act (№ 207)."""
    path = corpus / relpath
    text = "\n".join(p.text for p in extract(path).pages) if path.suffix == ".pdf" else path.read_text(encoding="utf-8")
    facts = act_facts(text)
    assert (facts.number, facts.status) == (number, status)
    assert facts.edition or relpath.startswith("ru/115")
