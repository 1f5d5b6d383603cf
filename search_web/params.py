"""Query-string parameters shared by the pages and the API, read and written in one place.

Queries and filters live in the URL so that a page of results can be bookmarked and shared;
links that change one thing (a facet, the page, the sort) are built from the current request's
parameters here, so every link keeps everything else.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from urllib.parse import quote_plus, urlsplit

from werkzeug.datastructures import MultiDict

from indexer.search import Filters
from indexer.settings import DEFAULT_LIMIT, MAX_LIMIT, MAX_PAGE, MAX_QUERY_CHARS, SORTS

PER_COUNTRY, MAX_PER_COUNTRY = 3, 20
_CODE_RE = re.compile(r"^[\w-]{1,40}$")
ENTITY_ID_RE = re.compile(r"^[a-z0-9][a-z0-9-]{0,119}$")  # an entity's short id: "iom", "institut-politiki-razvitiya"
# URL name -> Filters field
FILTER_PARAMS = {
    "country": "country", "type": "doc_type", "lang": "language", "concept": "concept", "status": "status",
    "org": "org", "person": "person", "place": "place",
}  # fmt: skip
OFF = ("0", "false", "no", "off")
STATUSES = ("in_force", "repealed")


class ParamError(ValueError):
    """A query-string parameter we cannot use: shown to the user as a 400, never a crash."""

    def __init__(self, name: str, reason: str) -> None:
        super().__init__(f"{name}: {reason}")
        self.name = name
        self.reason = reason


@dataclass(frozen=True)
class SearchParams:
    """Everything a search URL says: query, filters, page, page size, sort."""

    q: str = ""
    country: tuple[str, ...] = ()
    doc_type: tuple[str, ...] = ()
    language: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    page: int = 1
    limit: int = DEFAULT_LIMIT
    sort: str = "relevance"
    concept: tuple[str, ...] = ()
    concepts: bool = True  # False (`concepts=0`): only the words typed
    org: tuple[str, ...] = ()  # entities the documents name, by short id (`org=iom`)
    person: tuple[str, ...] = ()
    place: tuple[str, ...] = ()

    def filters(self) -> Filters:
        return Filters(
            country=list(self.country),
            doc_type=list(self.doc_type),
            language=list(self.language),
            status=list(self.status),
            year_from=self.year_from,
            year_to=self.year_to,
            concept=list(self.concept),
            org=list(self.org),
            person=list(self.person),
            place=list(self.place),
        )

    @property
    def has_filters(self) -> bool:
        return bool(
            self.country or self.doc_type or self.language or self.year_from or self.year_to or self.concept or self.status
            or self.org or self.person or self.place
        )

    def pairs(self) -> list[tuple[str, str]]:
        """The parameters as (name, value) pairs, defaults left out, for a short canonical URL."""
        return [pair for field in URL_ORDER for pair in _field_pairs(field, getattr(self, field))]

    def query_string(self, **changes: object) -> str:
        """This search's query string with some fields changed (page resets unless given)."""
        changes.setdefault("page", 1)
        written = self._fields_written | {field: _written(field, value) for field, value in changes.items()}
        return "&".join(part for part in written.values() if part)

    @cached_property
    def _fields_written(self) -> dict[str, str]:
        """Each field as it is written in a query string, in URL order: a results page links
        ~200 variants of one search (each facet value, page and sort), each changing a field or two."""
        return {field: _written(field, getattr(self, field)) for field in URL_ORDER}

    def toggled(self, facet: str, value: object) -> str:
        """The query string with one facet value switched on or off (page back to 1)."""
        if facet == "year":
            year = int(value)
            if self.year_from == year and self.year_to == year:
                return self.query_string(year_from=None, year_to=None)
            return self.query_string(year_from=year, year_to=year)
        current = getattr(self, facet)
        value = str(value)
        new = tuple(v for v in current if v != value) if value in current else (*current, value)
        return self.query_string(**{facet: new})

    def is_selected(self, facet: str, value: object) -> bool:
        if facet == "year":
            return self.year_from == self.year_to == int(value)
        return str(value) in getattr(self, facet)


URL_ORDER = ("q", *FILTER_PARAMS.values(), "year_from", "year_to", "sort", "concepts", "limit", "page")
_URL_NAMES = {attr: name for name, attr in FILTER_PARAMS.items()}


def _field_pairs(field: str, value) -> list[tuple[str, str]]:
    """One field of SearchParams as URL (name, value) pairs: none for its default."""
    if field in _URL_NAMES:
        return [(_URL_NAMES[field], v) for v in value]
    if field == "q":
        return [("q", value)] if value else []
    if field == "sort":
        return [] if value == "relevance" else [("sort", value)]
    if field == "concepts":
        return [] if value else [("concepts", "0")]
    if field in ("year_from", "year_to"):
        return [] if value is None else [(field, str(value))]
    if field in ("limit", "page"):
        return [] if value == (DEFAULT_LIMIT if field == "limit" else 1) else [(field, str(value))]
    raise TypeError(f"SearchParams has no field {field!r}")


