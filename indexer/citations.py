"""The references a legal text makes to provisions and acts, found in its running text.

`статьей 13.3 настоящего Федерального закона` (this act), `частью 2 статьи 18.10 Кодекса
Российской Федерации об административных правонарушениях`, `статьи 5 и 6 Федерального закона от
25.07.2002 № 115-ФЗ`, `Article 5 of this Convention`, `в соответствии с Трудовым кодексом
Кыргызской Республики` (an act alone). Each becomes a Citation: the characters to link, the
article (and part) cited, and the act, as references.py reads it. Which document that act is,
is for the read side (indexer/search/citation_graph.py) to say.

An article number with no act after it (`статьи 5`, `указанной статьи`) is left alone: it may
be this act's or the last act named, and a wrong link is worse than none.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.references import ARTICLE_WORD, Reference, act_named_at, acts_named
from indexer.structure.numbers import ARABIC, normalize_arabic


@dataclass(frozen=True)
class Citation:
    start: int
    end: int  # the characters to link
    article: str  # normalised (`13.3`, `327.1`); '' when the act alone is named
    part: str  # `частью 2 статьи 13.3`, `пункта 2 статьи 13.3` (a law's numbered `2.`): '2'
    act: Reference | None  # None: the citing text's own act
    country: str  # the country named with the act ('' when none: the citing text's own)


_ARTICLES_RE = re.compile(
    rf"(?=[чсcpаaбbп])(?:(?<![\w.])|(?<=\bсо)|(?<=\bс)|(?<=\bво)|(?<=\bв))"
    rf"(?:(?:ч\.|част\w*|part|п\.|пункт\w*)\s*(?P<part>\d+)\s+(?:of\s+)?)?{ARTICLE_WORD}\s*(?P<first>{ARABIC})"
    rf"(?P<more>(?:\s*(?:,|и|или|and|or)\s*(?:{ARABIC})(?![\w.]))*)",
    re.IGNORECASE,
)
# (source texts glue words where links were: `состатьей 13.3настоящего`)
_MORE_RE = re.compile(ARABIC)
_THIS_ACT_RE = re.compile(r"\s*настоящ\w*|\s+of\s+(?:this|the\s+present)\s", re.IGNORECASE)


def find_citations(text: str, acts_alone: bool = True) -> list[Citation]:
    """Every citation in `text`, in order: one per article number, and (unless `acts_alone` is
    False) one per act named alone."""
    out: list[Citation] = []
    taken: list[tuple[int, int]] = []
    for m in _ARTICLES_RE.finditer(text):
        if _THIS_ACT_RE.match(text, m.end()):
            act, country, end = None, "", m.end()
        else:
            named = act_named_at(text, m.end())
            if named is None:
                continue
            end, act, country = named
        part = m.group("part") or ""
        out.append(Citation(m.start(), m.end("first"), normalize_arabic(m.group("first")), part, act, country))
        base = m.start("more")
        for n in _MORE_RE.finditer(m.group("more")):
            out.append(Citation(base + n.start(), base + n.end(), normalize_arabic(n.group(0)), "", act, country))
        if act is not None:  # the act's name links to the act
            gap = text[m.end() : end]
            out.append(Citation(end - len(gap.lstrip()), end, "", "", act, country))
        taken.append((m.start(), end))
    for start, end, act, country in acts_named(text) if acts_alone else ():
        if not any(start < e and s < end for s, e in taken):
            out.append(Citation(start, end, "", "", act, country))
    return sorted(out, key=lambda c: c.start)
