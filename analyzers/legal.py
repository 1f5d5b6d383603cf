"""Legal tokens: act numbers, provision numbers, dates, convention codes, abbreviations.

They are indexed as written (lowercased) and skip morphology, so `115-ФЗ`, `13.3`, `327.1`,
`18.07.2006` and `C097` are found as typed. Convention codes drop leading zeros (`C097` and
`C97` meet). Citation abbreviations also index the word they stand for at the same position,
so `ст. 13.3` finds "статья 13.3" and `art. 98` finds "Article 98".
"""

from __future__ import annotations

import re

SUPERSCRIPT_DIGITS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")

# abbreviation → the word it stands for (analysed like any word of its language)
ABBREVIATIONS = {
    "ст": "статья",
    "ч": "часть",
    "п": "пункт",
    "пп": "подпункт",
    "подп": "подпункт",
    "гл": "глава",
    "разд": "раздел",
    "абз": "абзац",
    "art": "article",
    "arts": "article",
    "para": "paragraph",
    "paras": "paragraph",
    "sec": "section",
    "ch": "chapter",
}

_CODE_RE = re.compile(r"([^\W\d_]+)0*(\d+)(.*)")
_SUPERSCRIPT_RE = re.compile(r"(\d)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")


def is_label(token: str) -> bool:
    """Tokens with a digit are labels (numbers, dates, codes): they skip morphology."""
    return any(ch.isdigit() or ch in "⁰¹²³⁴⁵⁶⁷⁸⁹" for ch in token)


def decimal_superscripts(token: str) -> str:
    """`327¹` → `327.1`: a superscript after a number is a provision's sub-number."""
    if not any(ch in "⁰¹²³⁴⁵⁶⁷⁸⁹" for ch in token):
        return token
    return _SUPERSCRIPT_RE.sub(
        lambda m: m.group(1) + "." + m.group(2).translate(SUPERSCRIPT_DIGITS), token
    )


def canonical_label(token: str) -> str:
    """The searchable form of a label: `327¹` → `327.1`, `c097` → `c97`, else as written."""
    token = decimal_superscripts(token)
    match = _CODE_RE.fullmatch(token)
    if match and "-" not in token:
        return match.group(1) + match.group(2) + match.group(3)
    return token
