"""Concepts on the read side: query expansion, the documents' concepts, and the domain prior.

The laws do not share words (115-ФЗ: "иностранный гражданин, осуществляющий трудовую
деятельность"; Kyrgyzstan: "трудящийся-мигрант"; the ILO: "migrant worker"), so a query that
names a thesaurus concept also searches the concept's other labels and every jurisdiction's
term, as phrases of lemmas. This is also the cross-language route: an English query reaches
the Russian law through the concept's Russian labels, and back.

Documents get their concepts from their own text at engine load (no schema change): a
concept's labels, each as the And of its lemmas, are looked up over whole posting lists (the
same numpy arrays the scorer uses, decoded once per process). A document treats a concept when
enough of its passages name it. The share of its passages that name a person of migration law
(a concept of the thesaurus's "persons" group: migrant, foreign national, stateless person...)
is its migration share, which the domain prior ranks by: an act about migration before an act
that merely uses a word (`патент` in 115-ФЗ before the Civil Code's invention patents). Shares
over all concepts did not separate them: generic labels (регистрация, трудовой договор) occur in
most codes.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
from whoosh import query as wq

from indexer import thesaurus as th
from indexer.search.parser import Group, Phrase, Word
from indexer.search.plan import body_terms
from indexer.search.ranking import RankingProfile

MAX_TERMS_PER_CONCEPT = 16  # labels and terms searched for one concept (bounds the query's cost)
MAX_SNIPPET_TERMS = 12  # terms a concept adds to a snippet's marks
MIN_PASSAGES = 2  # a document treats a concept when this many of its passages name it...
MIN_SHARE = 0.03  # ...and they are at least this share of its passages
PRIOR_GROUP = "persons"  # migrants, foreigners, stateless persons...: whom migration law is about


@dataclass
class Expansion:
    """One concept the query named and what was searched for it besides the words typed."""

    concept: str
    label: str  # the concept's preferred label in the language of the words typed
    typed: str  # the label the query matched
    terms: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"concept": self.concept, "label": self.label, "typed": self.typed, "terms": self.terms}


@dataclass
class ConceptQuery:
    """The expansions and the query that finds them: each named concept's alternatives, And-ed.

    A label is searched as its lemmas in one passage rather than as a phrase: position checks
    through whoosh cost up to a second per query on the corpus.
    """

    expansions: list[Expansion]
    query: wq.Query | None
    complete: bool = False  # the concepts named cover every word typed (stopwords aside)


def expandable_texts(tree) -> list[str]:
    """The runs of words a query asks for in any inflection, in order, for matching labels.

    Words under NOT, an exact form (`=мигрантов`), a field scope (`heading:патент`) and a prefix
    (`мигра*`) mean exactly what was typed: they are never expanded, and they end a run, so no
    label is matched across them."""
    runs: list[list[str]] = [[]]

    def walk(node) -> None:
        if isinstance(node, Group):
            for child in node.children:
                walk(child)
        elif isinstance(node, (Word, Phrase)) and not (node.exact or node.scope or getattr(node, "prefix", False)):
            runs[-1].append(node.text)
        elif runs[-1]:
            runs.append([])

    walk(tree)
    return [" ".join(run) for run in runs if run]


def expand(tree, profile: RankingProfile, thesaurus: th.Thesaurus | None = None) -> ConceptQuery:
    """The concepts named by the query's words and the query for their other labels and terms."""
    thesaurus = thesaurus or th.default()
    texts = expandable_texts(tree)
    if not texts:
        return ConceptQuery([], None)
    lang = "ru" if any("\u0400" <= ch <= "\u04ff" for text in texts for ch in text) else "en"
    expansions, parts = [], []
    per_text = [(text, thesaurus.match(text)) for text in texts]
    several = len({m.concept.id for _, found in per_text for m in found}) > 1
    complete = all(_covers(found, len(th.label_key(text))) for text, found in per_text)
    seen: set[str] = set()  # a concept once
    for group in (g for _, found in per_text for g in _overlapping(found)):
        alternatives = []  # concepts on overlapping spans: two readings of the same words, either will do
        for match in group:
            if match.concept.id in seen:
                continue
            seen.add(match.concept.id)
            concept = match.concept
            typed_key = th.label_key(match.label)
            # the laws' own words first, then the labels in every language
            words = dict.fromkeys([t.term for t in concept.terms] + concept.all_labels())
            terms = [t for t in words if th.label_key(t) != typed_key][:MAX_TERMS_PER_CONCEPT]
            # with several concepts, the words typed for one may meet another's other terms in a passage
            searched = [*terms, match.label] if several else terms
            phrases = [q for t in searched if (q := _label_query(t, profile)) is not None]
            if not terms or not phrases:
                continue
            expansions.append(Expansion(concept.id, concept.pref(lang) or concept.pref("en"), match.label, terms))
            alternatives += phrases
        if alternatives:
            parts.append(wq.Or(alternatives) if len(alternatives) > 1 else alternatives[0])
    if not parts:
        return ConceptQuery([], None)
    return ConceptQuery(expansions, wq.And(parts) if len(parts) > 1 else parts[0], complete)


