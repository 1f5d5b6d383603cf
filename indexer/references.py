"""References to law as people write them: provisions, act numbers, codes, dates.

The one copy of these patterns. The read side reads the reference a query makes
(`ч. 1 ст. 322.1 УК РФ`, `статья 1 Гражданского кодекса Кыргызской Республики`,
`Федеральный закон № 115-ФЗ`, `Article 5 of the Criminal Code of the Russian Federation`) and
resolves it to an act of the catalog; the indexing side reads an act's number from its title
(`... от 25.07.2002 N 115-ФЗ`) and the kind of code a title names.

A code is named by its kind (civil, civil procedure, criminal, ...) and country, never by
words of its title: `ГК КР` is the Civil Code of Kyrgyzstan and not its Civil *Procedure* Code,
whose title shares every word of it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from indexer.structure.numbers import ARABIC, normalize_arabic

# --- dates: `25.07.2002`, `25.07.2002 г.`, `18 июля 2006 года` ---------------------------------

_MONTH_NAMES = ("января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа",
                "сентября", "октября", "ноября", "декабря")  # fmt: skip
_MONTHS = {name: i for i, name in enumerate(_MONTH_NAMES, 1)}
NUMERIC_DATE = r"(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})(?:\s*г\.?)?"
_WORDED_DATE = r"(?P<wd>\d{1,2})\s+(?P<wm>[а-я]+)\s+(?P<wy>\d{4})\s*(?:года|г\.)"
DATE_RE = re.compile(rf"{NUMERIC_DATE}|{_WORDED_DATE}", re.IGNORECASE)


def iso_date(match: re.Match) -> str:
    """`18.07.2006` or `18 июля 2006 года` as `2006-07-18` ('' for an impossible date)."""
    if match.group("y"):
        day, month, year = int(match.group("d")), int(match.group("m")), int(match.group("y"))
    else:
        day, year = int(match.group("wd")), int(match.group("wy"))
        month = _MONTHS.get(match.group("wm").lower(), 0)
    if not (1 <= month <= 12 and 1 <= day <= 31):
        return ""
    return f"{year:04d}-{month:02d}-{day:02d}"


# --- provisions: article, part, point, subpoint ----------------------------------------------

NUMBER = rf"({ARABIC})(?!\w)"
ARTICLE_WORD = r"(?:стать[яиюеёй]\w*|ст\.?|articles?|art\.?|берене\w*)"
_ARTICLE_BEFORE = re.compile(rf"(?<![\w.]){ARTICLE_WORD}\s*{NUMBER}", re.IGNORECASE)
# Kyrgyz writes the number first: `12-берене`, `6-1-берене`, `12 берене`, `13-статья`
_ARTICLE_AFTER = re.compile(
    r"(?<![\w.])(\d+(?:[.-]\d+)*)\s*(?:-\s*(?:берене\w*|стать[яиюеёй]\w*)|берене\w*)(?!\w)", re.IGNORECASE
)
_PART = re.compile(rf"(?<![\w.])(?:ч\.?|част[ьиюей]\w*|part|бөлүк\w*)\s*{NUMBER}", re.IGNORECASE)
_POINT = re.compile(
    rf"(?<![\w.])(?:п\.?|пункт(?:а|у|ом|е)?|para\.?|paragraph|point)\s*{NUMBER}", re.IGNORECASE
)
_SUBPOINT = re.compile(
    r"(?<![\w.])(?:пп\.?|подпункт\w*|subparagraph|пунктча\w*)\s*(\d+|[а-яa-z])\)?(?!\w)", re.IGNORECASE
)

# The provision words alone, as in `статьей`, kept for what is not a reference
ARTICLE_REF_RE = _ARTICLE_BEFORE

# --- act numbers --------------------------------------------------------------------------

_ROMAN_SUFFIX = r"[IVXІ]+"
# `115-ФЗ`, `№ 115-ФЗ`, `N 1-ФКЗ`, `477-IV`, `№ 2337`; with `Федеральный закон` before it
ACT_NUMBER_RE = re.compile(
    r"(?<![\w-])(?:(?:федеральн\w*\s+(?:конституционн\w*\s+)?)?закон\w*\s+)?"
    rf"(?:(?:№|N|No\.?)\s*)?(\d+-(?:ФЗ|ФКЗ|{_ROMAN_SUFFIX}))(?![\w-])"
    r"|(?<![\w-])(?:(?:федеральн\w*\s+)?закон\w*\s+)?№\s*(\d+)(?![\w.-])",
    re.IGNORECASE,
)

# Any act's number in a title or note: `N 115-ФЗ`, `№ 106`, `No. 97`, `№ 61-VI`
TITLE_NUMBER_RE = re.compile(r"(?:№|N|No\.?)\s*(\d+[\w-]*(?:-ФЗ|-ФКЗ)?)", re.IGNORECASE)

# An act's number as an official text signs or titles it, after № or N: `№ 63-ФЗ`, `N 15`,
# `№ 477-IV`, `№ 61-VI` (a pattern piece with the group `number`, for act_facts)
SIGNED_ACT_NUMBER = r"(?:№|N)\s*(?P<number>\d+(?:-[А-ЯA-Z]+(?:-[IVXІ]+)?|-[IVXІ]+)?)"

_DATE_REF = re.compile(rf"(?<!\w)от\s+(?:{DATE_RE.pattern})", re.IGNORECASE)

# --- codes: kind and country ---------------------------------------------------------------

# Most specific first: `гражданский процессуальный` before `гражданский`.
CODE_KINDS: tuple[tuple[str, str], ...] = (
    ("civil_procedure", r"гражданск\w*\s+процессуальн|civil\s+procedur|(?:граждандык|жарандык)\s+процесстик"),
    ("arbitration_procedure", r"арбитражн\w*\s+процессуальн|arbitra\w*\s+procedur"),
    ("criminal_procedure", r"уголовно\s*-?\s*процессуальн|criminal\s+procedur|кылмыш\w*-жаза\w*\s+процесстик"),
    ("penal", r"уголовно\s*-?\s*исполнительн|penal\s+enforcement|penitentiary"),
    ("criminal", r"уголовн|criminal|кылмыш"),
    ("civil", r"гражданск|civil|граждандык|жарандык"),
    ("offences", r"правонарушени|offen[cs]es|укук\s+бузуу"),
    ("administrative_procedure", r"административного\s+судопроизводства|administrative\s+(?:court\s+)?procedur"),
    ("labour", r"трудов|labou?r|эмгек"),
    ("tax", r"налогов|\btax|салык"),
    ("budget", r"бюджетн|budget"),
    ("housing", r"жилищн|housing"),
    ("family", r"семейн|family|үй-бүлө"),
    ("land", r"земельн|\bland|жер\s+кодекс"),
    ("inland_water_transport", r"внутреннего\s+водного\s+транспорта|inland\s+water"),
    ("merchant_shipping", r"торгового\s+мореплавания|merchant\s+shipping"),
    ("water", r"водн|\bwater|суу\s+кодекс"),
    ("forest", r"лесн|forest|токой"),
    ("air", r"воздушн|\bair\b"),
    ("urban_planning", r"градостроительн|urban\s+planning"),
    ("customs", r"таможенн|customs|бажы"),
)
_KIND_RES = tuple((kind, re.compile(pattern, re.IGNORECASE)) for kind, pattern in CODE_KINDS)

# Codes are cited by abbreviation (`ст. 327.2 ТК РФ`); each stands for a kind.
CODE_ABBREVIATIONS = {
    "ГК": "civil", "ГПК": "civil_procedure", "УК": "criminal", "УПК": "criminal_procedure",
    "КоАП": "offences", "КоП": "offences", "ТК": "labour", "НК": "tax", "ЖК": "housing",
    "СК": "family", "БК": "budget", "ЗК": "land", "ЛК": "forest", "АПК": "arbitration_procedure",
    "КАС": "administrative_procedure", "УИК": "penal", "ГрК": "urban_planning",
}  # fmt: skip

COUNTRIES: tuple[tuple[str, str], ...] = (
    ("ru", r"РФ|Российской\s+Федерации|России|(?:the\s+)?Russian\s+Federation|Russia|(?:Орусия|Россия)\s+Федерациясы\w*"),
    ("kg", r"КР|Кыргызской\s+Республики|Кыргызстана|(?:the\s+)?Kyrgyz\s+Republic|Kyrgyzstan|Кыргыз\s+Республикасы\w*"),
    ("kz", r"РК|Республики\s+Казахстан|Казахстана|(?:the\s+)?Republic\s+of\s+Kazakhstan|Kazakhstan|Каза[хк]стан\s+Республикасы\w*"),
)
# A code named in Kyrgyz (`Эмгек кодексинин`: Kyrgyz kind words, or Kyrgyz endings of `кодекс`,
# which Russian never has) is Kyrgyzstan's unless another country is said: Kyrgyz is a state
# language there alone, and the corpus's other codes are cited in Russian or English.
_KYRGYZ_CODE_RE = re.compile(
    r"кодекс[итк]|эмгек|кылмыш|жарандык|граждандык|салык|бажы|үй-бүлө|токой|укук\s+бузуу", re.IGNORECASE
)
_COUNTRY = "|".join(f"(?P<{code}>{pattern})" for code, pattern in COUNTRIES)
_COUNTRY_RE = re.compile(_COUNTRY, re.IGNORECASE)

_ABBREVIATION_RE = re.compile(
    r"(?=[" + "".join(sorted({a[0] for a in CODE_ABBREVIATIONS})) + r"])(?<![\w:=\"-])(" + "|".join(CODE_ABBREVIATIONS) + rf")(?:\s+({_COUNTRY}))?(?![\w\"-])",
    re.IGNORECASE,
)
_ABOUT = (
    r"(?:о|об)\s+(?:административных\s+)?правонарушени\w*|административного\s+судопроизводства"
    r"|торгового\s+мореплавания|внутреннего\s+водного\s+транспорта"
)
_FULL_NAME_RE = re.compile(
    rf"(?P<before>(?:[\w-]+\s+){{0,3}})(?:кодекс\w*|code\b)"
    rf"(?:\s+(?:of\s+)?(?:administrative\s+)?(?:offen[cs]es)|\s+(?:{_COUNTRY.replace('?P<', '?P<a_')})|\s+(?:{_ABOUT})"
    rf"|\s+of\s+(?:the\s+)?(?:{_COUNTRY.replace('?P<', '?P<b_')})){{0,3}}",
    re.IGNORECASE,
)


# --- an act named in running text, right where a citation's article number ends -----------
# `Федерального закона от 25.07.2002 № 115-ФЗ`, `Закона Кыргызской Республики от 17 июля 2000 года
# № 61`, `Трудового кодекса Российской Федерации`, `УК РФ`, `of the Labour Code of the Kyrgyz Republic`

_COUNTRY_WORDS = "|".join(pattern for _, pattern in COUNTRIES)
_LAW_NAMED_RE = re.compile(
    rf"(?=[фз])(?:федеральн\w*\s+(?:конституционн\w*\s+)?)?закон\w*(?:\s+(?P<country>{_COUNTRY_WORDS}))?"
    rf"(?:\s+от\s+(?:{DATE_RE.pattern}))?\s*(?:№|N)\s*(?P<number>\d+(?:-[А-ЯA-Z]+)?(?:-[IVXІ]+)?)(?![\w-])",
    re.IGNORECASE,
)
_OF_THE_RE = re.compile(r"\s*(?:of\s+(?:the\s+)?)?", re.IGNORECASE)


def act_named_at(text: str, pos: int) -> tuple[int, Reference, str] | None:
    """The act named from `pos` on (after an article's number): where its name ends, the act as
    a Reference, and the country said ('' when none); None when no act is named there
    (`статьи 5 указанного Кодекса`, a bare `статьи 5`). A law needs its number (a title alone
    names no act surely); a code its kind."""
    pos = _OF_THE_RE.match(text, pos).end()
    m = _LAW_NAMED_RE.match(text, pos)
    if m:
        date = iso_date(m) if m.group("y") or m.group("wy") else ""
        reference = Reference(act_number=normalize_act_number(m.group("number")), date=date)
        return m.end(), reference, _country(m.group("country") or "")
    m = _ABBREVIATION_RE.match(text, pos)
    if m:
        canonical = next(a for a in CODE_ABBREVIATIONS if a.lower() == m.group(1).lower())
        if m.group(1) == canonical or m.group(2):
            code = CodeName(CODE_ABBREVIATIONS[canonical], _country(m.group(2) or ""), m.group(0))
            return m.end(), Reference(code=code), code.country
    m = _FULL_NAME_RE.match(text, pos)
    named = _full_name(text, m) if m else None
    if named and named[0] == pos:
        return named[1], Reference(code=named[2]), named[2].country
    return None


_CODE_WORD_RE = re.compile(r"кодекс|code\b", re.IGNORECASE)
_ABBREVIATION_AS_WRITTEN_RE = re.compile(r"(?<![\w:=\"-])(?:" + "|".join(CODE_ABBREVIATIONS) + r")(?![\w\"-])")


def _code_word_windows(text: str) -> list[int]:
    """Where to look for a code's full name: a few words before each `кодекс`/`code` (trying the
    full-name pattern at every position of a megabyte code takes seconds)."""
    starts, last = [], -1
    for m in _CODE_WORD_RE.finditer(text):
        if m.start() <= last:
            continue
        start = text.rfind(" ", 0, max(0, m.start() - 60)) + 1
        starts.append(max(start, last + 1))
        last = m.end()
    return starts


def acts_named(text: str) -> list[tuple[int, int, Reference, str]]:
    """Every act a text names alone, by number or code (`Федеральным законом от 25.07.2002
    № 115-ФЗ`, `Трудовым кодексом Кыргызской Республики`, `УК РФ`): (start, end, the act, the
    country said), in order, none overlapping."""
    found: list[tuple[int, int, Reference, str]] = []
    low = text.lower()  # most passages name no act: substring tests spare them the patterns
    for m in _LAW_NAMED_RE.finditer(text) if "закон" in low else ():
        named = act_named_at(text, m.start())
        if named:
            found.append((m.start(), *named))
    for m in _ABBREVIATION_AS_WRITTEN_RE.finditer(text):
        named = act_named_at(text, m.start())
        if named:
            found.append((m.start(), *named))
    for start in _code_word_windows(text) if "кодекс" in low or "code" in low else ():
        m = _FULL_NAME_RE.search(text, start)
        named = _full_name(text, m) if m else None
        if named:
            found.append((named[0], named[1], Reference(code=named[2]), named[2].country))
    out: list[tuple[int, int, Reference, str]] = []
    for item in sorted(found, key=lambda f: (f[0], -f[1])):
        if not out or item[0] >= out[-1][1]:
            out.append(item)
    return out


@dataclass(frozen=True)
class CodeName:
    """A code as a reference names it: its kind, its country ('' when not said) and the words typed."""

    kind: str
    country: str
    text: str


@dataclass(frozen=True)
class Reference:
    """What a reference names: the provision (article, part, point, subpoint, as normalised
    numbers), the act (its number and/or the code), the act's date, and the character spans
    the reference takes (so the rest of the text can be searched as words)."""

    article: str = ""
    part: str = ""
    point: str = ""
    subpoint: str = ""
    act_number: str = ""  # "115-ФЗ", "477-IV", "2337"
    code: CodeName | None = None
    date: str = ""  # ISO
    spans: tuple[tuple[int, int], ...] = ()

    @property
    def names_act(self) -> bool:
        return bool(self.act_number or self.code)

    def act_text(self) -> str:
        """The act as the reference names it, for messages: `КоАП РФ`, `№ 115-ФЗ`."""
        names = [self.code.text] if self.code else []
        if self.act_number:
            names.append(f"№ {self.act_number}")
        return " ".join(names)


def parse_reference(text: str) -> Reference | None:
    """The reference a text makes (the first article, the first act); None when it names
    neither an article nor an act. A part or point counts only with an article."""
    spans: list[tuple[int, int]] = []
    article = _first(text, (_ARTICLE_BEFORE, _ARTICLE_AFTER), spans)
    act_number = _act_number(text, spans)
    code = find_code(text, spans)
    if not (article or act_number or code):
        return None
    part = point = subpoint = ""
    if article:
        part = _first(text, (_PART,), spans)
        point = _first(text, (_POINT,), spans)
        subpoint = _first(text, (_SUBPOINT,), spans, normalize=False)
    date = ""
    found = _DATE_REF.search(text)
    if found and (act_number or code):
        date = iso_date(found)
        spans.append(found.span())
    return Reference(article, part, point, subpoint, act_number, code, date, tuple(sorted(spans)))


def _first(text: str, patterns: tuple[re.Pattern, ...], spans: list, normalize: bool = True) -> str:
    found = [m for p in patterns for m in p.finditer(text) if not _overlaps(m.span(), spans)]
    if not found:
        return ""
    spans.extend(m.span() for m in found)
    first = min(found, key=lambda m: m.start())
    return normalize_arabic(first.group(1)) if normalize else first.group(1).lower()


def _act_number(text: str, spans: list) -> str:
    for m in ACT_NUMBER_RE.finditer(text):
        if not _overlaps(m.span(), spans):
            spans.append(m.span())
            return normalize_act_number(m.group(1) or m.group(2))
    return ""


def _overlaps(span: tuple[int, int], spans: list) -> bool:
    return any(span[0] < e and s < span[1] for s, e in spans)


def normalize_act_number(number: str) -> str:
    """One spelling per number: `115-фз` -> `115-ФЗ`, `477-ІV` (Cyrillic І) -> `477-IV`, `№ 15` -> `15`."""
    number = number.strip().lstrip("№N").strip()
    return number.upper().replace("І", "I")


def find_code(text: str, spans: list | None = None) -> CodeName | None:
    """The first code a text names, by abbreviation (`ГК КР`, `КоАП`) or by name
    (`Гражданского кодекса Кыргызской Республики`, `Criminal Code of the Russian Federation`).

    An abbreviation counts in its own case (`ГК`, `КоАП`), or in any case with a country after
    it (`гк кр`); `тк` alone is not a reference.
    """
    spans = [] if spans is None else spans
    found: list[tuple[int, int, CodeName]] = []
    for m in _ABBREVIATION_RE.finditer(text):
        abbreviation = m.group(1)
        canonical = next(a for a in CODE_ABBREVIATIONS if a.lower() == abbreviation.lower())
        if abbreviation != canonical and not m.group(2):
            continue
        if _overlaps(m.span(), spans):
            continue
        country = _country(m.group(2) or "")
        found.append((m.start(), m.end(), CodeName(CODE_ABBREVIATIONS[canonical], country, m.group(0))))
    for m in _FULL_NAME_RE.finditer(text):
        named = _full_name(text, m)
        if named and not _overlaps(named[:2], spans):
            found.append(named)
    if not found:
        return None
    start, end, code = min(found, key=lambda f: f[0])
    spans.append((start, end))
    return code


def _full_name(text: str, m: re.Match) -> tuple[int, int, CodeName] | None:
    name = m.group(0)
    kind, kind_match = next(((k, p.search(name)) for k, p in _KIND_RES if p.search(name)), ("", None))
    if kind_match is None:
        return None
    before = m.group("before")
    start = m.start()
    if kind_match.start() < len(before):  # the code's words start at the word the kind is in
        start += before.rfind(" ", 0, kind_match.start()) + 1 if " " in before[: kind_match.start()] else 0
    else:
        start += len(before)
    end = m.end()
    # a country said before a Kyrgyz name (`Кыргыз Республикасынын Эмгек кодекси`) or after it
    country = _country(text[start:end])
    said_before = _COUNTRY_RE.search(text, m.start(), start)
    if not country and said_before:
        country, start = _country(said_before.group(0)), said_before.start()
    if not country:
        after = _COUNTRY_RE.match(text, end + (len(text[end:]) - len(text[end:].lstrip())))
        if after:
            country, end = _country(after.group(0)), after.end()
    if not country and _KYRGYZ_CODE_RE.search(text, start, end):
        country = "kg"
    return start, end, CodeName(kind, country, " ".join(text[start:end].split()))


def _country(text: str) -> str:
    m = _COUNTRY_RE.search(text)
    return next((code for code, _ in COUNTRIES if m and m.group(code)), "")


def code_kind(title: str) -> str:
    """The kind of code a title names (`Гражданский кодекс Кыргызской Республики` -> 'civil');
    '' when the title is not a code's (it must start with the code's name)."""
    m = re.match(r"\W*(?:[\w-]+\s+){0,3}?(?:кодекс|code\b|кодекси)", title, re.IGNORECASE)
    if not m:
        return ""
    head = title[: m.end() + 80]
    return next((kind for kind, pattern in _KIND_RES if pattern.search(head)), "")


def title_country(title: str) -> str:
    """The country a title names ('' when none)."""
    return _country(title)


# --- what earlier callers use ------------------------------------------------------------


def article_lookup(text: str) -> tuple[str, str] | None:
    """(article number, act number in lower case or '') of a text's reference, or None."""
    ref = parse_reference(text)
    if ref is None or not ref.article:
        return None
    return ref.article, ref.act_number.lower()


def title_number(*texts: str) -> str:
    """The act's number as written in the first text that has one: '115-ФЗ', '106' (`№ 106`)."""
    for text in texts:
        m = TITLE_NUMBER_RE.search(text)
        if m:
            return m.group(1)
    return ""
