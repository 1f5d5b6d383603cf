"""The crawler against a real local site: what it stores, what it reports, what it re-downloads."""

from __future__ import annotations

import csv
import hashlib
from dataclasses import replace
from pathlib import Path

import pytest

from indexer.crawl.crawler import CrawlBusy, Crawler, exclusive_lock
from indexer.crawl.sources import make_source, source_for_url
from tests.test_crawl_site import (
    ESCAPE_PATH,
    LocalSite,
    build_site,
    fast_settings,
    make_pdf,
    running_site,
)

BASE_COLUMNS = ["path", "title", "country", "doc_type", "language", "date", "source", "notes"]
EXTRA_COLUMNS = [
    "url", "final_url", "fetched_at", "sha256", "content_type", "etag", "last_modified", "also_urls",
]  # fmt: skip


def read_manifest(out: Path) -> tuple[list[str], dict[str, dict[str, str]]]:
    with (out / "MANIFEST.tsv").open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        rows = {row["url"]: row for row in reader}
        return list(reader.fieldnames or []), rows


@pytest.fixture
def site():
    with running_site() as s:
        yield s


def crawl(site: LocalSite, out: Path, **settings):
    return Crawler(out, [source_for_url(site.url("/"))], fast_settings(**settings)).run()


@pytest.fixture(scope="module")
def first_crawl(tmp_path_factory):
    """One full crawl of a fresh site, shared by the read-only checks below."""
    content = build_site()
    s = LocalSite(content)
    out = tmp_path_factory.mktemp("crawl") / "out"
    report = crawl(s, out)
    yield s, out, report
    s.stop()


def test_documents_are_stored_with_provenance(first_crawl):
    site, out, report = first_crawl
    header, rows = read_manifest(out)
    assert header == BASE_COLUMNS + EXTRA_COLUMNS
    law_a = rows[site.url("/docs/law-a.pdf")]
    assert law_a["source"] == site.url("/docs/law-a.pdf")
    stored = out / law_a["path"]
    assert stored.read_bytes().startswith(b"%PDF-")
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == law_a["sha256"]
    assert law_a["content_type"] == "application/pdf" and law_a["etag"] and law_a["last_modified"]
    assert law_a["fetched_at"].endswith("Z")
    assert "Закон № 61" in law_a["notes"]  # the link text, where the indexer finds act numbers
    port = site.server.server_address[1]
    assert law_a["path"] == f"127.0.0.1_{port}/docs_law-a.pdf"
    # HTML pages are documents too, titled from <title>
    reg = rows[site.url("/acts/remittances.html")]
    assert reg["title"] == "Regulation on remittances of migrant workers"
    assert (out / reg["path"]).suffix == ".html"
    # a DOCX served as application/octet-stream, typed by its Content-Disposition file name
    decree = rows[site.url("/download?id=7")]
    assert decree["path"].endswith("/download_id-7.docx")
    assert (out / decree["path"]).read_bytes().startswith(b"PK\x03\x04")
    assert sorted(report.stored) == sorted(r["path"] for r in rows.values())


def test_identical_content_is_stored_once_with_both_urls(first_crawl):
    site, out, report = first_crawl
    _, rows = read_manifest(out)
    assert site.url("/docs/copy-of-a.pdf") not in rows
    assert rows[site.url("/docs/law-a.pdf")]["also_urls"] == site.url("/docs/copy-of-a.pdf")
    assert report.duplicates == [
        (site.url("/docs/copy-of-a.pdf"), rows[site.url("/docs/law-a.pdf")]["path"])
    ]
    pdfs = [p for p in out.rglob("*.pdf") if ".crawl" not in p.parts]
    assert len({hashlib.sha256(p.read_bytes()).digest() for p in pdfs}) == len(pdfs)


def test_redirect_is_followed_and_file_named_after_final_url(first_crawl):
    site, out, _ = first_crawl
    _, rows = read_manifest(out)
    row = rows[site.url("/go/law-b")]
    assert row["final_url"] == site.url("/docs/law-b.pdf")
    assert row["path"].endswith("/docs_law-b.pdf")


