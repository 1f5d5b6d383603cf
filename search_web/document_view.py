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
from html import escape

from indexer.citations import Citation, find_citations
from indexer.search.articles import passage_anchor

PART_CHARS = 18_000


anchor = passage_anchor  # an HTML id for a passage: its id with anything unsafe in a fragment replaced


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


    def html(self, href_of: Callable[[Citation], str | None] = lambda c: None, missing: str = "") -> str:
        """The pieces' marked-up text as one, each piece after its old anchor (links made before
        articles were whole still land), numbered parts and points anchored, and citations of
        provisions and acts linked to `href_of(citation)` (see link_citations)."""
        out = []
        for p in self.passages:
            name = anchor(p["passage_id"])
            out.append(("" if name == self.anchor else f'<span id="{name}"></span>') + p.get("html", ""))
        text = link_citations("\n".join(out), href_of, missing)
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


def link_citations(html: str, href_of: Callable[[Citation], str | None], missing: str) -> str:
    """Citations in the text as links: `статьей 13.3 настоящего Федерального закона`, `статьей
    18.10 Кодекса ... об административных правонарушениях`, `Трудовым кодексом Кыргызской
    Республики`. `href_of` gives a citation's address, '' when its act is not in the collection
    (the words then say so, titled `missing`), None to leave it as text."""
    out, last = [], 0
    for c in find_citations(html):
        href = href_of(c)
        if href is None:
            continue
        words = html[c.start : c.end]
        out.append(html[last : c.start])
        out.append(f'<a href="{escape(href)}">{words}</a>' if href else f'<span class="not-here" title="{escape(missing)}">{words}</span>')
        last = c.end
    out.append(html[last:])
    return "".join(out)


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
