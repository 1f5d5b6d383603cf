"""extract(): dispatch by content as well as name, and clear errors for files that cannot be read."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from indexer.extract import extract, extract_many, sniff
from indexer.models import Extracted, ExtractionError
from tests.corpus_files import ROOT, corpus_files
from tests.pdfgen import make_pdf


def test_zero_byte_file(tmp_path):
    for name in ("empty.pdf", "empty.txt", "empty.docx", "empty.html"):
        (tmp_path / name).write_bytes(b"")
        with pytest.raises(ExtractionError, match="^empty file$"):
            extract(tmp_path / name)


def test_missing_file_directory_and_fifo(tmp_path):
    with pytest.raises(ExtractionError, match="file not found"):
        extract(tmp_path / "nope.txt")
    with pytest.raises(ExtractionError, match="is a directory"):
        extract(tmp_path)
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(ExtractionError, match="not a regular file"):
        extract(fifo)


@pytest.mark.parametrize("name,content,reason", [
    ("random.pdf", bytes((i * 7919 + 13) % 256 for i in range(2048)), "not a PDF (no %PDF- header; content is binary"),
    ("error-page.pdf", b"<!DOCTYPE html><html><body>404 Not Found</body></html>", "not a PDF (no %PDF- header; content is HTML)"),
    ("report.docx", b"%PDF-1.4 is not what a DOCX starts with", None),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "unsupported file type (old binary MS Word"),
    ("image.txt", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100, "unsupported file type (an image)"),
])
def test_content_contradicting_the_name(tmp_path, name, content, reason):
    path = tmp_path / name
    path.write_bytes(content)
    if reason is None:  # PDF magic wins over the .docx name; a header alone is still an unreadable PDF
        assert sniff(path) == "pdf"
        with pytest.raises(ExtractionError, match="unreadable PDF"):
            extract(path)
    else:
        with pytest.raises(ExtractionError) as info:
            extract(path)
        assert info.value.reason.startswith(reason)


def test_pdf_with_wrong_extension_is_read_as_pdf(tmp_path):
    path = make_pdf(tmp_path / "download.bin", ["Статья 5. Квоты на привлечение иностранных работников"])
    assert sniff(path) == "pdf"
    assert extract(path).pages[0].text == "Статья 5. Квоты на привлечение иностранных работников"


def test_unreadable_file(tmp_path):
    path = tmp_path / "secret.txt"
    path.write_text("Статья 1", encoding="utf-8")
    path.chmod(0)
    try:
        if os.access(path, os.R_OK) is False:
            with pytest.raises(ExtractionError, match="permission denied"):
                extract(path)
            return
        # root reads anything; drop the capabilities that let it (util-linux setpriv) in a child
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv: chmod 000 does not block reads")
        code = ("import sys; from indexer.extract import extract; from indexer.models import ExtractionError\n"
                "try:\n    extract(sys.argv[1])\nexcept ExtractionError as e:\n    print(e.reason)")
        done = subprocess.run(
            ["setpriv", "--bounding-set=-dac_override,-dac_read_search",
             "--inh-caps=-dac_override,-dac_read_search", sys.executable, "-c", code, str(path)],
            capture_output=True, text=True, cwd=ROOT, timeout=60, check=False,
        )
        if "Operation not permitted" in done.stderr and done.returncode != 0 and not done.stdout:
            pytest.skip(f"cannot drop capabilities here: {done.stderr.strip()[:200]}")
        assert done.stdout.strip() == "cannot read file (permission denied)", done.stderr
    finally:
        path.chmod(0o644)


def test_extract_many_in_worker_processes(corpus, test_pdfs, tmp_path):
    empty = tmp_path / "empty.pdf"
    empty.write_bytes(b"")
    paths = [
        corpus / "int" / "udhr-1948-ru.txt",
        empty,
        test_pdfs / "encrypted-rc4-40-password-foo.pdf",
        corpus / "ru" / "perechen-dokumentov-rvp-kvota.docx",
    ]
    results = list(extract_many(paths, workers=2))
    assert [p for p, _ in results] == [Path(p) for p in paths]
    udhr, empty_result, encrypted, docx = (r for _, r in results)
    assert isinstance(udhr, Extracted) and "Всеобщая декларация прав человека" in udhr.pages[0].text
    assert isinstance(empty_result, ExtractionError) and empty_result.reason == "empty file"
    assert isinstance(encrypted, ExtractionError) and "password required" in encrypted.reason
    assert isinstance(docx, Extracted) and docx.has_text
    serial = list(extract_many(paths[:1], workers=1))
    assert serial[0][1].pages == udhr.pages


def test_every_corpus_file_extracts_or_fails_cleanly(corpus, testdata):
    """Small real files of every type in one sweep: no crash, pages numbered from 1."""
    files = [*corpus_files(), *sorted(testdata.rglob("*"))]
    small = [p for p in files if p.is_file() and p.suffix in {".txt", ".md", ".docx", ".pdf"}
             and p.stat().st_size < 80_000]
    assert len(small) > 30
    for path in small:
        try:
            extracted = extract(path, max_pages=1)
        except ExtractionError as exc:
            assert exc.reason and path.suffix == ".pdf", path
            continue
        assert [p.number for p in extracted.pages] == list(range(1, len(extracted.pages) + 1)), path
