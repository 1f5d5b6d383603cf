"""Write a new preset dictionary for stored passages (indexer/stored_words/), from a corpus.

    .venv/bin/python scripts/make_stored_words.py ../shared/corpus indexer/stored_words/v2.txt

A passage's stored text is compressed alone (a result page reads a few of them), and 2 KB of
text is too short for zlib to learn its words: a dictionary of the commonest words and of the
stored fields' names gives it them in advance. Words are written least frequent first, so the
commonest sit nearest the text (shorter back-references), and the file fills zlib's 32 KB window.
A dictionary file is never edited once an index used it: indexer/codec.py names it by version.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

WINDOW = 32 * 1024
WORD = re.compile(r"[^\W\d_]{3,}")


def commonest_words(folder: Path) -> list[str]:
    counts: Counter[str] = Counter()
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() in (".txt", ".md") and path.is_file():
            counts.update(WORD.findall(path.read_text(encoding="utf-8", errors="ignore")))
    return [word for word, _ in counts.most_common()]


def dictionary(words: list[str], field_names: list[str]) -> str:
    """The commonest words that fit in WINDOW bytes with the field names, least frequent first."""
    chosen, size = list(field_names), sum(len(n.encode()) + 1 for n in field_names)
    for word in words:
        size += len(word.encode()) + 1
        if size > WINDOW:
            break
        chosen.append(word)
    return " ".join(reversed(chosen))


def main() -> None:
    folder, out = Path(sys.argv[1]), Path(sys.argv[2])
    from indexer.schema import build_schema

    stored = sorted(name for name, field in build_schema().items() if field.stored)
    out.write_text(dictionary(commonest_words(folder), stored), encoding="utf-8")


if __name__ == "__main__":
    main()
