"""Every matching passage (not just one page), best first: rows for CSV (its columns pick the keys)."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import numpy as np

from indexer.citation import act_citation, cite
from indexer.search.results import Filters, doc_summary, is_paged
from indexer.search.scoring import Matches
from indexer.search.view import IndexView


def _row_facts(view: IndexView) -> Callable[[int], tuple[str, str, list[int]]]:
    """docnum -> (passage_id, label, pages): from the `row_facts` column where the index has it,
    else (an index written before it existed) from the stored fields, text and all."""
    reader = view.searcher.reader()
    known = "row_facts" in reader.schema and reader.has_column("row_facts")
    column = reader.column_reader("row_facts") if known else None

    def stored(docnum: int) -> tuple[str, str, list[int]]:
        fields = view.searcher.stored_fields(docnum)
        return fields["passage_id"], fields.get("label", ""), fields.get("pages") or []

    if column is None:
        return stored
    return lambda docnum: column[docnum] or stored(docnum)


def export_rows(view: IndexView, matches: Matches, filters: Filters) -> Iterator[dict]:
    scored = matches.scored
    matched = np.flatnonzero(scored.mask)
    matched = matched[view.table.accepted(filters)[view.doc_index[matched]]]
    facts_of = _row_facts(view)
    acts: dict[str, tuple[dict, str]] = {}  # doc_id -> its summary and citation, said once per document
    for docnum in view.rank(matched, scored.score).tolist():
        doc_id = view.doc_of(docnum)
        meta = view.docs[doc_id]
        if doc_id not in acts:
            acts[doc_id] = doc_summary(meta), act_citation(meta)
        summary, act = acts[doc_id]
        passage_id, label, pages = facts_of(docnum)
        if not is_paged(meta):  # a web page or text file: no `p. 1`, no page
            label, pages = ("" if label.startswith("p. ") else label), []
        yield summary | {
            "label": label,
            "pages": " ".join(str(p) for p in pages),
            "citation": cite(meta, label, pages, act),
            "score": round(float(scored.score[docnum]), 4),
            "passage_id": passage_id,
        }
