"""Plain text and Markdown: decode, split on form feeds, collect Markdown headings.

Markdown heading lines stay in the text (the provision splitter recognises `###Article 7`
itself); only inline decoration that would pollute tokens and snippets (emphasis markers,
link targets, raw HTML tags) is removed.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from pathlib import Path

from indexer.budgets import MAX_TEXT_BYTES
from indexer.extract.encoding import decode_bytes
from indexer.models import Extracted, ExtractionError, Page

_HEADING = re.compile(r"^ {0,3}(#{1,6})(?!#)[ \t]*(.*?)[ \t#]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
_EM_STAR = re.compile(r"(?<![\w*\\])\*(?=[^\s*])([^*\n]+?)(?<=[^\s*\\])\*(?![*])")
_EM_UNDERSCORE = re.compile(r"(?<![\w_\\])_(?=[^\s_])([^_\n]+?)(?<=[^\s_\\])_(?![\w_])")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|])")


def read_bytes(path: Path) -> bytes:
    """Read a whole text file, refusing absurd sizes rather than exhausting memory."""
    try:
        size = path.stat().st_size
        if size > MAX_TEXT_BYTES:
            raise ExtractionError(f"text file too large ({size // (1024 * 1024)} MB)")
        with path.open("rb") as fh:
            return fh.read()
    except OSError as exc:
        raise ExtractionError.unreadable(exc) from exc


def decode_file(path: Path) -> tuple[str, str]:
    data = read_bytes(path)
    if not data:
        raise ExtractionError("empty file")
    text, encoding = decode_bytes(data)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return text, encoding


def split_pages(text: str) -> list[Page]:
    """Form feeds separate pages in text dumps (pdftotext, old typewriter exports)."""
    parts = text.split("\f")
    if len(parts) > 1 and not parts[-1].strip():
        parts.pop()
    return [Page(number, part) for number, part in enumerate(parts, start=1)]


def extract_text(path: Path) -> Extracted:
    """A plain text file: its pages (form-feed separated) and the encoding it was written in."""
    text, encoding = decode_file(path)
    return Extracted(pages=split_pages(text), encoding=encoding)


def markdown_heading(line: str) -> str | None:
    """The heading text of an ATX heading line (`## Title`, also `###Article 7`), else None."""
    match = _HEADING.match(line)
    if not match:
        return None
    return strip_inline(match.group(2)).strip() or None


def strip_inline(line: str) -> str:
    """Remove Markdown inline markup but keep every word a reader would see."""
    line = _IMAGE.sub(r"\1", line)
    line = _LINK.sub(r"\1", line)
    line = _HTML_TAG.sub("", line)
    line = strip_strong(line)
    line = _unwrap(_EM_STAR, 1, line)
    line = _unwrap(_EM_UNDERSCORE, 1, line)
    return _ESCAPE.sub(r"\1", line)


def strip_strong(line: str) -> str:
    r"""`**text**` and `__text__` -> `text`, in linear time.

    Same result as re.sub with `(?<!\\)(\*\*|__)(?=\S)(.+?)(?<=[^\s\\])\1`, but that pattern rescans
    the rest of the line from every opener that never closes: 40 KB of `**a ` took 11 s. Here each
    opener looks up the first valid closer after it in a sorted list.
    """
    closers = {d: [j for j in _occurrences(line, d) if _closes(line, j)] for d in ("**", "__")}
    newlines = [i for i, ch in enumerate(line) if ch == "\n"]
    out: list[str] = []
    copied = i = 0
    while i < len(line) - 2:
        marker = line[i : i + 2]
        if marker in closers and (i == 0 or line[i - 1] != "\\") and not line[i + 2].isspace():
            found = closers[marker]
            k = bisect_left(found, i + 3)  # at least one character inside
            if k < len(found):
                j = found[k]
                n = bisect_left(newlines, i + 2)
                if n == len(newlines) or newlines[n] > j:  # emphasis does not cross a line
                    out += [line[copied:i], line[i + 2 : j], " " if line[j + 2 : j + 3].isalnum() else ""]
                    copied = i = j + 2
                    continue
        i += 1
    out.append(line[copied:])
    return "".join(out)


def _occurrences(line: str, marker: str) -> list[int]:
    """Every start of `marker` in `line`, overlapping ones too (`***` holds `**` twice)."""
    found, at = [], line.find(marker)
    while at != -1:
        found.append(at)
        at = line.find(marker, at + 1)
    return found


def _closes(line: str, j: int) -> bool:
    return j > 0 and not line[j - 1].isspace() and line[j - 1] != "\\"


def _unwrap(pattern: re.Pattern, group: int, line: str) -> str:
    """Drop emphasis markers; where a closing marker touched the next word (`*Title*The`), leave a space."""

    def keep(match: re.Match) -> str:
        after = line[match.end():match.end() + 1]
        return match.group(group) + (" " if after.isalnum() else "")

    return pattern.sub(keep, line)


def _markdown_lines(text: str) -> tuple[list[str], list[tuple[int, str]]]:
    lines = text.split("\n")
    out: list[str] = []
    headings: list[tuple[int, str]] = []
    for i, line in enumerate(lines):
        match = _HEADING.match(line)
        heading = strip_inline(match.group(2)).strip() if match else None
        if heading:
            headings.append((len(match.group(1)), heading))
            out.append(line[: match.start(2)] + heading)  # "###Article 7" stays as written
            continue
        underline = _SETEXT_UNDERLINE.match(lines[i + 1]) if i + 1 < len(lines) else None
        stripped = strip_inline(line)
        if underline and stripped.strip() and not _SETEXT_UNDERLINE.match(line):
            headings.append((1 if underline.group(1)[0] == "=" else 2, stripped.strip()))
        if _SETEXT_UNDERLINE.match(line) and out and out[-1].strip():
            continue  # the underline of a setext heading is decoration
        if line.strip() and not stripped.strip():
            continue  # a line that was only an HTML tag
        out.append(stripped)
    return out, headings


def extract_markdown(path: Path) -> Extracted:
    """A Markdown file: text with heading lines kept, headings collected, title = first top heading."""
    text, encoding = decode_file(path)
    pages = split_pages(text)
    all_headings: list[tuple[int, str]] = []
    for page in pages:
        lines, headings = _markdown_lines(page.text)
        page.text = "\n".join(lines)
        all_headings.extend(headings)
    title = None
    if all_headings:
        top = min(level for level, _ in all_headings)
        title = next(h for level, h in all_headings if level == top)
    return Extracted(
        pages=pages, title=title, headings=[h for _, h in all_headings], encoding=encoding
    )

