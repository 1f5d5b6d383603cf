"""The whoosh schema: one index document per passage, carrying its document's facets.

Text fields share one analyzer (lemmas + `=exact` forms at each position, see analyzers/).
Body and heading store character offsets (`chars=True`) so snippets are cut from stored
offsets instead of re-analysing text; positions and offsets are packed arrays (postings.py).
Facet fields are sortable columns so grouping and facet counting read a column, not stored
documents.
"""

from __future__ import annotations

from whoosh import columns, fields

from analyzers import text_analyzer
from indexer.postings import CompactCharacters, CompactPositions

TEXT_FIELDS = ("title", "heading", "body")


def _text(analyzer, *, chars: bool = False, stored: bool = False) -> fields.TEXT:
    """A text field whose postings keep positions (and character offsets) packed: postings.py."""
    field = fields.TEXT(analyzer=analyzer, phrase=True, chars=chars, stored=stored)
    field.format = (CompactCharacters if chars else CompactPositions)(field_boost=field.format.field_boost)
    return field


def build_schema() -> fields.Schema:
    analyzer = text_analyzer()
    return fields.Schema(
        # "<doc_id>/<ordinal>": looked up by those two (documents.passage_number), so no term of
        # its own (one per passage: 8 MiB of the term table at 100k one-passage documents)
        passage_id=fields.STORED(),
        doc_id=fields.ID(stored=True, sortable=True),
        ordinal=fields.NUMERIC(stored=True, sortable=True),
        title=_text(analyzer),
        heading=_text(analyzer, chars=True, stored=True),
        body=_text(analyzer, chars=True, stored=True),
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
        # the ids of the entities the passage names ("org:iom place:bishkek"): the passages
        # naming one entity are one posting list (indexer/passage_entities.py)
        entities=fields.KEYWORD(lowercase=False, scorable=False),
    )
