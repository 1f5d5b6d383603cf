"""DOCX documents with python-docx: paragraphs and tables in reading order, headings collected.

Word files carry structure in paragraph styles ("Heading 1", localised "Заголовок 1") or in an
outline level set directly on a paragraph; both count as headings. Tables are read row by row,
cells joined with " | ", so requirement lists kept in tables are searchable too.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from indexer import budgets
from indexer.models import Extracted, ExtractionError, Page

HEADING_STYLE_PREFIXES = ("heading", "заголовок", "title", "название")
_W_NS = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _is_heading(paragraph) -> bool:
    style = paragraph.style
    name = (style.name or "").lower() if style is not None else ""
    if name.startswith(HEADING_STYLE_PREFIXES):
        return True
    ppr = paragraph._p.pPr
    return ppr is not None and ppr.find(f"{_W_NS}outlineLvl") is not None


def _is_title_style(paragraph) -> bool:
    style = paragraph.style
    return style is not None and (style.name or "").lower() in {"title", "название"}


def _table_lines(table) -> Iterator[str]:
    for row in table.rows:
        seen: set[int] = set()
        cells: list[str] = []
        for cell in row.cells:
            if id(cell._tc) in seen:  # a merged cell is returned once per grid column it spans
                continue
            seen.add(id(cell._tc))
            parts = [p.text.strip() for p in cell.paragraphs if p.text.strip()]
            parts += [line for inner in cell.tables for line in _table_lines(inner)]
            if parts:
                cells.append(" ".join(parts))
        if cells:
            yield " | ".join(cells)


def check_parts(path: Path) -> None:
    """Refuse a DOCX whose parts would inflate past the budget, before anything is inflated.

    python-docx reads every part whole; a 3 MB file of repeated empty paragraphs inflates to
    gigabytes. zipfile stops a member at its declared size, so the declared sizes are a bound.
    """
    limit = budgets.MAX_INFLATED_BYTES
    with zipfile.ZipFile(path) as archive:
        for info in archive.infolist():
            if info.file_size > limit:
                raise ExtractionError(
                    f"DOCX part {info.filename} inflates to {info.file_size // (1024 * 1024)} MB, "
                    f"past the {limit // (1024 * 1024)} MB budget"
                )


def _open(path: Path):
    import docx  # python-docx; imported here so text-only runs do not pay for lxml

    try:
        with zipfile.ZipFile(path) as zf:
            is_word = "word/document.xml" in zf.namelist()
        if not is_word:  # .xlsx, .odt, a plain archive: ZIP files that are not Word documents
            raise ExtractionError("not a DOCX (a ZIP archive without word/document.xml)")
        check_parts(path)
        return docx.Document(str(path))
    except ExtractionError:
        raise
    except PermissionError as exc:
        raise ExtractionError.unreadable(exc) from exc
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as exc:
        raise ExtractionError(f"unreadable DOCX ({type(exc).__name__}: {exc})") from exc
    except Exception as exc:  # python-docx raises its own PackageNotFoundError and lxml errors
        raise ExtractionError(f"unreadable DOCX ({type(exc).__name__}: {exc})") from exc


def extract_docx(path: Path) -> Extracted:
    """A DOCX file as one page; title from core properties, a Title paragraph, or the first heading."""
    document = _open(path)
    lines: list[str] = []
    headings: list[str] = []
    styled_title: str | None = None
    for block in document.iter_inner_content():
        if hasattr(block, "rows"):
            lines.extend(_table_lines(block))
            continue
        text = block.text.strip()
        if not text:
            continue
        lines.append(text)
        if _is_heading(block):
            headings.append(text)
            if styled_title is None and _is_title_style(block):
                styled_title = text
    core_title = (document.core_properties.title or "").strip()
    title = core_title if len(core_title) > 3 else styled_title or (headings[0] if headings else None)
    return Extracted(pages=[Page(1, "\n".join(lines))], title=title, headings=headings)
