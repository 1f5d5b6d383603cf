"""PDF extraction on the real Kyrgyz Civil Code, the hostile test PDFs and PDFs generated with known content."""

from __future__ import annotations

import time

import pytest

from indexer.extract import extract, ocr
from indexer.extract.pdf import extract_pdf, sensible_title
from indexer.extract.timeout import TimeLimitExceeded, can_enforce, time_limit
from indexer.models import ExtractionError
from tests.corpus_files import TEST_PDFS
from tests.pdfgen import make_damaged_pdf, make_image_pdf, make_pdf

CIVIL_CODE = "pdf/kg-grazhdanskii-kodeks-ch1.pdf"


def test_kyrgyz_civil_code_first_pages_keep_page_numbers_and_cyrillic(corpus):
    extracted = extract(corpus / CIVIL_CODE, max_pages=3)
    assert [p.number for p in extracted.pages] == [1, 2, 3]
    assert "ГРАЖДАНСКИЙ КОДЕКС КЫРГЫЗСКОЙ РЕСПУБЛИКИ" in extracted.pages[0].text
    assert "Статья 1. Отношения, регулируемые гражданским законодательством" in extracted.pages[1].text
    assert extracted.warnings == []


def test_justified_lines_are_not_torn_apart(corpus):
    # with pdfminer's default char_margin "отношений," landed lines away from "регулируемых им"
    page = extract(corpus / CIVIL_CODE, max_pages=3).pages[2].text
    assert "участников регулируемых\nим отношений, неприкосновенности собственности" in page


def test_generated_cyrillic_pdf_strips_running_header_footer_and_joins_hyphenated_word(tmp_path):
    pages = [
        "Статья 1. Общие положения\nТрудовые мигран-\nты пользуются правами, установленными законом.",
        "Статья 2. Разрешение на работу\nРаботодатель обязан уведомить орган.",
        "Статья 3. Патент\nИностранный гражданин получает патент.",
        "Статья 4. Заключительные положения\nНастоящий Закон вступает в силу.",
    ]
    path = make_pdf(tmp_path / "law.pdf", pages, title="Закон о внешней миграции",
                    header="Закон Кыргызской Республики о внешней миграции", footer="Страница {page}")
    extracted = extract(path)
    assert extracted.title == "Закон о внешней миграции"
    assert [p.number for p in extracted.pages] == [1, 2, 3, 4]
    for page, source in zip(extracted.pages, pages, strict=True):
        assert page.text.startswith(source.split("\n")[0])
        assert "Закон Кыргызской Республики о внешней миграции" not in page.text
        assert "Страница" not in page.text
    assert "Трудовые мигранты пользуются" in extracted.pages[0].text


def test_damaged_page_costs_only_that_page(tmp_path):
    path = make_damaged_pdf(tmp_path / "d.pdf", ["Первая страница", "Вторая страница", "Третья страница"], 2)
    extracted = extract(path)
    assert [(p.number, p.text) for p in extracted.pages] == [
        (1, "Первая страница"), (2, ""), (3, "Третья страница")
    ]
    assert len(extracted.warnings) == 1 and extracted.warnings[0].startswith("page 2: unreadable")


@pytest.mark.parametrize("name", sorted(p.name for p in TEST_PDFS.glob("encrypted-*.pdf")))
def test_password_protected_pdfs_are_refused(test_pdfs, name):
    with pytest.raises(ExtractionError, match=r"^encrypted PDF \(password required\)$"):
        extract(test_pdfs / name)


def test_pdf_encrypted_with_empty_user_password_is_extracted(test_pdfs):
    extracted = extract(test_pdfs / "us-dmca-1998-summary-encrypted.pdf", max_pages=2)
    assert "THE DIGITAL MILLENNIUM COPYRIGHT ACT OF 1998" in extracted.pages[0].text
    assert extracted.title == "The Digital Millennium Copyright Act of 1998"


def test_generated_encrypted_pdfs(tmp_path):
    owner_only = make_pdf(tmp_path / "owner.pdf", ["Текст защищён от изменения"], owner_password="owner")
    assert extract(owner_only).pages[0].text == "Текст защищён от изменения"
    locked = make_pdf(tmp_path / "locked.pdf", ["Секретный текст"], user_password="secret")
    with pytest.raises(ExtractionError, match="password required"):
        extract(locked)


