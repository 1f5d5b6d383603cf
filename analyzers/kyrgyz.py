"""A light Kyrgyz suffix stripper, so that common noun inflections meet in one stem.

Handles (nouns, with all vowel-harmony and consonant-assimilation variants):
  case endings      genitive -нын/-дын/-тын.., accusative -ны/-ды/-ты.., dative -га/-ка..
                    (-на after a possessive), locative -да/-та.. (-нда), ablative -дан/-тан.. (-нан),
                    accusative -н after a possessive (укуктарын);
  possessives       -ы/-сы (3rd person), -ым/-м, -ың, -ыңыз, -ыбыз;
  plural            -лар/-дар/-тар.. (12 variants);
  the voicing of a stem's last consonant before a vowel (укук → укугу, китеп → китеби).
So `мигранттар`, `мигранттардын`, `мигранттарга` → `мигрант`, `укуктарынын` → `укук`.

Does NOT handle: verb morphology (tenses, participles, converbs), predicative person endings
(-мын, -сың), derivational suffixes (-лык, -чы: `эркиндик` stays apart from `эркин`), the
equative -ча, or stems shorter than three letters (`иши` is left alone). Kazakh and Tajik
words are not stemmed at all.
"""

from __future__ import annotations

from functools import lru_cache

LOW = "аеоө"  # vowels of -лар, -га, -да, -дан
HIGH = "ыиуү"  # vowels of -нын, -ны, possessives
VOWELS = frozenset("аеёиоөуүыэюя")
MIN_STEM = 3


def _variants(heads: str, vowels: str, tail: str = "") -> list[str]:
    return [h + v + tail for h in heads for v in vowels]


# Case endings that may follow any stem, longest first within each list.
_CASE_ANY = (
    _variants("ндт", HIGH, "н")  # genitive
    + _variants("дт", LOW, "н")  # ablative
    + _variants("ндт", HIGH)  # accusative
    + _variants("гк", LOW)  # dative
    + _variants("дт", LOW)  # locative
)
# Case endings that only follow a possessive vowel (-ы-на, -ы-нда, -ы-нан, -ы-н): `укугуна`.
_CASE_AFTER_POSSESSIVE = (
    _variants("н", LOW, "н") + ["нд" + v for v in LOW] + _variants("н", LOW) + ["н"]
)
_POSSESSIVE = (
    [v + "ң" + v + "з" for v in HIGH]  # -ыңыз
    + [v + "б" + v + "з" for v in HIGH]  # -ыбыз
    + _variants("с", HIGH)  # -сы
    + [v + "м" for v in HIGH]
    + [v + "ң" for v in HIGH]
    + list(HIGH)
)
_PLURAL = _variants("лдт", LOW, "р")

_CASE_ANY.sort(key=len, reverse=True)
_CASE_AFTER_POSSESSIVE.sort(key=len, reverse=True)
_POSSESSIVE.sort(key=len, reverse=True)


def _letters(s: str) -> int:
    return sum(1 for ch in s if ch.isalpha())


def _strip_one(word: str, suffixes: list[str]) -> str | None:
    for suffix in suffixes:
        if word.endswith(suffix) and _letters(word[: -len(suffix)]) >= MIN_STEM:
            return word[: -len(suffix)]
    return None


def _strip_case(word: str) -> str | None:
    """The word without its case ending (the longest that fits), None if it has none."""
    best = _strip_one(word, _CASE_ANY)
    for suffix in _CASE_AFTER_POSSESSIVE:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if stem and stem[-1] in HIGH and _letters(stem) > MIN_STEM:
                if best is None or len(stem) < len(best):
                    best = stem
                break
    return best


def _analyse(word: str) -> tuple[str, str, str, str]:
    """(stem, case, possessive, plural): the endings removed, '' where none was."""
    stem = word
    removed = []
    for step in (
        _strip_case,
        lambda w: _strip_one(w, _POSSESSIVE),
        lambda w: _strip_one(w, _PLURAL),
    ):
        shorter = step(stem)
        removed.append(stem[len(shorter) :] if shorter is not None else "")
        stem = shorter if shorter is not None else stem
    return stem, removed[0], removed[1], removed[2]


@lru_cache(maxsize=50_000)
def kyrgyz_stem(word: str) -> str:
    """The stem of a lowercase Kyrgyz word: case, then possessive, then plural endings removed."""
    stem, case, possessive, plural = _analyse(word)
    last_suffix = plural or possessive or case
    if last_suffix and last_suffix[0] in VOWELS and stem[-1] in "гб":
        stem = stem[:-1] + ("к" if stem[-1] == "г" else "п")
    return stem


def looks_kyrgyz(word: str) -> bool:
    """True for a lowercase Cyrillic word that looks Kyrgyz rather than Russian.

    Meant for words the Russian dictionary does not know: `мигранттардын` has no ң ө ү.
    Signs: ң ө ү; a plural ending; a three-letter case ending or a distinctly Kyrgyz two-letter
    one (-га, -ны, -дын..); a possessive -сы or -ыңыз; a voiced stem consonant before a
    possessive vowel (укугу); a doubled consonant at the join (мигранттын); a long vowel
    (уу, ээ) or an initial ы. Endings shared with Russian (-да, -те, -ка, -ого) alone do not count.
    """
    if any(ch in "ңөү" for ch in word):
        return True
    if word.startswith("ы") or any(pair in word for pair in _LONG_VOWELS):
        return True
    if word.endswith(_RUSSIAN_ADJECTIVE_ENDINGS):
        return False
    stem, case, possessive, plural = _analyse(word)
    if plural or len(case) >= 3 or len(possessive) >= 3:
        return True
    if case and case[0] in "гнд" and case not in _WEAK_ENDINGS:
        return True
    if possessive and (possessive[0] == "с" or stem[-1] in "гб"):
        return True
    first = case or possessive
    return bool(first) and first[0] == word[len(word) - len(first) - 1] and first[0] not in VOWELS


_WEAK_ENDINGS = frozenset(["да", "де", "до", "на", "не", "но", "ди", "го", "н"])
_RUSSIAN_ADJECTIVE_ENDINGS = ("ого", "его", "ому", "ему")
_LONG_VOWELS = ("уу", "ээ", "ыы")  # not оо, аа: Russian compounds (самообследование)
