"""The last few queries' scored answers, kept per index generation.

One query is asked in many shapes: its page, the API, page 2, a filter or a facet, compare, the
CSV export, the Atom feed. They differ only in what they choose from one scored answer, so the
answer (parse, score, concepts, the cross-language layer: most of a request's CPU) is computed
once and the others choose from it. Bounded by bytes (an answer holds a few arrays with one value
per passage), forgotten when the index moves to a new generation.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable
from typing import Any

import numpy as np

BUDGET_BYTES = 64 * 2**20  # per process: 50 answers at 100k passages, several hundred on the corpus
MAX_ENTRIES = 1024  # and a count, for answers that hold no array (a suggestion)


def _nbytes(value: Any) -> int:
    """The arrays an answer holds, the bulk of its size (found one level down its attributes)."""
    total = 0
    for item in vars(value).values() if hasattr(value, "__dict__") else ():
        if isinstance(item, np.ndarray):
            total += item.nbytes
        elif hasattr(item, "__dict__"):
            total += sum(a.nbytes for a in vars(item).values() if isinstance(a, np.ndarray))
    return total


class ScoredQueries:
    """An LRU of computed answers for one generation: one index view (by identity, and kept
    alive, so a later view cannot take its id) and one version of what else answers depend on."""

    def __init__(self, budget_bytes: int = BUDGET_BYTES, max_entries: int = MAX_ENTRIES) -> None:
        self.budget = budget_bytes
        self.max_entries = max_entries
        self._view: object | None = None
        self._version = ""
        self._kept: OrderedDict[tuple, tuple[Any, int]] = OrderedDict()
        self._bytes = 0

    def get(
        self, view: object, version: str, key: tuple, compute: Callable[[], Any],
        reuse: Callable[[Any], bool] | None = None,
    ) -> Any:
        """The answer for `key` in `view` at `version`, computed (and kept) the first time, and
        again when `reuse` says the kept one will not do now. Callers must treat it as read-only:
        every later request for the same key shares it."""
        if view is not self._view or version != self._version:
            self._view, self._version, self._kept, self._bytes = view, version, OrderedDict(), 0
        kept = self._kept.get(key)
        if kept is not None and (reuse is None or reuse(kept[0])):
            self._kept.move_to_end(key)
            return kept[0]
        if kept is not None:
            del self._kept[key]
            self._bytes -= kept[1]
        value = compute()
        size = sum(_nbytes(part) for part in (value if isinstance(value, tuple) else (value,)))
        if size <= self.budget:
            self._kept[key] = (value, size)
            self._bytes += size
            while self._bytes > self.budget or len(self._kept) > self.max_entries:
                _, (_, dropped) = self._kept.popitem(last=False)
                self._bytes -= dropped
        return value

    def __len__(self) -> int:
        return len(self._kept)
