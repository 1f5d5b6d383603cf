"""The Cyrillic letters of our languages, in one place: what is Cyrillic, which letters mark
Kyrgyz, Kazakh and Tajik, and one ASCII spelling for every letter.

Language detection, token analysis, document ids and the crawler's file names all read these;
two copies of a letter table drift (the ids once lacked the Kazakh and Tajik letters that file
names had). The transliteration only ever grows: document ids are made with it, so changing a
letter's spelling would change the id of every document whose path contains that letter.
"""

from __future__ import annotations

KYRGYZ_MARKS = frozenset("ңөүҢӨҮ")  # also Kazakh, which has the letters below as well
KAZAKH_ONLY = frozenset("әұһіӘҰҺІ")
KAZAKH_TAJIK = frozenset("ғқҒҚ")  # shared by Kazakh and Tajik
TAJIK_ONLY = frozenset("ҳҷӣӯҲҶӢӮ")

# Lower-case letters only: transliterate() lower-cases first.
_TO_ASCII = str.maketrans(
    {
        # Russian
        "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ё": "e", "ж": "zh", "з": "z",
        "и": "i", "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r",
        "с": "s", "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh",
        "щ": "shch", "ъ": "", "ы": "y", "ь": "", "э": "e", "ю": "yu", "я": "ya",
        # Kyrgyz (and Kazakh)
        "ң": "n", "ө": "o", "ү": "u",
        # Kazakh
        "ә": "a", "ұ": "u", "һ": "h", "і": "i",
        # Kazakh and Tajik
        "ғ": "g", "қ": "q",
        # Tajik
        "ҳ": "h", "ҷ": "j", "ӣ": "i", "ӯ": "u",
    }
)  # fmt: skip


def is_cyrillic(ch: str) -> bool:
    """True for a character of the basic Cyrillic block (U+0400-U+04FF), where all ours are."""
    return "\u0400" <= ch <= "\u04ff"


def transliterate(text: str) -> str:
    """`text` lower-cased with every Russian, Kyrgyz, Kazakh and Tajik letter spelled in ASCII.

    Other characters are left as they are: each caller decides what a file name or an id may hold.
    """
    return text.lower().translate(_TO_ASCII)
