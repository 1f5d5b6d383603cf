"""Names found by their shape, in any language: what no model is needed for.

- an acronym defined in parentheses: `Tian Shan Policy Center (TSPC)`, `... центр (ТАЦ)`;
- a quoted name with its legal form: `ОФ "Институт политики развития"`, `PA "Public Position"`,
  `"Resource Centre for the Elderly" Public Association`;
- a run of capitalised words holding an organisation word: `Ministry of Foreign Affairs`,
  `Кыргыз Республикасынын Эмгек министрлиги`;
- a person named with a role or an organisation after a comma: `Kathryn Anderson, Professor`;
- named laws: codes by kind and country (`Трудового кодекса Российской Федерации`, `ТК РФ`), acts by
  number (`Федеральный закон № 115-ФЗ`), conventions by title (`Convention on the Rights of the Child`).

Each rule yields Candidates: a span, a kind, the name as it should be shown, and an entity id when
the rule knows it (a law's number); the extractor links the rest to the gazetteer or a name key.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from indexer.entities.names import (
    LEGAL_FORM_RE,
    LEGAL_FORM_WORDS,
    LEGAL_FORMS,
    Word,
    fold,
    is_cyrillic_word,
    parses,
    word_set,
)
from indexer.references import (
    ACT_NUMBER_RE,
    CODE_ABBREVIATIONS,
    DATE_RE,
    find_code,
    normalize_act_number,
)

MAX_NAME_WORDS = 12


@dataclass(frozen=True)
class Candidate:
    start: int
    end: int
    kind: str
    name: str  # the name itself, without legal form or quotes (still inflected)
    entity_id: str = ""  # when the rule identifies it (a law by number or code)
    acronym: str = ""  # the acronym this candidate defines, when in parentheses after it


# --- acronyms defined in parentheses --------------------------------------------------------

CONNECTORS = word_set(
    "of the for and on in at to de des du la le del и в при по для на об о"
)
_ACRONYM_DEF = re.compile(r"\(\s*([A-ZА-ЯЁ][A-ZА-ЯЁ&]{1,9})\s*[),]")


def defined_acronyms(text: str, ws: list[Word]) -> Iterator[Candidate]:
    """`Open Society Foundations (OSF)`: the words before the parenthesis whose initials spell it."""
    starts = {w.start: i for i, w in enumerate(ws)}
    for m in _ACRONYM_DEF.finditer(text):
        acronym = m.group(1)
        inside = starts.get(m.start(1))
        if inside is None:
            continue
        before = [w for w in ws[max(0, inside - len(acronym) - 6) : inside] if w.end <= m.start()]
        first = _spelled_from(acronym, before, text)
        if first is not None:
            span = before[first:]
            name = text[span[0].start : span[-1].end]
            yield Candidate(span[0].start, span[-1].end, "org", name, acronym=acronym)


def _initials(word: str) -> list[str]:
    """`Тянь-Шаньский` -> [т, ш]."""
    return [part[0].lower() for part in re.split(r"[-‐]", word) if part]


def _spelled_from(acronym: str, before: list[Word], text: str) -> int | None:
    """The index of the first word of the shortest run ending right before the parenthesis
    whose words' initials spell the acronym (connectors may give no letter); None if none."""
    letters = [c.lower() for c in acronym if c.isalpha()]
    for first in range(len(before) - 1, -1, -1):
        run = before[first:]
        if any(c in ".;:!?()[]" for c in text[run[0].end : run[-1].start]):
            return None
        if fold(run[0].text) in CONNECTORS or not _spells(letters, [w.text for w in run]):
            continue
        return first
    return None


