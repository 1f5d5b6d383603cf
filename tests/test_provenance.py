"""Publisher and original address from a document's source string (issue 14, item 3)."""

from __future__ import annotations

import pytest

from indexer.provenance import Provenance, provenance


@pytest.mark.parametrize(
    ("source", "publisher", "url"),
    [
        ("https://cbd.minjust.gov.kg/act/view/ru-ru/111600", "cbd.minjust.gov.kg", "https://cbd.minjust.gov.kg/act/view/ru-ru/111600"),
        ("http://www.auca.kg/en/tspc", "auca.kg", "http://www.auca.kg/en/tspc"),
        ("Tian Shan Policy Center, American University of Central Asia (auca.kg/en/tspc)",
         "Tian Shan Policy Center, American University of Central Asia", "https://auca.kg/en/tspc"),
        ("Тянь-Шаньский аналитический центр, АУЦА (auca.kg/ru/tspc)", "Тянь-Шаньский аналитический центр, АУЦА", "https://auca.kg/ru/tspc"),
        ("deep-foundation/russian-laws@3507a48:data/html/102078828.html (pravo.gov.ru IPS export, nd=102078828)",
         "pravo.gov.ru", "https://github.com/deep-foundation/russian-laws/blob/3507a48/data/html/102078828.html"),
        ("nltk/nltk_data@0a8b3c1:packages/corpora/udhr2.zip (udhr2/kir.txt)",
         "nltk/nltk_data (GitHub)", "https://github.com/nltk/nltk_data/blob/0a8b3c1/packages/corpora/udhr2.zip"),
        ("MederX/RAG-kyrgyz-laws@eeee229:laws/Трудовой кодекс.txt", "MederX/RAG-kyrgyz-laws (GitHub)",
         "https://github.com/MederX/RAG-kyrgyz-laws/blob/eeee229/laws/%D0%A2%D1%80%D1%83%D0%B4%D0%BE%D0%B2%D0%BE%D0%B9%20%D0%BA%D0%BE%D0%B4%D0%B5%D0%BA%D1%81.txt"),
        ("auca.kg/en/tspc", "auca.kg", "https://auca.kg/en/tspc"),
        ("Министерство труда Кыргызской Республики", "Министерство труда Кыргызской Республики", ""),
        ("Ministry of Labour (see notes)", "Ministry of Labour (see notes)", ""),  # not a site in the parentheses
        ("  spaced\n out  ", "spaced out", ""),
        ("", "", ""),
        ("javascript:alert(1)", "javascript:alert(1)", ""),  # never a link
        ("ftp://example.org/file", "ftp://example.org/file", ""),
    ],
)
def test_provenance(source, publisher, url):
    assert provenance(source) == Provenance(publisher, url)


def test_a_file_path_is_no_publisher():
    """A document nobody described has its own path as source: nothing to say about who published it."""
    assert provenance("/data/corpus/kg/law.txt", "/data/corpus/kg/law.txt", "kg/law.txt") == Provenance("", "")
    assert provenance("kg/law.txt", "/data/corpus/kg/law.txt", "kg/law.txt") == Provenance("", "")
