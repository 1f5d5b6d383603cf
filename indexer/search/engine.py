"""The facade the CLI and the web call: queries in, plain data out.

One SearchEngine per process holds one whoosh searcher (an IndexView of it) and refreshes it
when a writer has committed. A search walks forward once:
plan (parse, references, fallback) -> score (numpy BM25F) -> filter, facet, group, page.
"""

from __future__ import annotations

import functools
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.scoring import BM25F

from indexer import thesaurus
from indexer.catalog import Catalog, CatalogState, state_for
from indexer.models import DocMeta
from indexer.search import compare as comparison
from indexer.search import documents as document_pages
from indexer.search import entity_pages
from indexer.search.acts import acts_of
from indexer.search.concepts import (
    ConceptQuery,
    concept_query,
    expand,
    expandable_texts,
    rank_with_concepts,
    warm_label_postings,
)
from indexer.search.crosslang import CrossLanguage, fuse, sums_ranks
from indexer.search.export import export_rows
from indexer.search.notices import QueryError, notice
from indexer.search.originals import OpenOriginal, Originals
from indexer.search.plan import QueryPlan, build_plan
from indexer.search.ranking import DEFAULT_PROFILE, RankingProfile
from indexer.search.results import Filters, answering_documents, page_of_results
from indexer.search.scored_queries import ScoredQueries
from indexer.search.scoring import Matches, score_plan
from indexer.search.suggestions import suggest
from indexer.search.view import IndexView
from indexer.search.whoosh_access import PostingStore, check_whoosh_version
from indexer.settings import FEW_DOCUMENTS, MAX_LIMIT, REFRESH_SECONDS, SORTS

WARM_QUERY = "трудовой мигрант"  # names a thesaurus concept, so the expansion's path is warmed too


def _one_reader_at_a_time(method):
    """whoosh reads its segment files through shared file objects (seek, then read), so two
    threads reading at once can interleave and decode garbage (zlib errors, measured with 8
    threads). A threaded server therefore runs one engine call at a time per engine."""

    @functools.wraps(method)
    def locked(self, *args, **kwargs):
        with self._reading:
            return method(self, *args, **kwargs)

    return locked


