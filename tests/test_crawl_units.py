"""The crawler's pure parts: URL canonical form, safe names, scope, sources file, HTML, types."""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from indexer.crawl.filetypes import body_mismatch, kind_of
from indexer.crawl.htmlpage import decode_html, parse_page
from indexer.crawl.sources import SourcesError, load_sources, make_source, source_for_url
from indexer.crawl.store import inside
from indexer.crawl.urls import in_scope, normalize_url, safe_name

SOURCES_FILE = Path(__file__).resolve().parents[1] / "corpus" / "sources.toml"


@pytest.mark.parametrize(
    ("href", "base", "expected"),
    [
        ("HTTP://Example.ORG:80/a#frag", None, "http://example.org/a"),
        ("https://example.org:443", None, "https://example.org/"),
        ("../b/c.pdf?x=1", "http://h.kg/a/d/", "http://h.kg/a/b/c.pdf?x=1"),
        ("/Закон 1.pdf", "http://h.kg/", "http://h.kg/%D0%97%D0%B0%D0%BA%D0%BE%D0%BD%201.pdf"),
        ("https://мвд.рф/mvd", None, "https://xn--b1aew.xn--p1ai/mvd"),
        ("http://h.kg:8080/x", None, "http://h.kg:8080/x"),
        ("mailto:a@b.kg", None, None),
        ("javascript:void(0)", "http://h.kg/", None),
        ("ftp://h.kg/x.pdf", None, None),
        ("http://h.kg:99999/", None, None),
        ("", "http://h.kg/", None),
    ],
)
def test_normalize_url(href, base, expected):
    assert normalize_url(href, base) == expected


def test_normalize_keeps_existing_escapes_stable():
    once = normalize_url("http://h.kg/a%20b/%D0%B0?q=%2F")
    assert normalize_url(once) == once


@pytest.mark.parametrize(
    "url",
    [
        "http://h.kg/docs/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
        "http://h.kg/%2F%2Froot%2F.ssh%2Fkey.pdf",
        "http://h.kg/..%5C..%5Cwin.pdf",
        "http://h.kg/" + "a" * 5000 + ".pdf",
        "http://h.kg/./../.pdf",
        "http://h.kg/%00null.pdf",
    ],
)
def test_safe_name_cannot_escape_or_grow(url, tmp_path):
    name = safe_name(url, "pdf")
    assert "/" not in name and "\\" not in name and ".." not in name and "\x00" not in name
    assert name.endswith(".pdf") and 4 < len(name) <= 140
    assert inside(tmp_path, f"h.kg/{name}").is_relative_to(tmp_path.resolve())


def test_safe_name_is_readable():
    url = "https://cbd.minjust.gov.kg/act/view/ru-ru/202309?cl=ru-ru"
    assert safe_name(url, "html") == "act_view_ru-ru_202309_cl-ru-ru.html"
    assert safe_name("http://h.kg/", "html") == "index.html"
    assert safe_name("http://h.kg/docs/Law.PDF", "pdf") == "docs_Law.pdf"
    cyrillic = normalize_url("http://h.kg/документы/Закон о миграции.pdf")
    assert safe_name(cyrillic, "pdf") == "dokumenty_zakon-o-migratsii.pdf"
    assert safe_name(normalize_url("http://h.kg/мыйзам/көчүү"), "html") == "myizam_kochuu.html"


def test_inside_refuses_escapes(tmp_path):
    for bad in ("../x.pdf", "/etc/passwd", "a/../../x"):
        with pytest.raises(ValueError):
            inside(tmp_path, bad)


def test_scope_hosts_prefixes_patterns():
    src = make_source(
        {
            "name": "t",
            "seeds": ["https://cbd.minjust.gov.kg/"],
            "allow": ["https://cbd.minjust.gov.kg/act/", ".gov.kg"],
            "follow": [r"/act/view/ru-ru/\d+", r"mlsp"],
            "exclude": [r"/print/"],
        },
        "test",
    )
    assert in_scope("https://cbd.minjust.gov.kg/act/view/ru-ru/1", src)
    assert in_scope("https://mlsp.gov.kg/mlsp/doc.pdf", src)  # subdomain of .gov.kg
    assert not in_scope("https://cbd.minjust.gov.kg/act/view/ky-kg/1", src)  # no follow match
    assert not in_scope("https://cbd.minjust.gov.kg/act/view/ru-ru/1/print/", src)
    assert not in_scope("https://evil.kg/act/view/ru-ru/1", src)
    assert not in_scope("https://gov.kg.evil.com/mlsp", src)


def test_url_source_stays_on_its_host():
    src = source_for_url("http://127.0.0.1:8000/laws/")
    assert in_scope("http://127.0.0.1:8000/other/x.pdf", src)
    assert not in_scope("http://127.0.0.2:8000/x.pdf", src)
    assert src.max_depth == 2 and src.keep == ("pdf", "docx", "html")


