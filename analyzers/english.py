"""English Snowball stems (PyStemmer, C: ~2M words/s), so `migrants` meets `migrant`.

British and American spellings of -our words meet too (`labour` ↔ `labor`, `favourable` ↔
`favorable`): UN and ILO texts write `labour`, US and many NGO texts `labor`. Only stems of six
letters or more are folded, so `four`, `hour`, `your`, `tour` stay apart from `for`, `hor`.
"""

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
    stem = _STEMMER.stemWord(word)
    if len(stem) >= 6 and stem.endswith("our"):
        stem = stem[:-3] + "or"
    return stem