def _overlapping(matches: list[th.Match]) -> list[list[th.Match]]:
    """Matches (in text order) grouped where their spans overlap (`money for a job abroad`:
    recruitment fees and work abroad share `job`)."""
    groups: list[list[th.Match]] = []
    for m in matches:
        if groups and m.start < max(g.end for g in groups[-1]):
            groups[-1].append(m)
        else:
            groups.append([m])
    return groups


def _covers(matches: list[th.Match], words: int) -> bool:
    """Do the matched labels span every (non-stopword) position of a text of `words` positions?"""
    covered = {i for m in matches for i in range(m.start, m.end)}
    return words > 0 and len(covered) >= words


def _label_query(label: str, profile: RankingProfile) -> wq.Query | None:
    """A label as its lemmas in one passage's heading or body, stopwords aside.

    Scored over whole posting lists like typed words; a position-checked phrase per label made
    a concept query cost a second, and the exact forms would only slow the snippets.
    """
    key = th.label_key(label)
    if not key:
        return None
    per_field = []
    for fname in ("heading", "body"):
        boost = profile.boost(fname)
        words = [wq.Or([wq.Term(fname, t, boost=boost) for t in sorted(lemmas)]) for lemmas in key]
        per_field.append(words[0] if len(words) == 1 else wq.And(words))
    return wq.Or(per_field)


class ConceptIndex:
    """Which passages name which concept, each document's concepts, and its migration share.

    Built once per index generation from the posting lists (see the module docstring).
    """

    def __init__(
        self, thesaurus: th.Thesaurus, doc_index: np.ndarray, doc_concepts: dict[str, list[str]],
        passages: dict[str, int], share: np.ndarray, about_persons: np.ndarray,
    ) -> None:
        self.thesaurus = thesaurus
        self.doc_index = doc_index
        self.doc_concepts = doc_concepts  # doc id -> the concepts it treats
        self.passages = passages  # concept id -> passages that name it
        self.share = share  # per document: its migration share
        self.about_persons = about_persons  # per passage: names a person of migration law

    @classmethod
    def build(cls, scorer, doc_index: np.ndarray, names: list[str], thesaurus: th.Thesaurus | None = None) -> ConceptIndex:
        """Every concept's labels looked up over the posting lists (seconds on the corpus)."""
        thesaurus = thesaurus or th.default()
        n, ndocs = scorer.n, len(names)
        sizes = np.bincount(doc_index, minlength=ndocs).astype(np.float32) if n else np.zeros(ndocs, np.float32)
        about_persons = np.zeros(n, dtype=bool)
        doc_concepts: dict[str, list[str]] = {d: [] for d in names}
        passages: dict[str, int] = {}
        for concept in thesaurus.concepts.values():
            mask = np.zeros(n, dtype=bool)
            for label in concept.all_labels():
                mask |= _label_mask(scorer, label)
            mask &= scorer.live
            if not mask.any():
                continue
            if concept.group == PRIOR_GROUP:
                about_persons |= mask
            passages[concept.id] = int(mask.sum())
            per_doc = np.bincount(doc_index[mask], minlength=ndocs)
            treats = (per_doc >= np.minimum(MIN_PASSAGES, sizes)) & (per_doc >= MIN_SHARE * sizes) & (per_doc > 0)
            for i in np.flatnonzero(treats):
                doc_concepts[names[i]].append(concept.id)
        named = np.bincount(doc_index[about_persons], minlength=ndocs) if n else np.zeros(ndocs)
        share = np.divide(named, sizes, out=np.zeros(ndocs, np.float32), where=sizes > 0)
        return cls(thesaurus, doc_index, doc_concepts, passages, share, about_persons)

    def prior(self, weight: float) -> np.ndarray:
        """A factor per passage: 1 + weight × how much it is about migration: fully when the
        passage itself names a person of migration law, else its document's migration share.

        Per passage, not per document: ТК РФ art. 327.2 on foreign workers is as much about
        migration as an article of 115-ФЗ, while the Civil Code's patents are not."""
        about = np.maximum(self.share[self.doc_index], self.about_persons.astype(np.float32))
        return (1.0 + weight * about).astype(np.float32)

    def closest(self, concept_ids: list[str], treated: set[str] | None = None, limit: int = 5) -> list[str]:
        """Concepts near the given ones (related, broader, narrower, then their neighbours) that
        some document treats (one of `treated`, when given): what to try in an empty column."""
        treated = treated if treated is not None else set(self.passages)
        out: list[str] = []
        ring = list(concept_ids)
        for _ in range(2):
            nxt = []
            for cid in ring:
                c = self.thesaurus.concepts.get(cid)
                if c is None:
                    continue
                for near in (*c.related, *c.broader, *c.narrower):
                    nxt.append(near)
                    if near not in out and near not in concept_ids and near in treated:
                        out.append(near)
            ring = nxt
        return out[:limit]

    def treated_in(self, doc_ids) -> set[str]:
        """Every concept some of these documents treat."""
        return {c for d in doc_ids for c in self.doc_concepts.get(d, ())}


