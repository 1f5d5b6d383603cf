"""One query, one column per country: how each jurisdiction answers it.

Every chosen country gets its column, even an empty one, which then names the concepts closest
to the query that the country's documents treat, to try instead. With no choice made, the
columns are every country in the index, the international standards (`int`) among them.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from indexer.search.results import Filters

INTERNATIONAL = "int"  # UN, ILO, Council of Europe, EAEU, CIS: its column comes last


def ordered_countries(codes: list[str]) -> list[str]:
    """Countries in code order, the international standards last."""
    return sorted(set(codes), key=lambda c: (c == INTERNATIONAL, c))


def compare(
    search: Callable[..., dict],
    q: str,
    countries: list[str] | None = None,
    per_country: int = 5,
    filters: Filters | None = None,
    all_countries: list[str] | None = None,
    closest: Callable[[list[str], str], list[str]] | None = None,
    concepts: bool = True,
) -> dict:
    """`search` is the engine's; countries default to `all_countries` (the index's), else to
    every country the query matches; `closest(concept ids, country)` suggests for empty columns."""
    started = time.perf_counter()
    filters = filters or Filters()
    base = search(
        q, filters=Filters(**{**filters.to_dict(), "country": []}), limit=1, snippets=False, concepts=concepts
    )
    if not countries:
        countries = all_countries or [f["value"] for f in base["facets"]["country"]]
    named = [e["concept"] for e in base.get("expansions", [])]
    columns = []
    for country in countries:
        scoped = Filters(**{**filters.to_dict(), "country": [country]})
        res = search(q, filters=scoped, limit=per_country, concepts=concepts, facets=False)  # a column shows none
        column = {"country": country, "total": res["total"], "results": res["results"]}
        if not res["total"]:
            column["try_concepts"] = closest(named, country) if closest else []
        columns.append(column)
    return {
        "query": q,
        "took_ms": round((time.perf_counter() - started) * 1000, 1),
        "countries": countries,
        "notice": base["notice"],
        "notices": base["notices"],
        "did_you_mean": base.get("did_you_mean"),
        "expansions": base.get("expansions", []),
        "crosslang": base.get("crosslang", {"state": "off", "hits": 0}),
        "columns": columns,
    }
