"""Scored passages into a page of documents: filter, facet, group (best passages per document), page.

Totals and facets count documents over the whole match set; only the page's documents get
their stored fields read and their snippets cut.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import asdict, dataclass, field

import numpy as np

from indexer.citation import cite
from indexer.models import DocMeta
from indexer.provenance import provenance
from indexer.search.articles import article_number
from indexer.search.entities import KINDS as ENTITY_KINDS
from indexer.search.entities import EntityIndex, full_id
from indexer.search.plan import body_terms
from indexer.search.ranking import RankingProfile
from indexer.search.scoring import Matches
from indexer.search.snippets import passage_snippet, subdivision_snippet, terms_in
from indexer.search.view import IndexView

FACETS = ("country", "doc_type", "language", "year", "status", "concept", *ENTITY_KINDS)
ENTITY_FACET_VALUES = 20  # an entity facet lists its most frequent values (and any chosen)
# Matches.kind: all the words, some of them, a concept's terms, the cross-language layer (another language)
MATCH_KINDS = ("all", "partial", "concept", "crosslang")
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
    org: list[str] = field(default_factory=list)  # short ids of entities the document names ("iom")
    person: list[str] = field(default_factory=list)
    place: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return asdict(self)

    def accepts(
        self, meta: DocMeta, ignore: str | None = None, concepts: Collection[str] = (),
        entities: Collection[str] = (),
    ) -> bool:
        """Does a document pass every filter (but `ignore`, for multi-select facet counts)?

        `concepts` are the document's (concepts.ConceptIndex): it passes when it treats any wanted;
        `entities` the full ids of the entities it names: it passes when it names any wanted.
        """
        if self.concept and ignore != "concept" and not set(self.concept) & set(concepts):
            return False
        for kind in ENTITY_KINDS:
            wanted = getattr(self, kind)
            if wanted and ignore != kind and not any(full_id(kind, w) in entities for w in wanted):
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
    page: int, limit: int, sort: str, snippets: bool, facets: bool = True, drop_partial: bool = False,
) -> Page:
    """One page of `matches` under `filters`, with the facets around it (`facets=False`: none,
    for a caller that shows none, such as a comparison's columns). `drop_partial`: leave out
    the passages with only some of the words (kind 1; a comparison's column with answers enough)."""
    table = view.table
    mask = matches.scored.mask
    if drop_partial and matches.kind is not None:
        mask = mask & (matches.kind != 1)
    matched = np.flatnonzero(mask)
    counts = np.bincount(view.doc_index[matched], minlength=len(table))
    present = (counts > 0) & table.known
    kept = present & table.accepted(filters)
    counted = {name: table.facet(name, present & table.accepted(filters, ignore=name)) for name in FACETS} if facets else {}
    for kind in ENTITY_KINDS if facets else ():
        counted[kind] = _entity_facet(kind, counted[kind], getattr(filters, kind), view.entities)
    matched = matched[kept[view.doc_index[matched]]]  # with filters on, only their passages compete
    request = _Request(page, limit, sort, snippets)
    results = _page(view, matches, matched, kept, counts, profile, request)
    return Page(int(kept.sum()), int(counts[kept].sum()), results, counted)


def answering_documents(view: IndexView, matches: Matches, filters: Filters, concepts_answer: bool) -> int:
    """Documents `filters` accept with a passage that answers the query: every word, or (with
    `concepts_answer`: the concepts cover every word) a concept's terms."""
    if matches.kind is None:
        return 0
    answering = matches.scored.mask & ((matches.kind == 0) | ((matches.kind == 2) & concepts_answer))
    docs = np.zeros(len(view.table), dtype=bool)
    docs[view.doc_index[np.flatnonzero(answering)]] = True
    return int((docs & view.table.known & view.table.accepted(filters)).sum())


def _entity_facet(kind: str, values: list[dict], chosen: list[str], entities: EntityIndex) -> list[dict]:
    """An entity facet's most frequent values, and the chosen ones (which must stay to be
    unticked), each with the entity's name."""
    out = []
    for n, value in enumerate(values):
        if n < ENTITY_FACET_VALUES or value["value"] in chosen:
            info = entities.get(kind, value["value"])
            out.append({"value": value["value"], "count": value["count"], "name": info.name if info else value["value"]})
    return out


def _page(
    view: IndexView, matches: Matches, matched: np.ndarray, kept: np.ndarray, counts: np.ndarray,
    profile: RankingProfile, req: _Request,
) -> list[dict]:
    """The page's documents, each with its best passages (one per provision)."""
    nkept = int(kept.sum())
    if not nkept:
        return []
    per_doc = profile.passages_per_doc
    first = (req.page - 1) * req.limit
    scores = matches.scored.score
    if req.sort == "date":
        positions = np.flatnonzero(kept)
        positions = positions[np.argsort(-view.table.date_rank[positions], kind="stable")][first : first + req.limit]
        order = [view.names[i] for i in positions.tolist()]
        ranked = view.ranked(matched[np.isin(view.doc_index[matched], positions)], scores)
    else:
        order = None
        ranked = view.ranked(matched, scores)
    grouped: dict[str, list[tuple[int, float, dict]]] = {}
    labels: set[tuple[str, str]] = set()
    ndocs = min(first + req.limit, nkept) if order is None else len(order)
    extra = 0
    for docnum in ranked:
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
    terms_of = None
    if req.snippets:
        shown = [docnum for d in order for docnum, _score, _stored in grouped.get(d, [])]
        terms_of = terms_in(view.searcher, view.store, shown, matches.snippet_terms or body_terms(matches.query))
    return [
        _result(view, d, grouped.get(d, []), int(counts[view.doc_pos[d]]), terms_of, matches.kind, matches.subdivision)
        for d in order
    ]


def _result(
    view: IndexView, doc_id: str, hits: list, count: int, terms_of: dict[int, list[str]] | None,
    kind: np.ndarray | None, subdivision: tuple[str, str, str] | None = None,
) -> dict:
    """`terms_of`: the query's body terms each passage holds (snippets.terms_in); None: no snippets."""
    meta = view.docs[doc_id]
    passages = []
    for docnum, _score, stored in hits:
        snippet = ""  # snippets=False: the key stays, empty
        if terms_of is not None and subdivision and stored.get("number") == subdivision[0]:
            snippet = _subdivision_snippet(view, doc_id, stored, subdivision)
        if terms_of is not None and not snippet:
            snippet = passage_snippet(view.searcher, view.store, docnum, stored, terms_of[docnum])
        passages.append(passage_dict(meta, stored, snippet=snippet))
        if kind is not None and kind[docnum] == MATCH_KINDS.index("crosslang"):
            passages[-1]["match"] = "crosslang"  # found by meaning, in another language: say so per passage
    out = doc_summary(meta)
    out["score"] = round(max((h[1] for h in hits), default=0.0), 4)
    out["passages"] = passages
    out["more_passages"] = max(0, count - len(passages))
    best = min((int(kind[h[0]]) for h in hits), default=0) if kind is not None else 0
    out["match"] = MATCH_KINDS[max(best, 0)]  # by its best-matching passage
    return out


def _subdivision_snippet(view: IndexView, doc_id: str, stored: dict, subdivision: tuple[str, str, str]) -> str:
    """`ч. 2 ст. 13.3`: the opening of part 2, wherever among the article's pieces it is."""
    article, part, point = subdivision
    label = stored.get("label", "")
    docnums = view.searcher.document_numbers(doc_id=doc_id, number=article)
    pieces = sorted(
        (s["ordinal"], s.get("body", ""))
        for s in map(view.searcher.stored_fields, docnums)
        if s.get("label") == label
    )
    return subdivision_snippet([body for _, body in pieces], part, point)


def doc_summary(meta: DocMeta) -> dict:
    origin = provenance(meta.source, meta.path, meta.relpath)
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
        "publisher": origin.publisher,
        "source_url": origin.url,
        "paged": is_paged(meta),
    }


def is_paged(meta: DocMeta) -> bool:
    """Does a page number mean something for this original? Only for a PDF: a web page or a
    text file has no pages a reader could turn to."""
    return meta.file_type == "pdf"


def passage_dict(meta: DocMeta, stored: dict, snippet: str | None = None, act: str | None = None) -> dict:
    """A passage as the answers show it; `act`: citation.act_citation(meta), when the caller
    has it (a document's page cites its act once for each of its hundreds of passages)."""
    label = stored.get("label", "")
    heading = stored.get("heading", "")
    if label and heading.startswith(label):
        heading = heading[len(label) :].lstrip(" .")
    if heading == label:  # a section titled by its heading alone
        heading = ""
    path = list(stored.get("path") or [])
    if stored.get("kind") == "page" and not is_paged(meta):  # `p. 1` of a press release: its whole text
        path = [x for x in path if x != label]
        label = ""
    pages = list(stored.get("pages") or [])
    out = {
        "passage_id": stored["passage_id"],
        "label": label,
        "heading": heading,
        "path": path,
        "pages": pages,
        "kind": stored.get("kind", ""),
        "article": article_number(label, stored.get("kind", "")),
        "citation": cite(meta, label, pages if is_paged(meta) else [], act),
    }
    if snippet is not None:
        out["snippet"] = snippet
    return out
