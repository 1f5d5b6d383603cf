"""A search as a CSV download (every matching passage) and as an Atom feed (newest documents).

CSV is streamed row by row, so exporting thousands of hits never holds them in memory; cells
that a spreadsheet would run as a formula are defused. The feed is built with ElementTree, so
every title and URL is escaped by the XML writer rather than by hand.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from urllib.parse import urlencode
from xml.etree import ElementTree as ET

CSV_COLUMNS = (
    "doc_id", "title", "country", "doc_type", "language", "date", "label", "pages",
    "citation", "source", "score", "passage_id",
)  # fmt: skip
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
ATOM_NS = "http://www.w3.org/2005/Atom"
# What XML 1.0 forbids (C0 controls but tab/newline/return, lone surrogates, U+FFFE/U+FFFF):
# ElementTree would write them and every parser would then reject the whole feed.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def safe_cell(value: object) -> object:
    """Text that Excel or LibreOffice would evaluate (`=HYPERLINK(...)`) gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_stream(first: dict | None, rest: Iterable[dict], columns: Iterable[str] = CSV_COLUMNS) -> Iterator[str]:
    """A UTF-8 (with BOM, for Excel) CSV: a header, then one line per passage."""
    columns = tuple(columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(columns)
    yield "\ufeff" + flush()
    if first is None:
        return
    for n, row in enumerate(_chain(first, rest), start=1):
        writer.writerow([safe_cell(row.get(c, "")) for c in columns])
        if n % 200 == 0:
            yield flush()
    yield flush()


def _chain(first: dict, rest: Iterable[dict]) -> Iterator[dict]:
    yield first
    yield from rest


def atom_time(date: str, fallback: datetime) -> str:
    """An Atom timestamp from an ISO date or year ('2002-07-25', '2002'); `fallback` if unknown."""
    parts = (date or "").split("-")
    try:
        year = int(parts[0])
        month = int(parts[1]) if len(parts) > 1 else 1
        day = int(parts[2]) if len(parts) > 2 else 1
        return datetime(year, month, day, tzinfo=UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    except (ValueError, IndexError):
        return fallback.strftime("%Y-%m-%dT%H:%M:%SZ")


def xml_safe(text: str) -> str:
    """`text` with every character XML 1.0 forbids replaced by U+FFFD."""
    return _NOT_XML.sub("\ufffd", text)


def atom_feed(res: dict, params, root_url: str, title: str) -> bytes:
    """The feed of a date-sorted search result: one entry per document, newest first."""
    root_url = root_url.rstrip("/")
    now = datetime.now(UTC)
    ET.register_namespace("", ATOM_NS)
    feed = ET.Element(f"{{{ATOM_NS}}}feed")

    def sub(parent, tag: str, text: str | None = None, **attrs: str):
        el = ET.SubElement(parent, f"{{{ATOM_NS}}}{tag}", {k: xml_safe(v) for k, v in attrs.items()})
        if text is not None:
            el.text = xml_safe(text)
        return el

    query = params.query_string(sort="date")
    sub(feed, "id", f"{root_url}/feed.atom?{query}")
    sub(feed, "title", title)
    newest = [atom_time(r.get("date", ""), now) for r in res["results"]]
    sub(feed, "updated", max(newest) if newest else now.strftime("%Y-%m-%dT%H:%M:%SZ"))
    sub(feed, "link", rel="self", href=f"{root_url}/feed.atom?{query}")
    sub(feed, "link", rel="alternate", type="text/html", href=f"{root_url}/?{query}")
    author = sub(feed, "author")
    sub(author, "name", "migrantlex")
    for r in res["results"]:
        entry = sub(feed, "entry")
        url = f"{root_url}/documents/{r['doc_id']}?" + urlencode({"q": res["query"]})
        sub(entry, "id", f"{root_url}/documents/{r['doc_id']}")
        sub(entry, "title", r.get("title") or r["doc_id"])
        sub(entry, "updated", atom_time(r.get("date", ""), now))
        sub(entry, "link", rel="alternate", type="text/html", href=url)
        facts = ", ".join(x for x in (r.get("country"), r.get("doc_type"), r.get("language"), r.get("date"), r.get("number")) if x)
        sub(entry, "summary", facts or None)
        for c in ("country", "doc_type", "language"):
            if r.get(c):
                sub(entry, "category", term=str(r[c]), scheme=f"{root_url}/#{c}")
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True)