@pytest.mark.parametrize("name,pages,word", [
    ("scan-book-page-c02-22.pdf", 1, "garden"), ("scan-francais-pangram.pdf", 1, "whisky"),
    ("scan-jbig2-brochure.pdf", 1, "LinnSequencer"), ("scan-rotated-skewed-brochure.pdf", 1, "LinnSequencer"),
])
def test_scanned_pdfs_are_ocred_or_have_no_text(test_pdfs, name, pages, word):
    extracted = extract(test_pdfs / name)
    assert len(extracted.pages) == pages
    if ocr.available():  # tesseract reads the page images
        assert word in extracted.pages[0].text
    else:
        assert not extracted.has_text


def test_partly_scanned_pdf_names_its_image_only_pages(test_pdfs):
    extracted = extract(test_pdfs / "scan-multipage-6p.pdf")
    assert [p.number for p in extracted.pages] == [1, 2, 3, 4, 5, 6]
    empty = [p.number for p in extracted.pages if not p.text]
    if ocr.available():
        assert empty == [] and "tip-toeing" in extracted.pages[0].text
    else:
        assert empty == [1, 2, 3, 5, 6]
        assert any(w.startswith("pages 1-3, 5-6: image only") for w in extracted.warnings)


def test_generated_image_only_pdf_has_no_text_layer(tmp_path):
    extracted = extract(make_image_pdf(tmp_path / "scan.pdf", pages=2))
    assert [p.number for p in extracted.pages] == [1, 2]
    if ocr.available():
        assert "Статья 2" in extracted.pages[1].text
    else:
        assert not extracted.has_text


def test_broken_pdfs(test_pdfs):
    with pytest.raises(ExtractionError, match="^empty file$"):
        extract(test_pdfs / "broken-empty-0-bytes.pdf")
    with pytest.raises(ExtractionError, match=r"^unreadable PDF \(PDFSyntaxError"):
        extract(test_pdfs / "broken-invalid-no-trailer.pdf")
    zen = extract(test_pdfs / "broken-zen-of-python-corrupted.pdf")
    assert "Beautiful is better than ugly." in zen.pages[0].text
    assert zen.title is None  # its /Title is the file name "zen_of_python.txt"
    malformed = extract(test_pdfs / "broken-malformed-issue-932.pdf")
    assert len(malformed.pages) == 1 and "2021" in malformed.pages[0].text


def test_random_bytes_named_pdf(tmp_path):
    path = tmp_path / "random.pdf"
    path.write_bytes(bytes((i * 7919 + 13) % 256 for i in range(4096)))
    with pytest.raises(ExtractionError, match=r"^not a PDF"):
        extract(path)


