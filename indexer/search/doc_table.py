"""The catalog's documents as numpy columns, one row per document of a view (IndexView.names).

Filters become boolean masks and facets become bincounts: at 100,000 one-passage documents a
common word matches most of them, and a Python loop over the matched documents (a filter check
and six facet counters each) cost most of a second per query.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np

from indexer.models import DocMeta
from indexer.search.entities import KINDS as ENTITY_KINDS

LISTED = ("country", "doc_type", "language", "status")  # facets whose values are listed as such
NO_YEAR = -(2**31)


class Codes:
    """One listed field as integer codes: `values[codes[i]]` is document i's value."""

    def __init__(self, values: Sequence[str]) -> None:
        if _sortable(values):  # sorted and coded in C: a Python dict lookup per document cost 0.05 s at 53,000
            found, codes = np.unique(np.array(values, dtype=str), return_inverse=True)
            self.values, self.codes = found.tolist(), codes.astype(np.int32).reshape(-1)
        else:
            self.values = sorted(set(values))
            index = {v: i for i, v in enumerate(self.values)}
            self.codes = np.fromiter((index[v] for v in values), dtype=np.int32, count=len(values))
        self._index = {v: i for i, v in enumerate(self.values)}

    def isin(self, wanted: Sequence[str]) -> np.ndarray:
        codes = [self._index[v] for v in wanted if v in self._index]
        return np.isin(self.codes, np.array(codes, dtype=np.int32))


class Incidence:
    """A many-valued field as a sparse matrix: entry j says document rows[j] has value ids[cols[j]]."""

    def __init__(self, size: int, values: Mapping[int, Sequence[str]]) -> None:
        """`values`: row -> that document's values, for the documents that have any."""
        self.ids = sorted({v for vs in values.values() for v in vs})
        index = {v: i for i, v in enumerate(self.ids)}
        pairs = [(row, index[v]) for row in sorted(values) for v in values[row]]
        self.rows = np.array([r for r, _ in pairs], dtype=np.int64)
        self.cols = np.array([c for _, c in pairs], dtype=np.int64)
        self._index = index
        self._size = size

    def having(self, wanted: Sequence[str]) -> np.ndarray:
        """Which documents have any of the values wanted."""
        codes = np.array([self._index[v] for v in wanted if v in self._index], dtype=np.int64)
        return np.bincount(self.rows[np.isin(self.cols, codes)], minlength=self._size) > 0

    def counts(self, among: np.ndarray) -> list[tuple[str, int]]:
        """Documents per value among the documents in mask `among`, most first."""
        counts = np.bincount(self.cols[among[self.rows]], minlength=len(self.ids))
        return sorted(((self.ids[i], int(counts[i])) for i in np.flatnonzero(counts)), key=lambda kv: (-kv[1], kv[0]))


class DocTable:
    """Per document: known to the catalog, each listed field, the year, the concepts it treats,
    the organisations, people and places it names (by short id, as the filters give them)."""

    def __init__(
        self, names: Sequence[str], docs: Mapping[str, DocMeta], doc_concepts: Mapping[str, Sequence[str]],
        doc_entities: Mapping[str, Mapping[str, Sequence[str]]] | None = None,
        ) -> None:
        metas = [docs.get(n) for n in names]
        self.known = np.array([m is not None for m in metas], dtype=bool)
        self.listed = {f: Codes([getattr(m, f) if m else "" for m in metas]) for f in LISTED}
        years = [m.year if m else None for m in metas]
        self.year = np.array([NO_YEAR if y is None else y for y in years], dtype=np.int64)
        # the concepts as a sparse matrix: entry j says document rows[j] treats concept concepts[j]
        self.concept_ids = sorted({c for n in names for c in doc_concepts.get(n) or ()})
        index = {c: i for i, c in enumerate(self.concept_ids)}
        pairs = [(row, index[c]) for row, n in enumerate(names) for c in doc_concepts.get(n) or ()]
        self.rows = np.array([r for r, _ in pairs], dtype=np.int64)
        self.concepts = np.array([c for _, c in pairs], dtype=np.int64)
        self._concept_index = index
        # only the documents naming something are visited: at 100,000 documents most name nothing
        rows = {n: i for i, n in enumerate(names)}
        named = [(rows[n], kinds) for n, kinds in (doc_entities or {}).items() if n in rows]
        self.entities = {
            kind: Incidence(len(names), {
                row: [e.split(":", 1)[1] for e in kinds[kind]] for row, kinds in named if kinds.get(kind)
            })
            for kind in ENTITY_KINDS
        }
        # the date sort: position of each document in (date, doc id) order
        dates = [m.date if m else "" for m in metas]
        if _sortable(dates) and _sortable(names):
            order = np.lexsort((np.array(names, dtype=str), np.array(dates, dtype=str)))
        else:
            order = sorted(range(len(names)), key=lambda i: (dates[i], names[i]))
        self.date_rank = np.empty(len(names), dtype=np.int64)
        self.date_rank[order] = np.arange(len(names))

    def __len__(self) -> int:
        return len(self.known)

    def accepted(self, filters, ignore: str | None = None) -> np.ndarray:
        """Which documents pass every filter but `ignore` (results.Filters.accepts, for all at once)."""
        ok = self.known.copy()
        if filters.concept and ignore != "concept":
            wanted = [self._concept_index[c] for c in filters.concept if c in self._concept_index]
            hit = np.isin(self.concepts, np.array(wanted, dtype=np.int64))
            ok &= np.bincount(self.rows[hit], minlength=len(self)) > 0
        for name in LISTED:
            wanted = getattr(filters, name)
            if wanted and name != ignore:
                ok &= self.listed[name].isin(wanted)
        for kind, incidence in self.entities.items():
            wanted = getattr(filters, kind, ())
            if wanted and kind != ignore:
                ok &= incidence.having(wanted)
        if ignore != "year" and (filters.year_from is not None or filters.year_to is not None):
            ok &= self.year != NO_YEAR
            if filters.year_from is not None:
                ok &= self.year >= filters.year_from
            if filters.year_to is not None:
                ok &= self.year <= filters.year_to
        return ok

    def facet(self, name: str, among: np.ndarray) -> list[dict]:
        """Documents per value of facet `name` among the documents in mask `among`: most first
        (years: newest first); empty values are not listed."""
        if name == "concept":
            counts = np.bincount(self.concepts[among[self.rows]], minlength=len(self.concept_ids))
            pairs = [(self.concept_ids[i], int(counts[i])) for i in np.flatnonzero(counts)]
            return _listed(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))
        if name in self.entities:
            return _listed(self.entities[name].counts(among))
        if name == "year":
            years, counts = np.unique(self.year[among & (self.year != NO_YEAR) & (self.year != 0)], return_counts=True)
            return _listed((int(y), int(c)) for y, c in zip(years[::-1], counts[::-1], strict=True))
        column = self.listed[name]
        counts = np.bincount(column.codes[among], minlength=len(column.values))
        pairs = [(column.values[i], int(counts[i])) for i in np.flatnonzero(counts) if column.values[i]]
        return _listed(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))


def _sortable(values: Sequence[str]) -> bool:
    """Do numpy's strings sort and compare these as Python does? Not when one holds a NUL
    (numpy drops trailing ones)."""
    return "\x00" not in "".join(values)


def _listed(pairs) -> list[dict]:
    return [{"value": v, "count": c} for v, c in pairs]
