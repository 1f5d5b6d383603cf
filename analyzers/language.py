"""Which language a text or a single token is in: ru, en, ky, kk, tg, or '' when unsure.

Letters decide first: Kazakh has ә ғ қ ұ һ і, Tajik ҳ ҷ ӣ ӯ, Kyrgyz ң ө ү without those.
Plain Cyrillic is Russian unless the token is unknown to the Russian dictionary and ends
like a Kyrgyz inflection (`мигранттардын`), see `analyzers.kyrgyz.looks_kyrgyz`.
"""

from __future__ import annotations

import re
from collections import Counter

from analyzers.cyrillic import KAZAKH_ONLY, KAZAKH_TAJIK, KYRGYZ_MARKS, TAJIK_ONLY, is_cyrillic
from analyzers.kyrgyz import looks_kyrgyz
from analyzers.morph import is_known_word

SAMPLE_CHARS = 6000  # per slice; long texts are read in three slices (start, middle, end)
MARK_SHARE = 0.004  # share of Cyrillic letters that must be language marks (real text: 2-6 %)
ENGLISH_SHARE = 0.08  # share of Latin words that must be common English function words

_WORD_RE = re.compile(r"[^\W\d_]+")
# Common English words that are not also French/Dutch/German words (no "a", "on", "in").
_ENGLISH_COMMON = frozenset(
    {"the", "of", "and", "to", "is", "are", "be", "for", "by", "with", "that", "this", "or"}
    | {"shall", "any", "which", "not", "it", "its", "from", "at", "has", "have", "such"}
    | {"each", "may", "all", "other", "who", "their", "these", "those", "was", "were"}
)


def _sample(text: str) -> str:
    if len(text) <= 3 * SAMPLE_CHARS:
        return text
    mid = len(text) // 2 - SAMPLE_CHARS // 2
    return text[:SAMPLE_CHARS] + " " + text[mid : mid + SAMPLE_CHARS] + " " + text[-SAMPLE_CHARS:]


def detect_language(text: str) -> str:
    """The main language of `text` ('ru', 'en', 'ky', 'kk', 'tg'), '' when there is no clear answer.

    Reads at most ~18k characters, so it is cheap on whole documents.
    """
    if not text:
        return ""
    sample = _sample(text)
    cyr = lat = kk = kt = tg = ky = 0
    for ch, n in Counter(sample).items():  # counted in C, then each distinct letter once
        if not ch.isalpha():
            continue
        if is_cyrillic(ch):
            cyr += n
            if ch in KYRGYZ_MARKS:
                ky += n
            elif ch in KAZAKH_ONLY:
                kk += n
            elif ch in TAJIK_ONLY:
                tg += n
            elif ch in KAZAKH_TAJIK:
                kt += n
        elif ch.isascii():
            lat += n
    if cyr == 0 and lat == 0:
        return ""
    if lat > cyr:
        return _latin_language(sample)
    if tg > MARK_SHARE * cyr:
        return "tg"
    if kk + kt > MARK_SHARE * cyr:
        return "kk"
    if ky > MARK_SHARE * cyr:
        return "ky"
    if cyr < 400:  # short texts may be Kyrgyz without a single ң ө ү: ask the token test
        words = [w for w in _WORD_RE.findall(sample) if is_cyrillic(w[0])]
        kyrgyz = sum(1 for w in words if token_language(w) == "ky")
        if words and kyrgyz >= 0.3 * len(words):
            return "ky"
    return "ru"


def _latin_language(sample: str) -> str:
    words = [w.lower() for w in _WORD_RE.findall(sample) if w.isascii()]
    if not words:
        return ""
    common = sum(1 for w in words if w in _ENGLISH_COMMON)
    return "en" if common >= ENGLISH_SHARE * len(words) else ""


def token_language(token: str) -> str:
    """The language of one word: 'ky', 'kk', 'tg', 'ru', 'en', or '' (numbers, other scripts)."""
    letters = [ch for ch in token if ch.isalpha()]
    if not letters:
        return ""
    chars = set(letters)
    if chars & TAJIK_ONLY:
        return "tg"
    if chars & (KAZAKH_ONLY | KAZAKH_TAJIK):
        return "kk"
    if chars & KYRGYZ_MARKS:
        return "ky"
    if any(is_cyrillic(ch) for ch in letters):
        word = token.lower()
        if not is_known_word(word) and looks_kyrgyz(word):
            return "ky"
        return "ru"
    if all(ch.isascii() for ch in letters):
        return "en"
    return ""
