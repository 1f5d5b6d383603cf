"""razdel's tokens (the NER model's words), remembered per whitespace-separated chunk.

razdel spends ~8 us of Python per token, deciding at each boundary between two atoms (a run of
Cyrillic or Latin letters or digits, one punctuation mark, one other character) whether to join
them. It never joins across whitespace, and its rules look at most one atom past the chunk on
either side, and then only at its type (`left_2`, `right_2` in `2020, 15`). So a chunk's tokens
are fixed by the chunk and the types of the atoms that touch it across the spaces: once razdel has
split `закона,` between a word and a word, that split is remembered.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from razdel import tokenize as razdel_tokenize
from razdel.segmenters.tokenize import ATOM

CHUNK = re.compile(r"\S+")
CACHE_CHUNKS = 100_000  # entries per table; a table is cleared when full
# One atom of each type, standing for a neighbour chunk's atom when razdel splits a chunk
SAMPLE_ATOM = {"RU": "а", "LAT": "a", "INT": "1", "PUNCT": ",", "OTHER": "§"}

_ATOMS: dict[str, tuple[str, str, bool]] = {}  # chunk -> first atom's type, last atom's type, one atom
_SPLITS: dict[tuple[str | None, str, str | None], list[tuple[int, int]]] = {}


class Token(NamedTuple):
    start: int
    stop: int
    text: str


def tokens(text: str) -> list[Token]:
    """The tokens razdel finds in `text`, with their offsets (razdel's own, see tests)."""
    chunks = [(m.start(), m.group()) for m in CHUNK.finditer(text)]
    atoms = [_atoms(chunk) for _, chunk in chunks]
    found: list[Token] = []
    for i, (start, chunk) in enumerate(chunks):
        if atoms[i][2]:
            found.append(Token(start, start + len(chunk), chunk))
            continue
        key = (atoms[i - 1][1] if i else None, chunk, atoms[i + 1][0] if i + 1 < len(chunks) else None)
        spans = _SPLITS.get(key)
        if spans is None:
            if len(_SPLITS) >= CACHE_CHUNKS:
                _SPLITS.clear()
            spans = _SPLITS[key] = _split(*key)
        found += [Token(start + a, start + b, chunk[a:b]) for a, b in spans]
    return found


def _atoms(chunk: str) -> tuple[str, str, bool]:
    known = _ATOMS.get(chunk)
    if known is None:
        if len(_ATOMS) >= CACHE_CHUNKS:
            _ATOMS.clear()
        kinds = [m.lastgroup or "" for m in ATOM.finditer(chunk)]
        known = _ATOMS[chunk] = (kinds[0], kinds[-1], len(kinds) == 1)
    return known


def _split(before: str | None, chunk: str, after: str | None) -> list[tuple[int, int]]:
    """razdel's tokens of `chunk` (offsets in it) between neighbour atoms of these types."""
    left = SAMPLE_ATOM[before] + " " if before else ""
    right = " " + SAMPLE_ATOM[after] if after else ""
    return [
        (t.start - len(left), t.stop - len(left))
        for t in razdel_tokenize(left + chunk + right)
        if len(left) <= t.start < len(left) + len(chunk)
    ]
