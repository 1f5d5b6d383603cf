"""PDF text with pdfminer.six, one page at a time, so a damaged page costs only that page.

`extract_text` on a whole file loses the whole document to one bad object; here each page gets its
own converter and its own error handling, and keeps its physical page number so hits can cite it.
Pathological files (pdfminer can spend minutes on one page) are bounded by a per-page time limit
and a per-file time budget; pages left out are reported as warnings, not silently dropped.
All functions are top level and picklable, for use in worker processes.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from typing import BinaryIO

from pdfminer.converter import TextConverter
from pdfminer.layout import LAParams, LTPage, LTTextGroupLRTB
from pdfminer.pdfdocument import PDFDocument, PDFEncryptionError, PDFPasswordIncorrect
from pdfminer.pdfinterp import PDFPageInterpreter, PDFResourceManager
from pdfminer.pdfpage import PDFPage
from pdfminer.pdfparser import PDFParser
from pdfminer.pdftypes import resolve1
from pdfminer.psparser import PSLiteral
from pdfminer.utils import decode_text

from indexer import budgets
from indexer.extract import inflate, ocr
from indexer.extract.timeout import TimeLimitExceeded, time_limit
from indexer.models import Extracted, ExtractionError, Page

PAGE_TIMEOUT_SECONDS = budgets.PAGE_SECONDS
# pdfminer orders text boxes by hierarchical clustering, quadratic in their number: a dense table
# page with 1,700 boxes took 17 s instead of 0.2 s. Above this many boxes we sort top-to-bottom.
MAX_CLUSTERED_BOXES = 500
# Justified legal text has word gaps wider than pdfminer's default char_margin (2.0): lines broke
# into boxes and words moved ("... регулируемых им\nсвободы" with "отношений," elsewhere). 4.0
# joins them on the Kyrgyz code PDFs while columns stay apart (no line got longer on the
# multi-column samples: LaTeX two-column, Federal Register, IRS instructions).
CHAR_MARGIN = 4.0
# Vertical text (rotated table pages, margin stamps) otherwise comes out one letter per line:
# with detection the Kyrgyz code and IRS instructions came out identical, while the rotated NICS
# table and the Federal Register margin stamps became words.
DETECT_VERTICAL = True
FILE_BUDGET_SECONDS = budgets.FILE_SECONDS  # below the indexer's hard limit: we report, not get killed
_CID = re.compile(r"\(cid:\d+\)")
_FILENAME_TITLE = re.compile(r"^[\w.\- ]+\.(?:docx?|pdf|rtf|txt|tmp|indd|xlsx?|pptx?|ps|dvi|tex|exe|html?)$", re.I)
_PLACEHOLDER_TITLE = re.compile(
    r"^(?:untitled|untitled-?\d*|document\d*|документ\d*|title|без названия|"
    r"adobe photoshop pdf|powerpoint presentation|microsoft word|слайд \d+|\d+)$", re.I
)
_WORD_PREFIX = re.compile(r"^microsoft (?:word|powerpoint|excel) - ", re.I)

logging.getLogger("pdfminer").setLevel(logging.ERROR)  # per-object chatter would bury our warnings
inflate.install()  # no stream inflates past budgets.MAX_INFLATED_BYTES


def open_document(fh: BinaryIO) -> PDFDocument:
    """Parse the PDF structure; files that cannot be opened at all raise ExtractionError."""
    try:
        return PDFDocument(PDFParser(fh), password="")
    except PDFPasswordIncorrect as exc:
        raise ExtractionError("encrypted PDF (password required)") from exc
    except PDFEncryptionError as exc:
        raise ExtractionError(f"encrypted PDF (unsupported encryption: {exc or type(exc).__name__})") from exc
    except Exception as exc:  # pdfminer raises many kinds (PDFSyntaxError, PSEOF, KeyError, ...)
        raise ExtractionError(f"unreadable PDF ({_describe_error(exc)})") from exc


def _describe_error(exc: BaseException) -> str:
    message = " ".join(str(exc).split())[:200]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def sensible_title(raw: object) -> str | None:
    """The document's /Title if it names the document, not a file, a tool or a placeholder."""
    if isinstance(raw, bytes):
        raw = decode_text(raw)
    if isinstance(raw, PSLiteral):
        raw = str(raw.name)
    if not isinstance(raw, str):
        return None
    title = " ".join(raw.replace("\x00", "").split())
    title = _WORD_PREFIX.sub("", title)
    title = re.sub(r"\.(?:docx?|rtf|pdf)$", "", title, flags=re.I) if _WORD_PREFIX.match(raw) else title
    letters = sum(ch.isalpha() for ch in title)
    if letters < 4 or "\ufffd" in title or _CID.search(title):
        return None
    if _FILENAME_TITLE.match(title) or _PLACEHOLDER_TITLE.match(title):
        return None
    if " " not in title and ("_" in title or len(title) > 40):  # "civil_code_part1", hashes
        return None
    return title


