"""References to law as people write them: articles, act numbers, code abbreviations.

The one copy of these patterns. The read side finds the provision a query names
(`115-ФЗ статья 13.3`, `ст. 327.2 ТК РФ`); the indexing side finds an act's number in its
title (`... от 25.07.2002 N 115-ФЗ`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# `статья`/`ст.`/`Article`/`art.`/`берене` and a number (13, 13.3, 327.2.1, 6-1), or, as Kyrgyz
# writes it, the number first: `12-берене`, `6-1-берене`
ARTICLE_WORD = r"(?:стать[яиюеёй]|ст\.?|article|art\.?|берене)"
ARTICLE_NUMBER = r"\d+(?:[.-]\d+)*"
ARTICLE_REF_RE = re.compile(
    rf"(?<!\w)(?:{ARTICLE_WORD}\s*({ARTICLE_NUMBER})|({ARTICLE_NUMBER})\s*-?\s*берене)", re.IGNORECASE
)

# A Russian federal (constitutional) law's number: `115-ФЗ`, `№ 115-ФЗ`, `N 1-ФКЗ`
ACT_NUMBER_RE = re.compile(r"(?:№|N)?\s*(\d+-(?:ФЗ|ФКЗ))", re.IGNORECASE)

# Any act's number in a title or note: `N 115-ФЗ`, `№ 106`, `No. 97`, `№ 61-VI`
TITLE_NUMBER_RE = re.compile(r"(?:№|N|No\.?)\s*(\d+[\w-]*(?:-ФЗ|-ФКЗ)?)", re.IGNORECASE)

# An act's number as an official text signs or titles it, after № or N: `№ 63-ФЗ`, `N 15`,
# `№ 477-IV`, `№ 61-VI` (a pattern piece with the group `number`, for act_facts)
SIGNED_ACT_NUMBER = r"(?:№|N)\s*(?P<number>\d+(?:-[А-ЯA-Z]+(?:-[IVXІ]+)?|-[IVXІ]+)?)"

# Codes are cited by abbreviation (`ст. 327.2 ТК РФ`) but their texts never say `ТК`: each
# abbreviation stands for words of the code's title, the country's for the country's name.
CODE_ABBREVIATIONS = {
    "ТК": "трудовой кодекс",
    "ГК": "гражданский кодекс",
    "УК": "уголовный кодекс",
    "ГПК": "гражданский процессуальный кодекс",
    "УПК": "уголовно-процессуальный кодекс",
    "АПК": "арбитражный процессуальный кодекс",
    "КАС": "кодекс административного судопроизводства",
    "НК": "налоговый кодекс",
    "БК": "бюджетный кодекс",
    "ЖК": "жилищный кодекс",
    "ЗК": "земельный кодекс",
    "СК": "семейный кодекс",
    "УИК": "уголовно-исполнительный кодекс",
    "ЛК": "лесной кодекс",
    "КоАП": "кодекс правонарушениях",
    "РФ": "российской федерации",
    "КР": "кыргызской республики",
}
_ABBREVIATION_RE = re.compile(r"(?<![\w:=\"])(" + "|".join(CODE_ABBREVIATIONS) + r")(?![\w\"])")


@dataclass(frozen=True)
class ArticleReference:
    """The provision a text names: its number, its act's number (lowercased, or ''), and
    the character spans the reference takes (so the rest of the text can be searched as words)."""

    number: str
    act: str
    spans: tuple[tuple[int, int], ...]


def find_article(text: str) -> ArticleReference | None:
    """The first article a text names (with the first act number, if any); None without one.

    `115-ФЗ статья 13.3` -> ('13.3', '115-фз'); `ст. 13.3` -> ('13.3', '').
    """
    m = ARTICLE_REF_RE.search(text)
    if not m:
        return None
    act = ACT_NUMBER_RE.search(text)
    spans = [r.span() for r in ARTICLE_REF_RE.finditer(text)]
    spans += [r.span() for r in ACT_NUMBER_RE.finditer(text)]
    number = m.group(1) or m.group(2)
    return ArticleReference(number, act.group(1).lower() if act else "", tuple(sorted(spans)))


def article_lookup(text: str) -> tuple[str, str] | None:
    """(number, act) of `find_article`, or None."""
    ref = find_article(text)
    return (ref.number, ref.act) if ref else None


def title_number(*texts: str) -> str:
    """The act's number as written in the first text that has one: '115-ФЗ', '106' (`№ 106`)."""
    for text in texts:
        m = TITLE_NUMBER_RE.search(text)
        if m:
            return m.group(1)
    return ""


def expand_abbreviations(text: str) -> str:
    """`ст. 327.2 ТК РФ` -> `ст. 327.2 title:трудовой title:кодекс title:российской title:федерации`.

    Only the abbreviations as written (upper case, standalone, outside quotes) are expanded.
    """
    if text.count('"') % 2:
        return text  # let the parser report the unclosed quote
    parts = text.split('"')
    for i in range(0, len(parts), 2):  # outside quotes only
        parts[i] = _ABBREVIATION_RE.sub(
            lambda m: " ".join(f"title:{w}" for w in CODE_ABBREVIATIONS[m.group(1)].split()), parts[i]
        )
    return '"'.join(parts)
