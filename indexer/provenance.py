"""Who published a document and where its original lives, read from its `source` string.

A manifest or the crawler records the source as a URL (`https://minjust.gov.kg/...`), a
publisher with its site (`Tian Shan Policy Center, AUCA (auca.kg/en/tspc)`), or a copy in a
public repository (`owner/repo@commit:path (note)`); a document nobody described has its own
file path. A journalist wants the publisher and a link, not the raw string.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

_URL_RE = re.compile(r"^https?://\S+$", re.IGNORECASE)
_REPO_RE = re.compile(r"^(?P<repo>[\w.-]+/[\w.-]+)@(?P<rev>[0-9a-f]{6,40}):(?P<path>[^()]+?)\s*(?:\((?P<note>[^()]*)\))?\s*$")
_SITE_RE = re.compile(r"^(?:www\.)?(?P<host>[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,})(?P<path>/\S*)?$", re.IGNORECASE)
_PUBLISHER_SITE_RE = re.compile(r"^(?P<name>.+?)\s*\((?P<site>[^()\s]+)\)\s*$")


@dataclass(frozen=True)
class Provenance:
    publisher: str  # who published it, as the source names it; "" when unknown
    url: str  # the original on the web; "" when unknown


def provenance(source: str, path: str = "", relpath: str = "") -> Provenance:
    """The publisher and the original's address that `source` gives (nothing from a file path)."""
    source = " ".join(source.split())
    if not source or source in (path, relpath):
        return Provenance("", "")
    if _URL_RE.match(source):
        return Provenance(_host(source), source)
    repo = _REPO_RE.match(source)
    if repo:
        url = f"https://github.com/{repo['repo']}/blob/{repo['rev']}/{quote(repo['path'].strip())}"
        note_site = _site(((repo["note"] or "").split(",")[0]).split(" ")[0])
        return Provenance(note_site[0] if note_site else f"{repo['repo']} (GitHub)", url)
    named = _PUBLISHER_SITE_RE.match(source)
    if named and _site(named["site"]):
        return Provenance(named["name"], "https://" + named["site"])
    site = _site(source)
    if site:
        return Provenance(site[0], "https://" + source)
    return Provenance(source, "")


def _host(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


def _site(text: str) -> tuple[str, str] | None:
    """(host, path) when `text` is a bare site address such as `auca.kg/en/tspc`."""
    m = _SITE_RE.match(text.strip())
    return (m["host"].lower(), m["path"] or "") if m else None