def _spells(letters: list[str], run: list[str]) -> bool:
    """Each content word gives its first letter (and maybe its hyphen parts'), connectors give
    their first letter or none, and together they give exactly the letters."""

    def go(li: int, wi: int) -> bool:
        if wi == len(run):
            return li == len(letters)
        word = run[wi]
        initials = _initials(word)
        options = [initials[:k] for k in range(len(initials), 0, -1)]
        if fold(word) in CONNECTORS:
            options.append([])
        return any(
            letters[li : li + len(opt)] == opt and go(li + len(opt), wi + 1) for opt in options
        )

    return len(run) <= len(letters) + 4 and go(0, 0)


# --- quoted names with a legal form ---------------------------------------------------------

_OPEN, _CLOSE = "«\"“„", "»\"”“"
_QUOTED = re.compile(rf"[{_OPEN}](?P<name>[^{_OPEN}{_CLOSE}\n]{{2,150}})[{_CLOSE}]")
_FORM_WORDS = "|".join(sorted(LEGAL_FORM_WORDS, key=len, reverse=True))
_FORM_ABBRS = "|".join(sorted(LEGAL_FORMS, key=len, reverse=True))
_LEGAL_BEFORE = re.compile(rf"(?<![\w-])(?:{_FORM_WORDS}|{_FORM_ABBRS})\s*$", re.IGNORECASE)
_LEGAL_AFTER = re.compile(rf"\s+(?:{_FORM_WORDS})(?!\w)", re.IGNORECASE)
FORM_REACH = 60  # characters before a quote that a legal form may take


def quoted_with_legal_form(text: str) -> Iterator[Candidate]:
    """A quoted name with a legal form written before (`ОФ "..."`, `Общественным фондом «...»`) or
    after it (`"..." Public Association`); a lowercase abbreviation (`оф "..."`) is no legal form."""
    for m in _QUOTED.finditer(text):
        before = _LEGAL_BEFORE.search(text[max(0, m.start() - FORM_REACH) : m.start()])
        if before and not (before.group(0).strip().isalpha() and len(before.group(0).strip()) <= 5
                           and not before.group(0).strip().isupper()):
            yield Candidate(m.start() - len(before.group(0)), m.end(), "org", m.group("name").strip())
            continue
        after = _LEGAL_AFTER.match(text, m.end())
        if after:
            yield Candidate(m.start(), after.end(), "org", m.group("name").strip())


# --- capitalised names with an organisation word ----------------------------------------------

ORG_WORDS = word_set(
    """ministry ministries organization organisation office council committee commission agency
    bank fund foundation foundations centre center university institute institution association
    union service programme program project alliance academy court parliament network platform
    department embassy consulate party trust authority secretariat chamber board school college
    laboratory inspectorate society federation confederation coalition movement club
    министрлиги министрлигинин кызматы кызматынын фонду фондунун уюму уюмунун борбору борборунун
    комитети комитетинин университети университетинин агенттиги агенттигинин кеңеши бирикмеси
    палатасы сотунун соту инспекциясы"""
)
CALENDAR_WORDS = word_set(
    """monday tuesday wednesday thursday friday saturday sunday january february march april may
    june july august september october november december"""
)
PLACE_HEADS = frozenset({"federation", "republic", "states", "kingdom", "emirates"})


_BREAK = re.compile(r"[.,;:!?()\[\]«»\"“”\n]")


def capitalised_org_names(ws: list[Word], text: str, starts: list[int]) -> Iterator[Candidate]:
    """Runs of capitalised words (joined by connectors, never across punctuation) that hold an
    organisation word; a title before `of` that holds none is left out (`Members of the ...`).
    `starts`: the indexes of the capitalised words."""
    done = 0
    for i in starts:
        if i < done or ws[i].acronym:
            continue
        run = [ws[i]]
        for w in ws[i + 1 : i + MAX_NAME_WORDS]:
            if not (w.capitalised or fold(w.text) in CONNECTORS) or _BREAK.search(text, run[-1].end, w.start):
                break
            run.append(w)
        done = i + len(run)
        if len(run) >= 2:
            yield from _org_in_run(run, text)


