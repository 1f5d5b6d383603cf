"""The body field's exact forms in memory, for did-you-mean, saved beside the index.

A word's ~1,000 one-edit neighbours looked up in the term table of every segment cost 30-80 ms
per unknown word, paid in the middle of a search; in a set they cost a tenth of a millisecond.
Listing the forms from the term tables takes 0.5 CPU s on the corpus (1.1 at 100,000 passages),
so the list is saved once per index generation in one file (replaced atomically; missing, stale
or unwritable just means listing them again), as the concepts' and entities' caches are.
"""

from __future__ import annotations

import bisect
import gzip
from pathlib import Path

from analyzers import EXACT_PREFIX
from indexer.cache_files import replace_atomically

CACHE_FILE = "vocabulary-cache.txt.gz"
CACHE_VERSION = 1


class Vocabulary:
    """Sorted exact forms (`мигрантов`, not `=мигрантов`): ~54,000 forms, ~5 MB, on the corpus
    and at 100,000 passages alike (the remix has the corpus's words)."""

    def __init__(self, forms: tuple[str, ...]) -> None:
        self._sorted = forms
        self._set = frozenset(forms)

    @classmethod
    def of(cls, reader) -> Vocabulary:
        """Listed from a whoosh reader's term tables (code point order is the tables' UTF-8 order)."""
        prefix = len(EXACT_PREFIX)
        terms = reader.expand_prefix("body", EXACT_PREFIX)
        return cls(tuple((t.decode("utf-8") if isinstance(t, bytes) else t)[prefix:] for t in terms))

    @property
    def forms(self) -> tuple[str, ...]:
        """Every form, in order."""
        return self._sorted

    def __contains__(self, form: str) -> bool:
        return form in self._set

    def __len__(self) -> int:
        return len(self._sorted)

    def starting_with(self, letter: str) -> tuple[str, ...]:
        """The forms whose first letter is `letter`, in order."""
        start = bisect.bisect_left(self._sorted, letter)
        return self._sorted[start : bisect.bisect_left(self._sorted, letter + "\U0010ffff")]


def load_or_build(folder: Path, generation: str, reader) -> Vocabulary:
    """This generation's vocabulary: from the cache file when it is this generation's, else listed and saved."""
    key = f"{CACHE_VERSION}|{generation}"
    path = folder / CACHE_FILE
    try:
        head, _, body = gzip.decompress(path.read_bytes()).decode("utf-8").partition("\n")
        if head == key:
            return Vocabulary(tuple(body.split("\n")) if body else ())
    except (OSError, EOFError, UnicodeDecodeError):
        pass
    vocabulary = Vocabulary.of(reader)
    text = "\n".join([key, *(f for f in vocabulary.forms if "\n" not in f)])
    replace_atomically(path, lambda out: out.write(gzip.compress(text.encode("utf-8"), compresslevel=6)))
    return vocabulary
