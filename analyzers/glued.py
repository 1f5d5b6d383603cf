"""Words glued together in the source, where a link or a line break used to be.

Official texts copied from legal databases lose the space around hyperlinks: `состатьей 13.3`,
`впункте`, `федеральныйзаконот`, `делрешенияо`. About 1.7% of the words of 115-ФЗ are glued, and
a search for `статья` misses every one of them. A token that the Russian dictionary does not
know is split into the fewest known words (at most MAX_PARTS), each either a dictionary word of
MIN_PART letters or more or one of the short function words that glue most often.

Kyrgyz words are agglutinated, not glued (`адамдар`, `декларацияда`): a word that looks Kyrgyz is
never split, and the rules on short words (never two in a row; none but prepositions at the end)
keep suffixes such as `-да`, `-дар`, `-тын` from passing for Russian words.
"""

from __future__ import annotations

from functools import lru_cache

from analyzers.kyrgyz import SURE, kyrgyz_evidence
from analyzers.morph import get_morph, is_known_word

MAX_PARTS = 4
MIN_PART = 4
MIN_WORD = 5
# Prepositions, conjunctions and particles that lose their space most often.
PREPOSITIONS = frozenset(
    [
        "в",
        "с",
        "к",
        "о",
        "у",
        "во",
        "со",
        "ко",
        "об",
        "от",
        "до",
        "за",
        "из",
        "на",
        "по",
        "для",
        "при",
        "без",
        "под",
        "над",
    ]
)
SHORT_WORDS = PREPOSITIONS | frozenset(
    ["и", "а", "не", "ни", "но", "или", "его", "ее", "их", "что", "как"]
)


# A part whose best reading is a name, an abbreviation or slang is a coincidence (`канд асов`).
RARE_READINGS = frozenset({"Abbr", "Name", "Surn", "Patr", "Geox", "Orgn", "Trad", "Slng", "Infr"})


def _is_part(piece: str) -> bool:
    if piece in SHORT_WORDS:
        return True
    if len(piece) < MIN_PART or not is_known_word(piece):
        return False
    return not (get_morph().parse(piece)[0].tag.grammemes & RARE_READINGS)


@lru_cache(maxsize=50_000)
def split_glued(word: str) -> tuple[str, ...] | None:
    """The known words a glued lowercase Cyrillic token is made of, or None.

    Fewest parts win; among equals, the split whose parts are longest (by the sum of their
    squared lengths), so `впункте` is `в пункте`, not `впу нкте`.
    """
    if len(word) < MIN_WORD or not word.isalpha() or is_known_word(word):
        return None
    if kyrgyz_evidence(word) == SURE:
        return None
    n = len(word)
    # best[i] = (parts, -sum of squares, split) for word[:i]
    best: list[tuple[int, int, tuple[str, ...]] | None] = [None] * (n + 1)
    best[0] = (0, 0, ())
    for end in range(1, n + 1):
        for start in range(end):
            prev = best[start]
            if prev is None or prev[0] >= MAX_PARTS:
                continue
            piece = word[start:end]
            if not _is_part(piece):
                continue
            if piece in SHORT_WORDS and prev[2] and prev[2][-1] in SHORT_WORDS:
                continue  # `к а был`: two function words in a row are a suffix chain
            candidate = (prev[0] + 1, prev[1] - len(piece) ** 2, (*prev[2], piece))
            if best[end] is None or candidate[:2] < best[end][:2]:
                best[end] = candidate
    found = best[n]
    if found is None or found[0] < 2:
        return None
    parts = found[2]
    if all(part in SHORT_WORDS for part in parts):
        return None
    if parts[-1] in SHORT_WORDS and parts[-1] not in PREPOSITIONS:
        return None  # `декларация да`: a Kyrgyz case ending, not the Russian `да`
    return parts
