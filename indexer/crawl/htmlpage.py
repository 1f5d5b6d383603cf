"""What the crawler needs from an HTML page: its title, its links, and its robots meta tag.

Uses the stdlib's forgiving HTMLParser, so broken markup yields what can be read rather than
an error. Decoding follows the header charset, then <meta charset>, then detection
(cp1251 pages without a declared charset are common on older government sites).
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from indexer.crawl.filetypes import charset_of
from indexer.crawl.urls import normalize_url
from indexer.extract.encoding import detect_encoding

_META_CHARSET_RE = re.compile(rb"<meta[^>]+charset=[\"']?([\w.:-]+)", re.IGNORECASE)
_LINK_TAGS = {"a": "href", "area": "href", "frame": "src", "iframe": "src"}
MAX_LINKS = 5000


@dataclass
class PageInfo:
    title: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (absolute URL, anchor text)
    nofollow: bool = False  # <meta name="robots" content="nofollow">
    noindex: bool = False  # <meta name="robots" content="noindex">


def _known(encoding: str | None) -> str | None:
    if not encoding:
        return None
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return None


def decode_html(body: bytes, content_type: str = "") -> str:
    """The page's text, decoded with the best-supported guess; never raises."""
    encoding = _known(charset_of(content_type))
    if encoding is None:
        m = _META_CHARSET_RE.search(body[:4096])
        encoding = _known(m.group(1).decode("ascii", "ignore")) if m else None
    if encoding is None:
        encoding = detect_encoding(body[:200_000])
    return body.decode(encoding, errors="replace")


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.base: str | None = None
        self.title_parts: list[str] = []
        self.in_title = False
        self.raw_links: list[tuple[str, list[str]]] = []
        self.open_anchor: list[str] | None = None
        self.robots = ""

    def handle_starttag(self, tag, attrs):
        a = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and a.get("href") and self.base is None:
            self.base = a["href"]
        elif tag == "title":
            self.in_title = True
        elif tag == "meta" and a.get("name", "").lower() == "robots":
            self.robots += "," + a.get("content", "").lower()
        attr = _LINK_TAGS.get(tag)
        if attr and a.get(attr) and len(self.raw_links) < MAX_LINKS:
            text: list[str] = []
            self.raw_links.append((a[attr], text))
            if tag == "a":
                self.open_anchor = text

    def handle_endtag(self, tag):
        if tag == "title":
            self.in_title = False
        elif tag == "a":
            self.open_anchor = None

    def handle_data(self, data):
        if self.in_title:
            self.title_parts.append(data)
        if self.open_anchor is not None:
            self.open_anchor.append(data)


def _squash(text: str) -> str:
    return " ".join(text.split())


def parse_page(html_text: str, url: str) -> PageInfo:
    """Title, links (canonical, absolute, de-duplicated, in page order) and robots flags."""
    collector = _Collector()
    try:
        collector.feed(html_text)
        collector.close()
    except Exception:  # noqa: BLE001 - HTMLParser on hostile input: keep what was parsed
        pass
    base = normalize_url(collector.base, url) if collector.base else None
    base = base or url
    links: dict[str, str] = {}
    for href, text in collector.raw_links:
        target = normalize_url(href, base)
        if target and target not in links:
            links[target] = _squash("".join(text))[:200]
    robots = {word.strip() for word in collector.robots.split(",")}
    return PageInfo(
        title=_squash("".join(collector.title_parts))[:300],
        links=list(links.items()),
        nofollow=bool(robots & {"nofollow", "none"}),
        noindex=bool(robots & {"noindex", "none"}),
    )
