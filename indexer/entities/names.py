"""Words of a name: tokens with offsets, the forms a word may match, and a name's stable key.

A name is matched and identified by its words' dictionary forms, so `Института политики
развития`, `Институт политики развития` and `ОФ "Институт политики развития"` share one key
(legal forms and quotes are not part of a name). Russian words take pymorphy3's lemmas, Kyrgyz
ones the project's suffix stripper, Latin ones their lowercase form with accents and `'s` dropped.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from analyzers.cyrillic import transliterate
from analyzers.kyrgyz import kyrgyz_stem
from analyzers.morph import get_morph

# `АКТ-\nАльянс` and `O'Neill` are one word each; an English possessive `'s` is not part of one
WORD = re.compile(r"[^\W_]+(?:(?:[-‐]|[-‐][ \t]*\n\s*|['’](?![sS](?![^\W_])))[^\W_]+)*")
QUOTES = "\"'«»“”„‟‘’`"

def word_set(text: str) -> frozenset[str]:
    """A set of words written as one string (lists of words read better so)."""
    return frozenset(text.split())


# Legal-form prefixes and suffixes a name is cited with: not part of the name itself.
LEGAL_FORMS = word_set(
    """оф оо осоо ооо оао зао ао пао нко ано оюл пф па ип чп уо гу гуп муп фгуп фгбу фгбоу
    ноу ро рои тоо ао llc ltd inc ngo pf pa pu ку"""
)
# Legal forms written out, as stems (any case ending): `Общественным фондом «...»`
LEGAL_FORM_WORDS = (
    r"общественн\w* фонд\w*", r"общественн\w* объединени\w*", r"общественн\w* организаци\w*",
    r"общественн\w* учреждени\w*", r"обществ\w* с ограниченной ответственностью",
    r"автономн\w* некоммерческ\w* организаци\w*", r"некоммерческ\w* организаци\w*",
    r"региональн\w* общественн\w* организаци\w*", r"объединени\w* юридических лиц",
    r"public association", r"public foundation", r"public fund", r"public union",
    r"regional public organi[sz]ation", r"коомдук фонд\w*", r"коомдук бирикме\w*",
)
LEGAL_FORM_RE = re.compile(
    "|".join(sorted(LEGAL_FORM_WORDS, key=len, reverse=True)), re.IGNORECASE
)


class Word(NamedTuple):
    text: str
    start: int
    end: int

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def acronym(self) -> bool:
        """All capitals, two letters or more (`IOM`, `МОМ`, `ЕАЭС`, `HIV/AIDS` not: one word each)."""
        letters = [c for c in self.text if c.isalpha()]
        return len(letters) >= 2 and all(c.isupper() for c in letters)


def words(text: str) -> list[Word]:
    """The words of a text with their character offsets (hyphenated words stay one word)."""
    return [Word(m.group(), m.start(), m.end()) for m in WORD.finditer(text)]


_CYRILLIC = re.compile("[\u0400-\u04ff]")


def capitalised_at(ws: list[Word]) -> list[int]:
    """The indexes of the capitalised words: where every name starts (read once per text)."""
    return [i for i, w in enumerate(ws) if w.text[0].isupper()]


def is_cyrillic_word(word: str) -> bool:
    return _CYRILLIC.search(word) is not None


@lru_cache(maxsize=200_000)
def fold(word: str) -> str:
    """Lowercase, ё as е, accents dropped (`Régime` -> `regime`), hyphens of any kind as `-`."""
    word = word.lower().replace("ё", "е").replace("‐", "-").replace("’", "'")
    if "-" in word and not word.isalnum():
        word = re.sub(r"-\s+", "-", word)
    if word.isascii() or is_cyrillic_word(word):
        return word
    return "".join(c for c in unicodedata.normalize("NFKD", word) if not unicodedata.combining(c))


MAX_WORD_CHARS = 40  # longer "words" (garbage, glued text) are not looked up: pymorphy3 is slow on them


@lru_cache(maxsize=100_000)
def parses(word: str) -> tuple:
    """pymorphy3's parses of a Cyrillic word, best first (none for an overlong one)."""
    folded = fold(word)
    if len(folded) > MAX_WORD_CHARS or not is_cyrillic_word(folded):
        return ()
    return tuple(get_morph().parse(folded))


