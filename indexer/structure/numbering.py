"""Check provision numbering against the document's own: duplicates, gaps, numbers out of order.

Codes legitimately skip numbers (repealed articles can be absent) and restart in annexes,
protocols and translations, so the check works per numbering scope and reports gaps and
duplicates separately: a duplicate almost always means a splitting error (or a source error).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from indexer.structure.numbers import major
from indexer.structure.spans import Span


@dataclass
class Numbering:
    """The article numbers of one document and what is wrong with them."""

    count: int = 0
    scopes: int = 0
    duplicates: list[str] = field(default_factory=list)  # "scope 0: 31.1"
    gaps: list[tuple[int, int]] = field(default_factory=list)  # (first, last) whole numbers absent
    disorder: list[tuple[str, str]] = field(default_factory=list)  # (before, after) going backwards


def check_numbering(spans: list[Span]) -> Numbering:
    """Duplicates, gaps and backward steps among the article spans, scope by scope."""
    report = Numbering()
    by_scope: dict[int, list[str]] = {}
    for span in spans:
        if span.is_article and span.number:
            by_scope.setdefault(span.scope, []).append(span.number)
    report.scopes = len(by_scope)
    for scope, numbers in by_scope.items():
        report.count += len(numbers)
        seen: set[str] = set()
        for number in numbers:
            if number in seen:
                report.duplicates.append(f"scope {scope}: {number}")
            seen.add(number)
        majors = [m for m in map(major, numbers) if m is not None]
        present = sorted(set(majors))
        for low, high in zip(present, present[1:], strict=False):
            if high > low + 1:
                report.gaps.append((low + 1, high - 1))
        for before, after in zip(numbers, numbers[1:], strict=False):
            a, b = major(before), major(after)
            if a is not None and b is not None and b < a:
                report.disorder.append((before, after))
    return report
