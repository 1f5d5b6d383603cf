"""Plain text and Markdown: real corpus files and generated files in legacy Cyrillic encodings."""

from __future__ import annotations

import pytest

from indexer.extract import extract
from indexer.extract.encoding import cyrillic_score, detect_encoding
from indexer.extract.text import markdown_heading, strip_inline

RUSSIAN = (
    "Статья 13.3. Особенности осуществления трудовой деятельности иностранными гражданами "
    "на основании патента.\nИностранные граждане, прибывшие в Российскую Федерацию в порядке, "
    "не требующем получения визы, вправе осуществлять трудовую деятельность.\n"
)


def test_russian_law_txt_from_corpus(corpus):
    extracted = extract(corpus / "ru" / "115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan.txt")
    assert extracted.encoding == "utf-8"
    assert len(extracted.pages) == 1 and extracted.pages[0].number == 1
    text = extracted.pages[0].text
    assert text.startswith('Федеральный закон "О правовом положении иностранных граждан')
    assert "\nСтатья 13.3. Особенности трудовой деятельности иностранных граждан, прибывших" in text


def test_kyrgyz_texts_from_corpus(corpus):
    code = extract(corpus / "kg" / "trudovoy-kodeks-kr.txt").pages[0].text
    assert code.startswith("ТРУДОВОЙ КОДЕКС КЫРГЫЗСКОЙ РЕСПУБЛИКИ\n")
    udhr = extract(corpus / "int" / "udhr-1948-ky.txt").pages[0].text
    assert "Адамзат үй-бүлөсүнүн" in udhr  # Kyrgyz letters survive decoding and normalisation


def test_markdown_convention_keeps_heading_lines_and_collects_headings(corpus):
    extracted = extract(corpus / "int" / "ilo-c097-migration-for-employment-1949.md")
    text = extracted.pages[0].text
    assert "\n###Article 1\n" in text  # the provision splitter reads these lines itself
    assert "<meta" not in text  # the raw HTML line at the top is dropped
    assert "*Convention concerning" not in text and "Convention concerning Migration for Employment" in text
    articles = [h for h in extracted.headings if h.startswith("Article ")]
    assert articles[:3] == ["Article 1", "Article 2", "Article 3"]
    assert extracted.title == "Verdrag betreffende migrerende arbeiders (herzien) 1949"


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r", "cp866", "utf-8", "utf-8-sig", "utf-16"])
def test_generated_russian_text_in_each_encoding(tmp_path, encoding):
    path = tmp_path / f"law-{encoding}.txt"
    path.write_bytes(RUSSIAN.encode(encoding))
    extracted = extract(path)
    assert extracted.pages[0].text == RUSSIAN.strip()
    expected = {"utf-16": "utf-16", "utf-8-sig": "utf-8-sig"}.get(encoding, encoding)
    assert extracted.encoding.replace("_", "-") == expected


@pytest.mark.parametrize("encoding", ["cp1251", "koi8-r"])
def test_short_legacy_texts_are_not_confused(encoding):
    # two words are enough to tell cp1251 from KOI8-R by their letter pairs
    data = "Трудовой договор".encode(encoding)
    assert detect_encoding(data) == encoding


def test_cyrillic_score_prefers_real_russian():
    right = RUSSIAN
    wrong = RUSSIAN.encode("koi8-r").decode("cp1251")
    assert cyrillic_score(right) > 3 * cyrillic_score(wrong)


def test_corpus_file_reencoded_as_cp1251_and_koi8r_decodes_back(corpus, tmp_path):
    original = (corpus / "ru" / "109-fz-o-migratsionnom-uchete.txt").read_text(encoding="utf-8")[:20000]
    for encoding in ("cp1251", "koi8-r"):
        path = tmp_path / f"109-{encoding}.txt"
        path.write_bytes(original.encode(encoding, errors="replace"))
        extracted = extract(path)
        assert extracted.encoding == encoding
        assert extracted.pages[0].text[:300] == extract_original_head(original)


def extract_original_head(original: str) -> str:
    from analyzers import normalize_text

    return normalize_text(original).strip()[:300]


def test_utf8_with_a_damaged_byte_stays_utf8(tmp_path):
    path = tmp_path / "damaged.txt"
    path.write_bytes(RUSSIAN.encode("utf-8")[:40] + b"\xff" + RUSSIAN.encode("utf-8")[40:])
    extracted = extract(path)
    assert extracted.encoding == "utf-8"
    assert extracted.pages[0].text.endswith("вправе осуществлять трудовую деятельность.")


def test_english_legacy_text_falls_back_to_a_latin_encoding(tmp_path):
    path = tmp_path / "en.txt"
    path.write_bytes("The migrant worker\u2019s right \u2013 Article 7 \u00a7 2 caf\u00e9".encode("cp1252"))
    extracted = extract(path)
    assert extracted.pages[0].text == "The migrant worker\u2019s right \u2013 Article 7 \u00a7 2 caf\u00e9"


def test_form_feeds_split_plain_text_into_pages(tmp_path):
    path = tmp_path / "pages.txt"
    path.write_text("Статья 1. Сфера\nПервая страница\fСтатья 2. Понятия\nВторая страница\fСтатья 3. Права\nТретья\f",
                    encoding="utf-8")
    pages = extract(path).pages
    assert [(p.number, p.text) for p in pages] == [
        (1, "Статья 1. Сфера\nПервая страница"), (2, "Статья 2. Понятия\nВторая страница"),
        (3, "Статья 3. Права\nТретья"),
    ]


def test_markdown_headings_with_and_without_space(tmp_path):
    path = tmp_path / "c.md"
    path.write_text(
        "# Конвенция о трудящихся-мигрантах\n\n###Article 7\nText of **article** 7 and _its_ [note](http://x/y).\n\n"
        "## **Article 8** ##\nMore text.\n\nSetext heading\n==============\n\n#hashtag-like but still a heading\n",
        encoding="utf-8",
    )
    extracted = extract(path)
    assert extracted.headings == [
        "Конвенция о трудящихся-мигрантах", "Article 7", "Article 8", "Setext heading",
        "hashtag-like but still a heading",
    ]
    assert extracted.title == "Конвенция о трудящихся-мигрантах"
    text = extracted.pages[0].text
    assert "###Article 7\nText of article 7 and its note." in text
    assert "==============" not in text
    assert "\n## Article 8\nMore text." in text


@pytest.mark.parametrize("line,heading", [
    ("###Article 7", "Article 7"), ("### Article  7  ", "Article 7"), ("## Title ##", "Title"),
    ("####Definition", "Definition"), ("####### seven", None), ("Article 7", None), ("#", None),
])
def test_markdown_heading(line, heading):
    found = markdown_heading(line)
    assert (" ".join(found.split()) if found else found) == heading


@pytest.mark.parametrize("line,plain", [
    ("**Статья 1.** Текст", "Статья 1. Текст"),
    ("snake_case_name stays", "snake_case_name stays"),
    ("2 * 3 * 4", "2 * 3 * 4"),
    ("see ![map](a.png) and [ФЗ](https://pravo.gov.ru)", "see map and ФЗ"),
    (r"escaped \*star\*", "escaped *star*"),
    ("*Convention (Revised 1949)*The General Conference", "Convention (Revised 1949) The General Conference"),
])
def test_strip_inline(line, plain):
    assert strip_inline(line) == plain
