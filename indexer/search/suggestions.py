"""'Did you mean': each typed word the index does not know, replaced by its nearest known form."""

from __future__ import annotations

from analyzers import EXACT_PREFIX
from indexer.search.builder import analyze


def suggest(words: list[str], reader) -> str | None:
    """The query with unknown words corrected, or None when there is nothing to correct."""
    changed, out = False, []
    for word in words:
        positions = analyze(word)
        known = any(reader.doc_frequency("body", t) for terms in positions for t in terms)
        if known or not positions or len(word) < 4:
            out.append(word)
            continue
        best = nearest(word.lower(), reader)
        out.append(best or word)
        changed = changed or bool(best)
    return " ".join(out) if changed else None


def nearest(word: str, reader) -> str | None:
    """The most frequent exact form within one edit of `word` (else two), or None."""
    target = EXACT_PREFIX + word.replace("ё", "е")
    candidates = []
    for maxdist in (1, 2):
        for term in reader.terms_within("body", target, maxdist, prefix=2):
            candidates.append((maxdist, -reader.doc_frequency("body", term), term))
        if candidates:
            break
    if not candidates:
        return None
    return min(candidates)[2][len(EXACT_PREFIX):]
