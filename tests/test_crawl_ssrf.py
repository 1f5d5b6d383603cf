"""The crawler stays on the scheme, host and port it was given and never reaches private addresses
unless told: probes against two real local servers (two ports of 127.0.0.1) started here."""

from __future__ import annotations

import pytest

from indexer.crawl.addresses import address_refusal
from indexer.crawl.cli import main
from indexer.crawl.crawler import Crawler
from indexer.crawl.fetch import Fetcher, FetchError
from indexer.crawl.sources import SourcesError, make_settings, make_source, source_for_url
from indexer.crawl.urls import in_scope
from tests.test_crawl_site import SiteContent, fast_settings, html_page, make_pdf, running_site

PDF = make_pdf(["Соглашение о трудовой деятельности"])


def accept(content_type, url, disposition):
    return "pdf"


@pytest.mark.parametrize(
    "address",
    [
        "127.0.0.1", "127.1.2.3", "10.0.0.1", "172.16.5.4", "192.168.1.1", "169.254.169.254",
        "100.64.0.1", "0.0.0.0", "224.0.0.1", "240.0.0.1", "255.255.255.255", "::1", "::",
        "fe80::1", "fe80::1%1", "fc00::1", "ff02::1", "::ffff:127.0.0.1", "::ffff:10.1.2.3",
        "::ffff:169.254.169.254", "2002:7f00:1::1",
    ],
)  # fmt: skip
def test_non_public_addresses_are_refused(address):
    assert address_refusal(address) is not None


@pytest.mark.parametrize("address", ["8.8.8.8", "93.184.216.34", "2001:4860:4860::8888", "::ffff:8.8.8.8"])
def test_public_addresses_are_accepted(address):
    assert address_refusal(address) is None


def test_scope_is_scheme_host_and_port():
    src = source_for_url("http://127.0.0.1:8000/laws/")
    assert in_scope("http://127.0.0.1:8000/x.pdf", src)
    assert not in_scope("http://127.0.0.1:8001/x.pdf", src)
    assert not in_scope("https://127.0.0.1:8000/x.pdf", src)
    assert not in_scope("http://127.0.0.1/x.pdf", src)
    hosts = make_source({"name": "h", "seeds": ["https://x.kg/"], "allow": ["x.kg", "y.kg:8443"]}, "t")
    assert in_scope("https://x.kg/a", hosts) and in_scope("http://x.kg/a", hosts)
    assert not in_scope("https://x.kg:8443/a", hosts) and not in_scope("http://x.kg:8080/a", hosts)
    assert in_scope("https://y.kg:8443/a", hosts) and not in_scope("https://y.kg/a", hosts)
    seeds_only = make_source({"name": "s", "seeds": ["https://z.kg:4443/docs/"]}, "t")
    assert in_scope("https://z.kg:4443/other", seeds_only)
    assert not in_scope("https://z.kg/other", seeds_only)


def test_links_and_redirects_to_another_port_are_not_fetched(tmp_path):
    b = SiteContent()
    b.files = {"/b.pdf": (PDF, "application/pdf")}
    with running_site(b) as site_b:
        a = SiteContent()
        a.files = {
            "/": (html_page("A", f'<a href="{site_b.url("/b.pdf")}">b</a> <a href="/jump">j</a>'), "text/html"),
            "/a.pdf": (PDF, "application/pdf"),
        }
        a.redirects = {"/jump": site_b.url("/b.pdf")}
        with running_site(a) as site_a:
            report = Crawler(tmp_path / "out", [source_for_url(site_a.url("/"))], fast_settings()).run()
        assert site_b.hits == []
        assert any(url == site_a.url("/jump") and "outside the source's scope" in why for url, why in report.failed)


def test_loopback_is_refused_without_opt_in_even_by_name():
    with running_site(SiteContent(files={"/a.pdf": (PDF, "application/pdf")})) as site:
        port = site.server.server_address[1]
        strict = Fetcher(fast_settings(allow_private_addresses=False))
        for url in (site.url("/a.pdf"), f"http://localhost:{port}/a.pdf", f"http://[::ffff:127.0.0.1]:{port}/a.pdf"):
            with pytest.raises(FetchError) as err:
                strict.fetch(url, accept)
            assert err.value.kind == "address-refused" and "--allow-private-addresses" in err.value.message
        assert site.hits == []
        resp = Fetcher(fast_settings()).fetch(f"http://localhost:{port}/a.pdf", accept)  # opted in
        assert resp.status == 200 and resp.body == PDF


def test_cli_refuses_loopback_and_says_how_to_allow_it(tmp_path, capsys):
    with running_site(SiteContent(files={"/": (html_page("A", ""), "text/html")})) as site:
        code = main(["--url", site.url("/"), "--out", str(tmp_path / "out"), "--delay", "0", "--no-progress"])
        assert site.hits == []
    out = capsys.readouterr().out
    assert code == 0 and "--allow-private-addresses" in out


def test_private_addresses_setting_must_be_a_boolean():
    assert make_settings({"allow_private_addresses": True}).allow_private_addresses
    with pytest.raises(SourcesError, match="true or false"):
        make_settings({"allow_private_addresses": "yes"})
