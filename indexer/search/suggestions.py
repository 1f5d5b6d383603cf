"""'Did you mean': each typed word the index does not know, replaced by a near form it does know.

A suggestion must help: it is a word of the index (so it gives results), close in spelling for
the word's length (one edit, two only in a word of 8+ letters), and a typo's likely meaning. So
no suggestion for a word the Russian dictionary knows (`правозащитные` is a real word this
collection lacks, not a typo of `почвозащитные`: the answer says plainly that nothing was
found), for an acronym in capitals (`ICRMW`, `МОМ`: the entity lookup's business, never a short
lower-case word), or for a number. Among candidates, one that keeps the typed word's letters in
order (a letter left out or doubled) comes before a substitution, then the more frequent.

The fuzzy scan of the term dictionary grows with the word's length (a 40-letter word took
seconds on the corpus), so it is skipped for very long words and stops at a budget of CPU time
(this thread's, so a machine busy with other work does not cut a suggestion short): a suggestion
is a courtesy, never worth a slow answer.
"""

from __future__ import annotations

import time

from analyzers import EXACT_PREFIX
from analyzers.morph import is_known_word
from indexer.search.builder import analyze

MIN_WORD_CHARS = 4
MAX_WORD_CHARS = 40  # longer "words" are pasted debris, not typos
MAX_ACRONYM_CHARS = 7  # `ICRMW`, `ECOSOC`; a longer word in capitals is a word typed in capitals
TWO_EDITS_FROM = 8  # letters a word needs before a suggestion may differ from it by two edits
TIME_BUDGET = 0.5  # CPU seconds for all the words of one query (a typo on the corpus: 0.05-0.15)


def suggest(words: list[str], reader, budget: float = TIME_BUDGET) -> str | None:
    """The query with unknown words corrected, or None when there is nothing (or no time) to correct."""
    deadline = time.thread_time() + budget
    changed, out = False, []
    for word in words:
        best = None
        if correctable(word) and time.thread_time() < deadline:
            positions = analyze(word)
            known = any(reader.doc_frequency("body", t) for terms in positions for t in terms)
            if positions and not known and not is_known_word(word):
                best = nearest(word.lower(), reader, deadline)
        out.append(best or word)
        changed = changed or bool(best)
    return " ".join(out) if changed else None


def correctable(word: str) -> bool:
    """Could `word` be a typo worth correcting? Not a number, not an acronym, not debris."""
    if not MIN_WORD_CHARS <= len(word) <= MAX_WORD_CHARS or any(ch.isdigit() for ch in word):
        return False
    letters = [ch for ch in word if ch.isalpha()]
    return not (2 <= len(letters) <= MAX_ACRONYM_CHARS and all(ch.isupper() for ch in letters))


def nearest(word: str, reader, deadline: float = float("inf")) -> str | None:
    """The best exact form of the index within one edit of `word` (two in a long word), or None
    (also when time is up)."""
    target = EXACT_PREFIX + word.replace("ё", "е")
    candidates = []
    for maxdist in (1, 2) if len(word) >= TWO_EDITS_FROM else (1,):
        for term in reader.terms_within("body", target, maxdist, prefix=2):
            form = term[len(EXACT_PREFIX) :]
            candidates.append((maxdist, not keeps_letters(word, form), -reader.doc_frequency("body", term), form))
            if time.thread_time() > deadline:
                break
        if candidates or time.thread_time() > deadline:
            break
    return min(candidates)[3] if candidates else None


def keeps_letters(typed: str, form: str) -> bool:
    """Is one of the two the other with letters added (`мигрнтов` in `мигрантов`, `патентт` and
    `патент`)? A letter dropped or doubled is the commonest typo."""
    short, long_ = sorted((typed, form), key=len)
    letters = iter(long_)
    return len(short) < len(long_) and all(ch in letters for ch in short)
