"""How a long document is cut for the browser: parts of bounded size, page markers, anchors.

A code of law runs to megabytes; a page must stay under 100 KB for slow phone connections. The
text is shown one part at a time (whole provisions, about PART_CHARS characters each) with a
navigator over all parts, and every provision keeps a stable anchor so search results and
"find in this document" hits can link straight to it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

PART_CHARS = 18_000
_ANCHOR_RE = re.compile(r"[^A-Za-z0-9_-]+")


def anchor(passage_id: str) -> str:
    """An HTML id for a passage: its id with anything unsafe in a URL fragment replaced."""
    return "p-" + _ANCHOR_RE.sub("_", str(passage_id))


@dataclass
class Part:
    number: int  # 1-based
    start: int  # index of its first passage
    end: int  # index after its last passage
    first_label: str
    last_label: str


def split_parts(passages: list[dict], budget: int = PART_CHARS) -> list[Part]:
    """Consecutive runs of whole passages of about `budget` characters (one long passage alone)."""
    parts: list[Part] = []
    start, size = 0, 0
    for i, p in enumerate(passages):
        length = len(p.get("text", "")) + len(p.get("heading", "")) + 200
        if i > start and size + length > budget:
            parts.append(_part(passages, len(parts) + 1, start, i))
            start, size = i, 0
        size += length
    if passages:
        parts.append(_part(passages, len(parts) + 1, start, len(passages)))
    return parts


def _part(passages: list[dict], number: int, start: int, end: int) -> Part:
    def name(p: dict) -> str:
        return p.get("label") or (f"p. {p['pages'][0]}" if p.get("pages") else "")

    return Part(number, start, end, name(passages[start]), name(passages[end - 1]))


def part_of(parts: list[Part], index: int) -> Part | None:
    """The part holding passage `index`."""
    return next((p for p in parts if p.start <= index < p.end), None)


def page_breaks(passages: list[dict]) -> list[int | None]:
    """For each passage, the page to announce before it: the page it starts on, when that differs
    from where the previous passage started (None otherwise).

    Passages know their pages but not where inside their text a page ends, so the marker sits
    at the start of the first provision that begins on a new page.
    """
    out: list[int | None] = []
    last = None
    for p in passages:
        first = p["pages"][0] if p.get("pages") else None
        out.append(first if first is not None and first != last else None)
        if first is not None:
            last = first
    return out
