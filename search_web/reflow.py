"""Reading view: hard-wrapped lines joined back into paragraphs.

Texts cut into lines of ~65-90 characters (plain-text laws, press releases, PDF pages) read
as a column of broken lines, each a paragraph on the page. Here a line joins the one before it
unless something says a new block starts: a heading (`Статья 2.`, `С т а т ь я 2.`, `Глава`,
`Article`, `1-берене`, a line in capitals), a list item (`1.`, `1)`, `а)`, a bullet), or a
paragraph's end (a short line, or one ending a sentence before a capital). Text whose lines are
not wrapped (one paragraph a line, as most of the corpus) keeps its lines. The decision reads
plain lines; `reflow_html` applies it to the marked-up lines of the document page, so marks,
anchors and links stay where they were.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html import unescape

HEADING_RE = re.compile(
    r"^(?:#{1,6}\s|(?:С\s?т\s?а\s?т\s?ь\s?я|Статья|Глава|Г\s?л\s?а\s?в\s?а|Раздел|Подраздел|Параграф|§|"
    r"Article|ARTICLE|Chapter|CHAPTER|Section|SECTION|Part|PART|Annex|ANNEX|Приложение|Бөлүм)\s*[\dIVXLC]|"
    r"\d+(?:[.-]\d+)*-(?:берене|глава|бөлүм)\b)"
)
ITEM_RE = re.compile(r"^(?:\d{1,3}(?:\.\d{1,3})*[.)]|[а-яёa-z]\)|\(?[а-яёa-z\d]{1,3}\)|[-•–—*·▪●])\s")
_SENTENCE_END = ".!?;:»\"”)"
_WRAP_MAX = 130  # wider lines are paragraphs, not a wrapped column
_TAG_RE = re.compile(r"<[^>]*>")


@dataclass(frozen=True)
class Para:
    """A block of the reading view: its kind and the input lines it joins, in order."""

    kind: str  # "heading", "item" or "text"
    lines: tuple[int, ...]


def wrap_width(texts: list[str]) -> int | None:
    """The width a text was wrapped at (the 90th percentile of its line lengths), or None when
    its lines are not a wrapped column: too few, too wide, or too ragged."""
    lengths = sorted(len(line.strip()) for text in texts for line in text.splitlines() if line.strip())
    if len(lengths) < 4:
        return None
    width = lengths[int(len(lengths) * 0.9)]
    full = sum(1 for n in lengths if n >= 0.7 * width)
    return width if width <= _WRAP_MAX and full >= 0.4 * len(lengths) else None


def kind_of(line: str) -> str:
    line = line.strip()
    if HEADING_RE.match(line) or _capitals(line):
        return "heading"
    return "item" if ITEM_RE.match(line) else "text"


def _capitals(line: str) -> bool:
    letters = [c for c in line if c.isalpha()]
    return len(letters) >= 4 and len(line) <= 100 and all(c.isupper() for c in letters)


def paragraphs(lines: list[str], width: int | None) -> list[Para]:
    """The blocks `lines` (plain text) make: each line alone when `width` is None (not wrapped)."""
    filled = [i for i, line in enumerate(lines) if line.strip()]
    gaps = [b - a - 1 for a, b in zip(filled, filled[1:], strict=False)]
    double_spaced = len(gaps) >= 3 and sum(g == 1 for g in gaps) >= 0.6 * len(gaps)
    out: list[Para] = []
    for n, i in enumerate(filled):
        kind = kind_of(lines[i])
        if out and width and kind != "item" and _continues(lines, out[-1], i, kind, gaps[n - 1], double_spaced, width):
            out[-1] = Para(out[-1].kind, (*out[-1].lines, i))
        else:
            out.append(Para(kind, (i,)))
    return out


def _continues(lines: list[str], para: Para, i: int, kind: str, gap: int, double_spaced: bool, width: int) -> bool:
    """Does line `i` carry on `para` (a wrapped line), rather than start a block of its own?"""
    before, line = lines[para.lines[-1]].strip(), lines[i].strip()
    ended = before.endswith(tuple(_SENTENCE_END))
    lower = line[0].islower() or line[0].isdigit()
    if gap > (1 if double_spaced else 0):  # a blank line, unless a sentence runs on across it (PDF boxes)
        return gap == 1 and line[0].islower() and not ended and para.kind != "heading" and kind == "text"
    if kind == "heading":  # `Article 5 of ...` mid-sentence, after a full line that runs on
        return para.kind != "heading" and not ended and len(before) >= 0.85 * width and not _capitals(line)
    if para.kind == "heading":  # a heading wraps onto a line in lower case, or onto its last line
        if ended or len(para.lines) >= 3:
            return False
        last = i + 1 >= len(lines) or not lines[i + 1].strip()
        return lower or (last and not double_spaced and not line.endswith(tuple(_SENTENCE_END)))
    if before.endswith((":", ";")):  # what a list's items and their introduction end with
        return False
    if ended:  # an abbreviation (`г.`, `ст.`) runs on in lower case; a sentence's end on a short line ends
        return lower and len(before) >= 0.85 * width
    return before.endswith((",", "-")) or len(before) >= 0.6 * width  # a short line ends its paragraph


def join(lines: list[str]) -> str:
    """Lines of one block as one line: a word broken at a hyphen joins without a space."""
    out = ""
    for line in (x.strip() for x in lines):
        if out and not (out.endswith("-") and out[-2:-1].isalpha() and line[:1].islower()):
            out += " "
        out += line
    return out


def reflow(text: str, width: int | None = None) -> list[tuple[str, str]]:
    """`text` as (kind, paragraph) pairs; `width` from `wrap_width`, estimated from `text` when
    not given (a whole document gives a steadier estimate than one of its provisions)."""
    lines = text.splitlines()
    width = wrap_width([text]) if width is None else width
    return [(p.kind, join([lines[i] for i in p.lines])) for p in paragraphs(lines, width)]


def reflow_html(html: str, width: int | None) -> str:
    """Marked-up text (escaped, one source line a line) as <p> blocks: `class="item"` for list
    items, `class="head"` for headings inside the text. The joins are decided on the plain
    lines, so a <mark> or an anchor at a line's start does not hide a heading or a number."""
    lines = html.split("\n")
    plain = [unescape(_TAG_RE.sub("", line)) for line in lines]
    out = []
    for p in paragraphs(plain, width):
        text = _join_marked([lines[i] for i in p.lines], [plain[i] for i in p.lines])
        css = {"heading": ' class="head"', "item": ' class="item"'}.get(p.kind, "")
        out.append(f"<p{css}>{text}</p>")
    return "\n".join(out)


def _join_marked(lines: list[str], plain: list[str]) -> str:
    out = lines[0].strip()
    for k in range(1, len(lines)):
        glued = join([plain[k - 1], plain[k]]) == plain[k - 1].strip() + plain[k].strip()
        out += ("" if glued else " ") + lines[k].strip()
    return out
