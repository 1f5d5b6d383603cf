"""`migrantlex crawl` as users run it: a sources file, one URL, bad usage, Ctrl-C and resume,
and the end-to-end path: crawl a local site, index the folder, find documents by their URL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.test_crawl_site import (
    WORD_A,
    WORD_B,
    WORD_DOCX,
    WORD_HTML,
    SiteContent,
    html_page,
    make_pdf,
    running_site,
)

BIN = Path(sys.executable).parent / "migrantlex"


def migrantlex(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN), *args], capture_output=True, text=True, timeout=timeout)


def sources_file(tmp_path: Path, seed: str) -> Path:
    path = tmp_path / "sources.toml"
    path.write_text(
        f"""
[settings]
delay = 0.0
timeout = 0.3
total_timeout = 5.0
retries = 1
backoff = 0.01
max_bytes = 300_000
allow_private_addresses = true

[[source]]
name = "local-ministry"
seeds = ["{seed}"]
country = "kg"
doc_type = "law"
""",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--out", "OUT"], "either SOURCES_FILE or --url"),
        (["SRC", "--url", "http://127.0.0.1:9/", "--out", "OUT"], "either SOURCES_FILE or --url"),
        (["--url", "file:///etc/passwd", "--out", "OUT"], "not an http(s) URL"),
        (["--url", "http://127.0.0.1:9/", "--keep", "exe", "--out", "OUT"], "--keep"),
        (["SRC", "--source", "nope", "--out", "OUT"], "unknown source"),
        (["MISSING", "--out", "OUT"], "no such file"),
    ],
)
def test_bad_usage_is_exit_2_with_a_message(tmp_path, capsys, args, message):
    from indexer.cli import main  # in-process: the same parser and handler, no start-up cost

    src = sources_file(tmp_path, "http://127.0.0.1:9/")
    subs = {
        "SRC": str(src),
        "OUT": str(tmp_path / "out"),
        "MISSING": str(tmp_path / "missing.toml"),
    }
    assert main(["crawl", *[subs.get(a, a) for a in args]]) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def _small_site(n_docs: int) -> SiteContent:
    content = SiteContent()
    links = "".join(f'<a href="/d/{i}.pdf">Doc {i}</a>' for i in range(n_docs))
    content.files["/"] = (html_page("Index", links), "text/html")
    content.files["/robots.txt"] = (b"User-agent: *\nDisallow: /admin/\n", "text/plain")
    for i in range(n_docs):
        content.files[f"/d/{i}.pdf"] = (make_pdf([f"Document number {i}"]), "application/pdf")
    return content


def test_url_mode_and_second_run_downloads_nothing(tmp_path):
    with running_site(_small_site(3)) as s:
        out = tmp_path / "out"
        args = ("crawl", "--url", s.url("/"), "--allow-private-addresses", "--out", str(out), "--delay", "0", "--no-progress")
        first = migrantlex(*args)
        assert first.returncode == 0, first.stderr
        assert first.stdout.startswith("fetched 4 new or changed files, 0 unchanged")
        n = len(s.hits)
        second = migrantlex(*args)
        assert second.returncode == 0, second.stderr
        assert second.stdout.startswith("fetched 0 new or changed files, 4 unchanged")
        assert ", 0 bytes," in second.stdout
        assert {h.status for h in s.hits_since(n)} == {304}


def test_ctrl_c_stops_cleanly_and_the_next_run_resumes(tmp_path):
    with running_site(_small_site(8)) as s:
        out = tmp_path / "out"
        args = ["crawl", "--url", s.url("/"), "--allow-private-addresses", "--out", str(out), "--delay", "0.25", "--no-progress"]
        proc = subprocess.Popen(
            [str(BIN), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        deadline = time.monotonic() + 20
        while len([h for h in s.hits if h.status == 200]) < 4 and time.monotonic() < deadline:
            time.sleep(0.05)
        os.kill(proc.pid, signal.SIGINT)
        stdout, stderr = proc.communicate(timeout=20)
        assert proc.returncode == 130, stdout + stderr
        assert "interrupted: run again to resume" in stdout and "Traceback" not in stderr
        manifest_rows = (out / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
        assert 1 <= len(manifest_rows) < 9
        for row in manifest_rows:  # the manifest only names files that are really there
            assert (out / row.split("\t")[0]).is_file()
        resumed = migrantlex(*args[:-3], "--delay", "0", "--no-progress")
        assert resumed.returncode == 0, resumed.stderr
        assert "(resumed)" in resumed.stdout
        assert len((out / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()) == 1 + 9
        downloads = [h.path for h in s.hits if h.status == 200]
        assert len(set(downloads)) == 9 + 1  # 9 files + robots.txt
        # At most the one file in flight when Ctrl-C came is fetched again: it was never stored.
        assert len(downloads) - len(set(downloads)) <= 1


def test_crawl_then_index_finds_documents_by_their_source_url(tmp_path):
    """The issue's acceptance path: crawl the bad-case site, index it, search, see the URL."""
    with running_site() as s:
        out, ix = tmp_path / "corpus", tmp_path / "index"
        crawl = migrantlex(
            "crawl", str(sources_file(tmp_path, s.url("/"))), "--out", str(out), "--no-progress"
        )
        assert crawl.returncode == 0, crawl.stderr
        assert "7 failed" in crawl.stdout and "1 duplicates" in crawl.stdout
    index = migrantlex("index", str(out), "--index-dir", str(ix), "--no-progress")
    assert index.returncode == 0, index.stdout + index.stderr
    assert "0 skipped" in index.stdout

    def search(word: str) -> list[dict]:
        res = migrantlex("search", word, "--json", "--index-dir", str(ix))
        assert res.returncode == 0, res.stderr
        return json.loads(res.stdout)["results"]

    [law_a] = search(WORD_A)
    assert law_a["source"] == s.url("/docs/law-a.pdf")
    assert (law_a["country"], law_a["doc_type"]) == ("kg", "law")
    [decree] = search(WORD_DOCX)  # served as octet-stream, typed by its Content-Disposition
    assert decree["source"] == s.url("/download?id=7")
    [law_b] = search(WORD_B)
    assert law_b["source"] == s.url("/go/law-b")  # the URL as linked; final_url is in the manifest
    hits = {r["source"]: r for r in search(WORD_HTML)}
    assert (
        hits[s.url("/acts/remittances.html")]["title"]
        == "Regulation on remittances of migrant workers"
    )
