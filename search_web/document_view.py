"""How a long document is cut for the browser: articles, parts of bounded size, page markers,
anchors.

A code of law runs to megabytes; a page must stay under 100 KB for slow phone connections. The
text is shown one part at a time (whole articles, about PART_CHARS characters each) with a
navigator over all parts. The index cuts a long article into pieces; here its pieces are one
block again (a part never splits an article), anchored `art-13.3` by its number, which survives
a re-index; other provisions are anchored by passage id.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from indexer.references import SAME_ACT_ARTICLE_RE
from indexer.structure.numbers import normalize_arabic

PART_CHARS = 18_000
_ANCHOR_RE = re.compile(r"[^A-Za-z0-9_-]+")


def anchor(passage_id: str) -> str:
    """An HTML id for a passage: its id with anything unsafe in a URL fragment replaced."""
    return "p-" + _ANCHOR_RE.sub("_", str(passage_id))


@dataclass
class Block:
    """One provision as the reader sees it: an article with all its pieces, or one passage."""

    passages: list[dict]
    anchor: str

    @property
    def first(self) -> dict:
        return self.passages[0]

    @property
    def matched(self) -> bool:
        return any(p.get("matched") for p in self.passages)

    @property
    def pages(self) -> list[int]:
        pages = [n for p in self.passages for n in p.get("pages") or []]
        return [min(pages), max(pages)] if pages else []


    def html(self, article_href: Callable[[str], str | None] = lambda number: None) -> str:
        """The pieces' marked-up text as one, each piece after its old anchor (links made before
        articles were whole still land), numbered parts and points anchored, and references to
        other articles of the act linked to `article_href(number)` (None: not linked)."""
        out = []
        for p in self.passages:
            name = anchor(p["passage_id"])
            out.append(("" if name == self.anchor else f'<span id="{name}"></span>') + p.get("html", ""))
        text = link_articles("\n".join(out), article_href)
        return anchor_subdivisions(text, self.anchor) if self.anchor.startswith("art-") else text


def article_anchor(number: str) -> str:
    return f"art-{number}"


# A numbered part (`2. Иностранный гражданин...`) or point (`3) ...`) at the start of a line,
# perhaps after a piece's anchor
_SUBDIVISION_RE = re.compile(r'^((?:<span id="[^"]*"></span>)?[ \t]*)(\d{1,3})([.)])(?=\s)', re.MULTILINE)


def anchor_subdivisions(html: str, article: str) -> str:
    """Anchors `art-13.3-part-2` before numbered parts and `art-13.3-part-2-point-3` (or
    `art-13.3-point-3` outside parts) before points, as Russian and Kyrgyz laws number them,
    so a reference to `ч. 2 ст. 13.3` can land on its part. A number seen twice keeps the first."""
    part = ""
    used: set[str] = set()

    def add(m: re.Match) -> str:
        nonlocal part
        if m.group(3) == ".":
            part = f"{article}-part-{m.group(2)}"
            name = part
        else:
            name = f"{part or article}-point-{m.group(2)}"
        if name in used:
            return m.group(0)
        used.add(name)
        return f'{m.group(1)}<span id="{name}"></span>{m.group(2)}{m.group(3)}'

    return _SUBDIVISION_RE.sub(add, html)


def blocks(passages: list[dict]) -> list[Block]:
    """The passages in reading order, an article's pieces joined into one block."""
    out: list[Block] = []
    used: set[str] = set()
    for p in passages:
        number = p.get("article", "")
        if out and number and p.get("kind", "").endswith("-chunk") and out[-1].first.get("article") == number:
            out[-1].passages.append(p)
            continue
        name = article_anchor(number) if number else ""
        if not name or name in used:
            name = anchor(p["passage_id"])  # a second article 1 (an annex's) keeps its passage's
        used.add(name)
        out.append(Block([p], name))
    return out


@dataclass
class Part:
    number: int  # 1-based
    start: int  # index of its first passage
    end: int  # index after its last passage
    first_label: str
    last_label: str


def split_parts(shown: list[Block], budget: int = PART_CHARS) -> list[Part]:
    """Consecutive runs of whole blocks of about `budget` characters (one long block alone)."""
    parts: list[Part] = []
    start, size = 0, 0
    for i, b in enumerate(shown):
        length = sum(len(p.get("text", "")) + 200 for p in b.passages) + len(b.first.get("heading", ""))
        if i > start and size + length > budget:
            parts.append(_part(shown, len(parts) + 1, start, i))
            start, size = i, 0
        size += length
    if shown:
        parts.append(_part(shown, len(parts) + 1, start, len(shown)))
    return parts


def _part(shown: list[Block], number: int, start: int, end: int) -> Part:
    def name(b: Block) -> str:
        p = b.first
        return p.get("label") or (f"p. {p['pages'][0]}" if p.get("pages") else "")

    return Part(number, start, end, name(shown[start]), name(shown[end - 1]))


def part_of(parts: list[Part], index: int) -> Part | None:
    """The part holding block `index`."""
    return next((p for p in parts if p.start <= index < p.end), None)


