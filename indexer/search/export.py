"""Every matching passage (not just one page), best first: rows for CSV."""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from indexer.citation import cite
from indexer.search.results import Filters
from indexer.search.scoring import Matches
from indexer.search.view import IndexView


def export_rows(view: IndexView, matches: Matches, filters: Filters) -> Iterator[dict]:
    scored = matches.scored
    matched = np.flatnonzero(scored.mask)
    for docnum in matched[np.argsort(-scored.score[matched], kind="stable")].tolist():
        meta = view.docs.get(view.doc_of(docnum))
        if meta is None or not filters.accepts(meta):
            continue
        stored = view.searcher.stored_fields(docnum)
        yield {
            "doc_id": meta.doc_id,
            "title": meta.title,
            "country": meta.country,
            "doc_type": meta.doc_type,
            "language": meta.language,
            "date": meta.date,
            "label": stored.get("label", ""),
            "pages": " ".join(str(p) for p in stored.get("pages") or []),
            "citation": cite(meta, stored.get("label", ""), stored.get("pages")),
            "source": meta.source,
            "score": round(float(scored.score[docnum]), 4),
            "passage_id": stored["passage_id"],
        }
