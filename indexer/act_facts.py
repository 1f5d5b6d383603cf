"""What a legal text says about itself: its act number, whether it is still in force, and the
edition it reflects.

Official texts carry these in fixed places: a repealed act opens with `Утратил силу - ...`; the
amendment list under the title, `(В редакции федеральных законов от 20.02.1996 № 18-ФЗ, ...)` or
`(В редакции Законов Кыргызской Республики от 18 января 2022 года № 4, ...)`, ends with the edition
the text is in; a Russian code is signed at the end (`Москва, Кремль 13 июня 1996 года № 63-ФЗ`),
a Kyrgyz one is numbered under its title (`от 8 мая 1996 года № 15`); Kazakh texts note every
amendment (`Законом РК от 30.12.2022 № 177-VII`). Only those places are read, so a provision that
declares *another* act repealed never marks this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.references import DATE_RE, NUMERIC_DATE, SIGNED_ACT_NUMBER, iso_date

HEAD_CHARS = 4000
EDITION_CHARS = 60_000  # the amendment list of an old code is long (УК РФ: ~25,000 characters)
TAIL_CHARS = 600
IN_FORCE, REPEALED = "in_force", "repealed"

_NUMBER = SIGNED_ACT_NUMBER
REPEALED_RE = re.compile(
    r"^\W*(?:утратил[аио]?\s+силу|признан[аио]?\s+утративш\w+\s+силу)(?P<rest>(?:[^\n]|\n(?!\n)){0,300})",
    re.IGNORECASE,
)
EDITION_RE = re.compile(r"\(\s*в\s+редакции\b(?P<list>[^()]{0,20000})\)", re.IGNORECASE)
AMENDMENT_RE = re.compile(
    r"(?:закон\w*|указ\w*|кодекс\w*)\s+(?:РК|Республики\s+Казахстан)\s+от\s+" + NUMERIC_DATE,
    re.IGNORECASE,
)
SIGNED_RE = re.compile(r"\b\d{4}\s*(?:года|г\.)?\s*" + _NUMBER + r"\s*$")
TITLE_NUMBER_RE = re.compile(r"^[\s\S]{0,400}?\bот\s+(?:" + DATE_RE.pattern + r")\s*" + _NUMBER)
# The act's own date line under its title (`от 8 мая 1996 года № 15` alone on its line): a note
# above the title may name an amending act first (`Изменения, внесенные Законом КР от ... № 207`)
OPENING_NUMBER_RE = re.compile(r"^[ \t]*от\s+(?:" + DATE_RE.pattern + r")\s*" + _NUMBER, re.MULTILINE)


@dataclass(frozen=True)
class ActFacts:
    number: str = ""  # "63-ФЗ", "15", "477-IV"
    status: str = IN_FORCE
    repealed_by: str = ""  # "Федеральный закон от 03.06.2006 г. N 73-ФЗ"
    edition: str = ""  # ISO date of the latest amendment the text includes


def act_facts(text: str) -> ActFacts:
    """The facts a legal text states about itself (empty strings where it states nothing)."""
    text = text.lstrip()
    head = text[:HEAD_CHARS]
    repealed = REPEALED_RE.match(head)
    head = head[repealed.end() if repealed else 0 :]
    return ActFacts(
        number=_opening_number(head) or _number(_title_block(head), text[-TAIL_CHARS:]),
        status=REPEALED if repealed else IN_FORCE,
        repealed_by=_clean(repealed.group("rest")) if repealed else "",
        edition=_edition(text),
    )


def _edition(text: str) -> str:
    found = EDITION_RE.search(text[:EDITION_CHARS])
    dates = [iso_date(m) for m in DATE_RE.finditer(found.group("list"))] if found else []
    if not dates:  # Kazakh texts: the latest amendment noted anywhere in the text
        dates = [iso_date(m) for m in AMENDMENT_RE.finditer(text)]
    return max((d for d in dates if d), default="")


def _number(head: str, tail: str) -> str:
    for found in (TITLE_NUMBER_RE.search(head), SIGNED_RE.search(tail.rstrip())):
        if found:
            return found.group("number").replace("І", "I")  # Cyrillic І in Kazakh numbers
    return ""


def _opening_number(head: str) -> str:
    """The number on the act's own date line, before its amendment list (which also has lines
    starting `от ... №`, the amending acts')."""
    amendments = EDITION_RE.search(head)
    found = OPENING_NUMBER_RE.search(head[: amendments.start() if amendments else 1500])
    return found.group("number").replace("І", "I") if found else ""


def _title_block(head: str) -> str:
    """The title and its date line, before any amendment list or editor's note."""
    block = head[:400].split("(")[0]
    return "" if re.search(r"сноска|примечание", block, re.IGNORECASE) else block


def _clean(rest: str) -> str:
    return " ".join(rest.split()).strip(" -–—.:,")[:200]
