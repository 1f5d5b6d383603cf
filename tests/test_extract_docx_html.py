"""DOCX (corpus files and documents built with python-docx) and HTML (pages written by the test)."""

from __future__ import annotations

import docx
import pytest

from indexer.extract import extract
from indexer.extract.html import html_encoding, parse_html
from indexer.models import ExtractionError


@pytest.mark.parametrize("name,opening", [
    ("perechen-dokumentov-vzh-trudovaya-deyatelnost.docx", "Заявление о выдаче ВЖ в 2-х экземплярах"),
    ("perechen-dokumentov-rvp-kvota.docx", "Заявление о выдаче РВП в 2-х экземплярах"),
    ("perechen-dokumentov-grazhdanstvo-ukaz-962.docx", "ПЕРЕЧЕНЬ ДОКУМЕНТОВ\nНА ПРИЕМ В ГРАЖДАНСТВО РФ"),
])
def test_corpus_docx_documents(corpus, name, opening):
    extracted = extract(corpus / "ru" / name)
    assert len(extracted.pages) == 1
    assert extracted.pages[0].text.startswith(opening)
    assert "Документ, удостоверяющий личность" in extracted.pages[0].text


def _build_docx(path, core_title: str | None) -> None:
    document = docx.Document()
    if core_title is not None:
        document.core_properties.title = core_title
    document.add_heading("Порядок найма иностранных работников", level=1)
    document.add_paragraph("Работодатель обязан получить разрешение.")
    document.add_heading("Статья 2. Документы", level=2)
    table = document.add_table(rows=3, cols=3)
    table.cell(0, 0).text = "Документ"
    table.cell(0, 1).text = "Срок"
    table.cell(0, 2).text = "Орган"
    table.cell(1, 0).text = "Патент"
    table.cell(1, 1).text = "12 месяцев"
    table.cell(1, 2).text = "МВД"
    merged = table.cell(2, 0).merge(table.cell(2, 2))
    merged.text = "Все документы подаются на русском языке"
    document.add_paragraph("Текст после таблицы.")
    document.save(str(path))


def test_generated_docx_keeps_order_tables_and_headings(tmp_path):
    path = tmp_path / "order.docx"
    _build_docx(path, core_title=None)
    extracted = extract(path)
    assert extracted.pages[0].text.split("\n") == [
        "Порядок найма иностранных работников",
        "Работодатель обязан получить разрешение.",
        "Статья 2. Документы",
        "Документ | Срок | Орган",
        "Патент | 12 месяцев | МВД",
        "Все документы подаются на русском языке",  # a merged cell appears once
        "Текст после таблицы.",
    ]
    assert extracted.headings == ["Порядок найма иностранных работников", "Статья 2. Документы"]
    assert extracted.title == "Порядок найма иностранных работников"


def test_docx_core_title_wins_over_first_heading(tmp_path):
    path = tmp_path / "titled.docx"
    _build_docx(path, core_title="Приказ о найме")
    assert extract(path).title == "Приказ о найме"


def test_zip_that_is_not_a_docx(tmp_path):
    import zipfile

    path = tmp_path / "fake.docx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "not a word document")
    with pytest.raises(ExtractionError, match="not a DOCX"):
        extract(path)


def test_truncated_docx(corpus, tmp_path):
    data = (corpus / "ru" / "perechen-dokumentov-rvp-kvota.docx").read_bytes()
    path = tmp_path / "cut.docx"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(ExtractionError):
        extract(path)


PAGE = """<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Закон о внешней миграции | Минюст КР</title>
<style>body {{ color: red }}</style><script>var menu = "Главная";</script></head>
<body>
<header><h1>Министерство юстиции</h1><nav><a href="/">Главная</a> <a href="/laws">Законы</a></nav></header>
<main>
<h1>Закон Кыргызской Республики "О внешней миграции"</h1>
<p>Настоящий Закон определяет правовые основы<br>внешней миграции.</p>
<h2>Статья 1. Основные понятия</h2>
<p>Трудящийся-мигрант &mdash; лицо, которое будет заниматься{extra}оплачиваемой деятельностью.</p>
<div style="display: none">скрытый текст</div>
<table><tr><th>Срок</th><th>Документ</th></tr><tr><td>30 дней</td><td>Патент</td></tr></table>
</main>
<aside>Популярные документы</aside>
<footer>© 2024 Минюст</footer>
</body></html>
"""


def test_html_main_text_headings_and_title(tmp_path):
    path = tmp_path / "law.html"
    path.write_text(PAGE.format(extra=" "), encoding="utf-8")
    extracted = extract(path)
    assert extracted.title == "Закон о внешней миграции | Минюст КР"
    assert extracted.headings == ['Закон Кыргызской Республики "О внешней миграции"', "Статья 1. Основные понятия"]
    lines = extracted.pages[0].text.split("\n")
    assert lines == [
        'Закон Кыргызской Республики "О внешней миграции"',
        "Настоящий Закон определяет правовые основы",
        "внешней миграции.",
        "Статья 1. Основные понятия",
        "Трудящийся-мигрант — лицо, которое будет заниматься оплачиваемой деятельностью.",
        "Срок | Документ",
        "30 дней | Патент",
    ]


def test_html_in_cp1251_with_meta_charset(tmp_path):
    path = tmp_path / "law.htm"
    markup = PAGE.format(extra=" ").replace('charset="utf-8"', 'charset="windows-1251"')
    path.write_bytes(markup.encode("cp1251"))
    extracted = extract(path)
    assert extracted.encoding == "cp1251"
    assert "Статья 1. Основные понятия" in extracted.pages[0].text


def test_html_title_falls_back_to_first_h1_and_survives_broken_markup():
    extracted = parse_html("<body><h1>Приказ № 5<p>Текст <b>без закрытия<div><h3>Раздел</h1>")
    assert extracted.title == "Приказ № 5"
    assert "Текст без закрытия" in extracted.pages[0].text


def test_html_saved_with_txt_name_is_read_as_html(tmp_path):
    path = tmp_path / "download.txt"
    path.write_text(PAGE.format(extra=" "), encoding="utf-8")
    assert "<p>" not in extract(path).pages[0].text


def test_meta_charset_parsing():
    assert html_encoding(b'<meta http-equiv="Content-Type" content="text/html; charset=koi8-r">') == "koi8-r"
    assert html_encoding(b"<meta charset=no-such-codec>") is None
    assert html_encoding(b"<p>no meta</p>") is None


def test_preformatted_law_text_keeps_its_lines():
    markup = "<html><body><pre>Статья 1. Сфера действия\nНастоящий Закон регулирует\r\nтрудовую миграцию.</pre>"
    markup += "<p>Абзац\nв одну строку</p></body></html>"
    assert parse_html(markup).pages[0].text.split("\n") == [
        "Статья 1. Сфера действия", "Настоящий Закон регулирует", "трудовую миграцию.", "Абзац в одну строку",
    ]