def test_truncated_pdf_is_an_error_or_a_partial_result_never_a_crash(test_pdfs, tmp_path):
    data = (test_pdfs / "us-scotus-transcript-knowles-p1.pdf").read_bytes()
    path = tmp_path / "cut.pdf"
    path.write_bytes(data[: len(data) // 3])
    try:
        extracted = extract(path)
    except ExtractionError as exc:
        assert exc.reason
    else:
        assert extracted.warnings or extracted.pages


def test_rotated_table_page_reads_as_words_and_fast(test_pdfs):
    started = time.process_time()  # CPU time: a busy shared machine does not make it fail
    text = extract(test_pdfs / "us-nics-background-checks-2015-11-rotated.pdf").pages[0].text
    assert time.process_time() - started < 5  # pdfminer's default layout took 17 s on this page
    assert "Alabama\nAlaska\nArizona\n" in text


def test_vertical_margin_stamps_are_words_not_letter_columns(test_pdfs):
    pages = extract(test_pdfs / "us-federal-register-2020-17221.pdf", max_pages=3).pages
    lines = [line for p in pages for line in p.text.split("\n") if line.strip()]
    assert sum(1 for line in lines if len(line.strip()) == 1) < 0.02 * len(lines)


@pytest.mark.parametrize("raw,expected", [
    (b"The Digital Millennium Copyright Act of 1998", "The Digital Millennium Copyright Act of 1998"),
    (b"zen_of_python.txt", None),
    (b"10811.exe", None),
    (b"Untitled", None),
    (b"Adobe Photoshop PDF", None),
    (b"civil_code_part1", None),
    ("Microsoft Word - Гражданский кодекс.doc", "Гражданский кодекс"),
    (b"\xfe\xff" + "Закон о миграции".encode("utf-16-be"), "Закон о миграции"),
    (None, None),
    (b"", None),
])
def test_pdf_metadata_title_is_used_only_when_sensible(raw, expected):
    assert sensible_title(raw) == expected


@pytest.mark.skipif(not can_enforce(), reason="SIGALRM time limits need the main thread on POSIX")
def test_time_limit_interrupts_a_long_step():
    started = time.monotonic()
    with pytest.raises(TimeLimitExceeded), time_limit(0.2):
        while True:
            pass
    assert time.monotonic() - started < 2


@pytest.mark.skipif(not can_enforce(), reason="SIGALRM time limits need the main thread on POSIX")
def test_slow_pages_are_skipped_with_a_warning_not_a_hang(corpus):
    path = corpus / CIVIL_CODE
    extracted = extract_pdf(path, max_pages=2, page_timeout=0.001)
    assert [p.number for p in extracted.pages] == [1, 2]
    assert extracted.warnings == [f"page {n}: skipped (took longer than 0 s)" for n in (1, 2)]
    assert extracted.timed_out == [1, 2]


def test_file_time_budget_leaves_the_rest_unextracted_but_counted(test_pdfs):
    extracted = extract_pdf(test_pdfs / "us-dmca-1998-summary-encrypted.pdf", file_budget=0)
    assert [p.number for p in extracted.pages] == list(range(1, 19))
    assert not extracted.has_text
    assert extracted.warnings == ["pages 1-18: not extracted (file took longer than 0 s)"]
    assert extracted.timed_out == list(range(1, 19))


def test_a_pdf_that_ran_out_of_time_is_reported_as_timed_out_not_as_without_text(test_pdfs, monkeypatch):
    from indexer import writer
    from indexer.extract import pdf

    monkeypatch.setitem(pdf.extract_pdf.__kwdefaults__, "file_budget", 0)
    path = test_pdfs / "us-dmca-1998-summary-encrypted.pdf"
    result = writer.process_file(writer._Job(path, path.parent, {}, "", 0, 0, ""))
    assert result.meta is None and result.passages == []
    assert result.error == "timed out: no text read (18 of 18 pages over the time limit)"


@pytest.mark.skipif(not ocr.available(), reason="OCR needs tesseract and pdftoppm on PATH (not installed)")
def test_image_only_pages_are_read_by_ocr_when_installed(tmp_path):
    extracted = extract(make_image_pdf(tmp_path / "scan.pdf", pages=1))
    assert "Статья" in extracted.pages[0].text or "Скан" in extracted.pages[0].text


def test_xfa_form_is_flagged(test_pdfs):
    extracted = extract(test_pdfs / "ca-imm1344e-application-to-sponsor-xfa.pdf")
    assert "Please wait" in extracted.pages[0].text
    assert any(w.startswith("XFA form") for w in extracted.warnings)
    assert not any(w.startswith("XFA") for w in extract(test_pdfs / "us-irs-form-1040nr-2007.pdf", max_pages=1).warnings)


def test_an_ocr_program_stopped_by_an_interrupt_stops_the_run_instead_of_emptying_the_page():
    """A page whose OCR was interrupted is not a page OCR failed on: recording it as a failure
    left it empty, and the next run called the file unchanged."""
    for sig in ("INT", "TERM"):
        with pytest.raises(KeyboardInterrupt):
            ocr._run(["sh", "-c", f"kill -{sig} $$"])
    with pytest.raises(ocr.OCRError, match="exited 3"):
        ocr._run(["sh", "-c", "exit 3"])


def test_ocr_programs_run_in_a_session_of_their_own():
    """A terminal's Ctrl-C goes to the foreground process group: it must reach only the indexer,
    which stops tesseract itself."""
    import os
    import sys

    child_session = ocr._run([sys.executable, "-c", "import os; print(os.getsid(0))"]).strip()
    assert int(child_session) != os.getsid(0)
