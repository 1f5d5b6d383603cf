"""Property-based fuzzing of the query language: any text in, an answer or a QueryError out.

Never another exception (the web turns anything else into a 500). Runs the real engine over the
small synthetic index, with random filters, page, size and sort; the example count stays modest
so the unit tier stays fast.
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indexer.search import Filters, QueryError
from indexer.settings import SORTS

# derandomize: the same examples on every run, so CI is reproducible (turn it off to explore)
FUZZ = settings(
    max_examples=150, deadline=None, derandomize=True,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)  # fmt: skip
WORDS = ["мигрант", "патент", "migrant", "worker", "ст.", "статья", "13.3", "115-ФЗ", "УК", "РФ", "ч.", "1",
         "OR", "AND", "NOT", "ИЛИ", "или", "the", "heading:", "title:", "=", "*", "~5", "мигра*", "берене"]  # fmt: skip
SYNTAX = list('()"-~*:=^\\/[]{}<>!?&|+') + [" ", "  ", "\t", "\n", "\x00", "ё", "𝔘", "\u200b"]
QUERIES = st.lists(st.sampled_from(WORDS + SYNTAX), max_size=30).map("".join) | st.text(max_size=120)


@FUZZ
@given(
    q=QUERIES,
    country=st.lists(st.sampled_from(["ru", "kg", "kz", "int", "xx", ""]), max_size=2),
    page=st.integers(1, 5),
    limit=st.integers(1, 30),
    sort=st.sampled_from(SORTS),
    concepts=st.booleans(),
)
def test_any_query_is_answered_or_refused_with_a_reason(synthetic_engine, q, country, page, limit, sort, concepts):
    try:
        res = synthetic_engine.search(
            q, filters=Filters(country=country), page=page, limit=limit, sort=sort, concepts=concepts
        )
    except QueryError as err:
        assert err.code and err.message
        return
    assert res["total"] >= len(res["results"]) and res["page"] == page


@FUZZ
@given(q=QUERIES)
def test_compare_and_export_take_the_same_queries(synthetic_engine, q):
    try:
        synthetic_engine.compare(q)
        rows = list(synthetic_engine.export(q))
    except QueryError:
        return
    assert all(row["doc_id"] for row in rows)
