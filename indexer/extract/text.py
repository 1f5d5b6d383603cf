"""Plain text and Markdown: decode, split on form feeds, collect Markdown headings.

Markdown heading lines stay in the text (the provision splitter recognises `###Article 7`
itself); only inline decoration that would pollute tokens and snippets (emphasis markers,
link targets, raw HTML tags) is removed.
"""

from __future__ import annotations

import re
from pathlib import Path

from indexer.extract.encoding import decode_bytes
from indexer.models import Extracted, ExtractionError, Page

MAX_TEXT_BYTES = 200 * 1024 * 1024
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?!#)[ \t]*(.*?)[ \t#]*$")
_SETEXT_UNDERLINE = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
_IMAGE = re.compile(r"!\[([^\]\n]*)\]\([^)\n]*\)")
_LINK = re.compile(r"\[([^\]\n]+)\]\([^)\n]*\)")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>\n]*)?/?>")
_STRONG = re.compile(r"(?<!\\)(\*\*|__)(?=\S)(.+?)(?<=[^\s\\])\1")
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
    except PermissionError as exc:
        raise ExtractionError("cannot read file (permission denied)") from exc
    except OSError as exc:
        raise ExtractionError(f"cannot read file ({exc.strerror or exc})") from exc


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
    line = _unwrap(_STRONG, 2, line)
    line = _unwrap(_EM_STAR, 1, line)
    line = _unwrap(_EM_UNDERSCORE, 1, line)
    return _ESCAPE.sub(r"\1", line)


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

