"""The original-file route and the feed against a small real index built by the test (no corpus).

An original is served only while it is the very file that was indexed: a file swapped for a
symlink (to /etc/passwd, or to a copy of itself), a symlinked folder, or edited content is a 404.
Names and titles full of control characters must still give valid headers and valid XML.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from indexer.writer import index_paths
from search_web import create_app, get_engine

LAW = "Статья 1. Трудовой мигрант имеет право на труд и отдых.\nСтатья 2. Работодатель обязан платить.\n"
CONTROL_TITLE = "Закон\x01о\x0bмигрантах\x1b[31m\x00конец"
NEWLINE_NAME = "закон\nо мигрантах.txt"
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    root = tmp_path_factory.mktemp("originals")
    corpus = root / "corpus"
    corpus.mkdir()
    (corpus / "law.txt").write_text(LAW, encoding="utf-8")
    (corpus / "swap.txt").write_text(LAW.replace("мигрант", "работник"), encoding="utf-8")
    (corpus / "edit.txt").write_text(LAW.replace("отдых", "отпуск"), encoding="utf-8")
    (corpus / "sub").mkdir()
    (corpus / "sub" / "inner.txt").write_text(LAW.replace("платить", "учить"), encoding="utf-8")
    (corpus / NEWLINE_NAME).write_text(LAW.replace("труд", "жильё"), encoding="utf-8")
    (corpus / "title.txt").write_text(LAW.replace("право", "обязанность"), encoding="utf-8")
    (corpus / "cp1251.txt").write_bytes((LAW * 3).replace("отдых", "пенсию").encode("cp1251"))
    (corpus / "MANIFEST.tsv").write_text(
        "path\ttitle\tcountry\tdoc_type\tlanguage\tdate\tsource\tnotes\n"
        f"title.txt\t{CONTROL_TITLE}\tkg\tlaw\tru\t2021-01-01\t\t\n",
        encoding="utf-8",
    )
    index_dir = root / "index"
    report = index_paths([corpus], index_dir, workers=1, progress=False)
    assert not report.skipped, report.summary()
    app = create_app(index_dir)
    app.config["TESTING"] = False  # the real error handlers
    with app.app_context():
        ids = {Path(m.path).name: d for d, m in get_engine().documents.items()}
    return corpus, app.test_client(), ids


def test_an_unchanged_original_is_served_with_one_charset(site):
    corpus, client, ids = site
    res = client.get(f"/documents/{ids['law.txt']}/file")
    assert res.status_code == 200 and res.data == (corpus / "law.txt").read_bytes()
    assert res.headers["Content-Type"] == "text/plain; charset=utf-8"
    assert res.headers["ETag"].strip('"') and res.headers["Accept-Ranges"] == "bytes"
    legacy = client.get(f"/documents/{ids['cp1251.txt']}/file")
    assert legacy.headers["Content-Type"] == "text/plain; charset=cp1251"
    assert legacy.data == (corpus / "cp1251.txt").read_bytes() and "пенсию" in legacy.data.decode("cp1251")
    part = client.get(f"/documents/{ids['law.txt']}/file", headers={"Range": "bytes=0-5"})
    assert part.status_code == 206 and part.data == (corpus / "law.txt").read_bytes()[:6]


def test_a_file_swapped_for_a_symlink_is_not_served(site):
    corpus, client, ids = site
    target = corpus / "swap.txt"
    keep = corpus.parent / "swap-original.txt"
    assert client.get(f"/documents/{ids['swap.txt']}/file").status_code == 200
    shutil.copy(target, keep)
    target.unlink()
    target.symlink_to("/etc/passwd")
    res = client.get(f"/documents/{ids['swap.txt']}/file")
    assert res.status_code == 404 and b"root:" not in res.data
    target.unlink()
    target.symlink_to(keep)  # even a link to identical bytes: the indexed file is gone
    assert client.get(f"/documents/{ids['swap.txt']}/file").status_code == 404
    target.unlink()
    shutil.copy(keep, target)  # the same bytes back as a regular file: served again
    assert client.get(f"/documents/{ids['swap.txt']}/file").status_code == 200


def test_a_symlinked_folder_in_the_path_is_not_followed(site):
    corpus, client, ids = site
    doc = ids["inner.txt"]
    assert client.get(f"/documents/{doc}/file").status_code == 200
    moved = corpus.parent / "sub-moved"
    os.rename(corpus / "sub", moved)
    try:
        (corpus / "sub").symlink_to(moved)
        assert client.get(f"/documents/{doc}/file").status_code == 404
    finally:
        (corpus / "sub").unlink()
        os.rename(moved, corpus / "sub")
    assert client.get(f"/documents/{doc}/file").status_code == 200


def test_an_edited_original_is_not_served_even_at_the_same_size(site):
    corpus, client, ids = site
    path = corpus / "edit.txt"
    assert client.get(f"/documents/{ids['edit.txt']}/file").status_code == 200  # hash now cached
    data = path.read_bytes()
    path.write_bytes(data.replace("отпуск".encode(), "досуга".encode()))  # same length
    assert path.stat().st_size == len(data)
    assert client.get(f"/documents/{ids['edit.txt']}/file").status_code == 404
    path.write_bytes(data[:-1])
    assert client.get(f"/documents/{ids['edit.txt']}/file").status_code == 404
    path.write_bytes(data)
    assert client.get(f"/documents/{ids['edit.txt']}/file").status_code == 200


def test_a_file_name_with_a_newline_is_served_with_a_safe_header(site):
    corpus, client, ids = site
    res = client.get(f"/documents/{ids[NEWLINE_NAME]}/file")
    assert res.status_code == 200 and res.data == (corpus / NEWLINE_NAME).read_bytes()
    disposition = res.headers["Content-Disposition"]
    assert "\n" not in disposition and "\r" not in disposition and "filename" in disposition


def test_control_characters_in_a_title_still_give_valid_atom(site):
    _, client, _ = site
    res = client.get("/feed.atom?q=обязанность")
    assert res.status_code == 200
    feed = ET.fromstring(res.data)  # a real XML parser: raises on forbidden characters
    titles = [e.findtext(f"{ATOM}title") for e in feed.iter(f"{ATOM}entry")]
    assert any(t and t.startswith("Закон") and t.endswith("конец") for t in titles), titles
    assert all("\x01" not in (t or "") for t in titles)
