"""Glued words (`состатьей`, `впункте`): split into known words, never Kyrgyz or real words."""

from __future__ import annotations

import pytest
from whoosh import fields
from whoosh import query as wq
from whoosh.filedb.filestore import RamStorage

from analyzers import EXACT_PREFIX, text_analyzer
from analyzers.glued import split_glued

SPLITS = [
    ("состатьей", ("со", "статьей")),
    ("впункте", ("в", "пункте")),
    ("вподпункте", ("в", "подпункте")),
    ("спунктом", ("с", "пунктом")),
    ("ипунктом", ("и", "пунктом")),
    ("федеральныйзаконот", ("федеральный", "закон", "от")),
    ("первомнастоящего", ("первом", "настоящего")),
    ("формаипорядокподачи", ("форма", "и", "порядок", "подачи")),
    ("такжесертификатоб", ("также", "сертификат", "об")),
    ("неразрешении", ("не", "разрешении")),
]
NOT_SPLIT = [
    # real words, known or not to the dictionary
    "мигрантов", "статья", "реадмиссии", "гражданско", "специалитета", "ассистентуры",
    "кандасов", "патент",
    # Kyrgyz words are agglutinated, not glued
    "адамдар", "декларацияда", "укуктары", "ассамблеясында", "калганда", "бардык", "кабыл",
    "добуш", "расалык", "сактоо",
    # too short, or not letters
    "вбаз", "в13", "",
]


@pytest.mark.parametrize(("word", "parts"), SPLITS)
def test_glued_word_splits_into_known_words(word, parts):
    assert split_glued(word) == parts


@pytest.mark.parametrize("word", NOT_SPLIT)
def test_real_and_kyrgyz_words_stay_whole(word):
    assert split_glued(word) is None


def test_glued_word_keeps_its_own_terms_and_adds_the_parts():
    tokens = [(t.text, t.pos) for t in text_analyzer()("состатьей 13.3", positions=True)]
    assert ("=состатьей", 0) in tokens  # the token as written
    assert ("статья", 1) in tokens and (EXACT_PREFIX + "со", 0) in tokens
    assert ("13.3", 2) in tokens  # later words shift, the same way at query time


def _index(texts: list[str]):
    schema = fields.Schema(body=fields.TEXT(analyzer=text_analyzer(), phrase=True))
    ix = RamStorage().create_index(schema)
    with ix.writer() as w:
        for text in texts:
            w.add_document(body=text)
    return ix


def test_search_finds_the_glued_words():
    ix = _index(
        [
            "в соответствии состатьей 13.3 настоящего Федерального закона",  # glued
            "предусмотренных впункте 5 настоящего перечня",  # glued
            "трудовой договор заключается в письменной форме",  # neither
        ]
    )
    with ix.searcher() as s:
        assert [h.docnum for h in s.search(wq.Term("body", "статья"))] == [0]
        assert [h.docnum for h in s.search(wq.Term("body", "пункт"))] == [1]
        phrase = wq.Phrase("body", ["с", "статья", "13.3"])
        assert [h.docnum for h in s.search(phrase)] == [0]


def test_queries_are_not_unglued():
    """`мигрантв` typed is a typo for did-you-mean, not `мигрант в`; the texts' glued tokens stay
    findable as typed because the index holds them whole too."""
    query = {t.text for t in text_analyzer()("мигрантв", mode="query")}
    assert "мигрант" not in query
    indexed = {t.text for t in text_analyzer()("мигрантв", mode="index")}
    assert "мигрант" in indexed and (query & indexed)
