"""`migrantlex serve` runs the app under a real production server and answers over HTTP."""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from indexer.settings import REFRESH_SECONDS

pytestmark = pytest.mark.system  # real gunicorn servers

ROOT = Path(__file__).resolve().parents[1]
CLI = [sys.executable, "-m", "indexer.cli"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def wait_until_up(url: str, proc: subprocess.Popen, seconds: float = 30) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}: {proc.stdout.read()}")
        try:
            get(url, timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("server did not start")


@pytest.mark.parametrize("server", ["gunicorn", "waitress"])
def test_serve_answers_search_and_pages(web_index, server):
    if server == "waitress":
        pytest.importorskip("waitress")
    port = free_port()
    args = [*CLI, "serve", "--port", str(port), "--workers", "2", "--index-dir", str(web_index), "--server", server, "--no-embed"]
    proc = subprocess.Popen(
        args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    try:
        base = f"http://127.0.0.1:{port}"
        wait_until_up(base + "/api/stats", proc)
        status, body = get(base + "/api/search?q=%D0%BF%D1%80%D0%B0%D0%B2%D0%BE")  # право
        assert status == 200 and json.loads(body)["total"] > 0
        status, body = get(base + "/")
        assert status == 200 and b"<main" in body
        status, body = get(base + "/api/documents/nope")
        assert status == 404 and json.loads(body)["error"]["status"] == 404
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            out, _ = proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            out, _ = proc.communicate()
    assert server in out


def test_serve_without_an_index_is_a_clear_error(tmp_path):
    result = subprocess.run(
        [*CLI, "serve", "--index-dir", str(tmp_path / "missing"), "--port", str(free_port())],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert "no index" in result.stderr and "Traceback" not in result.stderr


def test_serve_rejects_a_bad_port(tmp_path):
    result = subprocess.run(
        [*CLI, "serve", "--index-dir", str(tmp_path), "--port", "70000"],
        cwd=ROOT, capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2 and "--port" in result.stderr


def test_workers_forked_from_the_warmed_app_follow_a_new_commit(synthetic_index, tmp_path):
    """gunicorn's workers are forked from the app the master opened and warmed: each answers from
    it, and each still moves to the index a writer commits afterwards (its own refresh)."""
    from indexer.writer import index_paths

    index_dir = tmp_path / "ix"
    shutil.copytree(synthetic_index, index_dir)
    port = free_port()
    args = [*CLI, "serve", "--port", str(port), "--workers", "2", "--index-dir", str(index_dir),
            "--server", "gunicorn", "--no-embed"]
    proc = subprocess.Popen(
        args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    word = "кварцитовый"  # in no synthetic passage
    search = f"http://127.0.0.1:{port}/api/search?q={urllib.parse.quote(word)}"
    try:
        wait_until_up(f"http://127.0.0.1:{port}/api/stats", proc)
        assert [json.loads(get(search)[1])["total"] for _ in range(6)] == [0] * 6
        added = tmp_path / "added"
        added.mkdir()
        (added / "note.txt").write_text(f"Статья 1. Об уставе\n\n{word} карьер работает по уставу.\n", encoding="utf-8")
        report = index_paths([added], index_dir, workers=1, progress=False)
        assert len(report.indexed) == 1, report.summary()
        time.sleep(REFRESH_SECONDS + 0.5)  # every worker checks for a commit at its next request
        assert [json.loads(get(search)[1])["total"] for _ in range(6)] == [1] * 6
        workers = _children(proc.pid)
        for pid in workers:  # gunicorn forks replacements from the master's app, warmed again first
            os.kill(pid, signal.SIGKILL)
        deadline = time.monotonic() + 30
        while len(set(_children(proc.pid)) - set(workers)) < len(workers) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert [json.loads(get(search)[1])["total"] for _ in range(6)] == [1] * 6
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()


def _children(pid: int) -> list[int]:
    """The live child processes of `pid` (gunicorn's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    fields = f.read().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry))
    return sorted(found)