def _label_mask(scorer, label: str) -> np.ndarray:
    """Passages whose body holds every word of the label (any of its lemmas; stopwords aside)."""
    mask = None
    for lemmas in th.label_key(label):
        here = np.zeros(scorer.n, dtype=bool)
        for t in lemmas:
            here[scorer.postings("body", t)[0]] = True
        mask = here if mask is None else mask & here
        if not mask.any():
            break
    return mask if mask is not None else np.zeros(scorer.n, dtype=bool)


def concept_labels(thesaurus: th.Thesaurus, concept_id: str, lang: str) -> dict:
    """A concept for the faces: id, its label in `lang` (English, then Russian, if it has none)."""
    c = thesaurus.concepts[concept_id]
    return {"id": concept_id, "label": c.pref(lang) or c.pref("en") or c.pref("ru")}


def rank_with_concepts(
    plan, matches, concept_query: ConceptQuery, scorer, concepts: ConceptIndex | None,
    profile: RankingProfile, enough: Callable[[np.ndarray], bool], standing: np.ndarray | None = None,
):
    """The words typed first; then, below them, a concept's other terms and (when the words
    give too few documents: `enough(mask)` is false) passages with some of the words.

    Every score is multiplied by the domain prior and by each passage's `standing` (a repealed
    act's factor, the lift of much-cited provisions: IndexView.standing) before the tiers are
    made, so they move passages within a tier, never across (a much-cited article of the penal
    code that only names the concepts went above the one article with every word typed). The
    second tier is scaled to stay under the weakest passage with all the words, so an English
    query keeps every English document it found before, in the same order, and concept matches
    follow. When the concepts named cover every word typed, a passage that names them all
    answers the query in other words, so it goes before passages with only some of the words
    (`concepts_before_partial`).
    """
    main = matches.scored
    all_words = matches.query is plan.query  # else the words never met: `main` holds some of them
    kind = np.where(main.mask, 0 if all_words else 1, -1).astype(np.int8)
    concept_mask = np.zeros(scorer.n, dtype=bool)
    partial_mask = np.zeros(scorer.n, dtype=bool)
    extra = np.zeros(scorer.n, dtype=np.float32)
    queries = [matches.query]
    if concept_query.query is not None:
        found = scorer.evaluate(concept_query.query)
        concept_mask = found.mask & ~main.mask
        extra += np.where(concept_mask, profile.concept_weight * found.score, 0)
        kind[concept_mask] = 2
        queries.append(concept_query.query)
    with_partial = not all_words or plan.fallback is None
    if plan.fallback is not None and all_words and not enough(main.mask | concept_mask):
        with_partial = True
        partial = scorer.evaluate(plan.fallback)
        partial_mask = partial.mask & ~main.mask
        extra += np.where(partial_mask, profile.partial_weight * partial.score, 0)
        kind[partial_mask & ~concept_mask] = 1
        queries.append(plan.fallback)
    score = main.score.copy()
    factor = concepts.prior(profile.domain_prior) if concepts is not None and profile.domain_prior else None
    if standing is not None:
        factor = standing if factor is None else factor * standing
    if factor is not None:
        score *= factor
        extra *= factor
    extra_mask = concept_mask | partial_mask
    concepts_first = concept_query.complete and profile.concepts_before_partial and concept_mask.any()
    if concepts_first and not all_words:
        # the concepts' terms answer the whole query, `main` only a part of it
        score = np.where(main.mask, _below(score, main.mask, extra, concept_mask), score)
        score = np.where(concept_mask, extra, score).astype(np.float32)
    else:
        if concepts_first:
            only_partial = partial_mask & ~concept_mask
            extra = np.where(only_partial, _below(extra, only_partial, extra, concept_mask), extra)
        if extra_mask.any():
            if main.mask.any():
                extra = _below(extra, extra_mask, score, main.mask)
            score = np.where(main.mask, score, extra).astype(np.float32)
    scored = type(main)(main.mask | extra_mask, score)
    query = wq.Or(queries) if len(queries) > 1 else queries[0]
    return type(matches)(
        query, scored, matches.notices, kind, _snippet_terms(queries), subdivision=matches.subdivision,
        with_partial=with_partial,
    )


