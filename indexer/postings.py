"""Posting values in a few bytes: positions and character offsets as packed arrays, not pickles.

whoosh's Positions and Characters formats store each posting's occurrences as a 4-byte count
plus a pickled list of tuples, about 19 bytes for a word seen once in a passage; most postings
are exactly that. Here the same deltas are one array of the narrowest integer type that holds
them (one type byte, then positions, start and length columns): 4 bytes for that posting.
Everything that reads postings goes through the format's decoders (snippets ask for
`characters`, phrases for `positions`), so the query side sees the same values.
"""

from __future__ import annotations

from array import array

from whoosh import formats

from analyzers.whoosh_analysis import TEXT_ANALYZER, index_terms

_CODES = {code: code.encode() for code in "BHiq"}


def pack(numbers: list[int]) -> bytes:
    """`numbers` as one array of the narrowest type that holds them, its type code first."""
    code = _narrowest(min(numbers), max(numbers)) if numbers else "B"
    if code == "B":
        return b"B" + bytes(numbers)
    return _CODES[code] + array(code, numbers).tobytes()


def _narrowest(low: int, high: int) -> str:
    if low >= 0 and high <= 0xFFFF:
        return "B" if high <= 0xFF else "H"
    return "i" if low >= -(2**31) and high < 2**31 else "q"


def unpack(value: bytes) -> array:
    numbers = array(chr(value[0]))
    numbers.frombytes(value[1:])
    return numbers


def _indexing_ours(value, analyzer, kwargs: dict) -> bool:
    """True when word_values is asked to index text with the project's analyzer (index_terms)."""
    return isinstance(value, str) and kwargs.keys() <= {"mode"} and kwargs.get("mode") != "query" and analyzer == TEXT_ANALYZER


def _occurrences(value: str) -> dict[str, list[tuple[int, int, int]]]:
    """Each term's (position, start, end) occurrences, terms in the order they first occur."""
    seen: dict[str, list[tuple[int, int, int]]] = {}
    for term, pos, start, end in index_terms(value):
        found = seen.get(term)
        if found is None:
            seen[term] = [(pos, start, end)]
        else:
            found.append((pos, start, end))
    return seen


class CompactPositions(formats.Positions):
    """whoosh's Positions (frequency, weight, positions), packed: position deltas."""

    def word_values(self, value, analyzer, **kwargs):
        """whoosh's (term, frequency, weight, value) per term, the same, read with index_terms."""
        if not _indexing_ours(value, analyzer, kwargs):
            return super().word_values(value, analyzer, **kwargs)
        fb = self.field_boost
        return [
            (w, len(found), float(len(found)) * fb, self.encode([pos for pos, _, _ in found]))
            for w, found in _occurrences(value).items()
        ]

    def encode(self, poslist):
        deltas, base = [], 0
        for pos in poslist:
            deltas.append(pos - base)
            base = pos
        return pack(deltas)

    def decode_positions(self, valuestring):
        positions, position = [], 0
        for delta in unpack(valuestring):
            position += delta
            positions.append(position)
        return positions

    def decode_frequency(self, valuestring):
        return (len(valuestring) - 1) // array(chr(valuestring[0])).itemsize

    def decode_weight(self, valuestring):
        return self.decode_frequency(valuestring) * self.field_boost


class CompactCharacters(formats.Characters):
    """whoosh's Characters (also start and end characters), packed as three columns: position
    deltas, start deltas from the previous end, lengths."""

    def word_values(self, value, analyzer, **kwargs):
        """whoosh's (term, frequency, weight, value) per term, the same, read with index_terms."""
        if not _indexing_ours(value, analyzer, kwargs):
            return super().word_values(value, analyzer, **kwargs)
        fb = self.field_boost
        return [(w, len(found), float(len(found)) * fb, self.encode(found)) for w, found in _occurrences(value).items()]

    def encode(self, poslist):
        if len(poslist) == 1:  # most postings: a word once in a passage
            (pos, startchar, endchar), = poslist
            return pack([pos, startchar, endchar - startchar])
        positions, starts, lengths = [], [], []
        posbase = charbase = 0
        for pos, startchar, endchar in poslist:
            positions.append(pos - posbase)
            starts.append(startchar - charbase)
            lengths.append(endchar - startchar)
            posbase, charbase = pos, endchar
        return pack(positions + starts + lengths)

    def decode_characters(self, valuestring):
        numbers = unpack(valuestring)
        n = len(numbers) // 3
        out, position, endchar = [], 0, 0
        for i in range(n):
            position += numbers[i]
            startchar = endchar + numbers[n + i]
            endchar = startchar + numbers[2 * n + i]
            out.append((position, startchar, endchar))
        return out

    def decode_positions(self, valuestring):
        return [pos for pos, _, _ in self.decode_characters(valuestring)]

    def decode_frequency(self, valuestring):
        return (len(valuestring) - 1) // array(chr(valuestring[0])).itemsize // 3

    def decode_weight(self, valuestring):
        return self.decode_frequency(valuestring) * self.field_boost