def _written(field: str, value) -> str:
    """One field as urlencode writes it in a query string ('' for its default)."""
    return "&".join(f"{quote_plus(name)}={quote_plus(text)}" for name, text in _field_pairs(field, value))


def _codes(args: MultiDict, name: str) -> tuple[str, ...]:
    """Repeated (`country=kg&country=ru`) or comma-separated (`country=kg,ru`) codes."""
    out: list[str] = []
    for raw in args.getlist(name):
        for value in raw.split(","):
            value = value.strip()
            if not value:
                continue
            if not _CODE_RE.match(value):
                raise ParamError(name, "expected a short code such as kg, ru, law, en")
            if value not in out:
                out.append(value)
    return tuple(out)


def entity_ids(args: MultiDict, name: str) -> tuple[str, ...]:
    """Entities' short ids (`org=iom&org=undp` or `org=iom,undp`)."""
    out: list[str] = []
    for raw in args.getlist(name):
        for value in (v.strip() for v in raw.split(",")):
            if value and not ENTITY_ID_RE.match(value):
                raise ParamError(name, "expected an entity id such as iom (lowercase letters, digits, hyphens)")
            if value and value not in out:
                out.append(value)
    return tuple(out)


def _int(args: MultiDict, name: str, default: int | None, low: int, high: int) -> int | None:
    raw = (args.get(name) or "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ParamError(name, f"expected a whole number, got {raw[:20]!r}") from None
    if not low <= value <= high:
        raise ParamError(name, f"must be between {low} and {high}")
    return value


def read_int(args: MultiDict, name: str, default: int | None, low: int, high: int) -> int | None:
    """A whole number between `low` and `high` (`default` when absent); ParamError otherwise."""
    return _int(args, name, default, low, high)


def _statuses(args: MultiDict) -> tuple[str, ...]:
    """`status=in_force` (or `repealed`), and `in_force=1` as its shorthand."""
    wanted = _codes(args, "status")
    if any(v not in STATUSES for v in wanted):
        raise ParamError("status", "expected in_force or repealed")
    in_force = (args.get("in_force") or "").strip()
    if in_force not in ("", "0", "1"):
        raise ParamError("in_force", "expected 0 or 1")
    if in_force == "1" and "in_force" not in wanted:
        wanted = (*wanted, "in_force")
    return wanted


def read_query(args: MultiDict, required: bool = False) -> str:
    """The query text, whitespace-trimmed and length-checked."""
    q = " ".join((args.get("q") or "").split())
    if len(q) > MAX_QUERY_CHARS:
        raise ParamError("q", f"at most {MAX_QUERY_CHARS} characters")
    if required and not q:
        raise ParamError("q", "a query is required")
    return q


def read_per_country(args: MultiDict) -> int:
    """How many documents each country's column of a comparison holds."""
    return _int(args, "per_country", PER_COUNTRY, 1, MAX_PER_COUNTRY) or PER_COUNTRY


def read_search(args: MultiDict, required: bool = False) -> SearchParams:
    """Parse and validate a search's parameters; ParamError says which one is wrong and why."""
    sort = (args.get("sort") or "relevance").strip()
    if sort not in SORTS:
        raise ParamError("sort", "must be 'relevance' or 'date'")
    year_from = _int(args, "year_from", None, 0, 9999)
    year_to = _int(args, "year_to", None, 0, 9999)
    if year_from is not None and year_to is not None and year_from > year_to:
        raise ParamError("year_from", "must not be after year_to")
    return SearchParams(
        q=read_query(args, required),
        country=_codes(args, "country"),
        doc_type=_codes(args, "type"),
        language=_codes(args, "lang"),
        concept=_codes(args, "concept"),
        concepts=(args.get("concepts") or "1").strip().lower() not in OFF,
        org=entity_ids(args, "org"),
        person=entity_ids(args, "person"),
        place=entity_ids(args, "place"),
        status=_statuses(args),
        year_from=year_from,
        year_to=year_to,
        page=_int(args, "page", 1, 1, MAX_PAGE) or 1,
        limit=_int(args, "limit", DEFAULT_LIMIT, 1, MAX_LIMIT) or DEFAULT_LIMIT,
        sort=sort,
    )


def back_to_results(referrer: str | None, host: str) -> str | None:
    """The search or comparison the reader came from (with its filters), when it was ours."""
    if not referrer:
        return None
    try:
        ref = urlsplit(referrer)
    except ValueError:  # a Referer no URL parser reads (`http://[::1`): not one of ours
        return None
    if ref.netloc != host or ref.path not in ("/", "/compare") or not ref.query:
        return None
    return f"{ref.path}?{ref.query}"
