"""The fetcher and robots.txt rules against a real local server: retries, delays, limits."""

from __future__ import annotations

import gzip

import pytest

from indexer.crawl.crawler import Crawler
from indexer.crawl.fetch import Fetcher, FetchError
from indexer.crawl.filetypes import kind_of
from indexer.crawl.robots import RobotsRules
from indexer.crawl.sources import source_for_url
from indexer.crawl.state import CrawlState
from tests.test_crawl_site import (
    LocalSite,
    SiteContent,
    fast_settings,
    html_page,
    make_pdf,
    running_site,
)

PDF = make_pdf(["Соглашение о трудовой деятельности"])


def pdf_site(**files) -> SiteContent:
    content = SiteContent()
    content.files = {"/a.pdf": (PDF, "application/pdf"), **files}
    return content


def accept(content_type, url, disposition):
    return kind_of(content_type, url, disposition)


def test_transient_503_is_retried_with_backoff():
    content = pdf_site()
    content.flaky["/a.pdf"] = 1
    waits: list[float] = []
    with running_site(content) as s:
        fetcher = Fetcher(fast_settings(retries=2, backoff=0.05), sleep=waits.append)
        resp = fetcher.fetch(s.url("/a.pdf"), accept)
        assert resp.status == 200 and resp.body == PDF and resp.kind == "pdf"
        assert [h.status for h in s.hits] == [503, 200]
        assert waits == [0.05]


def test_retries_give_up_and_report():
    content = pdf_site()
    content.flaky["/a.pdf"] = 10
    with running_site(content) as s:
        fetcher = Fetcher(fast_settings(retries=2, backoff=0.0))
        with pytest.raises(FetchError) as err:
            fetcher.fetch(s.url("/a.pdf"), accept)
        assert err.value.kind == "http-503" and not err.value.permanent
        assert len(s.hits) == 3


def test_per_host_delay_spaces_requests():
    with running_site(pdf_site()) as s:
        fetcher = Fetcher(fast_settings(delay=0.2))
        for _ in range(3):
            fetcher.fetch(s.url("/a.pdf"), accept)
        gaps = [b.at - a.at for a, b in zip(s.hits, s.hits[1:], strict=False)]
        assert all(gap >= 0.19 for gap in gaps), gaps


def test_conditional_get_and_limits():
    with running_site(pdf_site()) as s:
        fetcher = Fetcher(fast_settings())
        first = fetcher.fetch(s.url("/a.pdf"), accept)
        again = fetcher.fetch(s.url("/a.pdf"), accept, {"etag": first.headers["etag"]})
        assert again.status == 304 and again.body == b""
        assert s.hits[-1].headers["If-None-Match"] == first.headers["etag"]
        with pytest.raises(FetchError) as err:
            fetcher.fetch(s.url("/a.pdf"), accept, max_bytes=len(PDF) - 1)
        assert err.value.kind == "too-large" and "declared" in err.value.message


def test_redirect_out_of_scope_is_refused_before_it_is_followed():
    content = pdf_site()
    content.redirects["/away"] = "http://example.invalid/x.pdf"
    content.redirects["/hop1"] = "/hop2"
    content.redirects["/hop2"] = "/hop3"
    content.redirects["/hop3"] = "/a.pdf"
    with running_site(content) as s:
        fetcher = Fetcher(fast_settings(max_redirects=2))
        with pytest.raises(FetchError) as err:
            fetcher.fetch(
                s.url("/away"), accept, may_follow=lambda u: "outside" if "invalid" in u else None
            )
        assert err.value.kind == "redirect-refused"
        with pytest.raises(FetchError) as err:
            fetcher.fetch(s.url("/hop1"), accept)
        assert err.value.kind == "too-many-redirects"
        resp = Fetcher(fast_settings(max_redirects=3)).fetch(s.url("/hop1"), accept)
        assert resp.final_url == s.url("/a.pdf") and resp.redirects == [
            s.url(f"/hop{i}") for i in (2, 3)
        ] + [s.url("/a.pdf")]


