"""Document metadata: from a MANIFEST.tsv beside the documents when one exists, inferred otherwise.

The manifest (corpus/README.md; read by indexer/manifest.py) wins over inference for every
field it fills; inference fills the gaps (language from the text, title from the first heading
or line, country from the folder name, date and act number from the title).
"""

from __future__ import annotations

import os
import re
import unicodedata
from pathlib import Path

from analyzers import detect_language
from analyzers.cyrillic import transliterate
from indexer.act_facts import IN_FORCE, REPEALED, act_facts
from indexer.filetypes import for_name
from indexer.models import DocMeta, Extracted
from indexer.references import title_number

KNOWN_COUNTRIES = {"kg", "ru", "kz", "tj", "uz", "by", "am", "eaeu", "int", "us", "ca", "eu"}
STATUSES = (IN_FORCE, REPEALED)
_ISO_DATE_RE = re.compile(r"\d{4}-\d{2}-\d{2}")
# A title read from the text itself (no title, no heading): its first line, or that line's first
# sentence or words when the line is a paragraph. Each passage indexes its document's title, so a
# file made of one long paragraph would otherwise index its first 300 characters twice (the
# real10k/real100k benchmark corpora: a quarter of the postings).
TEXT_TITLE_CHARS = 120
_SENTENCE_END = re.compile(r"[.!?…](?=\s+[A-ZА-ЯЁ«\"(])")



def printable(name: str) -> str:
    """A file name as people see it: bytes that are not UTF-8 become U+FFFD.

    Python carries such names as lone surrogates (os.fsdecode), which work for opening the file
    but cannot be encoded for output, JSON, SQLite text or the index.
    """
    return name if name.isascii() else os.fsencode(name).decode("utf-8", "replace")


def slugify(text: str) -> str:
    """A URL-safe ASCII id: lowercase, Cyrillic transliterated, runs of other chars -> '-'."""
    text = transliterate(text)
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-") or "doc"


def doc_id_for(relpath: str) -> str:
    """A stable, readable id from the path relative to the indexed root.

    The extension is kept (as a suffix) so `law.txt` and `law.pdf` side by side stay distinct.
    """
    p = Path(relpath)
    stem = slugify(str(p.with_suffix("")))
    ext = p.suffix.lower().lstrip(".")
    return f"{stem}-{ext}" if ext and ext not in ("txt", "md") else stem


_DATE_RE = re.compile(r"\b(\d{1,2})\.(\d{1,2})\.((?:19|20)\d\d)\b")
_YEAR_RE = re.compile(r"\b(19[4-9]\d|20[0-4]\d)\b")


def infer_number(title: str, notes: str = "") -> str:
    """The act's number as written: '115-ФЗ', '106' (from '№ 106'), '97' (from 'No. 97')."""
    return title_number(title, notes)


def infer_date(text: str) -> str:
    m = _DATE_RE.search(text)
    if m:
        d, mth, y = m.groups()
        return f"{y}-{int(mth):02d}-{int(d):02d}"
    m = _YEAR_RE.search(text)
    return m.group(1) if m else ""


def _has_letters(line: str, count: int) -> bool:
    """At least `count` letters in `line`, reading only as far as needed (lines can be paragraphs)."""
    for ch in line:
        if ch.isalpha():
            count -= 1
            if not count:
                return True
    return count <= 0


def infer_title(extracted: Extracted, path: Path) -> str:
    """The file's own title, else its first heading, else its first substantial line."""
    if extracted.title and len(extracted.title.strip()) > 3:
        return extracted.title.strip()[:300]
    if extracted.headings:
        return extracted.headings[0].strip()[:300]
    for page in extracted.pages[:2]:
        for line in page.text.splitlines():
            line = line.strip().strip("#*").strip()
            if len(line) >= 8 and _has_letters(line, 5):
                return title_from_line(line)
    return path.stem.replace("-", " ").replace("_", " ")


def title_from_line(line: str) -> str:
    """`line` if short, else its first sentence or words up to TEXT_TITLE_CHARS, marked cut (…)."""
    if len(line) <= TEXT_TITLE_CHARS:
        return line
    head = line[: TEXT_TITLE_CHARS + 1]
    end = _SENTENCE_END.search(head, TEXT_TITLE_CHARS // 3)  # not "Статья 5."
    if end:
        return line[: end.end()]
    cut = head.rfind(" ")
    return (line[:cut] if cut > TEXT_TITLE_CHARS // 2 else line[:TEXT_TITLE_CHARS]).rstrip(" ,;:-–—") + "…"


def infer_country(relpath: str) -> str:
    """The first folder named like a country code ('ru/law.txt' -> 'ru')."""
    for part in Path(relpath).parts[:-1]:
        if part.lower() in KNOWN_COUNTRIES:
            return part.lower()
    return ""


def _file_type(path: Path) -> str:
    """The type's short name (`law.htm` -> 'html'); a file given by an unknown name keeps its ending."""
    file_type = for_name(path.name)
    return file_type.name if file_type else path.suffix.lower().lstrip(".")


def build_meta(path: Path, base: Path, extracted: Extracted, row: dict[str, str]) -> DocMeta:
    """Merge a manifest row (authoritative) with what the file and its text tell us.

    `base` is the folder ids are relative to (see writer.id_base). `path` keeps the name as the file
    system has it (to open the file again); everything shown to people is `printable`.
    """
    relpath = printable(path.resolve().relative_to(base.resolve()).as_posix())
    sample = "\n".join(p.text for p in extracted.pages[:5])[:20000]
    title = row.get("title") or printable(infer_title(extracted, path))
    notes = row.get("notes", "")
    facts = act_facts("\n".join(p.text for p in extracted.pages))
    status = row.get("status", "").lower()
    return DocMeta(
        doc_id=doc_id_for(relpath),
        path=str(path.resolve()),
        relpath=relpath,
        title=title,
        country=row.get("country") or infer_country(relpath),
        doc_type=row.get("doc_type") or "other",
        language=row.get("language") or detect_language(sample),
        date=row.get("date") or infer_date(title),
        source=row.get("source") or printable(str(path.resolve())),
        notes=notes,
        number=row.get("number") or infer_number(title, notes) or facts.number,
        status=status if status in STATUSES else facts.status,
        edition=row.get("edition") if _ISO_DATE_RE.fullmatch(row.get("edition", "")) else facts.edition,
        fetched_at=row.get("fetched_at", ""),
        file_type=_file_type(path),
        page_count=len(extracted.pages),
    )