class SearchEngine:
    """Searches one index folder. Safe to share between threads: reads take turns (see
    `_one_reader_at_a_time`); a server gets parallelism from processes."""

    def __init__(self, index_dir: Path | str, profile: RankingProfile = DEFAULT_PROFILE) -> None:
        check_whoosh_version()
        self.index_dir = Path(index_dir)
        if not whoosh_index.exists_in(str(self.index_dir)):
            raise FileNotFoundError(
                f"no index in {self.index_dir}: run `migrantlex index PATH --index-dir {self.index_dir}`"
            )
        self.profile = profile
        self._lock = threading.Lock()
        self._reading = threading.RLock()
        self._store = PostingStore()
        self._originals = Originals(self.index_dir)
        self._crosslang = CrossLanguage(self.index_dir, profile.crosslang_top_k)
        self._scored = ScoredQueries()
        self._suggestions = ScoredQueries()
        self._ix = whoosh_index.open_dir(str(self.index_dir))
        self._view = self._make_view(self._ix.searcher(weighting=BM25F(B=profile.b, K1=profile.k1)))
        self._checked = time.monotonic()

    # --- index freshness ---------------------------------------------------------------

    def _make_view(self, searcher, state: CatalogState | None = None) -> IndexView:
        if state is None:
            catalog = Catalog(self.index_dir)
            try:
                _generation, state = catalog.state()
            finally:
                catalog.close()
        return IndexView.build(
            searcher, state.documents, self._store, self.profile, self.index_dir, state.entities, state.key
        )

    def view(self) -> IndexView:
        """The current generation, refreshed (at most once a second) when a writer has committed."""
        now = time.monotonic()
        if now - self._checked > REFRESH_SECONDS:
            with self._lock:
                self._checked = now
                if not self._view.searcher.up_to_date():
                    self._refresh()
        return self._view

    def _refresh(self) -> None:
        """Move to the newest generation once the catalog has caught up with it.

        A writer commits whoosh first, then the catalog with the generation it matches; a reader
        in between would pair new passages with old documents (a document alternating 200/404), so
        it keeps its current view and tries again at the next check."""
        old = self._view.searcher
        had_passages = bool(old.doc_count_all())  # an empty index's searcher is closed on refresh
        searcher = self._newer_searcher(old)
        state = state_for(self.index_dir, searcher.reader().generation())
        if state is None and had_passages:
            return  # not closed: a refreshed searcher shares its segment readers with `old`
        self._view = self._make_view(searcher, state)

    def _newer_searcher(self, searcher):
        """The index as last committed: refreshed (unchanged segments reused), or opened afresh
        when the old searcher had no segment to reuse (whoosh's refresh fails on an empty index)."""
        if searcher.doc_count_all():
            return searcher.refresh()
        searcher.close()
        return self._ix.searcher(weighting=BM25F(B=self.profile.b, K1=self.profile.k1))

    @property
    def busy(self) -> Callable[[], bool]:
        """Are requests waiting for a worker? A server sets it (search_web.backlog); under load the
        cross-language layer embeds no new query (see crosslang)."""
        return self._crosslang.busy

    @busy.setter
    def busy(self, check: Callable[[], bool]) -> None:
        self._crosslang.busy = check

    def state(self) -> str:
        """What the answers depend on, refreshed first: the whoosh generation, the catalog's
        documents and entities, the cross-language vectors. Equal states give equal answers to
        equal requests, in this process or any other serving the same folder (the web's response
        cache, shared by a server's workers, keys on it)."""
        return f"{self.view().state_key}/{self._crosslang.stamp()}"

    @property
    def documents(self) -> dict[str, DocMeta]:
        return self.view().docs

    def plan(self, q: str, view: IndexView | None = None) -> QueryPlan:
        """`q` parsed and built against the current index (QueryError when it cannot be)."""
        view = view or self.view()
        return build_plan(q, view.searcher.reader(), self.profile, view.docs)

    # --- search --------------------------------------------------------------------------

    @_one_reader_at_a_time
    def search(
        self,
        q: str,
        filters: Filters | None = None,
        page: int = 1,
        limit: int = 10,
        sort: str = "relevance",
        snippets: bool = True,
        concepts: bool = True,
    ) -> dict:
        """`concepts=False` searches only the words typed (no thesaurus expansion, no related tier)."""
        started = time.perf_counter()
        filters = filters or Filters()
        if sort not in SORTS:
            raise QueryError("bad_sort", sorts=", ".join(SORTS))
        page, limit = max(1, int(page)), max(1, min(int(limit), MAX_LIMIT))
        view = self.view()
        plan, matches, expansion = self._scored_query(view, q, concepts)
        return self._answer(view, plan, matches, expansion, filters, page, limit, sort, snippets, started)

    def _answer(
        self, view: IndexView, plan: QueryPlan, matches: Matches, expansion: ConceptQuery,
        filters: Filters, page: int, limit: int, sort: str, snippets: bool, started: float, facets: bool = True,
        drop_partial: bool = False,
    ) -> dict:
        """One page of an answer already scored: the filters, page and sort only choose from it
        (`drop_partial`: see results.page_of_results)."""
        q = plan.text
        found = page_of_results(
            view, matches, filters, self.profile, page, limit, sort, snippets, facets, drop_partial=drop_partial
        )
        notices = matches.notices if view.searcher.doc_count() else [notice("empty_index")]
        layer = matches.crosslang or {"state": "off", "hits": 0}
        named = entity_pages.suggestions(view, plan.text, plan.words)  # an acronym is no typo
        few_by_words = layer.get("hits") and not self._documents_in(view, matches.scored.mask & (matches.kind != 3), 3)
        wants_suggestion = (found.total < 3 or notices or few_by_words) and view.searcher.doc_count() and not named
        main_notice = notices[0]["message"] if notices else None  # the layer's state is never the main notice
        notices = notices + layer.get("notices", [])
        return {
            "query": q,
            "total": found.total,
            "total_passages": found.total_passages,
            "took_ms": round((time.perf_counter() - started) * 1000, 1),
            "page": page,
            "limit": limit,
            "sort": sort,
            "filters": filters.to_dict(),
            "did_you_mean": self._suggestion(view, plan.words) if wants_suggestion else None,
            "entities": named,
            "notice": main_notice,
            "notices": notices,
            "expansions": [e.to_dict() for e in expansion.expansions],
            "crosslang": {k: v for k, v in layer.items() if k != "notices"},
            "reference": plan.reference_dict(),
            "results": found.results,
            "facets": found.facets,
        }

    def _scored_query(
        self, view: IndexView, q: str, concepts: bool, partial: bool = False,
    ) -> tuple[QueryPlan, Matches, ConceptQuery]:
        """`q` planned and matched, or the same answer kept from an earlier request in another
        shape (page, API, compare, export: see scored_queries). Read-only for the caller.
        `partial`: with the passages holding some of the words even when the whole collection
        has enough answers (one country of a comparison may word it otherwise)."""

        def compute() -> tuple[QueryPlan, Matches, ConceptQuery]:
            plan = self.plan(q, view)
            return (plan, *self._matches(view, plan, concepts, partial))

        def reusable(scored: tuple[QueryPlan, Matches, ConceptQuery]) -> bool:
            """Not an answer that left the cross-language layer out under load, unless still under load."""
            return (scored[1].crosslang or {}).get("state") != "deferred" or self.busy()

        return self._scored.get(view, self._crosslang.stamp(), (q, concepts, partial), compute, reuse=reusable)

    def _suggestion(self, view: IndexView, words: list[str]) -> str | None:
        """Did-you-mean for `words`, found once per generation: a comparison asks it per column."""
        return self._suggestions.get(view, "", tuple(words), lambda: suggest(words, view.searcher.reader(), vocabulary=view.vocabulary))

    def _matches(
        self, view: IndexView, plan: QueryPlan, concepts: bool, partial: bool = False,
    ) -> tuple[Matches, ConceptQuery]:
        """Every passage a query finds, in every tier search shows, scored and weighed: one
        answer whatever the page, the page size, the sort or the filters, and the same for export."""
        matches = score_plan(plan, view.scorer)
        concepts = concepts and plan.acts != []  # a missing act is said so, not searched by its topic
        if concepts:
            view.concepts  # noqa: B018 -- loaded first: its cache holds the thesaurus labels' lemmas
        expansion = expand(plan.tree, self.profile) if concepts else ConceptQuery([], None)
        # inbound citations lift the provisions lawyers cite, but never past a reference's own provision
        cited = plan.reference is None
        if concepts:
            matches = rank_with_concepts(
                plan, matches, expansion, view.scorer, view.concepts, self.profile,
                enough=lambda mask: not partial and self._documents_in(view, mask, FEW_DOCUMENTS),
                standing=view.standing(cited),
            )
        else:
            view.weigh(matches.scored, cited=cited)
        if concepts and plan.reference is None:
            matches = self._with_crosslang(view, plan, matches, expansion)
        return matches, expansion

    def _with_crosslang(self, view: IndexView, plan: QueryPlan, matches: Matches, expansion: ConceptQuery) -> Matches:
        """The articles in other languages that answer the words typed, fused by rank with what
        the words found (which all stay, in their order); the layer's state said either way."""
        text = " ".join(expandable_texts(plan.tree))
        if not text:
            return matches
        hits = self._crosslang.search(view, text, [e.concept for e in expansion.expansions])
        state = {**hits.state, "hits": 0, "notices": hits.notices}
        if len(hits.docnums):
            fused = fuse(
                matches, hits.docnums, self.profile.rrf_k, self.profile.crosslang_weight, view.doc_index, view.weights,
                summed=sums_ranks(
                    self.profile.crosslang_fusion, matches, view.table.listed["language"].isin([hits.state["language"]]),
                    view.doc_index, expansion.complete,
                ),
            )
            state["hits"] = int((fused.kind == 3).sum())
            matches = fused
        matches.crosslang = state
        return matches

    @staticmethod
    def _documents_in(view: IndexView, mask, wanted: int) -> bool:
        """Do the passages in `mask` come from at least `wanted` documents? Counted before any
        filter, so a filter narrows one answer (facet counts equal the filtered totals)."""
        found = np.zeros(len(view.names), dtype=bool)
        found[view.doc_index[mask]] = True
        return int(np.count_nonzero(found & view.table.known)) >= wanted

    @_one_reader_at_a_time
    def suggest(self, words: list[str]) -> str | None:
        """'Did you mean': unknown words replaced by their nearest known forms."""
        view = self.view()
        return suggest(words, view.searcher.reader(), vocabulary=view.vocabulary)

    # --- documents -----------------------------------------------------------------------

    @_one_reader_at_a_time
    def document(self, doc_id: str, q: str | None = None, article: str | None = None) -> dict | None:
        """A document with every passage, or with only article `article`'s (None: no such
        document, or no such article in it)."""
        view = self.view()
        if doc_id not in view.docs:
            return None
        return document_pages.document(view, doc_id, self._words_found(view, q) if q else None, article)

    def citation_graph(self):
        """Which provisions cite which in the current generation (citation_graph.CitationGraph)."""
        return self.view().citations

    @_one_reader_at_a_time
    def find_in_document(self, doc_id: str, q: str) -> list[dict]:
        view = self.view()
        if doc_id not in view.docs:
            return []
        return document_pages.find_in_document(view, doc_id, self._words_found(view, q))

    def _words_found(self, view: IndexView, q: str) -> document_pages.WordsFound:
        """`q`'s words over the index, kept with the query's other answers (see scored_queries)."""
        return self._scored.get(
            view, self._crosslang.stamp(), ("words", q), lambda: document_pages.words_found(view, self.plan(q, view))
        )

    @_one_reader_at_a_time
    def more_like_this(self, passage_id: str, limit: int = 10) -> list[dict]:
        return document_pages.more_like_this(self.view(), passage_id, limit)

    def open_original(self, doc_id: str) -> OpenOriginal | None:
        """The indexed file of a document, opened, if it is still the file that was indexed.

        Only paths the catalog knows are used; a symlink in the path, a changed size or hash
        gives None. The caller serves the open file and closes it.
        """
        meta = self.documents.get(doc_id)
        return None if meta is None else self._originals.open(doc_id, meta.path)

    # --- entities --------------------------------------------------------------------------

    @_one_reader_at_a_time
    def entities(self, kind: str, q: str = "") -> list[dict]:
        """The organisations (`org`), people or places the documents name, most documents first;
        `q` keeps those with a name or spelling containing it."""
        return entity_pages.listing(self.view(), kind, q)

    @_one_reader_at_a_time
    def entity_info(self, kind: str, short_id: str):
        """An entity the documents name (search.entities.EntityInfo), or None."""
        return self.view().entities.get(kind, short_id)

    @_one_reader_at_a_time
    def entity(self, kind: str, short_id: str, page: int = 1, limit: int = 20) -> dict | None:
        """One entity with a page of the documents naming it and their passages (None: unknown)."""
        page, limit = max(1, int(page)), max(1, min(int(limit), MAX_LIMIT))
        return entity_pages.entity(self.view(), kind, short_id, page, limit)

    # --- comparison, export, stats -------------------------------------------------------

    @_one_reader_at_a_time
    def compare(
        self, q: str, countries: list[str] | None = None, per_country: int = 5, filters: Filters | None = None,
        concepts: bool = True,
    ) -> dict:
        """One column per chosen country (default: every country in the index, `int` last).

        The query is parsed and scored once; each column is a page of that answer for its country.
        That answer holds the passages with some of the words too, and a column shows them when
        its country has few documents that answer the query (every word, or concepts covering
        every word): the collection may have many while one country's law words it otherwise.
        """
        view = self.view()
        plain = self._scored_query(view, q, concepts)
        with_partial: list = []  # computed once, the first time a column needs it

        def answer_for(filters: Filters) -> tuple[tuple[QueryPlan, Matches, ConceptQuery], bool]:
            """The answer a column shows, and whether it leaves out the partial matches."""
            _plan, matches, expansion = plain
            if matches.kind is None:  # the words only (concepts off): no tiers
                return plain, False
            if answering_documents(view, matches, filters, expansion.complete) >= FEW_DOCUMENTS:
                return plain, True
            if matches.with_partial:
                return plain, False
            if not with_partial:
                with_partial.append(self._scored_query(view, q, concepts, partial=True))
            return with_partial[0], False

        def search(_q: str, filters: Filters, limit: int, snippets: bool = True, facets: bool = True, **_) -> dict:
            limit = max(1, min(int(limit), MAX_LIMIT))
            started = time.perf_counter()
            (plan, matches, expansion), drop_partial = answer_for(filters)
            return self._answer(
                view, plan, matches, expansion, filters, 1, limit, "relevance", snippets, started, facets,
                drop_partial=drop_partial,
            )

        def closest(concept_ids: list[str], country: str) -> list[str]:
            docs = [d for d, m in view.docs.items() if m.country == country]
            return view.concepts.closest(concept_ids, view.concepts.treated_in(docs))

        return comparison.compare(
            search, q, countries, per_country, filters,
            all_countries=self.countries(), closest=closest, concepts=concepts,
        )

    def countries(self) -> list[str]:
        """The countries of the indexed documents, the international standards last."""
        return comparison.ordered_countries([m.country for m in self.documents.values() if m.country])

    @_one_reader_at_a_time
    def concept(self, concept_id: str, countries: list[str] | None = None, per_country: int = 3) -> dict | None:
        """Concept × country: for one thesaurus concept, each country's own term (with its act)
        and the provisions that name it, best first (None: no such concept)."""
        concept = thesaurus.default().concepts.get(concept_id)
        if concept is None:
            return None
        view = self.view()
        query = concept_query(concept, self.profile)
        scored = view.scorer.evaluate(query) if query is not None else view.scorer.evaluate(wq.NullQuery)
        if self.profile.domain_prior:
            scored.score *= view.concepts.prior(self.profile.domain_prior)
        matches = Matches(query or wq.NullQuery, scored, [])
        columns = []
        for country in countries or self.countries():
            found = page_of_results(
                view, matches, Filters(country=[country]), self.profile, 1, per_country, "relevance", True
            )
            terms = [
                {"term": t.term, "doc_id": t.doc_id, "title": view.docs[t.doc_id].title if t.doc_id in view.docs else ""}
                for t in concept.terms if t.country == country
            ]
            columns.append({"country": country, "terms": terms, "total": found.total, "results": found.results})
        return {
            "concept": concept.id,
            "group": concept.group,
            "labels": {lang: list(labels) for lang, labels in concept.labels.items()},
            "broader": list(concept.broader),
            "narrower": list(concept.narrower),
            "related": list(concept.related),
            "columns": columns,
        }

    @_one_reader_at_a_time
    def export(self, q: str, filters: Filters | None = None, concepts: bool = True) -> Iterator[dict]:
        """Every passage search counts (the same tiers), best first (a bad query raises here, before any row)."""
        view = self.view()
        filters = filters or Filters()
        _plan, matches, _ = self._scored_query(view, q, concepts)
        return self._taking_turns(export_rows(view, matches, filters))

    def _taking_turns(self, rows: Iterator[dict]) -> Iterator[dict]:
        """A streamed export reads the index row by row: each step takes its turn."""
        while True:
            with self._reading:
                row = next(rows, None)
            if row is None:
                return
            yield row

    @_one_reader_at_a_time
    def stats(self) -> dict:
        view = self.view()
        docs = view.docs
        return {
            "documents": len(docs),
            "passages": view.searcher.doc_count(),
            "countries": dict(Counter(m.country for m in docs.values()).most_common()),
            "doc_types": dict(Counter(m.doc_type for m in docs.values()).most_common()),
            "languages": dict(Counter(m.language for m in docs.values()).most_common()),
        }

    def warm(self) -> None:
        """Pay now what the first query would: the documents' concepts (from their cache beside
        the index, or built and cached), the thesaurus's label keys, the analyzers' dictionaries
        and the scorer's code paths, the citation graph and did-you-mean's vocabulary (the same
        way), the acts references name (acts.acts_of), the posting lists concept expansions read
        (concepts.warm_label_postings), the embedding model when there are vectors. A server
        calls it before forking workers and in each one."""
        self.search(WARM_QUERY, limit=1)
        view = self.view()
        view.vocabulary  # noqa: B018 (a cached property: read or listed now)
        acts_of(view.docs)  # the acts by number and code kind, which references look up
        warm_label_postings(view.scorer)
        self._crosslang.warm()

    def forget_answers(self) -> None:
        """Drop the scored answers and suggestions kept for repeated shapes of a query
        (scored_queries): a benchmark that asks the same queries again measures the search, not
        the memory."""
        self.keep_answers(self._scored.max_entries > 0)

    def keep_answers(self, keep: bool = True) -> None:
        """Start afresh keeping scored answers and suggestions (`keep`), or keeping none: every
        request then computes its answer (a server's --no-answer-cache, for benchmarks)."""
        entries = {} if keep else {"max_entries": 0}
        self._scored, self._suggestions = ScoredQueries(**entries), ScoredQueries(**entries)

    def close(self) -> None:
        self._view.searcher.close()
        self._ix.close()
