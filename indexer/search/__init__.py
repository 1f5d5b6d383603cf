"""The read side: queries in, plain data out (the CLI and the web only render it).

The flow, one module per step:

    plan.py       parse once (parser.py), find the article named (indexer/references.py),
                  build whoosh queries (builder.py) and the partial-match fallback
    scoring.py    BM25F with numpy over whole posting lists (read by whoosh_access.py,
                  the only reader of whoosh internals); ranking.py holds every knob
    results.py    filter, facet, group passages into documents, page; snippets.py cuts snippets
    engine.py     the facade: search, document, compare, export, suggest, stats
    documents.py, suggestions.py, compare.py, export.py: the other answers
    notices.py    errors and notices as codes, with their English wording
"""

from indexer.search.engine import SearchEngine
from indexer.search.notices import QueryError
from indexer.search.ranking import DEFAULT_PROFILE, RankingProfile
from indexer.search.results import Filters

__all__ = ["DEFAULT_PROFILE", "Filters", "QueryError", "RankingProfile", "SearchEngine"]
