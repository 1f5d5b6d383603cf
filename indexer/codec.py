"""whoosh's W3 posting format, written smaller and faster; whoosh reads it unchanged.

A posting block is a pickled (ids, weights, values) tuple, zlib-compressed. whoosh 2.7 pickles it
with protocol 2, which in Python 3 spells every bytes value (our packed positions) as a call to
`_codecs.encode(str, 'latin1')`; it keeps whole-number weights as floats (9 bytes each); it
compresses blocks that zlib only makes longer; and it never inlines a one-posting list into the
term table (its inlining calls a method that does not exist). Half the terms of a segment occur
in one passage, so each paid about 100 bytes of block header and pickle for a 4-byte value.

Here blocks are pickled with protocol 3 (bytes as bytes) without a memo (pickle numbers every
object it writes, 2-5 bytes each, so that a repeat can refer to it: our blocks repeat none, and
the numbers cost a fifth of a block), whole-number weights are ints,
a block is compressed only when that makes it shorter, and lists shorter than INLINE_BELOW
postings are kept in the term table. Every one of these is something whoosh's reader already
handles (`loads` reads any protocol, a block records whether it is compressed, inlined lists are
read through ListMatcher), so the search side (and whoosh_access) reads the same values.

Writing also asks each passage's field length once, not once per term of the passage.

Stored fields (a passage's text, label, facts) are compressed one passage at a time, so a result
page reads only its own; but 2 KB of text is too short for zlib to learn its words. They are
compressed with a preset dictionary of the corpus's commonest words and the fields' names
(indexer/stored_words/vN.txt, made by scripts/make_stored_words.py): about a third smaller.
A segment's codec is pickled with it, so the dictionary's version travels with the segment
(segments written before it carry no version and read as whoosh's plain column).
Like indexer/search/whoosh_access.py (which refuses any other whoosh), this subclasses the
internals of whoosh-reloaded 2.7.5, pinned in setup.cfg.
"""

from __future__ import annotations

import io
import pickle
import zlib
from functools import cache
from pathlib import Path

from whoosh import columns
from whoosh.codec.whoosh3 import (
    STORED_COLUMN,
    WHOOSH3_HEADER_MAGIC,
    W3Codec,
    W3FieldWriter,
    W3PerDocReader,
    W3PerDocWriter,
    W3PostingsWriter,
    W3TermInfo,
)
from whoosh.util.numeric import length_to_byte

PROTOCOL = 3  # the first with bytes; 4 and later add a 9-byte frame header to each pickle
INLINE_BELOW = 2  # posting lists shorter than this live in the term table: no block of their own
STORED_WORDS = 1  # the version of indexer/stored_words/ new segments are written with
STORED_LEVEL = 6  # zlib level for stored fields: 0.22 ms per passage (9: 0.44 ms, 2% smaller; plain 3: 0.06 ms)


def dumps(value: object) -> bytes:
    """`value` pickled with PROTOCOL and no memo (the values of a block are never shared objects)."""
    out = io.BytesIO()
    pickler = pickle.Pickler(out, PROTOCOL)
    pickler.fast = True  # no memo: nothing written twice is referred to
    pickler.dump(value)
    return out.getvalue()


def _weights(weights) -> object:
    """None (all 1), one float (all the same), else a tuple, of ints when they are whole."""
    first = weights[0]
    if all(w == first for w in weights):
        return None if first == 1.0 else first
    if all(w == int(w) for w in weights):
        return tuple(int(w) for w in weights)
    return tuple(weights)


class CompactTermInfo(W3TermInfo):
    """W3TermInfo whose inlined postings are pickled with PROTOCOL (W3TermInfo reads them)."""

    def to_bytes(self) -> bytes:
        if not self.is_inlined():
            return super().to_bytes()
        head = self._struct.pack(
            True,
            self._weight,
            self._df,
            0 if self._minlength is None else length_to_byte(self._minlength),
            length_to_byte(self._maxlength),
            self._maxweight,
            0xFFFFFFFF if self._minid is None else self._minid,
            0xFFFFFFFF if self._maxid is None else self._maxid,
        )
        return head + dumps(self._inlined)


class CompactPostingsWriter(W3PostingsWriter):
    def finish_postings(self):
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            weights = [int(w) if w == int(w) else w for w in self._weights]
            # a format without values (ID fields) still gets b"" each: ListMatcher gives "" for
            # none, which whoosh's merge refuses
            terminfo.set_inlined(self._ids, weights, self._values or [b""] * len(self._ids))
            self._terminfo = None
            return terminfo
        return super().finish_postings()

    def _write_block(self, last: bool = False) -> None:
        if not self._blockcount:
            self._postfile.write(WHOOSH3_HEADER_MAGIC)
        self._terminfo.add_block(self)
        databytes = dumps((self._mini_ids(), _weights(self._weights), self._mini_values()))
        comp = 0
        if self._compression:
            packed = zlib.compress(databytes, self._compression)
            if len(packed) < len(databytes):
                databytes, comp = packed, self._compression
        ids = self._ids
        info = (
            len(ids), ids[-1], self._maxweight, comp,
            length_to_byte(self._minlength), length_to_byte(self._maxlength),
        )  # fmt: skip
        infobytes = dumps(info)
        blocklength = len(infobytes) + len(databytes)
        self._postfile.write_int(-blocklength if last else blocklength)
        self._postfile.write(infobytes)
        self._postfile.write(databytes)
        self._blockcount += 1
        self._new_block()


