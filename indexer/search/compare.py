"""One query, one column per country: how each jurisdiction answers it."""

from __future__ import annotations

import time
from collections.abc import Callable

from indexer.search.results import Filters


def compare(
    search: Callable[..., dict],
    q: str,
    countries: list[str] | None = None,
    per_country: int = 5,
    filters: Filters | None = None,
) -> dict:
    """`search` is the engine's; countries default to every country the query matches."""
    started = time.perf_counter()
    filters = filters or Filters()
    base = search(q, filters=Filters(**{**filters.to_dict(), "country": []}), limit=1, snippets=False)
    if not countries:
        countries = [f["value"] for f in base["facets"]["country"]]
    columns = []
    for country in countries:
        scoped = Filters(**{**filters.to_dict(), "country": [country]})
        res = search(q, filters=scoped, limit=per_country)
        columns.append({"country": country, "total": res["total"], "results": res["results"]})
    return {
        "query": q,
        "took_ms": round((time.perf_counter() - started) * 1000, 1),
        "countries": countries,
        "notice": base["notice"],
        "notices": base["notices"],
        "columns": columns,
    }
