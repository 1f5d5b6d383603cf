"""The real index the web tests run on (the `web_index` fixture builds it once per session).

A handful of real documents (Russian and Kyrgyz law, an ILO convention, the UDHR in Russian and
Kyrgyz), a blank "scan" PDF with no text at all, a PDF the tests print from the real text of the Kyrgyz Civil Code (about 20 pages, with
provisions running across page breaks: the real 173-page PDF costs 20 s to extract), and one
generated text file whose manifest title, source and text are HTML, to prove every page escapes
what documents say about themselves, and a generated press release naming a person, a place and
an association (tests/entity_corpus.py), so every entity page has something to show.
"""

from __future__ import annotations

from pathlib import Path

from tests.corpus_files import CORPUS, copy_corpus
from tests.entity_corpus import NGO_RELEASE
from tests.entity_corpus import write_documents as write_entity_documents

WEB_SAMPLE = [
    "ru/115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan.txt",
    "kg/trudovoy-kodeks-kr.txt",
    "int/ilo-c097-migration-for-employment-1949.md",
    "int/udhr-1948-ky.txt",
    "int/udhr-1948-ru.txt",
]
PDF_SOURCE = "kg/gk-kr-ch1.txt"  # printed into PDF_RELPATH from its Статья 1 on
PDF_RELPATH = "pdf/kg-gk-ch1-printed.pdf"
PDF_TITLE = "Гражданский кодекс Кыргызской Республики (часть I)"
PDF_CHARS = 40_000
PAGE_CHARS = 2_000
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_SOURCE = '<img src=x onerror="alert(2)">'
HOSTILE_TEXT = (
    "Статья 1. <script>alert(3)</script> Права трудового мигранта\n"
    "Трудовой мигрант имеет право на труд и отдых. <b>не жирный</b> & \"кавычки\" =HYPERLINK(\"x\")\n"
)


def write_hostile_document(folder: Path) -> None:
    """A document whose title, source, notes and text are all markup."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (folder / "MANIFEST.tsv").write_text(
        "path\ttitle\tcountry\tdoc_type\tlanguage\tdate\tsource\tnotes\n"
        f"hostile.txt\t{HOSTILE_TITLE}\tkg\tlaw\tru\t2020-01-01\t{HOSTILE_SOURCE}\t<b>notes</b>\n",
        encoding="utf-8",
    )


def write_civil_code_pdf(folder: Path) -> Path:
    """Real provisions of the Kyrgyz Civil Code printed as a PDF of ~20 pages, with a manifest row."""
    from tests.pdfgen import make_pdf

    text = (CORPUS / PDF_SOURCE).read_text(encoding="utf-8")
    start = text.index("Статья 1.")
    text = text[start : start + PDF_CHARS]
    pages, current = [], ""
    for line in text.splitlines():
        if not line.strip():
            continue  # blank lines printed as " " trip the extractor (reported), and add nothing here
        if len(current) + len(line) > PAGE_CHARS and current:
            pages.append(current)
            current = ""
        current += line + "\n"
    pages.append(current)
    path = folder / PDF_RELPATH
    path.parent.mkdir(parents=True, exist_ok=True)
    make_pdf(path, pages, title=PDF_TITLE)
    return path


SCAN_RELPATH = "pdf/blank-scan.pdf"


def pdf_manifest_rows() -> str:
    return (
        f"{PDF_RELPATH}\t{PDF_TITLE}\tkg\tcode\tru\t1996-05-08\tprinted by the tests from {PDF_SOURCE}\t№ 15\n"
        f"{SCAN_RELPATH}\tA scanned page\tkg\treport\tru\t2024\tdrawn by the tests\t\n"
    )


def build_web_index(root: Path) -> Path:
    """Index WEB_SAMPLE, the printed and blank PDFs and the hostile document under root."""
    from indexer.writer import index_paths
    from tests.pdfgen import new_document

    corpus = copy_corpus(root / "corpus", WEB_SAMPLE)
    write_civil_code_pdf(corpus)
    blank = new_document()  # a page with nothing on it: indexed, but no text even after OCR
    blank.add_page()
    blank.output(str(corpus / SCAN_RELPATH))
    with (corpus / "MANIFEST.tsv").open("a", encoding="utf-8") as fh:
        fh.write(pdf_manifest_rows())
    write_hostile_document(corpus / "gen")
    write_entity_documents(corpus / "entities", only=(NGO_RELEASE,))
    index_dir = root / "index"
    report = index_paths([corpus], index_dir, workers=2, progress=False)
    assert not report.skipped, report.summary()
    return index_dir
