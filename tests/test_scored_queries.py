"""One query's scored answer serves its every shape (page, page 2, compare, export) until the
index changes: the same answers as computing afresh, and a new generation is never answered
from the old one."""

from __future__ import annotations

import numpy as np

from indexer.search import SearchEngine
from indexer.search.scored_queries import ScoredQueries
from indexer.writer import index_paths


class _Answer:
    def __init__(self, n: int) -> None:
        self.mask = np.zeros(n, dtype=bool)
        self.score = np.zeros(n, dtype=np.float32)


def test_computes_once_per_key_and_view():
    kept, calls, view = ScoredQueries(), [], object()
    for _ in range(3):
        kept.get(view, "v1", ("q", True), lambda: calls.append(1) or _Answer(10))
    assert len(calls) == 1
    kept.get(view, "v1", ("q", False), lambda: calls.append(1) or _Answer(10))
    assert len(calls) == 2 and len(kept) == 2


def test_a_new_view_or_version_forgets_everything():
    kept, view = ScoredQueries(), object()
    first = kept.get(view, "v1", ("q",), lambda: _Answer(10))
    assert kept.get(object(), "v1", ("q",), lambda: _Answer(10)) is not first
    assert len(kept) == 1
    second = kept.get(view, "v1", ("q",), lambda: _Answer(10))
    assert kept.get(view, "v2", ("q",), lambda: _Answer(10)) is not second


def test_bounded_by_the_bytes_of_its_arrays():
    kept, view = ScoredQueries(budget_bytes=3 * 100 * 5), object()  # an answer of 100 passages: 500 bytes
    for n in range(5):
        kept.get(view, "v", (n,), lambda: _Answer(100))
    assert len(kept) == 3  # the oldest two dropped
    calls = []
    kept.get(view, "v", (0,), lambda: calls.append(1) or _Answer(100))
    assert calls == [1]
    too_big = kept.get(view, "v", ("big",), lambda: _Answer(10_000))
    assert too_big is not None and len(kept) == 3  # answered, not kept


def _without_timing(answer: dict) -> dict:
    return {k: v for k, v in answer.items() if k != "took_ms"}


def test_every_shape_of_a_query_answers_as_a_fresh_engine_would(synthetic_index):
    warm, queries = SearchEngine(synthetic_index), ["мигрант", "трудовой договор", "права работника"]
    try:
        for q in queries:
            warm.search(q)
        assert len(warm._scored) == len(queries)
        for q in queries:
            fresh = SearchEngine(synthetic_index)
            try:
                assert _without_timing(warm.search(q, page=2, limit=3)) == _without_timing(fresh.search(q, page=2, limit=3))
                assert list(warm.export(q)) == list(fresh.export(q))
                assert warm.compare(q)["columns"] == fresh.compare(q)["columns"]
            finally:
                fresh.close()
        assert len(warm._scored) == len(queries)  # pages, exports and comparisons computed nothing new
    finally:
        warm.close()


def test_a_commit_is_searched_at_once(one_article_index, fast_refresh):
    src, index_dir = one_article_index
    engine = SearchEngine(index_dir)
    try:
        assert engine.search("депортация")["total"] == 0
        (src / "b.txt").write_text("Статья 2. Депортация трудящегося-мигранта.", encoding="utf-8")
        index_paths([src], index_dir, workers=1, progress=False)
        fast_refresh()
        assert engine.search("депортация")["total"] == 1
    finally:
        engine.close()
