"""'Did you mean': each typed word the index does not know, replaced by a near form it does know.

A suggestion must help: it is a word of the index (so it gives results), close in spelling for
the word's length (one edit, two only in a word of 8+ letters), and a typo's likely meaning. So
no suggestion for a word the Russian dictionary knows (`правозащитные` is a real word this
collection lacks, not a typo of `почвозащитные`: the answer says plainly that nothing was
found), for an acronym in capitals (`ICRMW`, `МОМ`: the entity lookup's business, never a short
lower-case word), or for a number. Among candidates, one that keeps the typed word's letters in
order (a letter left out or doubled) comes before a substitution, then the more frequent.

A word's one-edit neighbours are looked up in the index's Vocabulary (its exact forms, held in
memory: asking the term table of every segment for each of a word's ~1,000 edits cost 30-80 ms per
unknown word); only a long word with none known has the forms sharing its first letter scanned for
two edits. That scan grows with the index, so it is skipped for very long words and stops at a
budget of CPU time (this thread's, so a machine busy with other work does not cut a suggestion
short): a suggestion is a courtesy, never worth a slow answer.
"""

from __future__ import annotations

import time

from whoosh.support.levenshtein import distance

from analyzers import EXACT_PREFIX
from analyzers.morph import is_known_word
from indexer.search.builder import analyze
from indexer.search.vocabulary import Vocabulary

MIN_WORD_CHARS = 4
MAX_WORD_CHARS = 40  # longer "words" are pasted debris, not typos
MAX_ACRONYM_CHARS = 7  # `ICRMW`, `ECOSOC`; a longer word in capitals is a word typed in capitals
TWO_EDITS_FROM = 8  # letters a word needs before a suggestion may differ from it by two edits
CLOCK_EVERY = 32  # candidates between two looks at the clock (a look costs as much as a lookup)
TIME_BUDGET = 0.15  # CPU seconds for all the words of one query (a typo on the corpus: 0.01-0.05)
CYRILLIC = "абвгдежзийклмнопрстуфхцчшщъыьэюяіїєґңөүқғұһә"
LATIN = "abcdefghijklmnopqrstuvwxyz"


def suggest(words: list[str], reader, budget: float = TIME_BUDGET, vocabulary: Vocabulary | None = None) -> str | None:
    """The query with unknown words corrected, or None when there is nothing (or no time) to correct.
    `vocabulary`: the reader's (a server keeps one per index generation); made here when not given."""
    deadline = time.thread_time() + budget
    changed, out = False, []
    for word in words:
        best = None
        if correctable(word) and time.thread_time() < deadline:
            positions = analyze(word)
            known = any(reader.doc_frequency("body", t) for terms in positions for t in terms)
            if positions and not known and not is_known_word(word):
                vocabulary = Vocabulary.of(reader) if vocabulary is None else vocabulary
                best = nearest(word.lower(), reader, vocabulary, deadline)
        out.append(best or word)
        changed = changed or bool(best)
    return " ".join(out) if changed else None


def correctable(word: str) -> bool:
    """Could `word` be a typo worth correcting? Not a number, not an acronym, not debris."""
    if not MIN_WORD_CHARS <= len(word) <= MAX_WORD_CHARS or any(ch.isdigit() for ch in word):
        return False
    letters = [ch for ch in word if ch.isalpha()]
    return not (2 <= len(letters) <= MAX_ACRONYM_CHARS and all(ch.isupper() for ch in letters))


def nearest(word: str, reader, vocabulary: Vocabulary, deadline: float = float("inf")) -> str | None:
    """The best exact form of the index within one edit of `word` (two in a long word), its first
    letter kept, or None (also when time is up).

    One edit: the word's few hundred edits are looked up in the vocabulary (a scan of every form
    with its first letter cost up to half a second at 10,000 passages). Two edits: that scan,
    only over forms within two letters of the word's length. Frequencies (which candidate wins)
    come from the reader, for the few candidates only."""
    target = word.replace("ё", "е")
    candidates = [
        (1, not keeps_letters(word, form), -reader.doc_frequency("body", EXACT_PREFIX + form), form)
        for form in _edits(target) if form in vocabulary
    ]
    if not candidates and len(word) >= TWO_EDITS_FROM:
        for n, form in enumerate(vocabulary.starting_with(target[:1])):
            if n % CLOCK_EVERY == 0 and time.thread_time() > deadline:
                break
            if abs(len(form) - len(target)) <= 2 and distance(form, target, limit=2) <= 2:
                candidates.append((2, not keeps_letters(word, form), -reader.doc_frequency("body", EXACT_PREFIX + form), form))
    return min(candidates)[3] if candidates else None


def _edits(word: str) -> set[str]:
    """Every string one deletion, substitution or insertion (of a letter of the word's own
    script) from `word`, its first letter kept; two letters swapped are two edits (`regoin` is
    not taken for `region`)."""
    letters = CYRILLIC if any("\u0400" <= ch <= "\u04ff" for ch in word) else LATIN
    out = set()
    for i in range(1, len(word) + 1):
        head, tail = word[:i], word[i:]
        if tail:
            out.add(head + tail[1:])
            out.update(head + c + tail[1:] for c in letters)
        out.update(head + c + tail for c in letters)
    out.discard(word)
    return {w for w in out if w[:1] == word[:1]}


def keeps_letters(typed: str, form: str) -> bool:
    """Is one of the two the other with letters added (`мигрнтов` in `мигрантов`, `патентт` and
    `патент`)? A letter dropped or doubled is the commonest typo."""
    short, long_ = sorted((typed, form), key=len)
    letters = iter(long_)
    return len(short) < len(long_) and all(ch in letters for ch in short)