def page_breaks(shown: list[Block]) -> list[int | None]:
    """For each block, the page to announce before it: the page it starts on, when that differs
    from where the previous block started (None otherwise).

    Passages know their pages but not where inside their text a page ends, so the marker sits
    at the start of the first provision that begins on a new page.
    """
    out: list[int | None] = []
    last = None
    for b in shown:
        first = b.pages[0] if b.pages else None
        out.append(first if first is not None and first != last else None)
        if first is not None:
            last = first
    return out


@dataclass
class Division:
    """A node of the table of contents: a division of the text (Раздел I, Глава 1, Part II),
    its subdivisions and the provisions directly in it; `open` when it holds the part shown."""

    label: str
    children: list[Division]
    entries: list[tuple[int, Block]]  # (index of the block, the block)
    open: bool = False


def contents(shown: list[Block], current: range) -> Division:
    """The table of contents from the passages' paths (Раздел / Глава / Статья, Part / Chapter /
    Article, Бөлүм / Глава / берене): a tree of divisions whose leaves are the blocks."""
    root = Division("", [], [])
    for i, b in enumerate(shown):
        path = list(b.first.get("path") or [])
        if path and path[-1] == b.first.get("label"):
            path = path[:-1]
        node = root
        for label in path:
            child = next((c for c in node.children if c.label == label), None)
            if child is None or node.children[-1] is not child:  # a division seen again later is a new one
                child = Division(label, [], [])
                node.children.append(child)
            node = child
            node.open = node.open or i in current
        node.entries.append((i, b))
    return root


def link_articles(html: str, article_href: Callable[[str], str | None]) -> str:
    """`статьей 13.3 настоящего Федерального закона` as a link to that article (when it has one)."""

    def link(m: re.Match) -> str:
        href = article_href(normalize_arabic(m.group(1)))
        return f'<a href="{href}">{m.group(0)}</a>' if href else m.group(0)

    return SAME_ACT_ARTICLE_RE.sub(link, html)


_CITED_BY: dict[tuple, dict[str, list[str]]] = {}
_CITED_BY_KEPT = 32  # documents


def cited_by(doc_id: str, shown: list[Block]) -> dict[str, list[str]]:
    """For each article number, the anchors of the blocks of the same text that refer to it, in
    reading order. Scanning a code takes ~0.1 s, so it is kept per document and passages (a
    re-index that changes the text changes them)."""
    key = (doc_id, tuple(p["passage_id"] for b in shown for p in b.passages))
    if key not in _CITED_BY:
        if len(_CITED_BY) >= _CITED_BY_KEPT:
            _CITED_BY.clear()
        _CITED_BY[key] = _scan_citations(shown)
    return _CITED_BY[key]


def _may_cite(text: str) -> bool:
    """Whether a text can hold a reference to its own act (SAME_ACT_ARTICLE_RE's closing words):
    a substring test lets most passages of a code skip the slow pattern."""
    low = text.lower()
    return "настоящ" in low or " of this" in low or "the present" in low


def _scan_citations(shown: list[Block]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for b in shown:
        found = (SAME_ACT_ARTICLE_RE.finditer(t) for p in b.passages if _may_cite(t := p.get("text", "")))
        numbers = {normalize_arabic(m.group(1)) for matches in found for m in matches}
        for number in sorted(numbers - {b.first.get("article")}):
            out.setdefault(number, []).append(b.anchor)
    return out


def one_part(doc: dict, asked: int | None = None) -> dict:
    """A document as the JSON API gives it: its metadata, its parts and divisions (the table of
    contents), and the passages of one part: part `asked`, else the part of its first passage
    matching the query, else the first. The whole of a code is megabytes; the other parts are
    asked for by number (`?part=N`)."""
    shown = blocks(doc["passages"])
    parts = split_parts(shown)
    if asked is not None:
        number = min(max(asked, 1), len(parts) or 1)
    else:
        first_hit = next((i for i, b in enumerate(shown) if b.matched), None)
        number = part_of(parts, first_hit).number if first_hit is not None else 1
    part = parts[number - 1] if parts else None
    out = {k: v for k, v in doc.items() if k != "passages"}
    out["passages_total"] = len(doc["passages"])
    out["part"] = number
    out["parts"] = [{"number": p.number, "first_label": p.first_label, "last_label": p.last_label} for p in parts]
    out["divisions"] = _divisions(contents(shown, range(0)), parts)
    out["passages"] = [p for b in shown[part.start : part.end] for p in b.passages] if part else []
    return out


def _divisions(root: Division, parts: list[Part], depth: int = 0) -> list[dict]:
    """The contents' divisions in reading order, each with its depth and the part it starts in."""
    out = []
    for d in root.children:
        first = _first_entry(d)
        start = part_of(parts, first).number if first is not None and parts else 1
        out.append({"label": d.label, "depth": depth, "part": start})
        out += _divisions(d, parts, depth + 1)
    return out


def _first_entry(d: Division) -> int | None:
    starts = [d.entries[0][0]] if d.entries else []
    starts += [i for c in d.children if (i := _first_entry(c)) is not None]
    return min(starts) if starts else None