def _org_in_run(run: list[Word], text: str) -> Iterator[Candidate]:
    while run and fold(run[-1].text) in CONNECTORS:
        run = run[:-1]
    folded = [fold(w.text) for w in run]
    if len(run) < 2 or LEGAL_FORM_RE.fullmatch(" ".join(folded)):
        return
    if cut := next((i for i, f in enumerate(folded) if f in CALENDAR_WORDS), None):
        yield from _org_in_run(run[:cut], text)
        return
    if any(f in ROLE_WORDS for f in folded):
        return  # `Program Manager`, `Executive Director`: a person's title, not an organisation
    heads = [i for i, f in enumerate(folded) if f in ORG_WORDS]
    if not heads or all(folded[i] in PLACE_HEADS for i in heads):
        return
    start = 0
    for i, f in enumerate(folded):
        if f == "of" and i > 0 and not any(folded[j] in ORG_WORDS for j in range(start, i)):
            start = i + 1
    while start < len(run) and folded[start] in CONNECTORS:
        start += 1
    span = run[start:]
    if len(span) < 2 or not any(fold(w.text) in ORG_WORDS for w in span):
        return
    yield Candidate(span[0].start, span[-1].end, "org", text[span[0].start : span[-1].end])


# --- Russian names built on an organisation word ----------------------------------------------

RU_ORG_HEADS = word_set(
    """министерство служба агентство фонд центр институт университет организация ассоциация
    комитет комиссия совет банк союз академия управление департамент посольство консульство палата
    суд прокуратура инспекция программа объединение партия движение сеть платформа альянс
    коалиция корпорация кенеш представительство секретариат"""
)
SPECIFIC_HEADS = word_set("министерство агентство фонд центр институт университет ассоциация академия")
RU_LINKS = word_set("по для при и")
MAX_RU_NAME_WORDS = 10


def russian_org_names(ws: list[Word], text: str, starts: list[int]) -> Iterator[Candidate]:
    """`Министерство труда, миграции и молодежи Кыргызской Республики`, `Института политики развития`:
    a capitalised word opening adjectives and an organisation word, then the words in the genitive
    (or after по/для/при/и) that complete it. At a sentence's start (where every word is
    capitalised) only a name that says more than a common phrase is kept. `starts`: the indexes
    of the capitalised words."""
    done = 0
    for i in starts:
        if i < done or ws[i].acronym or not is_cyrillic_word(ws[i].text):
            continue
        end = _russian_org_at(ws, text, i)
        if end is None:
            continue
        span = ws[i:end]
        initial = _sentence_start(text, ws[i].start)
        heads = [w for w in span if _lemma(w.text) in RU_ORG_HEADS]
        sure = any(w.capitalised for w in span[1:]) or (
            _lemma(heads[0].text) in SPECIFIC_HEADS and len(span) >= 3
        )
        if len(span) >= 2 and (sure or not initial):
            yield Candidate(span[0].start, span[-1].end, "org", text[span[0].start : span[-1].end])
        done = end


def _russian_org_at(ws: list[Word], text: str, i: int) -> int | None:
    """The end (exclusive) of an organisation's name starting at word i, None if none starts there."""
    j = i
    while j < len(ws) and j - i < 3 and _pos(ws[j].text) in ("ADJF", "PRTF") and _lemma(ws[j].text) not in RU_ORG_HEADS:
        j += 1
    if j >= len(ws) or _lemma(ws[j].text) not in RU_ORG_HEADS or _gap(text, ws[j - 1], ws[j]) and j > i:
        return None
    end = j + 1
    while end < len(ws) and end - i < MAX_RU_NAME_WORDS and not _gap(text, ws[end - 1], ws[end], commas=True):
        w = fold(ws[end].text)
        if w in RU_LINKS and end + 1 < len(ws) and not _gap(text, ws[end], ws[end + 1]):
            if w == "и" and not _genitive(ws[end + 1].text):
                break
            end += 2
            continue
        if not _genitive(ws[end].text):
            break
        end += 1
    return end


