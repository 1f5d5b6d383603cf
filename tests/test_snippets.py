"""Snippets that never say the same thing twice (issue 14, item 4).

Laws open an article with its label and heading, which a result prints beside the snippet, and
often repeat a heading or a sentence in the text (КоП КР art. 94, ГК РФ art. 1397). The pure
functions are checked on examples; the whole path on a real index of generated passages.
"""

from __future__ import annotations

import random
import re

import pytest

from indexer.search import SearchEngine
from indexer.search.snippets import REPEAT_WORDS, body_start, lead, repeat_start, repeated_span
from indexer.writer import index_paths

HEADING_94 = "Нарушение приграничным трудящимся-мигрантом правил осуществления трудовой деятельности"


@pytest.mark.parametrize(
    ("body", "label", "heading", "rest"),
    [
        (f"Статья 94. {HEADING_94}\n\n{HEADING_94} – влечет штраф.", "Статья 94", HEADING_94, f"{HEADING_94} – влечет штраф."),
        (f"Статья 94. {HEADING_94}\nТекст.", "Статья 94", f"Статья 94 {HEADING_94}", "Текст."),  # heading as stored
        ("Статья 5. Патент\n1. Патент выдается.", "Статья 5", "Патент", "1. Патент выдается."),
        ("Статья 5\nПатент выдается.", "Статья 5", "", "Патент выдается."),  # no heading: the label only
        ("Статья 5. Патент выдается на год.", "Статья 5", "Патент выдается на год", ""),
        ("Article 7. Equality of treatment\nMigrant workers", "Article 7", "Equality of treatment", "Migrant workers"),
        ("Статья  13.3 .  Особенности\nтрудовой деятельности\nТекст", "Статья 13.3", "Особенности трудовой деятельности", "Текст"),
        ("Статья 5. Патент и квота\nТекст", "Статья 5", "Патент и разрешение", "Патент и квота\nТекст"),  # heading differs: label only
        ("Патент выдается.", "Статья 5", "Патент", "Патент выдается."),  # the body does not open with them
        ("Патент выдается.", "", "", "Патент выдается."),
        ("p. 3 text", "p. 3", "", "text"),
        ("Статья 50. Текст", "Статья 5", "", "Статья 50. Текст"),  # a word must match whole
    ],
)
def test_body_start_skips_the_label_and_heading_the_result_prints(body, label, heading, rest):
    assert body[body_start(body, label, heading) :] == rest


@pytest.mark.parametrize(
    ("text", "repeated"),
    [
        ("один два три четыре пять шесть семь восемь", ""),
        ("один два три четыре пять шесть семь восемь один два три четыре пять шесть семь восемь", "один два три четыре пять шесть семь восемь"),
        ("a b c d e f g h x A B C D E F G H", "a b c d e f g h"),  # case aside
        ("a b c d e f g x a b c d e f g", ""),  # seven words are not a repeat
        ("a, b; c d. e f g h — a b c d e f g h", "a b c d e f g h"),  # punctuation aside
    ],
)
def test_repeated_span(text, repeated):
    assert repeated_span(text, 8) == repeated


def test_repeat_start_is_where_the_second_occurrence_begins():
    text = "x y a b c d e f g h z a b c d e f g h w"
    cut = repeat_start(text, 0, len(text), set())
    assert text[cut:] == "a b c d e f g h w"
    seen: set = set()
    assert repeat_start("a b c d e f g h", 0, 15, seen) is None
    assert repeat_start("q a b c d e f g h", 0, 17, seen) == 2  # already seen in an earlier fragment


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Патент выдается на срок от одного до двенадцати месяцев.", "Патент выдается на срок от одного до двенадцати месяцев."),
        ("a b c d e f g h. a b c d e f g h. tail", "a b c d e f g h. …"),
        ("  spaced\n\nout  text ", "spaced out text"),
        ("<b> & </b>", "&lt;b&gt; &amp; &lt;/b&gt;"),
    ],
)
def test_lead(text, expected):
    assert lead(text) == expected


# --- the whole path, on a real index of generated passages --------------------------------

WORDS = ["мигрант", "патент", "работодатель", "квота", "договор", "учет", "пребывание", "жительство", "гражданин", "разрешение", "выдворение", "уведомление", "срок", "орган", "территория", "семья", "налог", "страхование", "заработная", "плата"]


def _article(rng: random.Random, number: int) -> str:
    """An article that opens with its heading and repeats its heading and one sentence in its text,
    as laws do."""
    heading = " ".join(rng.choice(WORDS) for _ in range(rng.randint(3, 12))).capitalize()
    sentence = " ".join(rng.choice(WORDS) for _ in range(rng.randint(8, 20))).capitalize() + "."
    filler = [" ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 15))).capitalize() + "." for _ in range(4)]
    parts = [heading + " – влечет штраф.", sentence, *filler[:2], sentence, *filler[2:], sentence]
    return f"Статья {number}. {heading}\n" + "\n".join(f"{i}. {p}" for i, p in enumerate(parts, 1)) + "\n"


@pytest.fixture(scope="module")
def repetitive_engine(tmp_path_factory):
    rng = random.Random(5)
    folder = tmp_path_factory.mktemp("repetitive")
    docs = folder / "docs"
    docs.mkdir()
    for n in range(3):
        articles = "\n".join(_article(rng, i) for i in range(1, 9))
        (docs / f"law-{n}.txt").write_text(f"Закон {n}\n\n{articles}", encoding="utf-8")
    index_paths([docs], folder / "ix", workers=1, progress=False)
    return SearchEngine(folder / "ix")


@pytest.mark.parametrize("query", [*WORDS[:12], "мигрант патент", "квота OR налог", "срок договор учет", "штраф"])
def test_no_snippet_repeats_itself_or_its_heading(repetitive_engine, query):
    results = repetitive_engine.search(query, limit=10)["results"]
    snippets = [p for doc in results for p in doc["passages"]]
    assert snippets, query
    for p in snippets:
        text = re.sub(r"</?mark>", "", p["snippet"])
        assert not repeated_span(text, REPEAT_WORDS), (query, p["label"], text)
        assert p["label"] not in text, text  # printed beside it
        assert text.count(p["heading"]) <= 1, text


def test_snippets_still_mark_the_words(repetitive_engine):
    results = repetitive_engine.search("патент", limit=10)["results"]
    assert any("<mark>" in p["snippet"] for doc in results for p in doc["passages"])
