"""The migrantlex command line, run as a user runs it, on a real index of real documents."""

from __future__ import annotations

import json
import re
import subprocess
import sys


def cli(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "indexer.cli", *args], capture_output=True, text=True, timeout=300
    )


def test_search_json_has_documents_marked_snippets_and_pages(full_index):
    out = cli("search", "трудовых мигрантов", "--json", "--index-dir", str(full_index))
    assert out.returncode == 0, out.stderr
    res = json.loads(out.stdout)
    assert res["total"] >= 1 and res["results"]
    for key in ("query", "total", "took_ms", "results", "facets"):
        assert key in res
    first = res["results"][0]
    for key in ("doc_id", "title", "country", "doc_type", "language", "date", "source", "score", "passages"):
        assert key in first
    passages = [p for r in res["results"] for p in r["passages"]]
    assert all(p["pages"] and all(isinstance(n, int) for n in p["pages"]) for p in passages)
    assert any("<mark>" in p["snippet"] for p in passages)
    marked = [m.lower() for p in passages for m in re.findall(r"<mark>(.*?)</mark>", p["snippet"])]
    assert any(m.startswith("мигрант") for m in marked)
    assert any(m.startswith("трудов") for m in marked)


def test_filters_narrow_results(full_index):
    out = cli("search", "мигрант", "--json", "--country", "kg", "--index-dir", str(full_index))
    res = json.loads(out.stdout)
    assert res["results"] and {r["country"] for r in res["results"]} == {"kg"}


def test_plain_output_and_no_results_message(full_index):
    out = cli("search", "мигрант", "--index-dir", str(full_index), "--limit", "2")
    assert out.returncode == 0 and "documents" in out.stdout and "source:" in out.stdout
    none = cli("search", "=квазизвездарий", "--index-dir", str(full_index))
    assert none.returncode == 0 and "No results" in none.stdout


def test_unparsable_query_is_one_line_and_exit_2(full_index):
    for bad in ('"трудовой мигрант', "мигрант OR", "(a b", "x" * 10_000):
        out = cli("search", bad, "--index-dir", str(full_index))
        assert out.returncode == 2, bad
        assert "Traceback" not in out.stderr
        assert len(out.stderr.strip().splitlines()) == 1
        assert out.stderr.startswith("error: ")


def test_missing_index_is_explained(tmp_path):
    out = cli("search", "мигрант", "--index-dir", str(tmp_path / "nothing"))
    assert out.returncode == 2 and "migrantlex index" in out.stderr and "Traceback" not in out.stderr
