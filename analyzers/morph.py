"""The shared pymorphy3 analyser and the per-word dictionary lookups built on it.

One MorphAnalyzer per process, created lazily: it loads ~15 MB of dictionaries, and whoosh
pickles our filters into the index, so no filter may hold one.
"""

from __future__ import annotations

import threading

import pymorphy3

_MORPH: pymorphy3.MorphAnalyzer | None = None
_LOCK = threading.Lock()


def get_morph() -> pymorphy3.MorphAnalyzer:
    """The process-wide analyser (thread-safe lazy creation)."""
    global _MORPH
    if _MORPH is None:
        with _LOCK:
            if _MORPH is None:
                _MORPH = pymorphy3.MorphAnalyzer()
    return _MORPH


def is_known_word(word: str) -> bool:
    """True when the Russian dictionary has this form (е-spelled lookups also find ё-words)."""
    return get_morph().word_is_known(word.lower().replace("ё", "е"))
