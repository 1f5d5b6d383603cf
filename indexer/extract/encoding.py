"""Decode text files whose encoding nobody wrote down: UTF-8, UTF-16, cp1251, KOI8-R, cp866.

Statistical detectors (charset-normalizer included) often mistake cp1251 for KOI8-R and back on
short Russian texts: both map the same byte range onto Cyrillic letters, so either decoding
"looks Cyrillic". The wrong one produces case-inverted, unpronounceable words. We therefore decode
with each plausible Cyrillic encoding and keep the one whose text has the most common Russian
letter pairs, and only trust the detector's guess when no Cyrillic decoding wins.
"""

from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

CYRILLIC_CANDIDATES = ("cp1251", "koi8-r", "cp866", "mac-cyrillic")
SAMPLE_BYTES = 200_000
# The most frequent letter pairs of Russian prose and legal text, in lower case.
_COMMON_BIGRAMS = frozenset({
    "ст", "но", "то", "на", "ен", "ов", "ни", "ра", "во", "ко", "ал", "ер", "ро", "по", "пр",
    "ат", "ли", "ре", "ан", "ос", "од", "ол", "ор", "ет", "ак", "ль", "ии", "ог", "ел", "ва",
    "ла", "ие", "ск", "ки", "ом", "ит", "та", "ин", "нн", "де", "ти", "ны", "ий", "ый", "ая",
    "ой", "ем",
})
_CYR_PAIR = re.compile(r"(?=([а-яё]{2}))")
_CAPITALISED = re.compile(r"(?<![^\W\d_])[А-ЯЁ][а-яё]")
_CYRILLIC = re.compile(r"[А-Яа-яЁё]")


def cyrillic_score(text: str) -> float:
    """How Russian a decoding looks: common lower-case letter pairs and capitalised words per character.

    The capitals matter for encodings that share the lower-case letters (cp1251, mac-cyrillic).
    """
    if not text:
        return 0.0
    hits = sum(1 for m in _CYR_PAIR.finditer(text) if m.group(1) in _COMMON_BIGRAMS)
    hits += len(_CAPITALISED.findall(text))
    return hits / len(text)


def _bom_encoding(data: bytes) -> str | None:
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    return None


def _best_cyrillic(sample: bytes) -> tuple[str, float]:
    scores = {enc: cyrillic_score(sample.decode(enc, errors="replace")) for enc in CYRILLIC_CANDIDATES}
    best = max(CYRILLIC_CANDIDATES, key=scores.__getitem__)  # ties go to the commoner encoding
    return best, scores[best]


def _mostly_utf8(sample: bytes) -> bool:
    """UTF-8 with a few damaged bytes (a bad copy, a cut file) is still UTF-8, not cp1251."""
    text = sample.decode("utf-8", errors="replace")
    bad = text.count("\ufffd")
    non_ascii = sum(1 for ch in text if ord(ch) > 127)
    return non_ascii >= 20 and bad <= max(4, 0.01 * non_ascii)


def detect_encoding(data: bytes) -> str:
    """The name of the codec that decodes data as its author meant it."""
    bom = _bom_encoding(data)
    if bom:
        return bom
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError as exc:
        # a UTF-8 file cut inside a multi-byte character is still UTF-8
        if exc.start >= len(data) - 3 and exc.reason == "unexpected end of data":
            return "utf-8"
    sample = data[:SAMPLE_BYTES]
    if _mostly_utf8(sample):
        return "utf-8"
    enc, score = _best_cyrillic(sample)
    if score > 0.02:
        return enc
    guess = from_bytes(sample).best()
    if guess is not None and guess.encoding:
        return codecs.lookup(guess.encoding).name
    return "cp1252"


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode data, returning (text, encoding). Undecodable bytes become U+FFFD, never an error."""
    encoding = detect_encoding(data)
    return data.decode(encoding, errors="replace"), encoding


def has_cyrillic(text: str) -> bool:
    return bool(_CYRILLIC.search(text))