@lru_cache(maxsize=100_000)
def word_forms(word: str, language: str) -> frozenset[str]:
    """Every dictionary form a word in a text may stand for (the word itself included)."""
    folded = fold(word)
    if not is_cyrillic_word(folded):
        return frozenset({folded.removesuffix("'s")})
    forms = {folded}
    if (language == "ky" or any(c in "ңөү" for c in folded)) and len(folded) <= MAX_WORD_CHARS:
        forms.add(kyrgyz_stem(folded))
    if language != "ky" or not forms - {folded}:
        forms.update(fold(p.normal_form) for p in parses(folded)[:3])
    return frozenset(forms)


@lru_cache(maxsize=100_000)
def key_form(word: str, language: str) -> str:
    """The one form a word is identified by: the best lemma (Russian), stem (Kyrgyz) or itself."""
    folded = fold(word)
    if not is_cyrillic_word(folded):
        return folded.removesuffix("'s")
    if (language == "ky" or any(c in "ңөү" for c in folded)) and len(folded) <= MAX_WORD_CHARS:
        return kyrgyz_stem(folded)
    best = parses(folded)
    return fold(best[0].normal_form) if best else folded


def strip_legal_form(text: str) -> str:
    """The name without a legal-form prefix or suffix and the quotes round it.

    `ОФ "Институт политики развития"` -> `Институт политики развития`; `"Resource Centre for the
    Elderly" Public Association` -> `Resource Centre for the Elderly`.
    """
    name = " ".join(text.split())
    changed = True
    while changed:
        changed = False
        before = LEGAL_FORM_RE.match(name)
        if before and before.end() < len(name) and name[before.end()] == " " and _quoted_after(name, before.end()):
            name, changed = name[before.end() :].strip(), True
        for after in LEGAL_FORM_RE.finditer(name):
            if after.end() == len(name) and after.start() > 0 and name[: after.start()].rstrip()[-1:] in QUOTES:
                name, changed = name[: after.start()].strip(), True
                break
        first = name.split(" ", 1)
        if len(first) == 2 and fold(first[0]) in LEGAL_FORMS and first[1][:1] in QUOTES:
            name, changed = first[1], True
    return name.strip(QUOTES + " ,.;:").strip()


def _quoted_after(name: str, at: int) -> bool:
    """True when the words after a legal form's words are a quoted or capitalised name."""
    rest = name[at:].lstrip()
    return rest[:1] in QUOTES or rest[:1].isupper()


def name_key(name: str, language: str) -> tuple[str, ...]:
    """The identity of a name: its words' key forms, legal form and quotes left out, `the` dropped."""
    forms = tuple(key_form(w.text, language) for w in words(strip_legal_form(name)))
    return tuple(f for f in forms if f != "the") or forms


def slug(key: tuple[str, ...]) -> str:
    """An ASCII id part from a name key (`("институт", "политика", "развитие")` ->
    `institut-politika-razvitie`): stable across processes, safe in a URL."""
    text = transliterate("-".join(key))
    return re.sub(r"[^a-z0-9]+", "-", text).strip("-")[:80] or "x"


def nominative(name: str) -> str:
    """A Russian name with its head put back in the nominative, the words after it as they are:
    `Американском университете в Центральной Азии` -> `Американский университет в Центральной Азии`.
    A name pymorphy3 cannot parse so is returned unchanged."""
    ws = words(name)
    if not ws or not all(is_cyrillic_word(w.text) for w in ws[:1]):
        return name
    each = [parses(w.text) for w in ws]
    head = next((i for i, ps in enumerate(each) if ps and ps[0].tag.POS == "NOUN"), None)
    if head is None:
        return name
    for case in dict.fromkeys(p.tag.case for p in each[head] if p.tag.POS == "NOUN" and p.tag.case):
        if case == "nomn":
            return name
        chosen = [_with_case(ps, case) for ps in each[: head + 1]]
        if all(chosen):
            out, at = [], 0
            for w, parse in zip(ws, chosen, strict=False):
                inflected = parse.inflect({"nomn"})
                form = inflected.word if inflected else w.text
                out += [name[at : w.start], _same_case(form, w.text)]
                at = w.end
            return "".join(out) + name[at:]
    return name


def _with_case(parses, case: str):
    """The parse of a word in a case (an adjective or noun agreeing with the head), else None."""
    return next((p for p in parses if p.tag.case == case and p.tag.POS in ("NOUN", "ADJF", "PRTF")), None)


def _same_case(form: str, like: str) -> str:
    """`form` capitalised as `like` is (`американский` like `Американском`)."""
    if like.isupper() and len(like) > 1:
        return form.upper()
    parts, like_parts = form.split("-"), like.split("-")
    return "-".join(
        p[:1].upper() + p[1:] if i < len(like_parts) and like_parts[i][:1].isupper() else p
        for i, p in enumerate(parts)
    )
