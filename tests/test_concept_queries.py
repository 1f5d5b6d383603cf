"""Issue 10's development set on the whole corpus: cross-language, concept and paraphrase queries
must show an answering provision in the first ten results.

Most fail today (the engine matches words): those are strict xfails, so the day a query starts
passing its line in tests/data/concept_queries.tsv must lose its "known gap". The figures per
kind are printed by benchmarks/bench_concepts.py.
"""

from __future__ import annotations

import pytest

from analyzers import detect_language
from tests.concept_queries import KINDS, Case, hits, load_cases, ndcg, recall

CASES = load_cases()


def test_the_set_is_big_enough_and_spans_kinds_and_languages():
    assert len(CASES) >= 40
    by_kind = {kind: [c for c in CASES if c.kind == kind] for kind in KINDS}
    assert {c.kind for c in CASES} == set(KINDS)
    assert len(by_kind["cross-language"]) >= 25 and len(by_kind["concept"]) >= 5
    cross = by_kind["cross-language"]
    assert sum(c.query.isascii() for c in cross) >= 10, "English queries for Russian, Kyrgyz, Kazakh acts"
    assert sum(not c.query.isascii() for c in cross) >= 10, "Russian, Kyrgyz, Kazakh queries for conventions"
    assert any(ch in "өүң" for c in cross for ch in c.query), "a Kyrgyz query"
    assert any(ch in "әіғқұ" for c in cross for ch in c.query), "a Kazakh query"
    for c in cross:  # only other-language answers count: English conventions, Russian-language acts
        russian = detect_language(c.query) == "ru"
        for doc, _ in c.answers:
            assert not (c.query.isascii() and doc.startswith("int-")), c.query
            assert not (russian and not doc.startswith("int-")), c.query


def test_every_expected_document_and_provision_exists(full_engine):
    """Guards the expectations themselves: a typo in the TSV must not pass as a ranking failure."""
    for case in CASES:
        for doc_id, labels in case.documents.items():
            document = full_engine.document(doc_id)
            assert document, f"{case.query!r}: no document {doc_id}"
            have = {p["label"] for p in document["passages"]}
            assert labels <= have, f"{case.query!r}: {doc_id} has no {sorted(labels - have)}"


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=c.gap)) if c.gap else c for c in CASES],
    ids=[f"{i:02d}-{c.kind}" for i, c in enumerate(CASES, 1)],
)
def test_the_query_finds_an_answering_provision(full_engine, case):
    results = full_engine.search(case.query, limit=10)["results"]
    shown = "; ".join(f"{r['doc_id']} [{', '.join(p['label'] for p in r['passages'])}]" for r in results)
    assert any(hits(case, results)), f"{case.query!r}: expected one of {case.answers}; got {shown}"


def test_scoring_counts_a_document_only_when_it_shows_an_answering_provision():
    case = Case("q", "concept", (("a", "Статья 1"), ("a", "Статья 2"), ("b", "Article 3")), "why")
    result = lambda doc, *labels: {"doc_id": doc, "passages": [{"label": label} for label in labels]}  # noqa: E731
    perfect = [result("b", "Article 3"), result("a", "Статья 9", "Статья 2")]
    assert hits(case, perfect) == [True, True] and ndcg(case, perfect) == 1.0 and recall(case, perfect) == 1.0
    wrong_provision = [result("x", "Статья 1"), result("a", "Статья 9"), result("b", "Article 3")]
    assert hits(case, wrong_provision) == [False, False, True]
    assert recall(case, wrong_provision) == 0.5
    assert 0 < ndcg(case, wrong_provision) < ndcg(case, [result("b", "Article 3")]) < 1
    assert ndcg(case, []) == recall(case, []) == 0.0
