"""Unit tier (no corpus): the numpy scorer against whoosh's own BM25F on a small generated index,
the ranking profile as the one place ranking is tuned, and the whoosh version check."""

from __future__ import annotations

import re
import shutil
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh.scoring import BM25F

from indexer.search import DEFAULT_PROFILE, RankingProfile, SearchEngine
from indexer.search.plan import build_plan
from indexer.search.scoring import Scorer
from indexer.search.whoosh_access import PINNED_WHOOSH, WhooshVersionError, check_whoosh_version

SCORED_ALIKE = [
    "квота",  # one word, all fields
    "трудовой мигрант",  # And
    "патент OR депортация",  # Or
    "мигрант NOT беженец",  # AndNot
    "мигрант -квота патент",
    "=патентом",  # exact form
    "=патентом работодатель",
    "title:закон heading:патент",  # scopes
    "патен*",  # prefix
    "(патент OR квота) работодатель",
]
# Matched alike, scored on purpose by their words (whoosh counts phrase occurrences), and the
# article lookup keeps its boost (whoosh drops the boost of a one-clause And).
MATCHED_ALIKE = ['"трудовой мигрант"', '"патент работодатель"~5', 'heading:"трудовой договор"', "статья 3 квота"]
TUNED = replace(DEFAULT_PROFILE, b=0.3, k1=2.0, field_boosts={"title": 3.0, "heading": 0.5, "body": 1.0})


@pytest.fixture(scope="module")
def index_dir(generated_index) -> Path:
    return generated_index


@pytest.fixture(scope="module")
def reindexed(tmp_path_factory, index_dir) -> Path:
    """The index with one document deleted and passages added in a second segment, unmerged:
    what an index looks like between a writer's commit and its next merge."""
    from indexer.models import DocMeta, Passage
    from indexer.writer import passage_fields

    copy = tmp_path_factory.mktemp("reindexed") / "ix"
    shutil.copytree(index_dir, copy)
    ix = whoosh_index.open_dir(str(copy))
    writer = ix.writer()
    writer.delete_by_term("doc_id", sorted(ix.reader().field_terms("doc_id"))[0])
    meta = DocMeta(doc_id="added", path="", relpath="", title="Закон о патентах")
    for i, body in enumerate(["Патент выдается трудовому мигранту.", "Патент патентом патента квота.", "Квота."]):
        passage = Passage(label=f"Статья {i + 1}", text=body, pages=[1], heading="Патент", kind="article")
        writer.add_document(**passage_fields(meta, passage, i))
    writer.commit(merge=False)
    ix.close()
    return copy


def _ours_and_whooshs(index_dir: Path, q: str, profile: RankingProfile):
    ix = whoosh_index.open_dir(str(index_dir))
    with ix.searcher(weighting=BM25F(B=profile.b, K1=profile.k1)) as searcher:
        query = build_plan(q, searcher.reader(), profile).query
        ours = Scorer(searcher, profile=profile).evaluate(query)
        theirs = {hit.docnum: hit.score for hit in searcher.search(query, limit=None)}
    ix.close()
    return ours, theirs


@pytest.mark.parametrize("profile", [DEFAULT_PROFILE, TUNED], ids=["default", "tuned"])
@pytest.mark.parametrize("q", SCORED_ALIKE)
def test_numpy_scores_are_whooshs_bm25f(index_dir, q, profile):
    ours, theirs = _ours_and_whooshs(index_dir, q, profile)
    assert theirs, f"{q!r} should match some generated passage"
    assert set(np.flatnonzero(ours.mask).tolist()) == set(theirs), q
    for docnum, score in theirs.items():
        assert ours.score[docnum] == pytest.approx(score, rel=1e-4, abs=1e-5), (q, docnum)


@pytest.mark.parametrize("q", MATCHED_ALIKE)
def test_numpy_matches_what_whoosh_matches(index_dir, q):
    ours, theirs = _ours_and_whooshs(index_dir, q, DEFAULT_PROFILE)
    assert theirs, f"{q!r} should match some generated passage"
    assert set(np.flatnonzero(ours.mask).tolist()) == set(theirs), q


