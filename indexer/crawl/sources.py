"""What to crawl: sources read from a TOML file, or one seed URL with same-site defaults.

A source says where to start (seeds), how far the crawl may go (allowed hosts or URL prefixes,
depth, follow/exclude patterns), which file types to keep, and the metadata its documents get
by default. Settings shared by all sources (delay, limits) sit in `[settings]`.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from urllib.parse import urlsplit

from indexer.crawl.urls import idna_host, normalize_url, origin
from indexer.filetypes import NAMES

KEEPABLE_TYPES = NAMES  # indexer/filetypes.py
DEFAULT_KEEP = ("pdf", "docx", "html")


class SourcesError(ValueError):
    """A sources file or seed URL that cannot be used; the message says what and where."""


@dataclass(frozen=True)
class CrawlSettings:
    """Politeness and safety limits, the same for every source of one crawl."""

    delay: float = 2.0  # seconds between two requests to one host
    timeout: float = 30.0  # seconds per connect/read
    total_timeout: float = 300.0  # seconds for one whole download (slow-drip servers)
    retries: int = 2  # extra attempts after a timeout, a connection error, 429 or 5xx
    backoff: float = 2.0  # first retry waits this long, then twice as long each time
    max_bytes: int = 50_000_000  # larger bodies are abandoned
    max_redirects: int = 5
    max_pages: int = 10_000  # URLs visited per run, all sources together
    user_agent: str = "migrantlex/0.1 (+https://github.com/migrantlex/migrantlex)"
    allow_private_addresses: bool = False  # loopback, private, link-local...: only when asked


@dataclass(frozen=True)
class Source:
    """One site (or part of one) to crawl, with the metadata its documents get by default."""

    name: str
    seeds: tuple[str, ...]
    allow: tuple[str, ...] = ()  # hosts ("example.org") or URL prefixes ("https://x.org/laws/")
    follow: tuple[str, ...] = ()  # regexes; when given, a link is followed only if one matches
    exclude: tuple[str, ...] = ()  # regexes; a matching link is never followed
    max_depth: int = 2  # links from a seed (depth 0) followed this many times
    keep: tuple[str, ...] = DEFAULT_KEEP  # file types saved to the corpus
    country: str = ""
    doc_type: str = ""
    language: str = ""
    notes: str = ""
    follow_re: tuple[re.Pattern, ...] = field(default=(), repr=False, compare=False)
    exclude_re: tuple[re.Pattern, ...] = field(default=(), repr=False, compare=False)


_SOURCE_KEYS = {f.name for f in fields(Source)} - {"follow_re", "exclude_re"} | {"title", "about"}
_SETTINGS_KEYS = {f.name for f in fields(CrawlSettings)}


def _check_url(url: object, where: str) -> str:
    """The canonical form of a configured URL (so seeds and links meet in one spelling)."""
    if not isinstance(url, str):
        raise SourcesError(f"{where}: expected a URL string, got {url!r}")
    canonical = normalize_url(url)
    if canonical is None:
        raise SourcesError(f"{where}: not an http(s) URL: {url!r}")
    return canonical


def _check_allow(entry: str, where: str) -> str:
    """An allow entry: a URL prefix (canonicalised) or a host name (IDNA-encoded)."""
    if "://" in entry:
        return _check_url(entry, where)
    host = entry.strip()
    name, colon, port = host.partition(":")
    if not name or "/" in host or " " in host or (colon and not port.isdigit()):
        raise SourcesError(f"{where}: {entry!r} is neither a host name nor a URL prefix")
    try:
        return idna_host(host)
    except UnicodeError:
        raise SourcesError(f"{where}: {entry!r} is not a valid host name") from None


def _strings(value: object, where: str) -> tuple[str, ...]:
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise SourcesError(f"{where}: expected a string or a list of strings, got {value!r}")
    return tuple(value)


def _compile(patterns: tuple[str, ...], where: str) -> tuple[re.Pattern, ...]:
    try:
        return tuple(re.compile(p) for p in patterns)
    except re.error as exc:
        raise SourcesError(f"{where}: bad regular expression: {exc}") from None


def make_source(raw: dict, where: str) -> Source:
    """Validate one source table (from TOML or built in code) into a Source."""
    unknown = set(raw) - _SOURCE_KEYS
    if unknown:
        raise SourcesError(f"{where}: unknown keys {sorted(unknown)}")
    name = raw.get("name")
    if not isinstance(name, str) or not name.strip():
        raise SourcesError(f"{where}: every source needs a name")
    where = f"{where} ({name})"
    seeds = tuple(_check_url(u, f"{where} seeds") for u in _strings(raw.get("seeds", []), where))
    if not seeds:
        raise SourcesError(f"{where}: no seeds")
    allow = tuple(
        _check_allow(a, f"{where} allow") for a in _strings(raw.get("allow", []), f"{where} allow")
    ) or tuple(dict.fromkeys(origin(s) for s in seeds))  # no allow: the seeds' own origins
    keep = tuple(t.lower() for t in _strings(raw.get("keep", list(DEFAULT_KEEP)), f"{where} keep"))
    bad = set(keep) - set(KEEPABLE_TYPES)
    if bad:
        raise SourcesError(f"{where}: cannot keep {sorted(bad)}; known types: {KEEPABLE_TYPES}")
    depth = raw.get("max_depth", 2)
    if not isinstance(depth, int) or isinstance(depth, bool) or depth < 0:
        raise SourcesError(f"{where}: max_depth must be a whole number >= 0, got {depth!r}")
    follow = _strings(raw.get("follow", []), f"{where} follow")
    exclude = _strings(raw.get("exclude", []), f"{where} exclude")
    meta = {}
    for key in ("country", "doc_type", "language", "notes"):
        value = raw.get(key, "")
        if not isinstance(value, str):
            raise SourcesError(f"{where}: {key} must be a string")
        meta[key] = value.strip()
    return Source(
        name=name.strip(),
        seeds=seeds,
        allow=tuple(a.strip() for a in allow if a.strip()),
        follow=follow,
        exclude=exclude,
        max_depth=depth,
        keep=keep,
        follow_re=_compile(follow, f"{where} follow"),
        exclude_re=_compile(exclude, f"{where} exclude"),
        **meta,
    )


def make_settings(
    raw: dict, where: str = "settings", base: CrawlSettings | None = None
) -> CrawlSettings:
    """Validate a `[settings]` table; missing keys keep `base`'s (or the default) values."""
    base = base or CrawlSettings()
    unknown = set(raw) - _SETTINGS_KEYS
    if unknown:
        raise SourcesError(f"{where}: unknown keys {sorted(unknown)}")
    for key, value in raw.items():
        expected = type(getattr(base, key))
        if expected is bool:
            if not isinstance(value, bool):
                raise SourcesError(f"{where}: {key} must be true or false, got {value!r}")
            continue
        ok = isinstance(value, expected) or (expected is float and isinstance(value, int))
        if not ok or isinstance(value, bool) or (not isinstance(value, str) and value < 0):
            raise SourcesError(f"{where}: {key} must be a {expected.__name__} >= 0, got {value!r}")
    return replace(
        base,
        **{k: (float(v) if isinstance(getattr(base, k), float) else v) for k, v in raw.items()},
    )