def _below(scores: np.ndarray, mask: np.ndarray, upper: np.ndarray, upper_mask: np.ndarray) -> np.ndarray:
    """`scores` scaled so that the best of `mask` stays under the weakest of `upper_mask`."""
    floor, top = float(upper[upper_mask].min()), float(scores[mask].max()) if mask.any() else 0.0
    if top >= floor and top > 0:
        return scores * (max(floor, 0.0) * 0.999 / top)
    return scores


def _snippet_terms(queries: list[wq.Query]) -> list[str]:
    """The words typed, then the first few terms the concepts added: enough to mark a snippet,
    few enough that cutting it stays cheap (each term's offsets are read per passage)."""
    typed = body_terms(queries[0])
    added = [t for q in queries[1:] for t in body_terms(q) if t not in typed]
    return typed + list(dict.fromkeys(added))[:MAX_SNIPPET_TERMS]


def concept_query(concept: th.Concept, profile: RankingProfile) -> wq.Query | None:
    """Every label and every jurisdiction's term of one concept, any of them."""
    words = dict.fromkeys([t.term for t in concept.terms] + concept.all_labels())
    parts = [q for t in words if (q := _label_query(t, profile)) is not None]
    return wq.Or(parts) if parts else None


WARM_SECONDS = 2.0  # CPU a server's master may spend on warm_label_postings (the corpus needs ~1.3)


def warm_label_postings(scorer, thesaurus: th.Thesaurus | None = None, budget: float = WARM_SECONDS) -> int:
    """Decode the posting lists every concept expansion reads (the lemmas of each concept's labels
    and terms, in heading and body), until `budget` CPU seconds are spent; how many terms.

    A query naming a concept reads dozens of them, so a fresh process paid most of its first
    queries' cost here (the load mix's 121 queries: 43.6 CPU ms each in a fresh process, 31.1
    after this, 24-27 the second time). The vocabulary is the thesaurus's, the same whatever is
    asked; a server does it once before forking, and its workers share the decoded lists."""
    thesaurus = thesaurus or th.default()
    deadline = time.thread_time() + budget
    texts = dict.fromkeys(
        text for c in thesaurus.concepts.values() for text in [*c.all_labels(), *(t.term for t in c.terms)]
    )
    terms = dict.fromkeys(t for text in texts for lemmas in th.label_key(text) for t in sorted(lemmas))
    done = 0
    for term in terms:
        if time.thread_time() > deadline:
            break
        for fname in ("heading", "body"):
            scorer.postings(fname, term)
        done += 1
    return done
