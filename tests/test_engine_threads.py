"""One engine shared by a threaded server's threads answers exactly as it does alone."""

from __future__ import annotations

import sys
import threading

from indexer.search import SearchEngine
from tests.generated_index import HEADINGS, PHRASES


def answers(engine: SearchEngine, queries: list[str]) -> list[tuple]:
    out = []
    for q in queries:
        res = engine.search(q, limit=5)
        out.append(
            (
                q,
                res["total"],
                [(r["doc_id"], [p["snippet"] for p in r["passages"]]) for r in res["results"]],
            )
        )
        for r in res["results"][:2]:
            doc = engine.document(r["doc_id"], q=q)
            out.append((r["doc_id"], [p.get("text") for p in doc["passages"]]))
    return out


def test_threads_sharing_an_engine_get_the_answers_it_gives_alone(generated_index):
    """whoosh reads through shared file objects; unguarded, 4 threads decoded garbage (zlib errors)."""
    queries = PHRASES[::5] + HEADINGS[::4]
    engine = SearchEngine(generated_index)
    try:
        alone = answers(engine, queries)
        interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)  # switch threads as often as possible: races show up
        results: dict[int, list] = {}
        errors: list[BaseException] = []

        def run(i: int) -> None:
            try:
                results[i] = answers(engine, queries)
            except BaseException as exc:  # reported by the assertion below
                errors.append(exc)

        threads = [threading.Thread(target=run, args=(i,)) for i in range(4)]
        try:
            for t in threads:
                t.start()
            for t in threads:
                t.join()
        finally:
            sys.setswitchinterval(interval)
        assert not errors, errors[:1]
        assert all(results[i] == alone for i in range(4))
    finally:
        engine.close()