def document_title(document: PDFDocument) -> str | None:
    for info in document.info or []:
        try:
            title = sensible_title(resolve1(info.get("Title")))
        except Exception:  # a broken info dictionary only costs the title
            title = None
        if title:
            return title
    return None


def is_xfa_form(document: PDFDocument) -> bool:
    """Dynamic XFA forms keep their content outside the page text ("Please wait..." pages)."""
    try:
        form = resolve1(document.catalog.get("AcroForm"))
        return isinstance(form, dict) and "XFA" in form
    except Exception:
        return False


def iter_pages(document: PDFDocument, warnings: list[str]) -> Iterator[PDFPage]:
    """The document's pages in order; a broken page tree ends the list with a warning."""
    pages = PDFPage.create_pages(document)
    number = 0
    while True:
        try:
            page = next(pages)
        except StopIteration:
            return
        except Exception as exc:
            warnings.append(f"page {number + 1}: page tree unreadable from here on ({_describe_error(exc)})")
            return
        number += 1
        yield page


class _BoundedLayoutPage(LTPage):
    """An LTPage whose reading-order clustering falls back to a linear sort on crowded pages."""

    def group_textboxes(self, laparams, boxes):
        if len(boxes) <= MAX_CLUSTERED_BOXES:
            return super().group_textboxes(laparams, boxes)
        return [LTTextGroupLRTB(list(boxes))]


class _PageTextConverter(TextConverter):
    """TextConverter that lays pages out with _BoundedLayoutPage."""

    def begin_page(self, page: PDFPage, ctm) -> None:
        super().begin_page(page, ctm)
        self.cur_item = _BoundedLayoutPage(self.cur_item.pageid, self.cur_item.bbox)


def page_text(page: PDFPage, resources: PDFResourceManager, laparams: LAParams) -> str:
    """The text of one page, in pdfminer's reading order (a fresh converter per page)."""
    out = StringIO()
    device = _PageTextConverter(resources, out, laparams=laparams)
    try:
        PDFPageInterpreter(resources, device).process_page(page)
    finally:
        device.close()
    return out.getvalue().replace("\f", "")


def page_has_images(page: PDFPage) -> bool:
    """True if the page paints an image (possibly inside a form XObject): a scan, not a blank page."""
    try:
        return _has_images(resolve1(page.resources), depth=0)
    except Exception:
        return False


def _has_images(resources: object, depth: int) -> bool:
    if not isinstance(resources, dict) or depth > 3:
        return False
    xobjects = resolve1(resources.get("XObject"))
    if not isinstance(xobjects, dict):
        return False
    for ref in xobjects.values():
        xobj = resolve1(ref)
        attrs = getattr(xobj, "attrs", None) or {}
        subtype = resolve1(attrs.get("Subtype"))
        name = getattr(subtype, "name", subtype)
        if name in ("Image", b"Image"):
            return True
        if name in ("Form", b"Form") and _has_images(resolve1(attrs.get("Resources")), depth + 1):
            return True
    return False