def test_unreachable_port_is_a_connection_error():
    with running_site(pdf_site()) as s:
        dead = s.url("/a.pdf")
    with pytest.raises(FetchError) as err:  # server stopped: nothing listens there now
        Fetcher(fast_settings(retries=0)).fetch(dead, accept)
    assert err.value.kind in ("connection", "timeout")


def _rules(site: LocalSite, tmp_path, **settings) -> RobotsRules:
    fetcher = Fetcher(fast_settings(**settings))
    return RobotsRules(fetcher, CrawlState(tmp_path / "state.sqlite"))


def test_robots_missing_allows_everything(tmp_path):
    with running_site(pdf_site()) as s:
        rules = _rules(s, tmp_path)
        assert rules.allowed(s.url("/a.pdf")) and rules.allowed(s.url("/private/x"))
        assert [h.path for h in s.hits] == ["/robots.txt"]


def test_robots_unreadable_forbids_the_host_and_is_reported(tmp_path):
    content = pdf_site(**{"/robots.txt": (b"User-agent: *\nDisallow:\n", "text/plain")})
    content.flaky["/robots.txt"] = 100
    with running_site(content) as s:
        out = tmp_path / "out"
        report = Crawler(out, [source_for_url(s.url("/a.pdf"))], fast_settings(retries=1)).run()
        assert [h.path for h in s.hits] == ["/robots.txt", "/robots.txt"]
        assert report.stored == []
        assert any("robots.txt unreadable" in reason for _, reason in report.failed)


def test_robots_crawl_delay_and_agent_specific_rules(tmp_path):
    robots = b"User-agent: migrantlex\nDisallow: /only-for-us/\nCrawl-delay: 7\n\nUser-agent: *\nDisallow: /\n"
    content = pdf_site(**{"/robots.txt": (robots, "text/plain")})
    with running_site(content) as s:
        rules = _rules(s, tmp_path)
        assert rules.allowed(s.url("/a.pdf"))
        assert not rules.allowed(s.url("/only-for-us/x.pdf"))
        assert rules.fetcher.host_delay[s.url("/")[7:-1]] == 7.0


def test_crawl_of_a_site_with_only_a_nofollow_page(tmp_path):
    page = html_page(
        "Hidden", "<meta name='robots' content='noindex,nofollow'><a href='/a.pdf'>a</a>"
    )
    content = pdf_site(**{"/": (page, "text/html")})
    with running_site(content) as s:
        report = Crawler(tmp_path / "out", [source_for_url(s.url("/"))], fast_settings()).run()
        assert "/a.pdf" not in [h.path for h in s.hits]
        assert report.stored == [] and report.pages == 1


def test_gzip_bodies_are_inflated_within_the_size_limit():
    page = html_page("Gzipped law", "<p>Статья 1. Трудовой мигрант.</p>")
    content = pdf_site(
        **{
            "/gz.html": (gzip.compress(page), "text/html; charset=utf-8"),
            "/bomb.html": (gzip.compress(b"<p>" + b"0" * 2_000_000), "text/html"),
            "/broken.html": (b"\x1f\x8b\x08\x00 definitely not deflate data", "text/html"),
        }
    )
    content.encodings = {p: "gzip" for p in ("/gz.html", "/bomb.html", "/broken.html")}
    with running_site(content) as s:
        fetcher = Fetcher(fast_settings(max_bytes=300_000))
        assert fetcher.fetch(s.url("/gz.html"), accept).body == page
        assert "gzip" in s.hits[-1].headers["Accept-Encoding"]
        with pytest.raises(FetchError) as err:
            fetcher.fetch(s.url("/bomb.html"), accept)
        assert err.value.kind == "too-large" and "inflates" in err.value.message
        with pytest.raises(FetchError) as err:
            fetcher.fetch(s.url("/broken.html"), accept)
        assert err.value.kind == "garbage"
