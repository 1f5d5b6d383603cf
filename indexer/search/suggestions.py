"""'Did you mean': each typed word the index does not know, replaced by its nearest known form.

A word's one-edit neighbours are looked up in the term table; only when none is known are the
terms sharing its first letters scanned for two edits. That scan grows with the index, so it is
skipped for very long words and stops at a budget of CPU time (this thread's, so a machine busy
with other work does not cut a suggestion short): a suggestion is a courtesy, never worth a slow
answer.
"""

from __future__ import annotations

import time

from whoosh.support.levenshtein import distance

from analyzers import EXACT_PREFIX
from indexer.search.builder import analyze

MIN_WORD_CHARS = 4
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюяіїєґңөүқғұһә"
LATIN = "abcdefghijklmnopqrstuvwxyz"
TWO_EDITS_CHARS = 6
MAX_WORD_CHARS = 40  # longer "words" are pasted debris, not typos
TIME_BUDGET = 0.15  # CPU seconds for all the words of one query (a typo on the corpus: 0.01-0.05)


def suggest(words: list[str], reader, budget: float = TIME_BUDGET) -> str | None:
    """The query with unknown words corrected, or None when there is nothing (or no time) to correct."""
    deadline = time.thread_time() + budget
    changed, out = False, []
    for word in words:
        best = None
        numeric = any(ch.isdigit() for ch in word)  # a number is never "corrected"
        if MIN_WORD_CHARS <= len(word) <= MAX_WORD_CHARS and not numeric and time.thread_time() < deadline:
            positions = analyze(word)
            known = any(reader.doc_frequency("body", t) for terms in positions for t in terms)
            if positions and not known:
                best = nearest(word.lower(), reader, deadline)
        out.append(best or word)
        changed = changed or bool(best)
    return " ".join(out) if changed else None


def nearest(word: str, reader, deadline: float = float("inf")) -> str | None:
    """The most frequent known form one edit from `word` (else two), keeping its first letter;
    None when there is none (or time is up).

    One edit: each of the word's few hundred edits is looked up in the term table. Two edits
    (words of TWO_EDITS_CHARS letters or more): the terms that begin with the word's first three
    letters and are within two letters of its length are compared (a scan of every term with its
    first letter took up to a second at 10,000 passages).
    """
    word = word.replace("ё", "е")
    found = []
    for edit in _edits(word):
        frequency = reader.doc_frequency("body", EXACT_PREFIX + edit)
        if frequency:
            found.append((-frequency, edit))
    if found:
        return min(found)[1]
    if len(word) < TWO_EDITS_CHARS:  # two edits of a short word make another word
        return None
    candidates = []
    prefix = EXACT_PREFIX + word[:3]
    for term in reader.expand_prefix("body", prefix):
        if time.thread_time() > deadline:
            break
        text = term.decode("utf-8") if isinstance(term, bytes) else term
        text = text[len(EXACT_PREFIX) :]
        if abs(len(text) - len(word)) <= 2 and distance(text, word, limit=2) <= 2:
            candidates.append((-reader.doc_frequency("body", EXACT_PREFIX + text), text))
    return min(candidates)[1] if candidates else None


def _edits(word: str) -> set[str]:
    """Every string one deletion, transposition, substitution or insertion from `word` (of the
    letters of its own script), its first letter kept."""
    letters = CYRILLIC if any("\u0400" <= ch <= "\u04ff" for ch in word) else LATIN
    out = set()
    for i in range(1, len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            out.add(head + tail[1:])  # deletion
            out.update(head + c + tail[1:] for c in letters)  # substitution
        if len(tail) > 1:
            out.add(head + tail[1] + tail[0] + tail[2:])  # transposition
        out.update(head + c + tail for c in letters)  # insertion
    out.discard(word)
    return {w for w in out if w[:1] == word[:1]}
