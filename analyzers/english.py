"""English Snowball stems (PyStemmer, C: ~2M words/s), so `migrants` meets `migrant`."""

from __future__ import annotations

import threading

import Stemmer

_STEMMER = None
_LOCK = threading.Lock()


def english_stem(word: str) -> str:
    """The Snowball (Porter2) stem of a lowercase English word."""
    global _STEMMER
    if _STEMMER is None:
        with _LOCK:
            if _STEMMER is None:
                _STEMMER = Stemmer.Stemmer("english")
    return _STEMMER.stemWord(word)