def load_sources(path: Path | str) -> tuple[CrawlSettings, list[Source]]:
    """Read a sources TOML file: `[settings]` and one `[[source]]` table per site."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise SourcesError(f"{path}: no such file") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise SourcesError(f"{path}: not valid TOML: {exc}") from None
    unknown = set(data) - {"settings", "source"}
    if unknown:
        raise SourcesError(f"{path}: unknown top-level keys {sorted(unknown)}")
    settings = make_settings(data.get("settings", {}), f"{path} [settings]")
    raw_sources = data.get("source", [])
    if not isinstance(raw_sources, list) or not raw_sources:
        raise SourcesError(f"{path}: no [[source]] tables")
    sources = [make_source(raw, f"{path} source #{i + 1}") for i, raw in enumerate(raw_sources)]
    names = [s.name for s in sources]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise SourcesError(f"{path}: source names used twice: {dupes}")
    return settings, sources


def source_for_url(url: str, max_depth: int = 2, keep: tuple[str, ...] = DEFAULT_KEEP) -> Source:
    """Same-site defaults for `crawl --url`: stay on the seed's scheme, host and port, 2 links deep."""
    url = _check_url(url, "--url")
    host = urlsplit(url).hostname or ""
    return make_source(
        {"name": host, "seeds": [url], "allow": [origin(url)], "max_depth": max_depth, "keep": list(keep)},
        "--url",
    )
