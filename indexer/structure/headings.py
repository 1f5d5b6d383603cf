"""Find the lines that head a provision: `Статья 13.3. ...`, `###Article 7`, `1-берене`, `Глава V.1`.

One compiled regex picks candidate lines from the whole text (fast: the codes have tens of
thousands of lines); each candidate is then classified. A heading starts a line and is followed
by a period, the end of the line or (in English, Dutch and Markdown) a capitalised title; a line
like "Статья 5 настоящего Кодекса ..." is a reference, not a heading.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.structure.numbers import parse_number

# levels: smaller is higher in the hierarchy
CONTAINER, PART, DIVISION, SUBDIVISION, CHAPTER, PARAGRAPH, ARTICLE = 0, 1, 2, 3, 4, 5, 6
TITLE, PREAMBLE = 90, 91  # not structural: a Markdown title line, a "Preamble" line

# keyword (lower case) → (level, word used in labels, language of the keyword)
KEYWORDS: dict[str, tuple[int, str, str]] = {
    "статья": (ARTICLE, "Статья", "ru"),
    "article": (ARTICLE, "Article", "en"),
    "artikel": (ARTICLE, "Artikel", "nl"),
    "моддаи": (ARTICLE, "Моддаи", "tg"),
    "глава": (CHAPTER, "Глава", "ru"),
    "chapter": (CHAPTER, "Chapter", "en"),
    "hoofdstuk": (CHAPTER, "Hoofdstuk", "nl"),
    "раздел": (DIVISION, "Раздел", "ru"),
    "подраздел": (SUBDIVISION, "Подраздел", "ru"),
    "часть": (PART, "Часть", "ru"),
    "part": (PART, "Part", "en"),
    "deel": (PART, "Deel", "nl"),
    "section": (PARAGRAPH, "Section", "en"),
    "параграф": (PARAGRAPH, "Параграф", "ru"),
    "§": (PARAGRAPH, "§", "ru"),
    "annex": (CONTAINER, "Annex", "en"),
    "приложение": (CONTAINER, "Приложение", "ru"),
    "bijlage": (CONTAINER, "Bijlage", "nl"),
}
# Kyrgyz/Kazakh put the number first: `1-берене`, `3-глава`, `1 бап`, `1‐статья`
SUFFIX_KEYWORDS: dict[str, tuple[int, str, str]] = {
    "берене": (ARTICLE, "берене", "ky"),
    "статья": (ARTICLE, "статья", "ky"),
    "бап": (ARTICLE, "бап", "kk"),
    "глава": (CHAPTER, "глава", "ky"),
    "бөлүм": (DIVISION, "бөлүм", "ky"),
}
PREAMBLE_WORDS = {"preamble": "Preamble", "преамбула": "Преамбула", "пешгуфтор": "Пешгуфтор",
                  "преамбула.": "Преамбула"}
# words that must be capitalised to count (body text starts lines with "Часть 1 статьи ...")
_UPPER_ONLY = {"часть"}
_WHOLE_PART = re.compile(r"^(ОБЩАЯ|ОСОБЕННАЯ|СПЕЦИАЛЬНАЯ)\s+ЧАСТЬ\.?$")

_CANDIDATE = re.compile(
    r"^[ \t]*(?:#{1,6}[ \t]*)?(?:"
    r"[СC][ \t]?т[ \t]?а[ \t]?т[ \t]?ь[ \t]?я|"
    r"(?i:article|artikel|глава|раздел|подраздел|часть|параграф|chapter|part|section|annex|"
    r"приложение|bijlage|deel|hoofdstuk|моддаи|preamble|преамбула|пешгуфтор)|"
    r"ОБЩАЯ|ОСОБЕННАЯ|СПЕЦИАЛЬНАЯ|§|\d+[ \t]*[-‐]?[ \t]*(?:берене|статья|бап|глава|бөлүм)|#"
    r")[^\n]*",
    re.M,
)
_MARKDOWN = re.compile(r"^[ \t]*(#{1,6})[ \t]*")
_KEYWORD = re.compile(r"^([СC] ?т ?а ?т ?ь ?я|[^\W\d_]+|§)[ \t]*(.*)$")
_SUFFIXED = re.compile(r"^(\d+(?:\.\d+)?)[ \t]*[-‐]?[ \t]*(берене|статья|бап|глава|бөлүм)\b(.*)$")
_BARE_ROMAN = re.compile(r"^([IVXLC]+)\.?$")
_TITLE_START = re.compile(r"^[\s\-–—.:)]*")


@dataclass
class Heading:
    """One heading line found in the text."""

    start: int  # offset of the line start
    end: int  # offset just after the heading (the line, plus continuation lines)
    level: int
    keyword: str  # the word used in labels: "Статья", "Article", "берене"
    display: str  # the number as shown in the label: "13.3", "V.1"
    number: str  # normalised: "13.3", "5.1"
    title: str  # the rest of the heading line
    lang: str  # language of the keyword
    markdown: int = 0  # number of '#' when the line is a Markdown heading
    scope: int = 0  # numbering scope (set by the provision splitter)
    translation: bool = False  # opens a translation part (set by the provision splitter)

    @property
    def label(self) -> str:
        if self.level == TITLE:
            return self.title
        if self.keyword in SUFFIX_WORDS:
            return f"{self.display}-{self.keyword}"
        if not self.display:
            return self.keyword
        return f"{self.keyword} {self.display}"


SUFFIX_WORDS = {word for _, word, _ in SUFFIX_KEYWORDS.values()}


def find_headings(text: str) -> list[Heading]:
    """Every heading-like line of `text`, in order (titles of Markdown headings included)."""
    found = []
    for match in _CANDIDATE.finditer(text):
        heading = classify_line(match.group(), match.start())
        if heading is not None:
            found.append(heading)
    return found


def classify_line(line: str, start: int) -> Heading | None:
    """A Heading if this line heads a provision (or is a Markdown title), else None."""
    end = start + len(line)
    markdown = 0
    md = _MARKDOWN.match(line)
    if md:
        markdown = len(md.group(1))
        body = line[md.end():].strip()
    else:
        body = line.strip()
    if not body:
        return None
    heading = _classify_keyword(body, start, end, markdown) or _classify_suffixed(body, start, end)
    if heading is None and markdown:
        bare = _BARE_ROMAN.match(body)
        if bare:
            parsed = parse_number(bare.group(1))
            if parsed:
                return Heading(start, end, CHAPTER, "Chapter", parsed[0], parsed[1], "", "en", markdown)
        return Heading(start, end, TITLE, "", "", "", body.strip("# "), "", markdown)
    if heading is None and _WHOLE_PART.match(body):
        label = body.rstrip(".").capitalize()
        return Heading(start, end, PART, label, "", "", "", "ru", markdown)
    return heading


def _classify_keyword(body: str, start: int, end: int, markdown: int) -> Heading | None:
    match = _KEYWORD.match(body)
    if not match:
        return None
    raw_word, after = match.group(1), match.group(2)
    word = raw_word.replace(" ", "").lower()
    if word == "cтатья":  # Latin C typed for Cyrillic С
        word = "статья"
    if word in PREAMBLE_WORDS and not after.strip(" .:"):
        return Heading(start, end, PREAMBLE, PREAMBLE_WORDS[word], "", "", "", "", markdown)
    if word not in KEYWORDS or not (markdown or raw_word[0].isupper() or raw_word[0] == "§"):
        return None
    if word in _UPPER_ONLY and not markdown and raw_word != raw_word.upper() and not _looks_ordinal(after):
        return None
    level, label_word, lang = KEYWORDS[word]
    number_part = after.lstrip("№ ") if level == CONTAINER else after
    parsed = parse_number(number_part)
    if parsed is None:
        if level == CONTAINER and _container_rest_ok(after, markdown):
            return Heading(start, end, level, label_word, "", "", "", lang, markdown)
        return None
    display, number, rest = parsed
    title = _title_from_rest(rest, lang, markdown, level)
    if title is None:
        return None
    if level == CONTAINER and not (markdown or title == "" or title.startswith("к ")):
        return None
    return Heading(start, end, level, label_word, display, number, title, lang, markdown)


def _classify_suffixed(body: str, start: int, end: int) -> Heading | None:
    match = _SUFFIXED.match(body)
    if not match:
        return None
    number, word, rest = match.groups()
    title = _title_from_rest(rest, "ky", 0, ARTICLE)
    if title is None:
        return None
    level, label_word, lang = SUFFIX_KEYWORDS[word]
    return Heading(start, end, level, label_word, number, number, title, lang)


def _looks_ordinal(after: str) -> bool:
    parsed = parse_number(after)
    return parsed is not None and not after[:1].isdigit()


def _container_rest_ok(after: str, markdown: int) -> bool:
    rest = after.strip()
    return bool(markdown) or rest == "" or rest.startswith("к ")


def _title_from_rest(rest: str, lang: str, markdown: int, level: int) -> str | None:
    """The heading text after the number, or None if the line reads as running text."""
    if not rest.strip():
        return ""
    first = rest[0]
    if first in ".:)–—-":
        return _TITLE_START.sub("", rest).strip()
    if not first.isspace():
        return None  # "Статья 5-й", "Article 7bis" are not headings we know
    stripped = rest.strip()
    # Russian article headings put a period after the number; a capital is enough elsewhere
    if lang == "ru" and level == ARTICLE and not markdown:
        return None
    if stripped[0].isupper() or stripped[0] in "«\"(":
        return stripped
    return None