def test_every_bad_case_is_reported_and_the_crawl_goes_on(first_crawl):
    site, out, report = first_crawl
    failed = {url.removeprefix(site.base): reason for url, reason in report.failed}
    assert failed["/missing.pdf"].startswith("http-404")
    assert failed["/slow.pdf"].startswith("timeout")
    assert failed["/garbage.pdf"].startswith("garbage")
    assert failed["/endless.pdf"].startswith("too-large")
    assert failed["/archive.zip"].startswith("content-type")
    assert failed["/loop-a"].startswith("redirect-loop")
    assert failed["/bad-http"].startswith(("protocol", "connection"))
    assert set(failed) == {
        "/missing.pdf", "/slow.pdf", "/garbage.pdf", "/endless.pdf", "/archive.zip", "/loop-a", "/bad-http",
    }  # fmt: skip
    assert report.finished and not report.interrupted
    assert (out / ".crawl" / "last-report.txt").read_text(
        encoding="utf-8"
    ) == report.summary() + "\n"
    assert report.summary(max_items=2).count("  failed ") == 2
    # the endless body was abandoned near the limit, not read to the end
    assert report.bytes < 300_000 + 200_000


def test_robots_txt_is_obeyed_and_scope_kept(first_crawl):
    site, _, report = first_crawl
    paths = [h.path for h in site.hits]
    assert not any(p.startswith("/private/") for p in paths)
    assert (site.url("/private/secret.pdf"), "forbidden by robots.txt") in report.skipped
    assert paths.count("/robots.txt") == 1
    # no loops: every page was asked for once (only transient failures are retried)
    once = [p for p in paths if p not in ("/slow.pdf", "/bad-http")]
    assert len(once) == len(set(once)), sorted(once)


def test_requests_say_who_we_are(first_crawl):
    site, _, _ = first_crawl
    agents = {h.headers.get("User-Agent") for h in site.hits}
    assert len(agents) == 1
    assert agents.pop().startswith("migrantlex/0.1 (+http")


def test_hostile_paths_stay_inside_the_folder(first_crawl):
    site, out, _ = first_crawl
    _, rows = read_manifest(out)
    row = rows[site.url(ESCAPE_PATH)]
    target = (out / row["path"]).resolve()
    assert target.is_relative_to(out.resolve()) and target.is_file()
    assert ".." not in row["path"]
    assert not (out.parent / "escape.pdf").exists()


def test_second_crawl_of_unchanged_site_downloads_nothing(site, tmp_path):
    out = tmp_path / "out"
    first = crawl(site, out)
    assert first.stored
    manifest_before = (out / "MANIFEST.tsv").read_text(encoding="utf-8")
    mtimes = {
        p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and ".crawl" not in p.parts
    }
    n = len(site.hits)
    second = crawl(site, out)
    hits = site.hits_since(n)
    assert hits, "the second crawl asked nothing: it did not re-check the site"
    assert [h for h in hits if h.status == 200] == []
    assert {h.status for h in hits if h.status > 0} <= {302, 304}
    assert second.stored == [] and second.bytes == 0
    assert second.unchanged == len(first.stored) + len(first.duplicates)
    # permanent failures are not retried by default; transient ones are
    assert "/missing.pdf" not in [h.path for h in hits]
    assert "/slow.pdf" in [h.path for h in hits]
    after = {
        p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file() and ".crawl" not in p.parts
    }
    after.pop(out / "MANIFEST.tsv")
    mtimes.pop(out / "MANIFEST.tsv")
    assert after == mtimes
    assert (out / "MANIFEST.tsv").read_text(encoding="utf-8") == manifest_before


