"""Text normalisation shared by every extractor, and removal of repeated page headers/footers.

`normalize_text` keeps line structure (the provision splitter needs it) and keeps `ё` and
`№` as written: folding for search happens in the analyzer, not in the stored text.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter

from analyzers.cyrillic import is_cyrillic
from analyzers.legal import SUPERSCRIPT_DIGITS
from analyzers.morph import is_known_word

# Invisible characters that only break words: soft hyphen, zero-width space/joiners, BOM.
_INVISIBLE = "\u00ad\u200b\u200c\u200d\u2060\ufeff"
_HYPHENS = "\u2010\u2011"  # hyphen, non-breaking hyphen → "-"
_SUPERSCRIPT_AFTER_NUMBER = re.compile(r"(\d)([⁰¹²³⁴⁵⁶⁷⁸⁹]+)")
_SOFT_HYPHEN_BREAK = re.compile(r"\u00ad[ \t]*\n[ \t]*")
# the look-behind anchors at a word's start: no quadratic retries inside long words
_LINE_END_HYPHEN = re.compile(r"(?<![^\W\d_])([^\W\d_]++)-[ \t]*\n[ \t]*([^\W\d_]++)")
_ANY_LINE_END_HYPHEN = re.compile(r"-[ \t]*\n")
_STRESS_MARKS = re.compile(r"(?<=[а-яёА-ЯЁ])[\u0300\u0301]")
_SPACES = re.compile(r"[^\S\n]{2,}|[^\S\n ]")  # runs, and single tabs/odd spaces
_TRAILING_SPACES = re.compile(r" +\n")


def normalize_text(text: str) -> str:
    """Unicode-normalise extracted text for indexing and display.

    NFKC (ligatures, full-width forms, no-break spaces) except that superscript digits after a
    number become a decimal part (`Статья 327¹` → `Статья 327.1`, not `3271`) and `№` stays;
    soft hyphens and zero-width characters go; a word broken by a hyphen at a line end is
    joined (`мигран-\\nтов` → `мигрантов`) unless the joined word is unknown while its parts
    are words (`кыргызско-\\nроссийский` → `кыргызско-российский`); runs of spaces become one
    space; `\\r\\n` and `\\r` become `\\n`; other newlines are kept.
    """
    if text is None:
        return ""
    if not isinstance(text, str):
        raise TypeError(f"normalize_text needs text (str), got {type(text).__name__}")
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n").replace("\v", "\n")
    text = _SUPERSCRIPT_AFTER_NUMBER.sub(_superscript_to_decimal, text)
    text = _SOFT_HYPHEN_BREAK.sub("", text)
    for ch in _INVISIBLE:  # str.replace is ~50x faster than translate on Cyrillic text
        if ch in text:
            text = text.replace(ch, "")
    if not unicodedata.is_normalized("NFKC", text.replace("№", "")):
        text = "№".join(unicodedata.normalize("NFKC", piece) for piece in text.split("№"))
    for ch in _HYPHENS:
        if ch in text:
            text = text.replace(ch, "-")
    if "\u0301" in text or "\u0300" in text:
        text = _STRESS_MARKS.sub("", text)
    if _ANY_LINE_END_HYPHEN.search(text):
        text = _LINE_END_HYPHEN.sub(_join_broken_word, text)
    text = _SPACES.sub(" ", text)
    return _TRAILING_SPACES.sub("\n", text)


def _superscript_to_decimal(match: re.Match) -> str:
    return match.group(1) + "." + match.group(2).translate(SUPERSCRIPT_DIGITS)


def _join_broken_word(match: re.Match) -> str:
    left, right = match.group(1), match.group(2)
    joined = left + right
    if is_cyrillic(joined[0]):
        if is_known_word(joined):
            return joined
        if is_known_word(right) and len(right) > 1 and (is_known_word(left) or left[-1] in "оеОЕ"):
            return left + "-" + right  # a real compound: кыргызско-российский, из-за
        return joined
    # Latin and other scripts: no dictionary here; a capital after the break marks a compound
    if right[0].isupper() and not left.isupper():
        return left + "-" + right
    return joined


# --- repeated page headers and footers -------------------------------------------------

EDGE_LINES = 2  # lines at the top and at the bottom of a page that may be header/footer
MIN_PAGES = 3
_PAGE_NUMBER = re.compile(
    r"(?i)^\s*(?:[-–—]\s*)?(?:(?:page|p\.|стр\.?|страница|бет)\s*)?\d{1,4}"
    r"(?:\s*(?:/|of|из)\s*\d{1,4})?(?:\s*[-–—])?\s*$"
)
# Provision headings may open many pages; they are text, never running headers.
_PROVISION = re.compile(
    r"(?i)^\s*(?:статья|глава|раздел|часть|article|chapter|section|part|annex|\d+\s*-?\s*берене)\b"
)
_DIGITS = re.compile(r"\d+")


def _line_key(line: str) -> str:
    """Lines equal up to numbers and spacing are one running header (`Страница 3 из 120`)."""
    return _DIGITS.sub("#", " ".join(line.split()).lower())


def _edge_indexes(lines: list[str]) -> list[int]:
    filled = [i for i, line in enumerate(lines) if line.strip()]
    return sorted(set(filled[:EDGE_LINES] + filled[-EDGE_LINES:]))


def strip_repeated_lines(pages: list[str]) -> list[str]:
    """The pages without running headers/footers and without bare page numbers.

    Only the first and last EDGE_LINES non-empty lines of a page are candidates, so a line
    repeated inside the text (a recurring formula of a law) is never removed, nor is a
    provision heading (`Статья 5`) that happens to open many pages. A line counts as a running
    header when it (numbers ignored) sits at the edge of more than half of the pages, and of
    at least MIN_PAGES pages. Page numbers (`7`, `- 7 -`, `Page 7 of 9`, `стр. 7`) go anyway.
    """
    if not isinstance(pages, list) or not all(isinstance(p, str) for p in pages):
        raise TypeError("strip_repeated_lines needs a list of page texts (str)")
    split = [page.split("\n") for page in pages]
    counts: Counter[str] = Counter()
    for lines in split:
        counts.update({_line_key(lines[i]) for i in _edge_indexes(lines)})
    needed = max(MIN_PAGES, len(pages) // 2 + 1)
    repeated = {key for key, n in counts.items() if n >= needed and key.strip("# ")}
    out = []
    for lines in split:
        drop = set()
        for i in _edge_indexes(lines):
            line = lines[i]
            if _PAGE_NUMBER.match(line) or (
                _line_key(line) in repeated and not _PROVISION.match(line)
            ):
                drop.add(i)
        out.append("\n".join(line for i, line in enumerate(lines) if i not in drop))
    return out
