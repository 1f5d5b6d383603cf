"""Text analysis for migrantlex, with no knowledge of files or the web.

Public API (used by the extractors, the indexer and the query side):
- `text_analyzer()`: the whoosh analyzer of all text fields (lemmas + `=exact` forms);
- `EXACT_PREFIX`, `exact_term(word)`, `is_stopword(term)`, `lemma_cache_info()`;
- `detect_language(text)`, `token_language(token)`;
- `normalize_text(text)`, `strip_repeated_lines(pages)`.
"""

from analyzers.language import detect_language, token_language
from analyzers.normalize import normalize_text, strip_repeated_lines
from analyzers.stopwords import is_stopword
from analyzers.terms import EXACT_PREFIX, exact_term, lemma_cache_info, token_plan
from analyzers.whoosh_analysis import LegalTokenizer, MorphFilter, text_analyzer

# Bump when analysis changes what the index holds for a text (new terms, other lemmas): an index
# built by another version is re-indexed in full by the next `migrantlex index`.
# 2: glued words split (analyzers/glued.py), Latin accents folded.
ANALYSIS_VERSION = 2

__all__ = [
    "ANALYSIS_VERSION",
    "EXACT_PREFIX",
    "LegalTokenizer",
    "MorphFilter",
    "detect_language",
    "exact_term",
    "is_stopword",
    "lemma_cache_info",
    "normalize_text",
    "strip_repeated_lines",
    "text_analyzer",
    "token_language",
    "token_plan",
]