def test_changed_document_is_downloaded_again_in_place(tmp_path):
    content = build_site()
    s = LocalSite(content)
    try:
        out = tmp_path / "out"
        crawl(s, out)
        _, rows = read_manifest(out)
        old = rows[s.url("/docs/law-a.pdf")]
        new_pdf = make_pdf(["Закон о внешней трудовой миграции", "Статья 1 в новой редакции."])
        content.files["/docs/law-a.pdf"] = (new_pdf, "application/pdf")
        n = len(s.hits)
        report = crawl(s, out)
        downloaded = [h.path for h in s.hits_since(n) if h.status == 200]
        assert downloaded == ["/docs/law-a.pdf"]
        _, rows = read_manifest(out)
        law_a = rows[s.url("/docs/law-a.pdf")]
        copy = rows[s.url("/docs/copy-of-a.pdf")]  # still serves the old bytes: now its own file
        assert law_a["path"] == old["path"] and (out / law_a["path"]).read_bytes() == new_pdf
        assert law_a["sha256"] == hashlib.sha256(new_pdf).hexdigest() and law_a["also_urls"] == ""
        assert copy["sha256"] == old["sha256"] and (out / copy["path"]).is_file()
        assert report.stored == [law_a["path"]]
    finally:
        s.stop()


def test_interrupted_crawl_resumes_without_downloading_twice(site, tmp_path):
    out = tmp_path / "out"
    first = crawl(site, out, max_pages=4)
    assert not first.finished and first.stored
    second = crawl(site, out)
    assert second.resumed and second.finished
    assert not set(first.stored) & set(second.stored)
    oks = [h.path for h in site.hits if h.status == 200]
    assert len(oks) == len(set(oks)), "a file was downloaded twice"
    _, rows = read_manifest(out)
    assert {r["path"] for r in rows.values()} == set(first.stored) | set(second.stored)
    third = crawl(site, out)
    assert not third.resumed and third.stored == []


def test_deleted_file_is_fetched_again(site, tmp_path):
    out = tmp_path / "out"
    crawl(site, out)
    _, rows = read_manifest(out)
    path = out / rows[site.url("/docs/law-a.pdf")]["path"]
    path.unlink()
    report = crawl(site, out)
    assert path.is_file() and report.stored == [rows[site.url("/docs/law-a.pdf")]["path"]]


def test_source_rules_depth_keep_and_metadata(site, tmp_path):
    out = tmp_path / "out"
    source = make_source(
        {
            "name": "test-ministry",
            "seeds": [site.url("/")],
            "allow": [site.base + "/"],
            "exclude": [r"/(slow|endless|bad-http|garbage)"],
            "max_depth": 1,
            "keep": ["pdf"],
            "country": "kg",
            "doc_type": "law",
            "language": "ru",
        },
        "test",
    )
    report = Crawler(out, [source], fast_settings()).run()
    _, rows = read_manifest(out)
    assert set(rows) == {site.url("/docs/law-a.pdf"), site.url(ESCAPE_PATH)}
    assert {(r["country"], r["doc_type"], r["language"]) for r in rows.values()} == {
        ("kg", "law", "ru")
    }
    paths = [h.path for h in site.hits]
    assert "/go/law-b" not in paths  # depth 2: beyond max_depth
    assert not any(p.startswith(("/slow", "/endless", "/bad-http", "/garbage")) for p in paths)
    assert report.pages == 1  # the home page, fetched for its links only
    assert not list(out.rglob("*.html"))


def test_retry_failed_tries_permanent_failures_again(site, tmp_path):
    out = tmp_path / "out"
    crawl(site, out)
    n = len(site.hits)
    Crawler(out, [source_for_url(site.url("/"))], replace(fast_settings()), retry_failed=True).run()
    assert "/missing.pdf" in [h.path for h in site.hits_since(n)]


def test_one_crawl_per_folder(site, tmp_path):
    out = tmp_path / "out"
    (out / ".crawl").mkdir(parents=True)
    with exclusive_lock(out / ".crawl" / "lock"), pytest.raises(CrawlBusy):
        crawl(site, out)
    assert crawl(site, out).stored  # the lock is gone with its holder