@pytest.mark.parametrize("q", ["патент", "трудовой мигрант", "патент OR депортация", "=патентом"])
def test_contract_holds_across_segments_and_deletions(reindexed, q):
    ix = whoosh_index.open_dir(str(reindexed))
    with ix.searcher() as searcher:
        assert len(searcher.leaf_searchers()) == 2 and searcher.doc_count() < searcher.doc_count_all()
    ix.close()
    ours, theirs = _ours_and_whooshs(reindexed, q, DEFAULT_PROFILE)
    assert set(np.flatnonzero(ours.mask).tolist()) == set(theirs)
    for docnum, score in theirs.items():
        assert ours.score[docnum] == pytest.approx(score, rel=1e-4, abs=1e-5)


def test_the_profile_is_where_ranking_is_tuned(index_dir):
    """Lowering the heading boost moves passages headed `Патент` down for `патент`."""
    def order(profile: RankingProfile) -> list[int]:
        ours, _ = _ours_and_whooshs(index_dir, "патент", profile)
        matched = np.flatnonzero(ours.mask)
        return matched[np.argsort(-ours.score[matched], kind="stable")].tolist()

    flat = replace(DEFAULT_PROFILE, field_boosts={"title": 1.0, "heading": 0.0, "body": 1.0})
    assert order(DEFAULT_PROFILE) != order(flat)
    ix = whoosh_index.open_dir(str(index_dir))
    with ix.searcher() as searcher:
        top = searcher.stored_fields(order(DEFAULT_PROFILE)[0])
    ix.close()
    assert "Патент" in top["heading"]


def test_the_exact_bonus_and_passages_per_document_come_from_the_profile(index_dir):
    def results(profile: RankingProfile, q: str) -> list[dict]:
        engine = SearchEngine(index_dir, profile=profile)
        try:
            return engine.search(q, limit=10)["results"]
        finally:
            engine.close()

    assert max(len(doc["passages"]) for doc in results(DEFAULT_PROFILE, "патент")) > 1
    assert max(len(doc["passages"]) for doc in results(replace(DEFAULT_PROFILE, passages_per_doc=1), "патент")) == 1

    def passages(profile: RankingProfile) -> list[str]:
        return [p["passage_id"] for doc in results(profile, "патентом") for p in doc["passages"]]

    assert passages(replace(DEFAULT_PROFILE, exact_bonus=0.0)) != passages(replace(DEFAULT_PROFILE, exact_bonus=10.0))


def test_lookup_boost_puts_the_named_provision_first(index_dir):
    engine = SearchEngine(index_dir)
    try:
        first = engine.search("статья 4 патент")["results"][0]["passages"][0]
        assert first["label"] == "Статья 4"
    finally:
        engine.close()


def test_the_installed_whoosh_is_the_pinned_one():
    check_whoosh_version()  # the engine runs this at start


@pytest.mark.parametrize("version", ["2.7.4", "2.7.6", "3.0.0", ""])
def test_another_whoosh_version_is_refused_with_a_clear_error(version):
    with pytest.raises(WhooshVersionError) as err:
        check_whoosh_version(version)
    assert PINNED_WHOOSH in str(err.value)
    assert f"pip install whoosh-reloaded=={PINNED_WHOOSH}" in str(err.value)


WHOOSH_PRIVATE = re.compile(
    r"\._(?:segment|ids|weights|goto|i|perdoc|cached_reader|read_ids|read_weights|maxid|nextoffset|next_block|baseoffset)\b"
    r"|LENGTHS_COLUMN|W3LeafMatcher"
)


def test_whoosh_internals_are_used_in_two_modules_only():
    """Reading (whoosh_access) and writing (codec) posting blocks: both written for the pinned whoosh."""
    root = Path(__file__).resolve().parents[1]
    readers = {
        path.relative_to(root).as_posix()
        for package in ("indexer", "analyzers", "search_web")
        for path in (root / package).rglob("*.py")
        if WHOOSH_PRIVATE.search(path.read_text(encoding="utf-8"))
    }
    assert readers == {"indexer/search/whoosh_access.py", "indexer/codec.py"}
