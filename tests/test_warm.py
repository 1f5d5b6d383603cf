"""What a server pays before it forks: the posting lists every concept expansion reads are
decoded once (shared by the workers), within a CPU budget."""

from __future__ import annotations

from indexer import thesaurus as th
from indexer.search import SearchEngine
from indexer.search.concepts import warm_label_postings


def _label_lemmas() -> set[str]:
    concepts = th.default().concepts.values()
    texts = {text for c in concepts for text in [*c.all_labels(), *(t.term for t in c.terms)]}
    return {t for text in texts for lemmas in th.label_key(text) for t in lemmas}


def test_every_label_lemma_is_decoded_once(synthetic_index):
    engine = SearchEngine(synthetic_index)
    try:
        scorer = engine.view().scorer
        assert warm_label_postings(scorer, budget=60) == len(_label_lemmas())
        decoded = engine._store.size
        assert decoded > 0  # the synthetic laws name migrant workers, permits, contracts
        warm_label_postings(scorer, budget=60)
        assert engine._store.size == decoded  # kept: the second time reads nothing
    finally:
        engine.close()


def test_the_budget_stops_it(synthetic_index):
    engine = SearchEngine(synthetic_index)
    try:
        assert warm_label_postings(engine.view().scorer, budget=0) == 0
    finally:
        engine.close()
