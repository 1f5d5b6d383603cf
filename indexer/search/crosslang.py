"""The cross-language layer on the read side: articles in other languages than the query's,
found by meaning (indexer.dense), fused with the word ranking by reciprocal rank.

Why only other languages: the embedding ranks a same-language article that shares the query's
words above a foreign one that answers it, so over all articles it buries exactly the results
BM25 cannot give (measured on issue 10's 43 cross-language queries, hit@10: RRF with the dense
side over every article 0.17, over the other languages' articles 0.78; adding the query's
thesaurus labels in the other languages to the embedded text, 0.89). Nor a translation of a
document the collection has in the query's language, unless in one of the corpus's main
languages (TRANSLATE_TO): the Universal Declaration in Kyrgyz, Kazakh and Tajik crowded a
Russian query's layer out of the foreign documents that have no Russian version (issue 10's
set, cross-language nDCG@10: every translation 0.738, none 0.727, the main languages' 0.735);
nor a bilingual file's parallel text (the Dutch beside the English of 13 conventions).

Why rank fusion: BM25 and cosine scores have no common scale, ranks do; every passage the words
found stays in the answer, in the same order among themselves.

The vectors are read from the index folder (indexer.dense.store) and re-read when the embedding
job replaces them; missing vectors (never embedded) leave the layer off, vectors of an older
index generation are not used (said in a notice) until `migrantlex embed` has caught up.

Under load the layer steps aside: embedding a new query costs about as much CPU as the rest of
its answer, so when requests are waiting for a worker (`busy`, see search_web.backlog) a query
nobody has embedded yet is answered by its words alone, said in a notice ("deferred"), and that
answer is marked (`degraded`): caches serve it again only while the server is still busy, and
the first time it is asked with a worker to spare, it gets the layer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from contextlib import suppress
from contextvars import ContextVar
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from analyzers.language import detect_language, token_language
from indexer import thesaurus
from indexer.dense import model, store
from indexer.dense.query_vectors import QueryVectors
from indexer.search.acts import version_languages
from indexer.search.notices import notice
from indexer.search.scoring import Matches, Scored
from indexer.search.whoosh_access import generation_key
from indexer.settings import REFRESH_SECONDS

CROSSLANG_KIND = 3  # Matches.kind of a passage only the cross-language layer found
TRANSLATE_TO = ("ru", "en")  # the thesaurus labels added to the embedded query (the corpus's main languages)

# Set when an answer of this context left the layer out under load; callers that keep answers
# (the web's response cache) clear it before a request and, when it is set after, mark what they
# keep so that it is served again only while the server is still busy.
degraded: ContextVar[bool] = ContextVar("migrantlex_crosslang_degraded", default=False)


def never_busy() -> bool:
    return False


@dataclass
class Hits:
    """The layer's answer for one query: passages best first, and what to tell the user."""

    docnums: np.ndarray  # int64, best first
    state: dict = field(default_factory=dict)  # {"state": ready|partial|stale|off|unavailable, ...}
    notices: list[dict] = field(default_factory=list)


