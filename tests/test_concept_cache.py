"""The documents' concepts cached beside the index: the same as building them, rebuilt when stale."""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from indexer.search import SearchEngine
from indexer.search.concept_cache import CACHE_FILE
from indexer.search.concepts import ConceptIndex


@pytest.fixture
def index_copy(tmp_path, synthetic_index):
    """A copy of the session's index, so writing the cache leaves the shared one untouched."""
    return shutil.copytree(synthetic_index, tmp_path / "ix")


def _concepts(index_dir):
    engine = SearchEngine(index_dir)
    try:
        view = engine.view()
        return view.concepts, ConceptIndex.build(view.scorer, view.doc_index, view.names)
    finally:
        engine.close()


def _same(a: ConceptIndex, b: ConceptIndex) -> None:
    assert a.doc_concepts == b.doc_concepts and a.passages == b.passages
    assert np.array_equal(a.share, b.share) and np.array_equal(a.about_persons, b.about_persons)


def test_cached_concepts_equal_built_ones(index_copy):
    first, built = _concepts(index_copy)
    assert (index_copy / CACHE_FILE).exists()
    assert built.passages, "the synthetic corpus names some concepts"
    _same(first, built)
    again, built = _concepts(index_copy)
    _same(again, built)


def test_stale_or_broken_cache_is_rebuilt(index_copy):
    _concepts(index_copy)
    (index_copy / CACHE_FILE).write_bytes(b"not a cache")
    concepts, built = _concepts(index_copy)
    _same(concepts, built)
    assert (index_copy / CACHE_FILE).read_bytes() != b"not a cache"


def test_new_generation_is_not_served_the_old_cache(index_copy, synthetic):
    from indexer.writer import index_paths

    _concepts(index_copy)
    extra = index_copy.parent / "extra"
    extra.mkdir()
    (extra / "more.txt").write_text(
        "Статья 1. Трудящийся-мигрант\nТрудящийся-мигрант получает патент.\n" * 3, encoding="utf-8"
    )
    index_paths([synthetic.folder, extra], index_copy, workers=1, progress=False)
    concepts, built = _concepts(index_copy)
    _same(concepts, built)
    assert len(concepts.about_persons) == len(built.about_persons)


def test_warming_an_engine_caches_its_concepts(index_copy):
    """What `migrantlex serve` does before forking: workers then read the concepts from disk."""
    engine = SearchEngine(index_copy)
    try:
        engine.warm()
    finally:
        engine.close()
    assert (index_copy / CACHE_FILE).exists()


def test_cache_keeps_the_labels_lemmas_as_analysed(index_copy):
    import json

    from indexer import thesaurus as th

    _concepts(index_copy)
    with np.load(index_copy / CACHE_FILE, allow_pickle=False) as data:
        kept = json.loads(data["facts"].tobytes().decode("utf-8"))["label_keys"]  # facts: the JSON as UTF-8 bytes
    labels = th.label_texts(th.default())
    assert set(kept) == set(labels)
    for label in labels[:200]:
        assert tuple(frozenset(lemmas) for lemmas in kept[label]) == th.text_key(label)


def test_a_cache_of_another_generation_still_gives_the_labels_lemmas(index_copy):
    """The labels' keys depend on the thesaurus and the analysis, not on the index's generation:
    a new generation's first process takes them from the old cache (not a CPU second of morphology)."""
    from indexer import thesaurus as th
    from indexer.search import concept_cache

    _concepts(index_copy)  # the cache of this generation
    path, later = index_copy / CACHE_FILE, "a-later-generation"
    key = concept_cache.cache_key(later)
    th._LABEL_KEYS.clear()  # as in a new process
    assert concept_cache._load(path, "x|other thesaurus", "|other thesaurus", np.zeros(0), 0, 0) is None
    assert not th._LABEL_KEYS, "another thesaurus's keys are not taken"
    assert concept_cache._load(path, key, key[len(later) :], np.zeros(0), 0, 0) is None  # stale: rebuilt
    labels = th.label_texts(th.default())
    assert set(labels) <= set(th._LABEL_KEYS)
    assert all(th._LABEL_KEYS[label] == th.text_key(label) for label in labels[:200])
