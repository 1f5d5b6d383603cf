"""Join pages into one text and map character offsets back to physical page numbers.

Provisions cross page breaks (an article starts at the foot of page 3 and ends on page 4), so
the splitter works on the whole text and asks this map which pages a passage spans.
"""

from __future__ import annotations

from bisect import bisect_right

from indexer.models import Page


class PageMap:
    """The pages' texts joined by newlines, with each page's start offset."""

    def __init__(self, pages: list[Page]) -> None:
        self.starts: list[int] = []
        self.numbers: list[int] = []
        parts = []
        offset = 0
        for page in pages:
            self.starts.append(offset)
            self.numbers.append(page.number)
            parts.append(page.text)
            offset += len(page.text) + 1
        self.text = "\n".join(parts)

    def page_at(self, offset: int) -> int:
        """The page number holding the character at `offset`."""
        index = max(0, bisect_right(self.starts, offset) - 1)
        return self.numbers[index]

    def pages_between(self, start: int, end: int) -> list[int]:
        """The pages that the non-blank text in [start, end) lies on, first page first."""
        text = self.text
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if start >= end:
            return [self.page_at(start)] if self.numbers else []
        first = max(0, bisect_right(self.starts, start) - 1)
        last = max(0, bisect_right(self.starts, end - 1) - 1)
        return self.numbers[first:last + 1]
