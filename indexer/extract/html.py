"""HTML pages: the main text with headings on their own lines, without scripts and page chrome.

Uses the standard library parser (no lxml dependency): it tolerates broken markup, which is what
crawled government sites serve. Navigation, headers, footers and asides repeat on every page of a
site and would drown the law text in menu words, so their content is dropped.
"""

from __future__ import annotations

import codecs
import re
from html.parser import HTMLParser
from pathlib import Path

from indexer.extract.encoding import decode_bytes
from indexer.extract.text import read_bytes
from indexer.models import Extracted, ExtractionError, Page

SKIP_TAGS = frozenset({"script", "style", "noscript", "template", "nav", "header", "footer", "aside",
                       "svg", "iframe", "object", "select", "button", "form"})
HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
BLOCK_TAGS = frozenset({
    "p", "div", "section", "article", "main", "br", "li", "ul", "ol", "dl", "dt", "dd", "tr",
    "table", "thead", "tbody", "blockquote", "pre", "hr", "address", "figure", "figcaption",
    "caption", "center", "body", "html",
}) | HEADING_TAGS
CELL_TAGS = frozenset({"td", "th"})
VOID_TAGS = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
                       "param", "source", "track", "wbr"})
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.I)
_SPACES = re.compile(r"[ \t\u00a0]+")


class _MainTextParser(HTMLParser):
    """Collects visible text line by line, the title, and headings (h1-h6) in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.skip_stack: list[str] = []
        self.heading_tag: str | None = None
        self.heading_parts: list[str] = []
        self.headings: list[str] = []
        self.first_h1: str | None = None
        self.in_title = False
        self.title_parts: list[str] = []
        self.pre_depth = 0  # inside <pre>, line breaks in the source are real line breaks

    def _flush(self) -> None:
        line = _SPACES.sub(" ", "".join(self.current)).strip()
        if line:
            self.lines.append(line)
        self.current = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in VOID_TAGS:
            if tag == "br" and not self.skip_stack:
                self._flush()
            return
        if self.skip_stack or tag in SKIP_TAGS or _is_hidden(attrs):
            self.skip_stack.append(tag)
            return
        if tag == "title":
            self.in_title = True
            return
        if tag == "pre":
            self.pre_depth += 1
        if tag in BLOCK_TAGS:
            if self.heading_tag:  # an unclosed heading ends where the next block begins
                self._end_heading()
            self._flush()
            if tag in HEADING_TAGS:
                self.heading_tag, self.heading_parts = tag, []
        elif tag in CELL_TAGS and self.current:
            self.current.append(" | ")

    def handle_endtag(self, tag: str) -> None:
        if self.skip_stack:
            if tag in self.skip_stack:  # tolerate unclosed children inside a skipped element
                while self.skip_stack and self.skip_stack.pop() != tag:
                    pass
            return
        if tag == "title":
            self.in_title = False
            return
        if tag == "pre" and self.pre_depth:
            self.pre_depth -= 1
        if tag in BLOCK_TAGS:
            self._flush()
            if tag == self.heading_tag:
                self._end_heading()

    def _end_heading(self) -> None:
        heading = _SPACES.sub(" ", "".join(self.heading_parts)).strip()
        if heading:
            self.headings.append(heading)
            if self.heading_tag == "h1" and self.first_h1 is None:
                self.first_h1 = heading
        self.heading_tag = None

    def handle_data(self, data: str) -> None:
        if self.skip_stack:
            return
        if self.in_title:
            self.title_parts.append(data)
            return
        data = data.replace("\r\n", "\n").replace("\r", "\n")
        if self.pre_depth:
            first, *rest = data.split("\n")
            self.current.append(first)
            for line in rest:
                self._flush()
                self.current.append(line)
            return
        data = data.replace("\n", " ")
        self.current.append(data)
        if self.heading_tag:
            self.heading_parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def _is_hidden(attrs: list[tuple[str, str | None]]) -> bool:
    values = dict(attrs)
    style = (values.get("style") or "").replace(" ", "").lower()
    return "hidden" in values or "display:none" in style or values.get("aria-hidden") == "true"


def html_encoding(data: bytes) -> str | None:
    """The charset an HTML document declares in a <meta> tag, if Python knows it."""
    match = _META_CHARSET.search(data[:4096])
    if not match:
        return None
    name = match.group(1).decode("ascii", "replace")
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def decode_html(data: bytes) -> tuple[str, str]:
    declared = html_encoding(data)
    if declared and not data.startswith((b"\xef\xbb\xbf", b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode(declared), declared
        except UnicodeDecodeError:
            pass  # the declaration lies; detect instead
    return decode_bytes(data)


def parse_html(markup: str) -> Extracted:
    """Main text, title and headings of an HTML document given as a string."""
    parser = _MainTextParser()
    try:
        parser.feed(markup)
        parser.close()
    except Exception as exc:  # html.parser is lenient; this is a last resort
        raise ExtractionError(f"unparseable HTML ({type(exc).__name__}: {exc})") from exc
    title = _SPACES.sub(" ", "".join(parser.title_parts)).strip() or parser.first_h1
    return Extracted(pages=[Page(1, "\n".join(parser.lines))], title=title, headings=parser.headings)


def extract_html(path: Path) -> Extracted:
    """An HTML file: main text as one page, title from <title> or the first <h1>."""
    data = read_bytes(path)
    if not data:
        raise ExtractionError("empty file")
    markup, encoding = decode_html(data)
    extracted = parse_html(markup)
    extracted.encoding = encoding
    return extracted
