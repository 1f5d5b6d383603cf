"""`migrantlex crawl` as users run it: a sources file, one URL, bad usage, Ctrl-C and resume,
and the end-to-end path: crawl a local site, index the folder, find documents by their URL."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
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

pytestmark = pytest.mark.system  # whole CLI runs against a local site

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


def wait_for(condition, seconds: float) -> None:
    """Poll `condition` until it holds; fail after `seconds` (generous: the machine may be busy)."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.02)


def test_ctrl_c_stops_cleanly_and_the_next_run_resumes(tmp_path):
    """Ctrl-C lands while a download is in flight: the site holds /d/4.pdf unanswered until the
    crawler has been interrupted, so no timing decides what was fetched before."""
    content = _small_site(8)
    in_flight = "/d/4.pdf"
    content.held[in_flight] = release = threading.Event()
    with running_site(content) as s:
        out = tmp_path / "out"
        args = ["crawl", "--url", s.url("/"), "--allow-private-addresses", "--out", str(out), "--delay", "0", "--timeout", "120", "--no-progress"]  # fmt: skip
        proc = subprocess.Popen(
            [str(BIN), *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
        )
        try:
            wait_for(lambda: any(h.path == in_flight for h in s.hits) or proc.poll() is not None, 120)
            assert proc.poll() is None, proc.communicate()
            os.kill(proc.pid, signal.SIGINT)
            stdout, stderr = proc.communicate(timeout=120)
        finally:
            release.set()
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 130, stdout + stderr
        assert "interrupted: run again to resume" in stdout and "Traceback" not in stderr
        fetched = {h.path for h in s.hits if h.status == 200} - {"/robots.txt"}
        assert 1 <= len(fetched) < 9 and in_flight not in fetched
        manifest_rows = (out / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()[1:]
        assert len(manifest_rows) == len(fetched)  # every file fetched before Ctrl-C was kept
        for row in manifest_rows:  # the manifest only names files that are really there
            assert (out / row.split("\t")[0]).is_file()
        resumed = migrantlex(*args)
        assert resumed.returncode == 0, resumed.stderr
        assert "(resumed)" in resumed.stdout
        assert len((out / "MANIFEST.tsv").read_text(encoding="utf-8").splitlines()) == 1 + 9
        downloads = [h.path for h in s.hits if h.status == 200]
        assert len(set(downloads)) == 9 + 1  # 9 files + robots.txt
        # Nothing stored is fetched again; the download Ctrl-C cut short is, once.
        assert len(downloads) == len(set(downloads))
        assert [h.path for h in s.hits].count(in_flight) == 2


def test_crawl_then_index_finds_documents_by_their_source_url(tmp_path, capsys):
    """The issue's acceptance path: crawl the bad-case site, index it, search, see the URL.
    (The searches run the CLI in-process: the same parser and handler without four start-ups.)"""
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
        from indexer.cli import main

        capsys.readouterr()
        assert main(["search", word, "--json", "--index-dir", str(ix)]) == 0
        return json.loads(capsys.readouterr().out)["results"]

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