class CrossLanguage:
    """One per engine: the vectors of the index folder, re-read when the embedding job saves."""

    def __init__(self, index_dir: Path | str, top_k: int = 30) -> None:
        self.index_dir = Path(index_dir)
        self.top_k = top_k
        self.busy: Callable[[], bool] = never_busy  # a server sets it: requests are waiting
        self._lock = threading.Lock()
        self._checked = -1e9
        self._stamp: tuple[int, int] | None = None
        self._units: store.Units | None = None
        self._matrix: np.ndarray | None = None  # float32 copy of the units' vectors
        self._unit_facts: dict[str, _UnitFacts] = {}  # generation -> its units' facts
        self._foreign_units: dict[tuple[str, str], np.ndarray] = {}  # (generation, language) -> _foreign
        self._queries = QueryVectors(self.index_dir)

    def units(self) -> store.Units | None:
        """The saved vectors (re-read at most once a REFRESH_SECONDS when the file was replaced)."""
        now = time.monotonic()
        if now - self._checked > REFRESH_SECONDS:
            with self._lock:
                self._checked = now
                stamp = store.stamp(self.index_dir)
                if stamp != self._stamp:
                    units = store.load_units(self.index_dir) if stamp else None
                    self._stamp, self._units = stamp, units
                    self._matrix = units.vectors.astype(np.float32) if units is not None else None
                    self._unit_facts, self._foreign_units = {}, {}
        return self._units

    def stamp(self) -> str:
        """Which saved vectors answer now ("off": none, or the layer is switched off)."""
        if self.top_k <= 0 or self.units() is None:
            return "off"
        return "-".join(map(str, self._stamp))

    def search(self, view, text: str, concept_ids: list[str]) -> Hits:
        """The articles in other languages closest to `text` (and its thesaurus translations)."""
        units = self.units() if self.top_k > 0 else None  # top_k 0: the layer is switched off
        if units is None:
            return Hits(np.zeros(0, np.int64), {"state": "off"})
        if units.generation != generation_key(view.searcher):
            return Hits(np.zeros(0, np.int64), {"state": "stale"}, [notice("crosslang_stale")])
        language = query_language(text)
        if not language:
            return Hits(np.zeros(0, np.int64), {"state": "ready", "language": ""})
        state = {"state": "ready" if units.complete else "partial", "language": language}
        said = [] if units.complete else [notice("crosslang_partial", done=len(units.docnums), total=units.total)]
        try:
            vector = self._query_vector(query_text(text, language, concept_ids))
        except model.ModelMissing:
            return Hits(np.zeros(0, np.int64), {"state": "unavailable"}, [notice("crosslang_unavailable")])
        if vector is None:
            degraded.set(True)
            return Hits(np.zeros(0, np.int64), {"state": "deferred", "language": language}, [notice("crosslang_deferred")])
        others = np.flatnonzero(self._foreign(view, units, language))
        if not len(others):
            return Hits(np.zeros(0, np.int64), state, said)
        scores = (self._matrix @ vector)[others]  # not self._matrix[others]: that copies the matrix
        k = min(self.top_k, len(others))
        best = np.argpartition(-scores, k - 1)[:k]
        best = best[np.argsort(-scores[best], kind="stable")]
        return Hits(units.docnums[others[best]].astype(np.int64), state, said)

    def warm(self) -> None:
        """Load the model now when there are vectors to search: a server does it before forking,
        so its workers share the loaded model and no worker's first new query pays for it (a
        query other processes embedded already does not load it)."""
        if self.stamp() != "off":
            with suppress(model.ModelMissing):
                model.load()

    def _query_vector(self, text: str) -> np.ndarray | None:
        """`text` embedded: by another process reading this index (query_vectors), else here;
        None when nobody has and requests are waiting (`busy`): the layer is deferred."""
        vector = self._queries.get(text)
        if vector is None:
            if self.busy():
                return None
            vector = model.embed_query(text)
            self._queries.put(text, vector)
        return vector

    def _foreign(self, view, units: store.Units, language: str) -> np.ndarray:
        """Per unit: is its document in another language than `language`, and either in a main
        language or with no version in `language` in the collection (acts.version_languages),
        and the unit in its document's language (not a bilingual file's parallel text: the Dutch
        beside the English of 13 conventions, 431 articles)? Kept per generation and language."""
        key = (units.generation, language)
        found = self._foreign_units.get(key)
        if found is None:
            facts = self._unit_facts.get(units.generation)
            if facts is None:
                facts = _UnitFacts.of(view, units)
                self._unit_facts = {units.generation: facts}
            found = facts.foreign_to(language)
            kept = {k: v for k, v in self._foreign_units.items() if k[0] == units.generation}
            self._foreign_units = {**kept, key: found}
        return found


@dataclass
class _UnitFacts:
    """What the layer's choice of units depends on, whatever the query's language: each unit's
    document language, whether the unit is written in it, and the languages its document has
    other versions in (acts.version_languages; empty for most)."""

    language: np.ndarray  # object: the unit's document's language
    usable: np.ndarray  # bool: its document is in the catalog and the unit in that language
    versions: list[frozenset[str]]

    @classmethod
    def of(cls, view, units: store.Units) -> _UnitFacts:
        per_doc = np.array([view.docs[d].language if d in view.docs else "" for d in view.names], dtype=object)
        known = np.array([d in view.docs for d in view.names], dtype=bool)
        documents = view.doc_index[units.docnums]
        versions = version_languages(view.docs)
        return cls(
            per_doc[documents],
            known[documents] & _in_document_language(view, per_doc)[units.docnums],
            [versions.get(view.names[d], frozenset()) for d in documents.tolist()],
        )

    def foreign_to(self, language: str) -> np.ndarray:
        other = (self.language != language) & self.usable
        has_version = np.array([language in v for v in self.versions], dtype=bool)
        return other & (np.isin(self.language, TRANSLATE_TO) | ~has_version)


def _in_document_language(view, document_language: np.ndarray) -> np.ndarray:
    """Per passage: is it in its document's language (`document_language`: per document) or of
    no language the index records?"""
    reader = view.searcher.reader()
    own = np.ones(reader.doc_count_all(), dtype=bool)
    if "passage_language" not in view.searcher.schema:
        return own
    for language in reader.field_terms("passage_language"):
        passages = view.scorer.postings("passage_language", language)[0]
        own[passages] = document_language[view.doc_index[passages]] == language
    return own