def _gap(text: str, a: Word, b: Word, commas: bool = False) -> bool:
    """True when punctuation or a blank line stands between two words; with `commas`, a comma
    before a lowercase genitive (`труда, миграции`) does not count."""
    between = text[a.end : b.start]
    if commas and between.strip() == ",":
        return not _genitive(b.text) or b.capitalised
    return bool(between.strip()) or "\n\n" in between


def _sentence_start(text: str, at: int) -> bool:
    before = text[:at].rstrip()
    return not before or before[-1] in ".!?:;\n«\"(" or text[max(0, at - 2) : at].count("\n") > 0


def _lemma(word: str) -> str:
    best = parses(word)
    return fold(best[0].normal_form) if best else ""


def _pos(word: str) -> str:
    best = parses(word)
    return str(best[0].tag.POS) if best else ""


def _genitive(word: str) -> bool:
    """A Cyrillic noun or adjective that can be in the genitive (`труда`, `Кыргызской`)."""
    each = parses(word)
    if len(word) < 2 or not each or each[0].tag.POS in ("PREP", "CONJ", "PRCL", "NPRO"):
        return False
    return any(p.tag.case == "gent" and p.tag.POS in ("NOUN", "ADJF", "PRTF") for p in each[:4])


# --- people ---------------------------------------------------------------------------------

ROLE_WORDS = word_set(
    """director professor head chief manager president minister chairman chairperson chair
    coordinator officer specialist expert researcher ambassador adviser advisor representative
    secretary deputy consultant lawyer journalist founder member директор профессор руководитель
    председатель министр эксперт координатор специалист"""
)
_PERSON = re.compile(
    r"(?<![\w-])(?P<name>[A-ZА-ЯЁ][a-zа-яё]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?(?: [A-ZА-ЯЁ]\.)?"
    r" [A-ZА-ЯЁ][a-zа-яё'’]+(?:-[A-ZА-ЯЁ][a-zа-яё]+)?),[ \t]+(?P<after>[^;.\n]{0,80})"
)


def people(text: str, org_starts: set[int]) -> Iterator[Candidate]:
    """`Kathryn Anderson, Vanderbilt University Professor`, `Asel Akmatova, International
    Organization for Migration`: two capitalised words, a comma, then a role or an organisation."""
    for m in _PERSON.finditer(text):
        after = m.group("after")
        roles = {fold(w) for w in re.findall(r"[^\W\d_]+", after)}
        if roles & ROLE_WORDS or m.start("after") in org_starts:
            first = fold(m.group("name").split()[0])
            if first in CONNECTORS or first in ORG_WORDS or first in {"the", "this", "these"}:
                continue
            yield Candidate(m.start("name"), m.end("name"), "person", m.group("name"))


# --- laws -----------------------------------------------------------------------------------

_TREATY = re.compile(
    r"(?<![\w-])(?:(?:International|European|Universal|United Nations|Inter-American)\s+)?"
    r"(?:Convention|Covenant|Protocol|Declaration|Charter)"
    r"(?:\s+\(No\.\s*\d+\))?"
    r"\s+(?:on|of|concerning|for|against|relating\s+to|to\s+Prevent)"
    r"(?:\s+(?:[A-Z][\w'-]*|of|the|and|on|in|to|for|against|by|with|its|their|all|Members\s+of|,))+",
)
_TREATY_RU = re.compile(
    r"(?<![\w-])(?:Международн\w+\s+|Европейск\w+\s+|Всеобщ\w+\s+)?"
    r"(?:Конвенци|Пакт|Протокол|Деклараци|Устав)\w*"
    r"\s+(?:о|об|против|по)\s+[а-яё\w ,-]{3,120}?(?=[.;:()\n«»\"]|\s+от\s|\s+\d|$)"
)


