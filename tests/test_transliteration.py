"""One transliteration for document ids and crawled file names, covering ru/ky/kk/tg letters.

tests/data/doc_ids.tsv holds the ids the code gave before the two letter tables became one:
every file of ../shared/corpus, ../shared/seeds and ../shared/testdata (paths relative to the
folder the writer makes ids from, and to the shared root) and a set of Cyrillic names. A
changed id there means re-indexed documents lose their addresses.
"""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analyzers.cyrillic import KAZAKH_ONLY, KAZAKH_TAJIK, KYRGYZ_MARKS, TAJIK_ONLY, transliterate
from indexer.crawl.urls import normalize_url, safe_name
from indexer.metadata import doc_id_for, slugify

IDS_BEFORE = Path(__file__).parent / "data" / "doc_ids.tsv"
RUSSIAN = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"


def _ids_before() -> list[tuple[str, str]]:
    with IDS_BEFORE.open(encoding="utf-8", newline="") as fh:
        return [(row["relpath"], row["doc_id"]) for row in csv.DictReader(fh, delimiter="\t")]


def test_existing_ids_are_unchanged():
    rows = _ids_before()
    assert len(rows) > 200
    changed = [(relpath, before, doc_id_for(relpath)) for relpath, before in rows]
    assert [c for c in changed if c[1] != c[2]] == []


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("ru", "Федеральный закон о миграционном учёте", "federalnyi zakon o migratsionnom uchete"),
        ("ru", "Объём, съезд, щётка", "obem, sezd, shchetka"),
        ("ky", "Эмгек мигранттарынын укуктары жөнүндө", "emgek migranttarynyn ukuktary zhonundo"),
        ("ky", "Өкмөттүн токтому, үй-бүлө, миң", "okmottun toktomu, ui-bulo, min"),
        ("kk", "Қазақстан Республикасының Еңбек кодексі", "qazaqstan respublikasynyn enbek kodeksi"),
        ("kk", "Көші-қон туралы заң, әділет, ұлттық, һ", "koshi-qon turaly zan, adilet, ulttyq, h"),
        ("tg", "Қонуни Ҷумҳурии Тоҷикистон", "qonuni jumhurii tojikiston"),
        ("tg", "Муҳоҷирати меҳнатӣ, ғайр, кӯч", "muhojirati mehnati, gair, kuch"),
    ],
)
def test_transliteration_examples(language, text, expected):
    assert transliterate(text) == expected, language


def test_every_letter_of_our_languages_has_an_ascii_spelling():
    letters = set(RUSSIAN) | KYRGYZ_MARKS | KAZAKH_ONLY | KAZAKH_TAJIK | TAJIK_ONLY
    for letter in sorted(letters | {ch.upper() for ch in letters}):
        assert transliterate(letter).isascii(), letter


def test_ids_and_crawled_names_spell_letters_alike():
    """The id of a document and the file name the crawler saves it under use one table."""
    assert slugify("Қонуни Ҷумҳурӣ") == "qonuni-jumhuri"
    assert doc_id_for("kz/Еңбек кодексі.pdf") == "kz-enbek-kodeksi-pdf"
    url = normalize_url("http://h.kz/заң/Еңбек-кодексі")
    assert safe_name(url, "html") == "zan_enbek-kodeksi.html"
    assert slugify("Еңбек кодексі") == "enbek-kodeksi"
