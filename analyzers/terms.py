"""What the index holds for one token: its lemma(s) or stem, and its `=exact` form.

This is the analysis proper, independent of whoosh. Each distinct token string is analysed
once per process (`token_plan` is LRU-cached: word frequencies are Zipfian, so a large
share of the ~4M corpus tokens are cache hits).
"""

from __future__ import annotations

import unicodedata
from functools import lru_cache

from analyzers.cyrillic import KAZAKH_ONLY, KAZAKH_TAJIK, KYRGYZ_MARKS, TAJIK_ONLY, is_cyrillic
from analyzers.english import english_stem
from analyzers.glued import split_glued
from analyzers.kyrgyz import SURE, UNSURE, kyrgyz_evidence, kyrgyz_stem
from analyzers.legal import ABBREVIATIONS, canonical_label, decimal_superscripts, is_label
from analyzers.morph import is_known_word
from analyzers.russian import fold_yo, russian_lemmas

EXACT_PREFIX = "="
CACHE_SIZE = 200_000
MAX_TOKEN_CHARS = 64  # longer "words" are OCR/encoding debris: kept as written, truncated
HYPHENS = "-\u2010\u2011"

# Latin letters that look Cyrillic, as typed into Russian words by OCR and copy-paste.
_HOMOGLYPHS = str.maketrans("aceopxykmthb", "асеорхукмтнв")
_OTHER_CYRILLIC = frozenset(KAZAKH_ONLY | KAZAKH_TAJIK | TAJIK_ONLY)
# One span of a token: (position offset, start char, end char, terms at that position).
Span = tuple[int, int, int, tuple[str, ...]]


def _is_latin(ch: str) -> bool:
    return ch.isascii() or "\u00c0" <= ch <= "\u024f"


def strip_accents(word: str) -> str:
    """`régime` → `regime`: Latin words meet whether or not they were typed with their accents
    (the `=exact` form keeps them, so the spelling typed still ranks first)."""
    if word.isascii():
        return word
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def clean_word(token: str) -> str:
    """Lowercase, one hyphen and apostrophe kind, Latin look-alikes inside Cyrillic words fixed."""
    word = token.lower().replace("\u2010", "-").replace("\u2011", "-").replace("’", "'")
    if any(is_cyrillic(ch) for ch in word) and any(ch.isascii() and ch.isalpha() for ch in word):
        word = word.translate(_HOMOGLYPHS)
    return word


def exact_term(word: str) -> str:
    """The `=form` the index holds for a word exactly as typed (lowercased, ё folded)."""
    return EXACT_PREFIX + fold_yo(clean_word(word.strip()))


def word_terms(word: str) -> tuple[str, ...]:
    """Lemma(s) or stem of one clean word without hyphens (never empty for a non-empty word)."""
    if is_label(word):
        terms: tuple[str, ...] = (canonical_label(word),)
    elif any(is_cyrillic(ch) for ch in word):
        terms = _cyrillic_terms(word)
    elif all(_is_latin(ch) for ch in word if ch.isalpha()):
        terms = (english_stem(strip_accents(word)),)
    else:
        terms = (word,)
    expansion = ABBREVIATIONS.get(word)
    if expansion:
        terms = tuple(dict.fromkeys(terms + word_terms(expansion)))
    return terms


def _cyrillic_terms(word: str) -> tuple[str, ...]:
    chars = set(word)
    if chars & _OTHER_CYRILLIC:  # Kazakh, Tajik: no stemmer yet, the form itself
        return (fold_yo(word),)
    if chars & KYRGYZ_MARKS:
        return (fold_yo(kyrgyz_stem(word)),)
    if is_known_word(word):
        return russian_lemmas(word)
    evidence = kyrgyz_evidence(word)
    if evidence == SURE:
        return (fold_yo(kyrgyz_stem(word)),)
    if evidence == UNSURE:  # `мамлекетке` or `Бишкеке`: both readings, guesses are cheap
        return tuple(dict.fromkeys((*russian_lemmas(word), fold_yo(kyrgyz_stem(word)))))
    return russian_lemmas(word)


@lru_cache(maxsize=CACHE_SIZE)
def token_plan(token: str, unglue: bool = True) -> tuple[Span, ...]:
    """Every span and term one token puts in the index.

    A plain word is one span: its lemma(s) plus `=form`. A hyphenated compound
    (`трудящиеся-мигранты`) is the whole (lemmas joined by `-`, plus `=form`) at the first
    position and each part at its own position, so it is found as a whole, by its parts,
    and by the phrase of its parts.
    """
    word = clean_word(token)
    if len(word) > MAX_TOKEN_CHARS:
        word = fold_yo(word[:MAX_TOKEN_CHARS])
        return ((0, 0, len(token), (word, EXACT_PREFIX + word)),)
    exact = EXACT_PREFIX + fold_yo(decimal_superscripts(word))
    parts = word.split("-") if "-" in word and not is_label(word) else [word]
    parts_ok = len(parts) > 1 and all(parts)
    if not parts_ok:
        can_split = unglue and len(token) == len(word) and is_cyrillic(word[0])
        glued = split_glued(fold_yo(word)) if can_split else None
        if glued is None:
            return ((0, 0, len(token), word_terms(word) + (exact,)),)
        return _glued_plan(word, glued, exact)
    spans: list[Span] = []
    start = 0
    part_terms = []
    for i, part in enumerate(parts):
        terms = word_terms(part)
        part_terms.append(terms)
        spans.append((i, start, start + len(part), terms + (EXACT_PREFIX + fold_yo(part),)))
        start += len(part) + 1
    whole = "-".join(terms[0] for terms in part_terms)
    return ((0, 0, len(token), (whole, exact)), *spans)


def _glued_plan(word: str, parts: tuple[str, ...], exact: str) -> tuple[Span, ...]:
    """`состатьей`: the token as written at the first position, and `со`, `статьей` at their own,
    so `статья` and the phrase `со статьей` find it."""
    spans: list[Span] = [(0, 0, len(word), word_terms(word) + (exact,))]
    start = 0
    for i, part in enumerate(parts):
        spans.append((i, start, start + len(part), word_terms(part) + (EXACT_PREFIX + part,)))
        start += len(part)
    return tuple(spans)


def lemma_cache_info() -> dict:
    """Hits, misses and hit rate of the per-token cache since the process started."""
    info = token_plan.cache_info()
    total = info.hits + info.misses
    return {
        "hits": info.hits,
        "misses": info.misses,
        "hit_rate": info.hits / total if total else 0.0,
        "size": info.currsize,
        "maxsize": info.maxsize,
    }
