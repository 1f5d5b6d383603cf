"""normalize_text and strip_repeated_lines, on strings and on a PDF made here and read by pdfminer."""

from __future__ import annotations

from pathlib import Path

import pytest

from analyzers import normalize_text, strip_repeated_lines, text_analyzer

FONT = Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")


def test_superscript_after_a_number_is_a_sub_number():
    assert normalize_text("Статья 327¹. Глава 50¹") == "Статья 327.1. Глава 50.1"
    assert normalize_text("Статья 15²³") == "Статья 15.23"
    assert normalize_text("площадь 5 м²") == "площадь 5 м2"  # not after a number: plain NFKC


def test_nfkc_ligatures_spaces_and_line_ends():
    assert normalize_text("ﬁnal\u00a0text") == "final text"
    assert normalize_text("a\r\nb\rc") == "a\nb\nc"
    assert normalize_text("a  \t b   \n\nc") == "a b\n\nc"
    assert normalize_text("№ 115-ФЗ") == "№ 115-ФЗ"  # NFKC would make it "No"
    assert normalize_text("1948\u2010жылдын") == "1948-жылдын"


def test_soft_hyphens_and_invisible_characters_go():
    assert normalize_text("миг\u00adрантов") == "мигрантов"
    assert normalize_text("миг\u00ad\nрантов") == "мигрантов"
    assert normalize_text("за\u200bкон\ufeff") == "закон"
    assert normalize_text("ста\u0301тья") == "статья"  # stress marks in dictionaries and textbooks
    assert normalize_text("е\u0308ж") == "ёж"  # decomposed letters are composed (NFKC)


def test_words_broken_at_a_line_end_are_joined():
    assert normalize_text("права мигран-\nтов и") == "права мигрантов и"
    assert normalize_text("пред- \n ставитель") == "представитель"
    assert normalize_text("кыргызско-\nроссийский") == "кыргызско-российский"
    assert normalize_text("из-\nза") == "из-за"
    assert normalize_text("Статья 5 -\nтекст") == "Статья 5 -\nтекст"  # a dash, not a break
    assert normalize_text("employ-\nment") == "employment"


def test_line_structure_is_kept():
    text = "Глава 1\n\nСтатья 1. Предмет\nТекст статьи.\n"
    assert normalize_text(text) == text


def test_bad_input():
    assert normalize_text(None) == ""
    assert normalize_text("") == ""
    with pytest.raises(TypeError, match="str"):
        normalize_text(b"bytes")
    with pytest.raises(TypeError):
        strip_repeated_lines("not a list")


def _pages(corpus) -> list[str]:
    """Five pages of a real law, each with the running header and footer a PDF would carry."""
    body = (corpus / "ru/109-fz-o-migratsionnom-uchete.txt").read_text(encoding="utf-8")
    lines = [line for line in body.splitlines() if line.strip()][:40]
    pages = []
    for n in range(5):
        chunk = "\n".join(lines[n * 8 : n * 8 + 8])
        pages.append(f"Федеральный закон N 109-ФЗ\n{chunk}\nСтраница {n + 1} из 5\n{n + 1}")
    return pages, lines


def test_repeated_headers_footers_and_page_numbers_are_dropped(corpus):
    pages, lines = _pages(corpus)
    cleaned = strip_repeated_lines(pages)
    assert len(cleaned) == len(pages)
    for n, page in enumerate(cleaned):
        assert "Федеральный закон N 109-ФЗ" not in page
        assert "Страница" not in page
        assert page.splitlines() == lines[n * 8 : n * 8 + 8]


def test_text_lines_are_kept_even_when_repeated(corpus):
    pages, lines = _pages(corpus)
    # a formula repeated inside pages, and an article heading opening every page
    pages = [
        page.replace("\n", "\nСтатья 1. Общие положения\n", 1).replace(
            lines[n * 8 + 3], lines[n * 8 + 3] + "\nутратил силу"
        )
        for n, page in enumerate(pages)
    ]
    cleaned = strip_repeated_lines(pages)
    assert all("утратил силу" in page for page in cleaned)
    assert all(page.startswith("Статья 1. Общие положения") for page in cleaned)
    assert strip_repeated_lines([]) == []
    assert strip_repeated_lines(["одна страница\n7"]) == ["одна страница"]


def test_pdf_pages_normalised_and_cleaned(tmp_path, corpus):
    fpdf = pytest.importorskip("fpdf")
    from pdfminer.high_level import extract_text

    if not FONT.exists():
        pytest.skip("DejaVu font not installed")
    _, lines = _pages(corpus)
    pdf = fpdf.FPDF()
    pdf.add_font("dejavu", fname=str(FONT))
    pdf.set_font("dejavu", size=11)
    for n in range(4):
        pdf.add_page()
        body = [
            "О правовом положении иностранных граждан",
            f"Статья 1{n}{'¹' if n == 1 else ''}. {lines[n][:40]}",
            "Права трудовых мигран-",
            f"тов {lines[n + 5][:40]}",
            lines[n + 10][:60],
            f"- {n + 1} -",
        ]
        for line in body:
            pdf.cell(text=line, new_x="LMARGIN", new_y="NEXT")
    path = tmp_path / "law.pdf"
    pdf.output(str(path))

    raw = [extract_text(str(path), page_numbers=[i]) for i in range(4)]
    pages = strip_repeated_lines([normalize_text(text) for text in raw])
    assert all("О правовом положении" not in page for page in pages)
    assert all("Права трудовых мигрантов" in page for page in pages)
    assert "Статья 11.1." in pages[1]
    assert all(not page.strip().endswith("-") for page in pages)
    terms = {t.text for t in text_analyzer()(pages[0])}
    assert {"мигрант", "=мигрантов"} <= terms


def _pdf_pages(path: Path, count: int) -> list[str]:
    from pdfminer.high_level import extract_text

    return [normalize_text(extract_text(str(path), page_numbers=[i])) for i in range(count)]


def _removed(before: str, after: str) -> list[str]:
    kept = after.split("\n")
    return [line for line in before.split("\n") if line not in kept]


def test_real_pdf_running_headers_go(test_pdfs):
    pages = _pdf_pages(test_pdfs / "us-irs-instructions-1040nr-2007.pdf", 5)
    cleaned = strip_repeated_lines(pages)
    for n in range(1, 5):
        removed = _removed(pages[n], cleaned[n])
        assert f"Page {n + 1} of 48 Instructions for Form 1040NR" in removed
        assert len(removed) <= 3
    pages = _pdf_pages(test_pdfs / "us-federal-register-2020-17221.pdf", 4)
    cleaned = strip_repeated_lines(pages)
    header = "Federal Register / Vol. 85, No. 152 / Thursday, August 6, 2020 / Proposed Rules"
    assert all(header in pages[n] and header not in cleaned[n] for n in range(1, 4))


def test_real_pdf_without_headers_is_untouched(corpus):
    pages = _pdf_pages(corpus / "pdf/kg-grazhdanskii-kodeks-ch1.pdf", 6)
    assert strip_repeated_lines(pages) == pages
