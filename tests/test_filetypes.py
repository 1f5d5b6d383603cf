"""The one file-type table: every part that picks, sniffs, describes, fetches or serves a file
agrees with it, for every suffix of every type."""

from __future__ import annotations

import inspect
from pathlib import Path

import docx
import pytest

from indexer.crawl.filetypes import ACCEPT, EXTENSIONS, body_mismatch, kind_of
from indexer.crawl.sources import make_source
from indexer.extract import extract, sniff
from indexer.filetypes import (
    BY_NAME,
    FILE_TYPES,
    NAMES,
    PLAIN_TEXT,
    SHOWN_AS_TEXT,
    SHOWN_INLINE,
    SUFFIXES,
    for_mime,
    for_name,
)
from indexer.metadata import build_meta
from indexer.models import ExtractionError
from indexer.writer import discover
from tests.pdfgen import make_pdf

TEXT = "Статья 5. Иностранный гражданин вправе работать по патенту."


def _docx(path: Path) -> None:
    document = docx.Document()
    document.add_paragraph(TEXT)
    document.save(str(path))


# A real file of each type: a new type in the table needs one here.
SAMPLES = {
    "pdf": lambda path: make_pdf(path, [TEXT]),
    "docx": _docx,
    "html": lambda path: path.write_text(f"<html><body><p>{TEXT}</p></body></html>", "utf-8"),
    "md": lambda path: path.write_text(f"# Патент\n\n{TEXT}\n", encoding="utf-8"),
    "txt": lambda path: path.write_text(f"{TEXT}\n", encoding="utf-8"),
}
EVERY_SUFFIX = [(ft.name, suffix) for ft in FILE_TYPES for suffix in ft.suffixes]


def test_the_table_is_consistent():
    assert len(NAMES) == len(set(NAMES)) and set(SAMPLES) == set(NAMES)
    suffixes = [s for ft in FILE_TYPES for s in ft.suffixes]
    assert len(suffixes) == len(set(suffixes)) == len(SUFFIXES)
    assert all(s.startswith(".") and s == s.lower() for s in suffixes)
    mimes = [m for ft in FILE_TYPES for m in ft.mimes]
    assert len(mimes) == len(set(mimes)) and all(ft.mimes for ft in FILE_TYPES)
    assert all(ft.magic for ft in FILE_TYPES if ft.binary) and not PLAIN_TEXT.binary


@pytest.mark.parametrize("file_type", FILE_TYPES, ids=NAMES)
def test_each_type_has_one_extractor_in_the_extract_package(file_type):
    extractor = file_type.load_extractor()
    assert extractor.__module__.startswith("indexer.extract.")
    assert ("max_pages" in inspect.signature(extractor).parameters) == file_type.paged


@pytest.mark.parametrize(("name", "suffix"), EVERY_SUFFIX)
def test_discovery_sniff_metadata_and_crawler_agree(tmp_path, name, suffix):
    path = tmp_path / f"law{suffix}"
    SAMPLES[name](path)
    assert for_name(path.name) is BY_NAME[name]
    assert [p for p, _ in discover([tmp_path]).files] == [path.resolve()]
    assert sniff(path) == name
    extracted = extract(path)
    assert TEXT in extracted.pages[0].text
    assert build_meta(path, tmp_path, extracted, {}).file_type == name
    assert kind_of("application/octet-stream", f"http://h.kg/docs/law{suffix.upper()}") == name
    assert kind_of("", "http://h.kg/get?id=1", f'attachment; filename="law{suffix}"') == name
    assert body_mismatch(name, path.read_bytes()) is None


@pytest.mark.parametrize("file_type", FILE_TYPES, ids=NAMES)
def test_crawler_accepts_keeps_and_saves_every_type(file_type):
    for mime in file_type.mimes:
        assert for_mime(mime) is file_type and mime in ACCEPT.split(",")
        assert kind_of(f"{mime}; charset=utf-8", "http://h.kg/x") == file_type.name
    assert f".{EXTENSIONS[file_type.name]}" == file_type.suffixes[0]
    source = make_source({"name": "s", "seeds": ["http://h.kg/"], "keep": [file_type.name]}, "test")
    assert source.keep == (file_type.name,)


def test_a_binary_type_without_its_signature_is_refused_by_sniff_and_crawler(tmp_path):
    for file_type in (ft for ft in FILE_TYPES if ft.binary):
        path = tmp_path / f"fake{file_type.suffixes[0]}"
        path.write_text("<html><body>404</body></html>", encoding="utf-8")
        reason = f"not a {file_type.label} ({file_type.missing}"
        assert body_mismatch(file_type.name, path.read_bytes()) == reason + ")"
        with pytest.raises(ExtractionError) as info:
            sniff(path)
        assert info.value.reason == reason + "; content is HTML)"


def test_every_suffix_is_served_one_way_by_the_web():
    endings = {s[1:] for s in SUFFIXES}
    assert not SHOWN_INLINE.keys() & SHOWN_AS_TEXT and SHOWN_INLINE.keys() | SHOWN_AS_TEXT <= endings
    assert SHOWN_INLINE == {"pdf": "application/pdf"}
    assert sorted(SHOWN_AS_TEXT) == ["markdown", "md", "text", "txt"]  # html, docx: a download
