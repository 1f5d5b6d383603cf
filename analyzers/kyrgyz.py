"""A light Kyrgyz suffix stripper, so that common noun inflections meet in one stem.

Handles (nouns, with all vowel-harmony and consonant-assimilation variants):
  case endings      genitive -нын/-дын/-тын.., accusative -ны/-ды/-ты.., dative -га/-ка..
                    (-на after a possessive), locative -да/-та.. (-нда), ablative -дан/-тан.. (-нан),
                    accusative -н after a possessive (укуктарын);
  possessives       -ы/-сы (3rd person), -ым, -ың, -ыңыз, -ыбыз;
  plural            -лар/-дар/-тар.. (12 variants);
  the voicing of a stem's last consonant before a vowel (укук → укугу, китеп → китеби).
So `мигранттар`, `мигранттардын`, `мигранттарга` → `мигрант`, `укуктарынын` → `укук`.

Does NOT handle: verb morphology (tenses, participles, converbs), predicative person endings
(-мын, -сың), derivational suffixes (-лык, -чы: `эркиндик` stays apart from `эркин`), the
equative -ча, vowel elision (`балдар` → `бал`, not `бала`), two-letter roots before short endings
(`ишке` stays), or one-letter stems. Kazakh and Tajik words are not stemmed at all.

Which words reach this stemmer is decided in `analyzers.terms`: every word with ң ө ү; words
the Russian dictionary does not know, by `kyrgyz_evidence`. Kyrgyz words that happen to be
Russian dictionary words (`нике`, `адам`, `бар`) are lemmatised as Russian.
"""

from __future__ import annotations

from functools import lru_cache

LOW = "аеоө"  # vowels of -лар, -га, -да, -дан
HIGH = "ыиуү"  # vowels of -нын, -ны, possessives
VOWELS = frozenset("аеёиоөуүыэюя")
# Letters a stem must keep (and a vowel): 2 before a 3-letter ending (`элдин` → `эл`),
# 3 before a shorter one, so a word's own last syllable is not taken for one (`өлкө`).
MIN_STEM = 2


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
    """Letters in a candidate stem, 0 when it has no vowel (no real stem)."""
    if not any(ch in VOWELS for ch in s):
        return 0
    return sum(1 for ch in s if ch.isalpha())


def _min_stem(suffix: str) -> int:
    return MIN_STEM if len(suffix) >= 3 else MIN_STEM + 1


def _strip_one(word: str, suffixes: list[str]) -> str | None:
    for suffix in suffixes:
        if word.endswith(suffix) and _letters(word[: -len(suffix)]) >= _min_stem(suffix):
            return word[: -len(suffix)]
    return None


def _strip_case(word: str) -> str | None:
    """The word without its case ending (the longest that fits), None if it has none."""
    best = _strip_one(word, _CASE_ANY)
    for suffix in _CASE_AFTER_POSSESSIVE:
        if word.endswith(suffix):
            stem = word[: -len(suffix)]
            if stem and stem[-1] in HIGH and _letters(stem) > _min_stem(suffix):
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


SURE, UNSURE, NONE = 2, 1, 0


def kyrgyz_evidence(word: str) -> int:
    """How Kyrgyz a lowercase Cyrillic word looks: SURE, UNSURE or NONE.

    Meant for words the Russian dictionary does not know: `мигранттардын` has no ң ө ү.
    SURE: ң ө ү; a plural ending; a three-letter case ending or a distinctly Kyrgyz two-letter
    one (-га, -ны, -дын..); a possessive -сы or -ыңыз; a voiced stem consonant before a
    possessive vowel (укугу); a doubled consonant at the join (мигранттын); a long vowel
    (уу, ээ) or an initial ы. UNSURE: only an ending that also closes Russian words
    (-да, -ке, -ка: `мамлекетке`, but also `Бишкеке`). Russian adjective endings (-ого) are NONE.
    """
    if any(ch in "ңөү" for ch in word):
        return SURE
    if word.startswith("ы") or any(pair in word for pair in _LONG_VOWELS):
        return SURE
    if word.endswith(_RUSSIAN_ADJECTIVE_ENDINGS):
        return NONE
    stem, case, possessive, plural = _analyse(word)
    if not (case or possessive or plural):
        return NONE
    if plural or len(case) >= 3 or len(possessive) >= 3:
        return SURE
    if case and case[0] in "гнд" and case not in _WEAK_ENDINGS:
        return SURE
    if possessive and (possessive[0] == "с" or stem[-1] in "гб"):
        return SURE
    first = case or possessive
    if first[0] == word[len(word) - len(first) - 1] and first[0] not in VOWELS:
        return SURE
    return UNSURE


def looks_kyrgyz(word: str) -> bool:
    """True when a lowercase Cyrillic word is surely Kyrgyz by its letters or endings."""
    return kyrgyz_evidence(word) == SURE


_WEAK_ENDINGS = frozenset(["да", "де", "до", "на", "не", "но", "ди", "го", "н"])
_RUSSIAN_ADJECTIVE_ENDINGS = ("ого", "его", "ому", "ему")
_LONG_VOWELS = ("уу", "ээ", "ыы")  # not оо, аа: Russian compounds (самообследование)
