"""The numpy scorer must agree with whoosh's own BM25F: same matches, same scores, same order."""

from __future__ import annotations

import numpy as np
import pytest
from whoosh.scoring import BM25F

from indexer.search.scoring import Scorer

SCORED_ALIKE = [
    "патент иностранного гражданина",
    "трудовой договор",
    "работодатель OR работник",
    "мигрант NOT беженец",
    "=иностранного гражданина",
    "title:кодекс heading:работник",
    "migrant workers",
    "труд*",
]
# Scored differently on purpose, matched alike: phrases score by their words (whoosh counts
# phrase occurrences), and the article-lookup clause keeps its boost (whoosh drops the boost of
# a one-clause And), which is what puts the provision first.
MATCHED_ALIKE = ['"трудового договора"', '"иностранный гражданин патент"~5', "статья 13.3", "115-ФЗ ст. 13.3"]


def _both(full_engine, q):
    searcher = full_engine.view().searcher
    assert isinstance(searcher.weighting, BM25F)
    query = full_engine.plan(q).query
    ours = Scorer(searcher).evaluate(query)
    theirs = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
    return ours, theirs


@pytest.mark.parametrize("q", SCORED_ALIKE + MATCHED_ALIKE)
def test_numpy_matches_what_whoosh_matches(full_engine, q):
    ours, theirs = _both(full_engine, q)
    assert theirs, f"{q!r} should match something in the sample"
    assert set(np.flatnonzero(ours.mask).tolist()) == set(theirs), q


@pytest.mark.parametrize("q", SCORED_ALIKE)
def test_numpy_scores_are_whooshs_bm25f(full_engine, q):
    ours, theirs = _both(full_engine, q)
    for docnum, score in theirs.items():
        assert ours.score[docnum] == pytest.approx(score, rel=1e-3, abs=1e-4), (q, docnum)


def test_deleted_passages_never_match(tmp_path, synthetic):
    """A re-indexed file leaves deleted passages in old segments: they must not come back."""
    import shutil

    from indexer.search import SearchEngine
    from indexer.writer import index_paths

    src = tmp_path / "c"
    shutil.copytree(synthetic.folder, src)
    ix = tmp_path / "ix"
    index_paths([src], ix, workers=1, progress=False)
    target = next(d for d in synthetic.documents if d.language == "en")
    path = src / target.relpath
    assert "permit" in path.read_text(encoding="utf-8")
    path.write_text(path.read_text(encoding="utf-8").replace("permit", "zermit"), encoding="utf-8")
    index_paths([src], ix, workers=1, progress=False)
    engine = SearchEngine(ix)
    try:
        assert all(r["doc_id"] != target.doc_id for r in engine.search("=permit")["results"])
        assert [r["doc_id"] for r in engine.search("=zermit")["results"]] == [target.doc_id]
    finally:
        engine.close()
