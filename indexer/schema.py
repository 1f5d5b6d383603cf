"""The whoosh schema: one index document per passage, carrying its document's facets.

Text fields share one analyzer (lemmas + `=exact` forms at each position, see analyzers/).
Body and heading store character offsets (`chars=True`) so snippets are cut from stored
offsets instead of re-analysing text. Facet fields are sortable columns so grouping and
facet counting read a column, not stored documents.
"""

from __future__ import annotations

from whoosh import columns, fields

from analyzers import text_analyzer

TEXT_FIELDS = ("title", "heading", "body")


def build_schema() -> fields.Schema:
    analyzer = text_analyzer()
    return fields.Schema(
        passage_id=fields.ID(stored=True, unique=True),
        doc_id=fields.ID(stored=True, sortable=True),
        ordinal=fields.NUMERIC(stored=True, sortable=True),
        title=fields.TEXT(analyzer=analyzer, phrase=True),
        heading=fields.TEXT(analyzer=analyzer, stored=True, chars=True),
        body=fields.TEXT(analyzer=analyzer, stored=True, chars=True),
        label=fields.STORED(),
        path=fields.STORED(),
        pages=fields.STORED(),
        kind=fields.ID(stored=True),
        number=fields.ID(stored=True),  # provision number, "13.3"
        act_number=fields.ID(),  # the act's number, lowercased: "115-фз"
        country=fields.ID(stored=True, sortable=True),
        doc_type=fields.ID(stored=True, sortable=True),
        language=fields.ID(stored=True, sortable=True),  # the document's language
        passage_language=fields.ID(stored=True),
        year=fields.NUMERIC(stored=True, sortable=True, signed=False),
        date=fields.ID(stored=True, sortable=True),
        # (passage_id, label, pages) as a column: an export of thousands of passages reads
        # these without decompressing each passage's stored text
        row_facts=fields.COLUMN(columns.PickleColumn(columns.VarBytesColumn())),
    )
