"""Every matching passage (not just one page), best first: rows for CSV (its columns pick the keys)."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from indexer.citation import cite
from indexer.search.results import Filters, doc_summary
from indexer.search.scoring import Matches
from indexer.search.view import IndexView


def export_rows(view: IndexView, matches: Matches, filters: Filters) -> Iterator[dict]:
    scored = matches.scored
    matched = np.flatnonzero(scored.mask)
    for docnum in matched[np.argsort(-scored.score[matched], kind="stable")].tolist():
        meta = view.docs.get(view.doc_of(docnum))
        if meta is None or not filters.accepts(meta, concepts=view.concepts.doc_concepts.get(meta.doc_id, ())):
            continue
        stored = view.searcher.stored_fields(docnum)
        label, pages = stored.get("label", ""), stored.get("pages")
        yield doc_summary(meta) | {
            "label": label,
            "pages": " ".join(str(p) for p in pages or []),
            "citation": cite(meta, label, pages),
            "score": round(float(scored.score[docnum]), 4),
            "passage_id": stored["passage_id"],
        }