_CODE_HINT = re.compile(
    r"кодекс|code\b|(?<![\w-])(?:" + "|".join(CODE_ABBREVIATIONS) + r")(?![\w-])", re.IGNORECASE
)
CODE_WINDOW = 160  # characters either side of a hint that a code's name may take


def codes(text: str) -> Iterator[Candidate]:
    """Codes by name or abbreviation, read only round the words that may name one (the shared
    pattern in indexer.references is costly on long texts)."""
    windows: list[list[int]] = []
    for m in _CODE_HINT.finditer(text):
        lo, hi = max(0, m.start() - CODE_WINDOW), min(len(text), m.end() + CODE_WINDOW)
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
    seen: set[int] = set()
    for lo, hi in windows:
        spans: list[tuple[int, int]] = []
        piece = text[lo:hi]
        while (code := find_code(piece, spans)) is not None:
            start, end = spans[-1]
            at_edge = (start == 0 and lo > 0) or (end == len(piece) and hi < len(text))
            if at_edge or lo + start in seen or not (code.country or code.text[:1].isupper()):
                continue
            seen.add(lo + start)
            entity_id = f"law:code-{code.kind.replace('_', '-')}" + (f"-{code.country}" if code.country else "")
            yield Candidate(lo + start, lo + end, "law", code.text, entity_id)


_NUMBER = r"(?P<number>\d+(?:-[А-ЯA-ZІ]+)*(?:-[IVXІ]+)?)(?![\w-])"
_ACT_REFERENCE = re.compile(
    r"(?<![\w-])(?:[Фф]едеральн\w*\s+)?(?:[Кк]онституционн\w*?\s*)?[Зз]акон\w*?"
    r"(?:\s+(?:КР|РК|РФ|Кыргызской\s+Республики|Республики\s+Казахстан|Российской\s+Федерации))?"
    rf"(?:\s*(?:от)?\s*(?:{DATE_RE.pattern}))?\s*(?:№|N)\s*{_NUMBER}"
    r"(?:\s*[«\"“](?P<title>[^»\"”\n]{3,300})[»\"”])?"
)


def acts_by_number(text: str) -> Iterator[Candidate]:
    """`Федеральный закон от 25.07.2002 N 115-ФЗ "О правовом положении ..."`, `Закона РК от
    19.04.2023 № 223-VII`, `Законом КР от 20 июля 2015 года № 179`, or a bare `115-ФЗ`: the act's
    number is its id (`law:115-fz`), the whole reference its span."""
    taken: list[tuple[int, int]] = []
    for m in _ACT_REFERENCE.finditer(text):
        number = normalize_act_number(m.group("number"))
        taken.append(m.span())
        yield Candidate(m.start(), m.end(), "law", number, _law_id(number))
    for m in ACT_NUMBER_RE.finditer(text):
        if any(s <= m.start() < e for s, e in taken):
            continue
        number = normalize_act_number(m.group(1) or m.group(2))
        if m.group(2) and "закон" not in m.group(0).lower():
            continue  # a bare `№ 5` is no act
        yield Candidate(m.start(), m.end(), "law", number, _law_id(number))


def _law_id(number: str) -> str:
    return "law:" + re.sub(r"[^0-9a-z]+", "-", fold(number).translate(_LATIN)).strip("-")


def laws(text: str) -> Iterator[Candidate]:
    yield from codes(text)
    yield from acts_by_number(text)
    for pattern in (_TREATY, _TREATY_RU):
        for m in pattern.finditer(text):
            name = m.group(0).rstrip(" ,")
            name = re.sub(r"(?:\s+(?:of|the|and|on|in|to|for|by|with|its|their|all))+$", "", name)
            if len(name.split()) >= 3:
                yield Candidate(m.start(), m.start() + len(name), "law", name)


_LATIN = str.maketrans({"ф": "f", "з": "z", "к": "k", "і": "i"})
