"""Scored passages into a page of documents: filter, facet, group (best passages per document), page.

Totals and facets count documents over the whole match set; only the page's documents get
their stored fields read and their snippets cut.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Collection
from dataclasses import asdict, dataclass, field

import numpy as np

from indexer.citation import cite
from indexer.models import DocMeta
from indexer.search.articles import article_number
from indexer.search.plan import body_terms
from indexer.search.ranking import RankingProfile
from indexer.search.scoring import Matches
from indexer.search.snippets import passage_snippet
from indexer.search.view import IndexView

FACETS = ("country", "doc_type", "language", "year", "status", "concept")
MATCH_KINDS = ("all", "partial", "concept")  # Matches.kind: all the words, some, a concept's terms
_LISTED = ("country", "doc_type", "language", "status")


@dataclass
class Filters:
    """Facet filters. Values within one facet are OR-ed, facets are AND-ed."""

    country: list[str] = field(default_factory=list)
    doc_type: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    status: list[str] = field(default_factory=list)  # "in_force", "repealed"
    year_from: int | None = None
    year_to: int | None = None
    concept: list[str] = field(default_factory=list)  # thesaurus concept ids the document treats

    def to_dict(self) -> dict:
        return asdict(self)

    def accepts(self, meta: DocMeta, ignore: str | None = None, concepts: Collection[str] = ()) -> bool:
        """Does a document pass every filter (but `ignore`, for multi-select facet counts)?

        `concepts` are the document's (concepts.ConceptIndex): it passes when it treats any wanted.
        """
        if self.concept and ignore != "concept" and not set(self.concept) & set(concepts):
            return False
        for name in _LISTED:
            wanted = getattr(self, name)
            if wanted and name != ignore and getattr(meta, name) not in wanted:
                return False
        if ignore != "year" and (self.year_from is not None or self.year_to is not None):
            year = meta.year
            if year is None:
                return False
            if self.year_from is not None and year < self.year_from:
                return False
            if self.year_to is not None and year > self.year_to:
                return False
        return True


@dataclass
class Page:
    """A page of results and the counts around it."""

    total: int  # matching documents (after filters)
    total_passages: int
    results: list[dict]
    facets: dict[str, list[dict]]


@dataclass
class _Request:
    page: int
    limit: int
    sort: str
    snippets: bool


def page_of_results(
    view: IndexView, matches: Matches, filters: Filters, profile: RankingProfile,
    page: int, limit: int, sort: str, snippets: bool,
) -> Page:
    matched = np.flatnonzero(matches.scored.mask)
    counts = np.bincount(view.doc_index[matched], minlength=len(view.names))
    per_doc = Counter({view.names[i]: int(counts[i]) for i in np.flatnonzero(counts)})
    concepts_of = view.concepts.doc_concepts.get if view.concepts else (lambda _d: ())
    kept = {
        d: n for d, n in per_doc.items()
        if d in view.docs and filters.accepts(view.docs[d], concepts=concepts_of(d) or ())
    }
    facets = facet_counts(view.docs, per_doc, filters, concepts_of)
    if len(kept) < len(per_doc):  # filters are on: only their passages compete
        allowed_docs = np.zeros(len(view.names), dtype=bool)
        allowed_docs[[view.doc_pos[d] for d in kept]] = True
        matched = matched[allowed_docs[view.doc_index[matched]]]
    scores = matches.scored.score
    ranked = view.rank(matched, scores)
    request = _Request(page, limit, sort, snippets)
    results = _page(view, matches, kept, ranked, profile, request)
    return Page(len(kept), sum(kept.values()), results, facets)


def facet_counts(
    docs: dict[str, DocMeta], per_doc: Counter, filters: Filters,
    concepts_of: Callable[[str], Collection[str] | None] = lambda _d: (),
) -> dict[str, list[dict]]:
    """Documents per facet value; each facet counted with the other facets' filters only."""
    out = {}
    for name in FACETS:
        counter: Counter = Counter()
        for doc_id in per_doc:
            meta = docs.get(doc_id)
            concepts = concepts_of(doc_id) or ()
            if meta is None or not filters.accepts(meta, ignore=name, concepts=concepts):
                continue
            if name == "concept":
                counter.update(concepts)
                continue
            value = meta.year if name == "year" else getattr(meta, name)
            if value:
                counter[value] += 1
        ordered = sorted(counter.items(), key=lambda kv: (-kv[0], 0) if name == "year" else (-kv[1], kv[0]))
        out[name] = [{"value": v, "count": c} for v, c in ordered]
    return out


