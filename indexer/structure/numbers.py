"""Provision numbers as written (`327¹`, `225¹⁰⁻¹`, `13.3`, `V.1`, `ХХIV`, `четырнадцатая`) and
their normalised form (`327.1`, `225.10-1`, `13.3`, `5.1`, `24`, `14`).

Sources write the same number in many ways: superscripts from HTML, `327.1` after
normalize_text, Cyrillic `Х`/`І` inside Roman numerals, ordinal words in older codes. Lookups
and the numbering check need one form.
"""

from __future__ import annotations

import re

_SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
_DASHES = str.maketrans({"‐": "-", "‑": "-", "−": "-", "–": "-"})
_CYRILLIC_ROMAN = str.maketrans({"Х": "X", "х": "X", "І": "I", "і": "I", "С": "C", "М": "M"})

# arabic number with optional decimal parts, superscripts and hyphenated parts
ARABIC = r"\d+(?:[.\-‐−]\d+)*[⁰¹²³⁴⁵⁶⁷⁸⁹]*(?:[⁻\-‐−][⁰¹²³⁴⁵⁶⁷⁸⁹\d]+)*"
ROMAN = r"[IVXLCХІ]+(?:\.\d+)?"
_ARABIC_RE = re.compile(ARABIC)
_ROMAN_RE = re.compile(ROMAN + r"(?![\w])")
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
_SUPERSCRIPT_TAIL = re.compile(r"(\d)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")

_ORDINAL_STEMS = {
    "перв": 1, "втор": 2, "трет": 3, "четверт": 4, "пят": 5, "шест": 6, "седьм": 7,
    "восьм": 8, "девят": 9, "десят": 10, "одиннадцат": 11, "двенадцат": 12, "тринадцат": 13,
    "четырнадцат": 14, "пятнадцат": 15, "шестнадцат": 16, "семнадцат": 17, "восемнадцат": 18,
    "девятнадцат": 19, "двадцат": 20, "тридцат": 30, "сороков": 40,
}
_TENS_WORDS = {"двадцать": 20, "тридцать": 30, "сорок": 40}
_ORDINAL_ENDINGS = ("ый", "ой", "ий", "ая", "ья", "ое", "ье", "ые")
_WORD = re.compile(r"[^\W\d_]+")


def normalize_arabic(raw: str) -> str:
    """`327¹` → `327.1`, `225¹⁰⁻¹` → `225.10-1`, `25.10‐1` → `25.10-1`, `13.3.` → `13.3`."""
    text = raw.translate(_DASHES).rstrip(".")
    text = _SUPERSCRIPT_TAIL.sub(lambda m: m.group(1) + "." + m.group(2), text)
    return text.translate(_SUPERSCRIPTS)


def roman_to_int(roman: str) -> int | None:
    """Value of a Roman numeral (Cyrillic look-alikes allowed); None if it is not one."""
    letters = roman.translate(_CYRILLIC_ROMAN).upper()
    if not letters or any(ch not in _ROMAN_VALUES for ch in letters):
        return None
    total = 0
    for i, ch in enumerate(letters):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[letters[i + 1]] if i + 1 < len(letters) else 0
        total += -value if value < following else value
    return total if total > 0 else None


def normalize_roman(raw: str) -> tuple[str, str] | None:
    """(`V.1` → display `V.1`, number `5.1`); None for non-numerals."""
    head, _, tail = raw.partition(".")
    value = roman_to_int(head)
    if value is None:
        return None
    display = head.translate(_CYRILLIC_ROMAN).upper() + (f".{tail}" if tail else "")
    return display, str(value) + (f".{tail}" if tail else "")


def ordinal_value(words: list[str]) -> tuple[int, int] | None:
    """Russian ordinal words (`первая`, `двадцать третий`) → (value, words used)."""
    if not words:
        return None
    first = words[0].lower()
    if first in _TENS_WORDS and len(words) > 1:
        unit = ordinal_value(words[1:2])
        if unit and unit[0] < 10:
            return _TENS_WORDS[first] + unit[0], 2
    if not first.endswith(_ORDINAL_ENDINGS):
        return None
    stem = first[:-2]
    for candidate in (stem, stem.rstrip("ь")):
        if candidate in _ORDINAL_STEMS:
            return _ORDINAL_STEMS[candidate], 1
    return None


def parse_number(after: str) -> tuple[str, str, str] | None:
    """Parse the number at the start of `after` (what follows a keyword).

    Returns (display form for the label, normalised number, rest of the line) or None when no
    number starts there: arabic (with superscripts), Roman, or Russian ordinal words.
    """
    match = _ARABIC_RE.match(after)
    if match:
        number = normalize_arabic(match.group())
        return number, number, after[match.end():]
    match = _ROMAN_RE.match(after)
    if match:
        roman = normalize_roman(match.group())
        if roman:
            return roman[0], roman[1], after[match.end():]
    words = _WORD.findall(after[:40])
    ordinal = ordinal_value(words[:2])
    if ordinal:
        value, used = ordinal
        end = 0
        for _ in range(used):
            end = after.lower().index(words[_].lower(), end) + len(words[_])
        return str(value), str(value), after[end:]
    return None


def major(number: str) -> int | None:
    """The leading integer of a normalised number (`13.3` → 13); None without one."""
    match = re.match(r"\d+", number)
    return int(match.group()) if match else None


def flattened_split(number: str, previous_major: int | None) -> str | None:
    """`2331` read as `233.1` when that fits just behind the previous article (`Статья 244`):
    the form a lost superscript takes. None when the number is ordinary."""
    if previous_major is None or not number.isdigit() or int(number) <= previous_major + 20:
        return None
    for cut in range(len(number) - 1, 0, -1):
        prefix, tail = number[:cut], number[cut:]
        if len(tail) > 2:
            break
        if tail.startswith("0"):
            continue
        if previous_major - 50 <= int(prefix) <= previous_major:
            return f"{prefix}.{tail}"
    return None


def unflatten(number: str, previous_major: int | None, next_major: int | None) -> str:
    """Undo superscripts lost in a text export (`Статья 341` between 34 and 35 is 34¹).

    Only when the digits start with a number at or just below the previous article's, the
    value jumps far ahead, and the numbering then resumes next to the previous article: a real
    article 341 after 340 is never touched.
    """
    split = flattened_split(number, previous_major)
    if split is None or previous_major is None:
        return number
    if next_major is not None and not previous_major <= next_major <= previous_major + 3:
        return number
    return split
