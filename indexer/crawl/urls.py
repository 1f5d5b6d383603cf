"""URL hygiene: one canonical spelling per URL, scope checks, and safe file names from URLs.

Canonical spelling is what makes loops impossible (the same page linked as `/a`, `/a#top`
and `HTTP://Host:80/a` is visited once); safe names are what keeps a hostile server from
writing outside the corpus folder (no `..`, no absolute paths, bounded length).
"""

from __future__ import annotations

import hashlib
import re
from typing import TYPE_CHECKING
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from analyzers.cyrillic import transliterate

if TYPE_CHECKING:
    from indexer.crawl.sources import Source

MAX_URL_CHARS = 2000
MAX_NAME_CHARS = 120
DEFAULT_PORTS = {"http": 80, "https": 443}
_UNSAFE_NAME_CHARS = re.compile(r"[^A-Za-z0-9._-]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def _ascii(text: str) -> str:
    """Cyrillic spelled in ASCII, so /документы/закон.pdf keeps a readable name (dokumenty_zakon.pdf)."""
    return _NON_ASCII.sub(lambda m: transliterate(m.group()), text)


def normalize_url(href: str, base: str | None = None) -> str | None:
    """The canonical absolute form of `href` (resolved against `base`), or None if unusable.

    Only http(s) URLs survive; the fragment is dropped, scheme and host are lower-cased, an
    internationalised host is IDNA-encoded, default ports are dropped, and characters that
    must be escaped are percent-encoded (existing escapes are kept as they are).
    """
    href = (href or "").strip()
    if not href or len(href) > MAX_URL_CHARS:
        return None
    try:
        absolute = urljoin(base, href) if base else href
        parts = urlsplit(absolute)
        scheme = parts.scheme.lower()
        host = parts.hostname
        port = parts.port
    except ValueError:  # bad port, bad IPv6 literal
        return None
    if scheme not in DEFAULT_PORTS or not host:
        return None
    try:
        host = host.encode("idna").decode("ascii") if not host.isascii() else host.lower()
    except UnicodeError:
        return None
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    path = quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    query = quote(parts.query, safe="/%:@!$&'()*+,;=-._~?")
    url = urlunsplit((scheme, netloc, path, query, ""))
    return url if len(url) <= MAX_URL_CHARS else None


def idna_host(host: str) -> str:
    """A host name (with any `:port`) as in canonical URLs: lower-case, IDNA for non-ASCII names."""
    host, colon, port = host.strip().lower().partition(":")
    host = host.rstrip(".")
    if not host.isascii():
        lead = "." if host.startswith(".") else ""
        host = lead + host.lstrip(".").encode("idna").decode("ascii")
    return host + colon + port


def host_of(url: str) -> str:
    """host[:port] of a canonical URL: the unit of politeness (delay, robots.txt)."""
    return urlsplit(url).netloc


def origin(url: str) -> str:
    """`scheme://host[:port]/` of a canonical URL: the scope of a crawl given one seed."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _allowed_by(url: str, entry: str) -> bool:
    """Whether `url` is within an allow entry: a URL prefix or `host[:port]`, both port-exact.

    A prefix (canonical, so its path starts right after the netloc) fixes scheme, host and
    port; a host entry allows http and https on their default ports, or on the port it names.
    """
    if "://" in entry:
        prefix = normalize_url(entry) or entry
        return url.startswith(prefix)
    parts = urlsplit(url)
    host = parts.hostname or ""
    name, _, port = idna_host(entry).partition(":")
    default = DEFAULT_PORTS[parts.scheme]
    if (parts.port or default) != (int(port) if port.isdigit() else default):
        return False
    if name.startswith("."):  # ".gov.kg": any subdomain
        return host.endswith(name)
    return host == name


def in_scope(url: str, source: Source) -> bool:
    """Whether a link found while crawling `source` may be fetched."""
    if not any(_allowed_by(url, entry) for entry in source.allow):
        return False
    if any(p.search(url) for p in source.exclude_re):
        return False
    return not source.follow_re or any(p.search(url) for p in source.follow_re)


def url_hash(url: str) -> str:
    return hashlib.sha256(url.encode("utf-8")).hexdigest()[:10]


def host_folder(url: str) -> str:
    """The per-host folder name: the host, with `_port` for non-default ports."""
    parts = urlsplit(url)
    name = (parts.hostname or "unknown-host").lower()
    if parts.port:
        name += f"_{parts.port}"
    return _UNSAFE_NAME_CHARS.sub("-", name).strip(".-") or "unknown-host"


def safe_name(url: str, extension: str) -> str:
    """A file name derived from the URL's path and query, safe on any file system.

    `/act/view/ru-ru/202309?cl=ru-ru` with extension `html` becomes
    `act_view_ru-ru_202309_cl-ru-ru.html`. Separators, `..` and odd characters cannot survive;
    an over-long name is cut and made unique with a hash of the URL.
    """
    parts = urlsplit(url)
    pieces = [unquote(seg) for seg in parts.path.split("/")] + [unquote(parts.query)]
    cleaned = [_UNSAFE_NAME_CHARS.sub("-", _ascii(p)).strip(".-") for p in pieces]
    stem = "_".join(p for p in cleaned if p) or "index"
    ext = "." + extension.lstrip(".").lower() if extension else ""
    if ext and stem.lower().endswith(ext):
        stem = stem[: -len(ext)]
    if ext == ".html" and stem.lower().endswith(".htm"):
        stem = stem[:-4]
    stem = stem.strip(".-_") or "index"
    if len(stem) > MAX_NAME_CHARS:
        stem = f"{stem[:MAX_NAME_CHARS].rstrip('.-_')}-{url_hash(url)}"
    return stem + ext


def with_hash(name: str, url: str) -> str:
    """`name` made unique for `url` (used when two URLs map to the same file name)."""
    stem, dot, ext = name.rpartition(".")
    if not dot:
        return f"{name}-{url_hash(url)}"
    return f"{stem}-{url_hash(url)}.{ext}"