def _page(
    view: IndexView, matches: Matches, kept: dict, ranked: np.ndarray, profile: RankingProfile, req: _Request
) -> list[dict]:
    """The page's documents, each with its best passages (one per provision)."""
    if not kept:
        return []
    per_doc = profile.passages_per_doc
    first = (req.page - 1) * req.limit
    if req.sort == "date":
        order = sorted(kept, key=lambda d: (view.docs[d].date, d), reverse=True)[first : first + req.limit]
        wanted = np.array([view.doc_pos[d] for d in order])
        ranked = ranked[np.isin(view.doc_index[ranked], wanted)]
    else:
        order = None
    grouped: dict[str, list[tuple[int, float, dict]]] = {}
    labels: set[tuple[str, str]] = set()
    ndocs = min(first + req.limit, len(kept)) if order is None else len(order)
    extra = 0
    scores = matches.scored.score
    for docnum in ranked.tolist():
        doc_id = view.doc_of(docnum)
        kept_hits = grouped.get(doc_id)
        if kept_hits is None:
            if len(grouped) >= ndocs:
                extra += 1
                if extra > 20 * per_doc * req.limit:
                    break
                continue
            kept_hits = grouped[doc_id] = []
        if len(kept_hits) >= per_doc:
            if len(grouped) >= ndocs and all(len(h) >= per_doc for h in grouped.values()):
                break
            continue
        stored = view.searcher.stored_fields(docnum)
        key = (doc_id, stored.get("label", ""))
        if key[1] and key in labels:
            continue
        labels.add(key)
        kept_hits.append((docnum, float(scores[docnum]), stored))
    if order is None:
        order = list(grouped)[first : first + req.limit]
    terms = (matches.snippet_terms or body_terms(matches.query)) if req.snippets else None
    return [_result(view, doc_id, grouped.get(doc_id, []), kept[doc_id], terms, matches.kind) for doc_id in order]


def _result(
    view: IndexView, doc_id: str, hits: list, count: int, terms: list[str] | None, kind: np.ndarray | None
) -> dict:
    meta = view.docs[doc_id]
    passages = []
    for docnum, _score, stored in hits:
        snippet = ""  # snippets=False: the key stays, empty
        if terms is not None:
            snippet = passage_snippet(view.searcher, view.store, docnum, stored, terms)
        passages.append(passage_dict(meta, stored, snippet=snippet))
    out = doc_summary(meta)
    out["score"] = round(max((h[1] for h in hits), default=0.0), 4)
    out["passages"] = passages
    out["more_passages"] = max(0, count - len(passages))
    best = min((int(kind[h[0]]) for h in hits), default=0) if kind is not None else 0
    out["match"] = MATCH_KINDS[max(best, 0)]  # by its best-matching passage
    return out


def doc_summary(meta: DocMeta) -> dict:
    return {
        "doc_id": meta.doc_id,
        "title": meta.title,
        "country": meta.country,
        "doc_type": meta.doc_type,
        "language": meta.language,
        "date": meta.date,
        "source": meta.source,
        "number": meta.number,
        "status": meta.status,
        "edition": meta.edition,
        "file_type": meta.file_type,
    }


def passage_dict(meta: DocMeta, stored: dict, snippet: str | None = None) -> dict:
    label = stored.get("label", "")
    heading = stored.get("heading", "")
    if label and heading.startswith(label):
        heading = heading[len(label) :].lstrip(" .")
    pages = list(stored.get("pages") or [])
    out = {
        "passage_id": stored["passage_id"],
        "label": label,
        "heading": heading,
        "path": list(stored.get("path") or []),
        "pages": pages,
        "kind": stored.get("kind", ""),
        "article": article_number(label, stored.get("kind", "")),
        "citation": cite(meta, label, pages),
    }
    if snippet is not None:
        out["snippet"] = snippet
    return out
