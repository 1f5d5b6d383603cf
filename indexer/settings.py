"""Limits and defaults that more than one face (CLI, web, engine) must agree on: the one copy."""

from __future__ import annotations

import os
from pathlib import Path

from analyzers import ANALYSIS_VERSION

INDEX_DIR_ENV = "MIGRANTLEX_INDEX_DIR"
DEFAULT_INDEX_DIR = "var/index"

MAX_QUERY_CHARS = 500  # longer queries are refused with a message, never truncated silently
DEFAULT_LIMIT = 10  # documents per page of results
FEW_DOCUMENTS = DEFAULT_LIMIT  # fewer documents with all the words: partial matches follow (whatever the page)
MAX_LIMIT = 100
MAX_PAGE = 1000
SORTS = ("relevance", "date")
REFRESH_SECONDS = 1.0

# What an index was built by. A run that finds another format re-indexes every file: bump
# STRUCTURE_VERSION when passages are cut differently, analyzers.ANALYSIS_VERSION when terms change.
STRUCTURE_VERSION = 6  # 3: entities per passage and per document; 4: short titles from a text's first line; 5: no passage_id terms; 6: a code named in Kyrgyz is Kyrgyzstan's (entity ids)
INDEX_FORMAT = ANALYSIS_VERSION * 1000 + STRUCTURE_VERSION  # how often a serving process checks whether a writer has committed


def default_index_dir() -> Path:
    """$MIGRANTLEX_INDEX_DIR, else ./var/index."""
    return Path(os.environ.get(INDEX_DIR_ENV) or DEFAULT_INDEX_DIR)
