"""An act's number, status and edition at index time (metadata.build_meta), and in its citation.

The manifest wins over the text; the text (act_facts) fills what the title does not say.
"""

from __future__ import annotations

from pathlib import Path

from indexer.citation import cite
from indexer.manifest import manifest_signature
from indexer.metadata import TEXT_TITLE_CHARS, build_meta
from indexer.models import DocMeta, Extracted, Page

REPEALED_CODE = """Утратил силу - Федеральный закон от 03.06.2006 г. N 73-ФЗ

ВОДНЫЙ КОДЕКС РОССИЙСКОЙ ФЕДЕРАЦИИ

(В редакции федеральных законов от 30.12.2001 N 194-ФЗ, от 31.12.2005 N 199-ФЗ)

Статья 1. Основные понятия
...
Москва, Кремль
16 ноября 1995 года
N 167-ФЗ
"""

CURRENT_CODE = """УГОЛОВНЫЙ КОДЕКС РОССИЙСКОЙ ФЕДЕРАЦИИ

(В редакции федеральных законов от 27.05.1998 № 77-ФЗ, от 04.08.2023 № 413-ФЗ)

Статья 1. Уголовное законодательство Российской Федерации
...
Москва, Кремль
13 июня 1996 года
N 63-ФЗ
"""


def _meta(tmp_path: Path, text: str, row: dict[str, str]) -> DocMeta:
    path = tmp_path / "ru" / "code.txt"
    path.parent.mkdir(exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return build_meta(path, tmp_path, Extracted([Page(1, text)]), row)


def test_a_code_gets_its_number_status_and_edition_from_its_text(tmp_path):
    meta = _meta(tmp_path, CURRENT_CODE, {"title": "Уголовный кодекс Российской Федерации"})
    assert (meta.number, meta.status, meta.edition) == ("63-ФЗ", "in_force", "2023-08-04")
    repealed = _meta(tmp_path, REPEALED_CODE, {"title": "Водный кодекс Российской Федерации"})
    assert (repealed.number, repealed.status, repealed.edition) == ("167-ФЗ", "repealed", "2005-12-31")


def test_the_manifest_wins_over_the_text(tmp_path):
    row = {"title": "Водный кодекс", "number": "999-ФЗ", "status": "in_force", "edition": "2006-01-01"}
    meta = _meta(tmp_path, REPEALED_CODE, row)
    assert (meta.number, meta.status, meta.edition) == ("999-ФЗ", "in_force", "2006-01-01")


def test_a_number_in_the_title_wins_over_the_text(tmp_path):
    meta = _meta(tmp_path, CURRENT_CODE, {"title": "Уголовный кодекс от 13.06.1996 N 64-ФЗ"})
    assert meta.number == "64-ФЗ"


def test_bad_manifest_values_fall_back_to_the_text(tmp_path):
    meta = _meta(tmp_path, REPEALED_CODE, {"title": "Водный кодекс", "status": "maybe", "edition": "yesterday"})
    assert (meta.status, meta.edition) == ("repealed", "2005-12-31")


def test_empty_act_columns_leave_a_manifest_row_signature_unchanged():
    row = {"title": "T", "country": "ru"}
    assert manifest_signature(row) == manifest_signature({**row, "number": "", "status": "", "edition": ""})
    assert manifest_signature(row) != manifest_signature({**row, "status": "repealed"})


def test_the_citation_names_the_edition_and_a_repeal():
    meta = DocMeta("d", "/d", "d", title="Уголовный кодекс Российской Федерации", number="63-ФЗ",
                   date="1996-06-13", edition="2023-08-04", language="ru")
    assert cite(meta, "Статья 322.1") == (
        "Уголовный кодекс Российской Федерации, № 63-ФЗ, 13.06.1996 (ред. от 04.08.2023), Статья 322.1"
    )
    meta.status = "repealed"
    assert "(ред. от 04.08.2023; утратил силу)" in cite(meta)
    assert cite(DocMeta("d", "/d", "d", title="C189", language="en", edition="2011-06-16")) == (
        "C189 (as amended on 16.06.2011)"
    )


def test_an_untitled_text_is_titled_by_its_first_line_or_the_start_of_its_first_paragraph(tmp_path):
    """Every passage indexes its document's title: a paragraph taken whole would be indexed twice."""
    assert _meta(tmp_path, "О трудовой миграции\n\nСтатья 1. Текст закона.", {}).title == "О трудовой миграции"
    first = "Иностранный гражданин, прибывший в Российскую Федерацию в порядке, не требующем получения визы, вправе работать. "
    paragraph = first + "Патент выдается на срок от одного до двенадцати месяцев " * 10
    assert _meta(tmp_path, paragraph, {}).title == first.strip()  # its first sentence
    words = _meta(tmp_path, "слово " * 100, {}).title
    assert words.endswith("…") and len(words) <= TEXT_TITLE_CHARS + 1 and "слов…" not in words  # cut between words
    assert _meta(tmp_path, "Статья 5. Права. " + "Иностранные граждане имеют право " * 10, {}).title != "Статья 5."