class _LengthsOnce:
    """A per-document reader's field lengths, each read once (whoosh asks once per posting)."""

    def __init__(self, lengths) -> None:
        self._lengths = lengths
        self._known: dict[tuple[int, str], int | None] = {}

    def doc_field_length(self, docnum: int, fieldname: str):
        key = (docnum, fieldname)
        try:
            return self._known[key]
        except KeyError:
            value = self._known[key] = self._lengths.doc_field_length(docnum, fieldname)
            return value


class CompactFieldWriter(W3FieldWriter):
    def start_term(self, btext):
        if self._postwriter is None:
            raise Exception("Called start_term before start_field")
        self._btext = btext
        self._postwriter.start_postings(self._fieldobj.format, CompactTermInfo())

    def add_postings(self, schema, lengths, items):
        super().add_postings(schema, _LengthsOnce(lengths) if lengths else lengths, items)


@cache
def stored_words(version: int) -> bytes:
    """The preset dictionary of that version (never edited once an index used it)."""
    return (Path(__file__).with_name("stored_words") / f"v{version}.txt").read_bytes()


class DictionaryBytesColumn(columns.CompressedBytesColumn):
    """CompressedBytesColumn whose values are deflated with a preset dictionary."""

    def __init__(self, zdict: bytes, level: int = STORED_LEVEL) -> None:
        super().__init__(level=level)
        self._zdict = zdict

    def writer(self, dbfile):
        return self.Writer(dbfile, self._level, self._zdict)

    def reader(self, dbfile, basepos, length, doccount):
        return self.Reader(dbfile, basepos, length, doccount, self._zdict)

    class Writer(columns.VarBytesColumn.Writer):
        def __init__(self, dbfile, level: int, zdict: bytes) -> None:
            super().__init__(dbfile)
            self._level, self._zdict = level, zdict

        def add(self, docnum, v):
            packer = zlib.compressobj(self._level, zdict=self._zdict)
            super().add(docnum, packer.compress(v) + packer.flush())

    class Reader(columns.VarBytesColumn.Reader):
        def __init__(self, dbfile, basepos, length, doccount, zdict: bytes) -> None:
            super().__init__(dbfile, basepos, length, doccount)
            self._zdict = zdict

        def _inflate(self, v: bytes) -> bytes:
            return zlib.decompressobj(zdict=self._zdict).decompress(v) if v else v

        def __getitem__(self, docnum):
            return self._inflate(super().__getitem__(docnum))

        def __iter__(self):
            for v in super().__iter__():
                yield self._inflate(v)

        def load(self):
            return list(self)


def _stored_column(version: int):
    """The stored fields' column for a dictionary version (0: whoosh's own)."""
    if not version:
        return STORED_COLUMN
    return columns.PickleColumn(DictionaryBytesColumn(stored_words(version)))


class CompactPerDocWriter(W3PerDocWriter):
    """W3PerDocWriter whose stored fields go to the codec's dictionary column."""

    def _create_column(self, fieldname, column):
        if fieldname == "_stored":
            column = _stored_column(self._codec.stored_words)
        super()._create_column(fieldname, column)


class CompactPerDocReader(W3PerDocReader):
    def __init__(self, storage, segment, version: int) -> None:
        super().__init__(storage, segment)
        self._stored_column = _stored_column(version)

    def stored_fields(self, docnum):
        reader = self._cached_reader("_stored", self._stored_column)
        return reader[docnum] or {}


class CompactCodec(W3Codec):
    """The W3 codec with CompactPostingsWriter, CompactFieldWriter and stored fields compressed
    with a dictionary (see the module docstring)."""

    def __init__(self, blocklimit: int = 128, compression: int = 3, inlinelimit: int = INLINE_BELOW) -> None:
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)
        self._stored_words = STORED_WORDS

    @property
    def stored_words(self) -> int:
        """The dictionary version of this segment's stored fields; 0 for segments written before."""
        return getattr(self, "_stored_words", 0)

    def per_document_writer(self, storage, segment):
        return CompactPerDocWriter(self, storage, segment)

    def per_document_reader(self, storage, segment):
        return CompactPerDocReader(storage, segment, self.stored_words)

    def field_writer(self, storage, segment):
        return CompactFieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return CompactPostingsWriter(
            dbfile,
            blocklimit=self._blocklimit,
            byteids=byteids,
            compression=self._compression,
            inlinelimit=self._inlinelimit,
        )
