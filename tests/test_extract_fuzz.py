"""Property-based fuzzing of every extractor: any bytes in, pages or an ExtractionError out.

Never another exception (a file past its time or size budget is an ExtractionError too). Example
counts stay modest so the unit tier stays fast.
"""

from __future__ import annotations

import io
import re
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.extract import extract
from indexer.extract.text import strip_strong
from indexer.models import Extracted, ExtractionError
from tests.test_budgets import docx_bytes, flate_pdf, text_op

FUZZ = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
MARKUP = st.text(alphabet=st.sampled_from(list("*_#[]()!<>/\\`=- \n\taбZ1.")), max_size=300)


def extract_bytes(data: bytes, suffix: str) -> Extracted | ExtractionError:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        try:
            return extract(path)
        except ExtractionError as exc:
            assert exc.reason
            return exc


def check(result: Extracted | ExtractionError) -> None:
    if isinstance(result, Extracted):
        assert all(isinstance(page.text, str) for page in result.pages)


@FUZZ
@given(st.binary(max_size=4000), st.sampled_from([".pdf", ".docx", ".html", ".md", ".txt", ".htm"]))
def test_random_bytes_under_any_name(data, suffix):
    check(extract_bytes(data, suffix))


@FUZZ
@given(st.data())
def test_mutated_pdf(data):
    with tempfile.TemporaryDirectory() as folder:
        base = flate_pdf(Path(folder) / "base.pdf", [text_op("Article 1 migrant"), text_op("Article 2")]).read_bytes()
    blob = bytearray(base)
    for _ in range(data.draw(st.integers(1, 8))):
        at = data.draw(st.integers(0, len(blob) - 1))
        blob[at : at + data.draw(st.integers(0, 6))] = data.draw(st.binary(max_size=6))
    check(extract_bytes(bytes(blob), ".pdf"))


@FUZZ
@given(st.text(max_size=400), st.binary(max_size=200))
def test_docx_with_hostile_document_xml(text, junk):
    source = zipfile.ZipFile(io.BytesIO(docx_bytes(["Статья 1"])))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                run = b"<w:t>" + text.encode().replace(b"<", b"") + b"</w:t>"
                data = re.sub(rb"<w:t>[^<]*</w:t>", lambda _, run=run: run, data)  # a function: `\1` in the text is no group
                data = data + junk if junk else data
            archive.writestr(info.filename, data)
    check(extract_bytes(out.getvalue(), ".docx"))


@FUZZ
@given(MARKUP)
def test_markdown_and_html_markup(text):
    for suffix in (".md", ".html", ".txt"):
        check(extract_bytes(text.encode("utf-8"), suffix))


OLD_STRONG = re.compile(r"(?<!\\)(\*\*|__)(?=\S)(.+?)(?<=[^\s\\])\1")


def old_strip_strong(line: str) -> str:
    def keep(match: re.Match) -> str:
        return match.group(2) + (" " if line[match.end() : match.end() + 1].isalnum() else "")

    return OLD_STRONG.sub(keep, line)


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("*_ a\\\nб\t")), max_size=40))
def test_linear_strong_emphasis_matches_the_regex_it_replaces(line):
    assert strip_strong(line) == old_strip_strong(line)