def test_real_sources_file_loads_and_covers_the_official_sites():
    settings, sources = load_sources(SOURCES_FILE)
    assert settings.delay >= 1 and settings.user_agent.startswith("migrantlex/0.1 (+http")
    hosts = {normalize_url(seed).split("/")[2] for s in sources for seed in s.seeds}
    for expected in (
        "cbd.minjust.gov.kg", "publication.pravo.gov.ru", "adilet.zan.kz", "normlex.ilo.org",
        "treaties.un.org", "www.ohchr.org", "docs.eaeunion.org", "mlsp.gov.kg", "xn--b1aew.xn--p1ai",
    ):  # fmt: skip
        assert expected in hosts
    for s in sources:
        assert s.country and s.doc_type and s.language, s.name
        for seed in s.seeds:  # seeds need not match `follow`, but must be on an allowed host
            assert any(urlsplit(seed).hostname in entry for entry in s.allow), (s.name, seed)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[source]]\nname='a'\n", "no seeds"),
        ("[[source]]\nname='a'\nseeds=['ftp://x']\n", "not an http(s) URL"),
        ("[[source]]\nname='a'\nseeds=['http://x.kg/']\nkeep=['exe']\n", "cannot keep"),
        ("[[source]]\nname='a'\nseeds=['http://x.kg/']\nfollow=['(']\n", "bad regular expression"),
        ("[[source]]\nname='a'\nseeds=['http://x.kg/']\nmax_depht=1\n", "unknown keys"),
        ("[[source]]\nname='a'\nseeds=['http://x.kg/']\nmax_depth=-1\n", "max_depth"),
        ("[settings]\ndelay='slow'\n[[source]]\nname='a'\nseeds=['http://x.kg/']\n", "delay"),
        (
            "[[source]]\nname='a'\nseeds=['http://x.kg/']\n[[source]]\nname='a'\nseeds=['http://y.kg/']\n",
            "twice",
        ),
        ("[[source]\n", "not valid TOML"),
        ("[settings]\n", "no [[source]]"),
    ],
)
def test_bad_sources_files_give_clear_errors(tmp_path, text, message):
    path = tmp_path / "sources.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SourcesError, match=re.escape(message)):
        load_sources(path)


def test_missing_sources_file(tmp_path):
    with pytest.raises(SourcesError, match="no such file"):
        load_sources(tmp_path / "nope.toml")


def test_parse_page_links_title_base_and_robots():
    html = """<html><head><title> Закон
      о миграции </title><base href="http://h.kg/acts/"><meta name="robots" content="noindex, nofollow"></head>
      <body><a href="a.pdf">Закон <b>№ 61</b></a><a href="a.pdf#p2">again</a>
      <a href="/x.html">X</a><a>no href</a><iframe src="frame.html"></iframe><a href="mailto:x@h.kg">m</a>
      <p>unclosed <a href="b.docx">B"""
    page = parse_page(html, "http://h.kg/index.html")
    assert page.title == "Закон о миграции"
    assert page.links == [
        ("http://h.kg/acts/a.pdf", "Закон № 61"),
        ("http://h.kg/x.html", "X"),
        ("http://h.kg/acts/frame.html", ""),
        ("http://h.kg/acts/b.docx", "B"),
    ]
    assert page.nofollow and page.noindex
    assert not parse_page("<a href='/a'>a</a>", "http://h.kg/").nofollow


def test_decode_html_cp1251_without_declared_charset():
    text = "<html><body><p>Трудовые мигранты и их права на территории республики</p></body></html>"
    assert "Трудовые мигранты" in decode_html(text.encode("cp1251"))
    assert decode_html(text.encode("utf-8"), "text/html; charset=utf-8") == text
    assert "мигранты" in decode_html(text.encode("koi8-r"), "text/html; charset=KOI8-R")


def test_kinds_and_garbage():
    assert kind_of("application/pdf", "http://h/x") == "pdf"
    assert kind_of("text/html; charset=utf-8", "http://h/x.pdf") == "html"
    assert kind_of("application/octet-stream", "http://h/law.PDF") == "pdf"
    assert (
        kind_of("application/octet-stream", "http://h/get?id=1", 'attachment; filename="z.docx"')
        == "docx"
    )
    assert kind_of("application/octet-stream", "http://h/get?id=1") is None
    assert kind_of("image/png", "http://h/x.pdf") is None
    assert body_mismatch("pdf", b"%PDF-1.7\n...") is None
    assert body_mismatch("pdf", b"<html>error</html>") == "not a PDF (no %PDF- header)"
    assert body_mismatch("docx", b"%PDF-1.4") is not None
    assert body_mismatch("html", b"\x00\x01" * 500) is not None
    assert body_mismatch("html", b"   ") == "empty body"
