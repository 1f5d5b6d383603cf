"""'Did you mean': each typed word the index does not know, replaced by its nearest known form.

The fuzzy scan of the term dictionary grows with the word's length (a 40-letter word took
seconds on the corpus), so it is skipped for very long words and stops at a budget of CPU time
(this thread's, so a machine busy with other work does not cut a suggestion short): a suggestion
is a courtesy, never worth a slow answer.
"""

from __future__ import annotations

import time

from analyzers import EXACT_PREFIX
from indexer.search.builder import analyze

MIN_WORD_CHARS = 4
MAX_WORD_CHARS = 40  # longer "words" are pasted debris, not typos
TIME_BUDGET = 0.5  # CPU seconds for all the words of one query (a typo on the corpus: 0.05-0.15)


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
    """The most frequent exact form within one edit of `word` (else two), or None (also when time is up)."""
    target = EXACT_PREFIX + word.replace("ё", "е")
    candidates = []
    for maxdist in (1, 2):
        for term in reader.terms_within("body", target, maxdist, prefix=2):
            candidates.append((maxdist, -reader.doc_frequency("body", term), term))
            if time.thread_time() > deadline:
                break
        if candidates or time.thread_time() > deadline:
            break
    if not candidates:
        return None
    return min(candidates)[2][len(EXACT_PREFIX):]
