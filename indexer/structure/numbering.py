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
    gaps: list[tuple[str, str]] = field(default_factory=list)  # (before, after) with numbers missing
    disorder: list[tuple[str, str]] = field(default_factory=list)  # (before, after) going backwards


def check_numbering(spans: list[Span]) -> Numbering:
    """Duplicates, gaps and backward steps among the article spans, scope by scope."""
    report = Numbering()
    by_scope: dict[int, list[str]] = {}
    for span in spans:
        if span.kind in ("article", "annex") and span.number:
            by_scope.setdefault(span.scope, []).append(span.number)
    report.scopes = len(by_scope)
    for scope, numbers in by_scope.items():
        report.count += len(numbers)
        seen: set[str] = set()
        for number in numbers:
            if number in seen:
                report.duplicates.append(f"scope {scope}: {number}")
            seen.add(number)
        for before, after in zip(numbers, numbers[1:], strict=False):
            a, b = major(before), major(after)
            if a is None or b is None:
                continue
            if b > a + 1:
                report.gaps.append((before, after))
            elif b < a:
                report.disorder.append((before, after))
    return report