def query_language(text: str) -> str:
    """The query's language: as a text's (detect_language), but a few Latin words with no English
    function word among them are English too (the corpus's one language in Latin script)."""
    found = detect_language(text)
    if found:
        return found
    words = [w for w in text.split() if token_language(w)]
    return "en" if words and all(token_language(w) == "en" for w in words) else ""


def query_text(text: str, language: str, concept_ids: list[str]) -> str:
    """The words typed, then the preferred labels in the other main languages of each concept
    they name: the embedding matches a Russian article better with the Russian term beside it."""
    concepts = thesaurus.default().concepts
    added = [
        concepts[c].pref(lang)
        for c in concept_ids if c in concepts
        for lang in TRANSLATE_TO if lang != language and concepts[c].pref(lang)
    ]
    return "; ".join(dict.fromkeys([text, *added]))


def sums_ranks(fusion: str, matches: Matches, in_language: np.ndarray, doc_index: np.ndarray, complete: bool) -> bool:
    """Does the fusion add a document's two ranks (RRF) rather than keep the better one?

    "selective": only when the words typed find nothing in the query's own language that answers
    them: no passage of a document in that language (`in_language`: per document) holds every
    word typed, or, when the concepts the query names cover all its words (`complete`), names
    them. Then the words' ranking is made of partial matches or of other languages' documents
    reached through the thesaurus, and a document the layer finds too is the better evidence;
    when the words do answer in their language, that provision keeps its place. Measured
    (benchmarks/bench_ranking.py, vectors for every article): issue 10's set nDCG@10 0.632
    (0.581 the better, 0.659 summed), the lawyer queries as with the better (52/55, MRR 0.958).
    """
    if fusion != "selective":
        return fusion == "summed"
    kind = matches.kind if matches.kind is not None else np.where(matches.scored.mask, 0, -1)
    answering = matches.scored.mask & ((kind == 0) | ((kind == 2) & complete))
    return not in_language[doc_index[answering]].any()


def fuse(
    matches: Matches, hits: np.ndarray, k: int, weight: float,
    doc_index: np.ndarray, standing: np.ndarray | None = None, summed: bool = False,
) -> Matches:
    """Reciprocal rank fusion over documents, the unit a page shows: a document scores the better
    of 1/(k + its rank by the words) and weight/(k + its rank by the layer) (`summed`: their sum,
    classic RRF); its passages that much plus a trace of their own scores, which orders them
    within it.

    Why not always the sum: another language's document that a concept's terms and the layer
    both find then jumps above the very provision a same-language query names (vectors for every
    article: 37 of the 55 lawyer queries of tests/test_relevance.py in their top-N summed, 52
    with the better); the sum serves cross-language queries best (issue 10's set, cross-language
    nDCG@10 0.805 summed, 0.658 the better). `sums_ranks` chooses per query.

    The words' ranks come from `matches` (scores already weighed by each act's standing, ties
    in document order as IndexView.rank breaks them); `hits` are the layer's passages, best
    first, weighed here by `standing` (a repealed act's factor, per passage); `doc_index` is
    each passage's document. Ranking documents rather than passages keeps a document with many
    matching passages from taking many ranks, and needs no sort of every matched passage.
    Passages only the layer found join as CROSSLANG_KIND."""
    n, score = len(matches.scored.mask), matches.scored.score
    matched = np.flatnonzero(matches.scored.mask)
    ndocs = int(doc_index.max()) + 1 if len(doc_index) else 0
    best = np.full(ndocs, -np.inf)
    np.maximum.at(best, doc_index[matched], score[matched])
    docs = np.flatnonzero(best > -np.inf)
    by_words = docs[np.lexsort((docs, -best[docs]))]
    by_layer = doc_index[hits][np.sort(np.unique(doc_index[hits], return_index=True)[1])]
    doc_score = np.zeros(ndocs)
    doc_score[by_words] = 1.0 / (k + 1 + np.arange(len(by_words)))
    layer_doc = weight / (k + 1 + np.arange(len(by_layer)))
    doc_score[by_layer] = doc_score[by_layer] + layer_doc if summed else np.maximum(doc_score[by_layer], layer_doc)
    within = np.zeros(n)
    top = float(score[matched].max()) if len(matched) else 0.0
    if top > 0:
        within[matched] = score[matched] / top / (k + 1)
    layer = weight / (k + 1 + np.arange(len(hits)))
    within[hits] += layer if standing is None else layer * standing[hits]
    mask = matches.scored.mask.copy()
    kind = matches.kind.copy() if matches.kind is not None else np.where(mask, 0, -1).astype(np.int8)
    kind[hits[~mask[hits]]] = CROSSLANG_KIND
    mask[hits] = True
    fused = np.where(mask, doc_score[doc_index] + 1e-6 * within, 0)  # float64: the trace needs its digits
    return Matches(matches.query, Scored(mask, fused), matches.notices, kind, matches.snippet_terms)