def _clean(text: str, number: int, warnings: list[str]) -> str:
    cids = len(_CID.findall(text))
    if cids:
        text = _CID.sub("", text)
        if cids > max(20, len(text.split())):
            warnings.append(f"page {number}: text layer mostly unusable (font without character map)")
    return text


def extract_pdf(
    path: Path,
    *,
    max_pages: int | None = None,
    page_timeout: float = PAGE_TIMEOUT_SECONDS,
    file_budget: float = FILE_BUDGET_SECONDS,
) -> Extracted:
    """Pages of a PDF with their physical numbers; image-only pages have empty text (or OCR text)."""
    warnings: list[str] = []
    pages: list[Page] = []
    image_only: list[int] = []
    timed_out: list[int] = []
    started = time.monotonic()
    try:
        fh = path.open("rb")
    except OSError as exc:
        raise ExtractionError.unreadable(exc) from exc
    with fh:
        document = open_document(fh)
        title = document_title(document)
        if is_xfa_form(document):
            warnings.append("XFA form: its content is generated by the viewer; only the static text is extracted")
        resources = PDFResourceManager(caching=True)
        laparams = LAParams(char_margin=CHAR_MARGIN, detect_vertical=DETECT_VERTICAL)
        skipped_from: int | None = None
        for number, page in enumerate(iter_pages(document, warnings), start=1):
            if max_pages is not None and number > max_pages:
                break
            if skipped_from is None and time.monotonic() - started > file_budget:
                skipped_from = number
            if skipped_from is not None:
                pages.append(Page(number, ""))
                timed_out.append(number)
                continue
            read = False
            try:
                with time_limit(page_timeout):
                    text = page_text(page, resources, laparams)
                read = True
            except TimeLimitExceeded:
                warnings.append(f"page {number}: skipped (took longer than {page_timeout:.0f} s)")
                timed_out.append(number)
                text = ""
            except Exception as exc:
                warnings.append(f"page {number}: unreadable ({_describe_error(exc)})")
                text = ""
            text = _clean(text, number, warnings)
            if read and not text.strip() and page_has_images(page):
                image_only.append(number)
            pages.append(Page(number, text))
    if skipped_from is not None:
        warnings.append(
            f"pages {skipped_from}-{len(pages)}: not extracted (file took longer than {file_budget:.0f} s)"
        )
    if not pages and not warnings:
        raise ExtractionError("PDF has no pages")
    if not pages:
        raise ExtractionError(f"unreadable PDF ({warnings[0]})")
    if image_only:
        _ocr_pages(path, pages, image_only, warnings)
    return Extracted(pages=pages, title=title, warnings=warnings, timed_out=timed_out)


def _ocr_pages(path: Path, pages: list[Page], numbers: list[int], warnings: list[str]) -> None:
    """Fill image-only pages with OCR text where tesseract is installed; otherwise say so once."""
    if not ocr.available():
        if len(numbers) < len(pages):  # a whole-scan file is reported as "no text layer" by the indexer
            warnings.append(f"pages {_ranges(numbers)}: image only, no text layer (OCR not installed)")
        return
    by_number = {p.number: p for p in pages}
    for number in numbers:
        try:
            by_number[number].text = ocr.ocr_pdf_page(path, number)
        except ocr.OCRError as exc:
            warnings.append(f"page {number}: OCR failed ({exc})")


def _ranges(numbers: list[int]) -> str:
    """[1, 2, 3, 7] -> "1-3, 7", for short warnings."""
    parts: list[str] = []
    start = prev = numbers[0]
    for n in [*numbers[1:], None]:
        if n is not None and n == prev + 1:
            prev = n
            continue
        parts.append(f"{start}-{prev}" if prev > start else str(start))
        if n is not None:
            start = prev = n
    return ", ".join(parts)
