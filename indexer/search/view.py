"""One generation of the index as the read side sees it: a searcher and what is derived from it.

Built once when a writer's commit is noticed, then shared read-only by every request until
the next one: the searcher, the catalog's documents, the scorer, and the passage -> document
table that grouping and facets count with.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import numpy as np

from indexer.act_facts import REPEALED
from indexer.models import DocMeta, Named
from indexer.search.entities import EntityIndex
from indexer.search.ranking import RankingProfile
from indexer.search.scoring import Scored, Scorer
from indexer.search.whoosh_access import PostingStore, generation_key

DOCUMENTS_KEPT = 8


@dataclass(frozen=True)
class IndexView:
    searcher: object
    docs: dict[str, DocMeta]
    scorer: Scorer
    store: PostingStore
    names: list[str]  # doc ids, sorted
    doc_index: np.ndarray  # passage docnum -> position in `names`
    doc_pos: dict[str, int]  # doc id -> position in `names`
    weights: np.ndarray | None  # passage docnum -> score factor (repealed acts), None when all are 1
    folder: Path | None = None  # the index folder, where concepts and citations are cached per generation
    citation_weight: float = 0.0  # RankingProfile.citation_weight
    entity_rows: tuple[tuple[str, Named], ...] = ()  # the catalog's (doc_id, entity) rows
    catalog_key: str | None = None  # names the catalog's state (catalog_cache.catalog_key), None: unknown

    @classmethod
    def build(
        cls, searcher, docs: dict[str, DocMeta], store: PostingStore, profile: RankingProfile,
        folder: Path | None = None, entity_rows: Iterable[tuple[str, Named]] = (), catalog_key: str | None = None,
    ) -> IndexView:
        column = list(searcher.reader().column_reader("doc_id")) if searcher.doc_count_all() else []
        names = sorted(set(column))
        pos = {d: i for i, d in enumerate(names)}
        doc_index = np.fromiter((pos[d] for d in column), dtype=np.int64, count=len(column))
        factors = np.array(
            [profile.repealed_factor if n in docs and docs[n].status == REPEALED else 1.0 for n in names],
            dtype=np.float32,
        )
        weights = factors[doc_index] if len(factors) and (factors != 1.0).any() else None
        scorer = Scorer(searcher, store, profile)
        return cls(
            searcher, docs, scorer, store, names, doc_index, pos, weights, folder, profile.citation_weight,
            tuple(entity_rows), catalog_key,
        )

    @cached_property
    def state_key(self) -> str:
        """Names what this view answers from, the same in every process that opens the same
        state: the whoosh generation and segments, and the catalog's key (SQLite's change counter,
        the file's size and mtime), else a digest of its documents and entities (hashing them took
        ~26 ms on the corpus at every first request after a commit, seconds at 100k)."""
        if self.catalog_key is not None:
            digest = hashlib.sha256(self.catalog_key.encode()).hexdigest()[:16]
        else:
            digest = hashlib.sha256(repr((sorted(self.docs.items()), self.entity_rows)).encode()).hexdigest()[:16]
        return f"{generation_key(self.searcher)}/{digest}"

    @cached_property
    def entities(self) -> EntityIndex:
        """The entities the documents name (facets, filters, pages), on first use: described
        from the index folder's cache when it matches, or described (and cached there)."""
        from indexer.search import entity_cache

        if self.folder is None:
            return EntityIndex.build(self.entity_rows, self.docs)
        return entity_cache.load_or_build(self.folder, list(self.entity_rows), self.docs, self.catalog_key)

    @cached_property
    def concepts(self):
        """The documents' concepts and migration shares (concepts.ConceptIndex), on first use:
        read from the index folder's cache for this generation, or built (and cached there)."""
        from indexer.search.concept_cache import load_or_build
        from indexer.search.concepts import ConceptIndex

        if self.folder is None:
            return ConceptIndex.build(self.scorer, self.doc_index, self.names)
        generation = generation_key(self.searcher)
        return load_or_build(self.folder, generation, self.scorer, self.doc_index, self.names)

    @cached_property
    def vocabulary(self):
        """The body's exact forms in memory, for did-you-mean (vocabulary.Vocabulary), on first use:
        read from the index folder's cache for this generation, or listed (and cached there)."""
        from indexer.search.vocabulary import Vocabulary, load_or_build

        if self.folder is None:
            return Vocabulary.of(self.searcher.reader())
        return load_or_build(self.folder, generation_key(self.searcher), self.searcher.reader())

    @cached_property
    def table(self):
        """The documents as columns (doc_table.DocTable), for filters and facets without loops."""
        from indexer.search.doc_table import DocTable

        return DocTable(self.names, self.docs, self.concepts.doc_concepts, self.entities.by_doc)

    @cached_property
    def _documents_read(self) -> OrderedDict:
        return OrderedDict()

    def document_passages(self, doc_id: str) -> list[tuple[dict, int]]:
        """A document's stored passages in reading order, with their numbers."""
        return self.kept_document(doc_id, "stored", self._read_document)

    def _read_document(self, doc_id: str) -> list[tuple[dict, int]]:
        numbers = self.searcher.document_numbers(doc_id=doc_id)
        return sorted(((self.searcher.stored_fields(n), n) for n in numbers), key=lambda x: x[0]["ordinal"])

    def kept_document(self, doc_id: str, what: str, make):
        """`make(doc_id)`, kept with the document's other forms for the last DOCUMENTS_KEPT
        documents: reading a code's 1,100 passages costs ~0.1 CPU s, shaping them for a page as
        much again, and a reader goes through its parts and articles one request at a time."""
        kept = self._documents_read
        forms = kept.get(doc_id)
        if forms is None:
            forms = kept[doc_id] = {}
            while len(kept) > DOCUMENTS_KEPT:
                kept.popitem(last=False)
        else:
            kept.move_to_end(doc_id)
        if what not in forms:
            forms[what] = make(doc_id)
        return forms[what]

    @cached_property
    def citations(self):
        """Which provisions cite which (citation_graph.CitationGraph), on first use: read from
        the index folder's cache for this generation, or built (and cached there)."""
        from indexer.search import citation_graph

        if self.folder is None:
            return citation_graph.build(self.searcher, self.docs)
        return citation_graph.load_or_build(self.folder, generation_key(self.searcher), self.searcher, self.docs)

    @cached_property
    def _lift(self) -> np.ndarray | None:
        return self.citations.lift(self.citation_weight) if self.citation_weight else None

    def doc_of(self, docnum: int) -> str:
        return self.names[self.doc_index[docnum]]

    def standing(self, cited: bool = False) -> np.ndarray | None:
        """Each passage's score factor (None when all are 1): a repealed act's passages count
        less; with `cited`, a provision many others cite counts a little more."""
        factor = self.weights
        if cited and self._lift is not None:
            factor = self._lift if factor is None else factor * self._lift
        return factor

    def weigh(self, scored: Scored, cited: bool = False) -> Scored:
        """Scores with each passage's `standing` applied."""
        factor = self.standing(cited)
        if factor is not None:
            scored.score = scored.score * factor
        return scored

    def rank(self, matched: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """`matched` passages best first. Equal scores go in doc id order, then in the document's own
        passage order: passage numbers (docnums) depend on the index's history, so breaking ties
        by them would rank an incrementally updated index differently from a clean one."""
        return matched[np.lexsort((matched, self.doc_index[matched], -scores[matched]))]

    def ranked(self, matched: np.ndarray, scores: np.ndarray, first: int = 256) -> Iterator[int]:
        """`matched` passages in `rank` order, sorted a slice at a time: a page needs the best few
        hundred of them, not an order over the 60,000 passages a common word matches."""
        values = scores[matched]
        k = first
        while len(matched):
            if len(matched) > k:
                kth = np.partition(values, len(values) - k)[len(values) - k]
                best = values >= kth  # ties at the cut go in whole, so no order is broken
            else:
                best = np.ones(len(matched), dtype=bool)
            yield from self.rank(matched[best], scores).tolist()
            matched, values = matched[~best], values[~best]
            k *= 4
