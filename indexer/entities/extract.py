"""find_entities: the gazetteer, the rules and (for Russian) the NER model, merged into mentions.

Order of trust: the gazetteer, then what a rule is sure of (an acronym defined in parentheses, a
quoted name with its legal form, a law by number or code), then the model, then the looser rules
(capitalised runs, people). Mentions of one kind never overlap (the more trusted, then the longer
wins); a law may hold organisations and places, an organisation places (Russia in `Правительство
Российской Федерации`, the UN in `Charter of the United Nations`); nothing cuts across another.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analyzers.morph import get_morph
from indexer.entities import gazetteer as gazetteer_module
from indexer.entities import rules
from indexer.entities.names import (
    capitalised_at,
    fold,
    is_cyrillic_word,
    name_key,
    nominative,
    parses,
    slug,
    strip_legal_form,
    words,
)

MAX_TEXT_CHARS = 2_000_000  # longer texts are read in windows of this size (offsets kept)
WINDOW_OVERLAP = 2_000


# (outer, inner): the kinds one name may hold: a law or organisation names a place or an
# organisation (`Charter of the United Nations`, `Правительство Российской Федерации`)
NESTING = frozenset({("law", "org"), ("law", "place"), ("org", "place")})


@dataclass(frozen=True)
class Mention:
    """An entity named at text[start:end]."""

    entity_id: str  # "org:iom" (gazetteer) or "<kind>:<slug of the name's lemmas>"; stable across runs
    name: str  # display name: the gazetteer's in the text's language, else the name in the nominative
    kind: str  # "org" | "person" | "place" | "law"
    start: int
    end: int


@dataclass(frozen=True)
class _Found:
    mention: Mention
    trust: int  # 0 gazetteer, 1 sure rules, 2 model, 3 loose rules


def find_entities(text: str, language: str, *, use_model: bool | None = None) -> list[Mention]:
    """The entities a text names, in text order (see the package docstring)."""
    return find_entities_many([(text, language)], use_model=use_model)[0]


def find_entities_many(texts: list[tuple[str, str]], *, use_model: bool | None = None) -> list[list[Mention]]:
    """find_entities for each (text, language); the model reads the Russian ones together
    (batches cost it less per text than one call each), and finds the same spans."""
    found: list[list[_Found] | None] = [None] * len(texts)
    results: list[list[Mention]] = [[] for _ in texts]
    for i, (text, language) in enumerate(texts):
        if not isinstance(text, str) or not text.strip():
            continue
        if len(text) > MAX_TEXT_CHARS:
            results[i] = _windowed(text, language, use_model)
            continue
        found[i] = _gazetteer_and_rules(text, language if isinstance(language, str) else "")
    russian = [i for i, f in enumerate(found) if f is not None and texts[i][1] == "ru"]
    if russian and _model_wanted("ru", use_model):
        from indexer.entities import russian_ner

        for i, spans in zip(russian, russian_ner.spans_of_many([texts[i][0] for i in russian]), strict=True):
            found[i] += _model_mentions(texts[i][0], spans)
    for i, f in enumerate(found):
        if f is not None:
            results[i] = _resolve(f)
    return results


def _model_mentions(text: str, spans: list[tuple[int, int, str]]) -> list[_Found]:
    """The model's spans as mentions, trimmed, the implausible ones left out."""
    found = []
    for start, end, kind in spans:
        start, end = _trimmed(text, start, end)
        if end > start and _plausible(text[start:end], kind):
            found.append(_Found(_mention(rules.Candidate(start, end, kind, text[start:end]), "ru"), 2))
    return found


def _closed(text: str, start: int, end: int) -> int:
    """The end of a name, past the `)` that closes a parenthesis opened in it (`(Revised 1949)`)."""
    opened = text.count("(", start, end) > text.count(")", start, end)
    return end + 1 if opened and text[end : end + 1] == ")" else end


def _trimmed(text: str, start: int, end: int) -> tuple[int, int]:
    """A model's span without an acronym in parentheses or punctuation at its ends."""
    surface = text[start:end]
    cut = len(surface)
    if surface.endswith(")") and "(" in surface:
        cut = surface.rindex("(")
    kept = surface[:cut].rstrip(" ,.;:-–—(")
    lead = len(kept) - len(kept.lstrip(" ,.;:-–—)"))
    return start + lead, start + len(kept)


PROPER_TAGS = frozenset({"Geox", "Name", "Surn", "Patr", "Orgn", "Trad", "Abbr"})


LAW_WORDS = re.compile(r"закон|кодекс|конвенц|указ|постановлен|договор|соглашен", re.IGNORECASE)


def _plausible(surface: str, kind: str) -> bool:
    """A model's span of one word must not be a common word the dictionary knows (`ПРЕСС-РЕЛИЗ`,
    `Ситуация`, `НПО` as a heading or a title); an organisation is not an act's name."""
    ws = words(surface)
    if kind == "org" and LAW_WORDS.search(surface):
        return False
    if len(ws) != 1:
        return bool(ws)
    each = parses(ws[0].text)
    known = bool(each) and get_morph().word_is_known(fold(ws[0].text))
    return not known or any(PROPER_TAGS & p.tag.grammemes for p in each[:2]) and not ws[0].acronym


def _model_wanted(language: str, use_model: bool | None) -> bool:
    if use_model is False or language != "ru":
        return False
    from indexer.entities import russian_ner

    return russian_ner.available() if use_model is None else True


def _windowed(text: str, language: str, use_model: bool | None) -> list[Mention]:
    """A huge text in overlapping windows, each mention once."""
    seen: dict[tuple[int, int, str], Mention] = {}
    step = MAX_TEXT_CHARS - WINDOW_OVERLAP
    for at in range(0, len(text), step):
        for m in find_entities(text[at : at + MAX_TEXT_CHARS], language, use_model=use_model):
            moved = Mention(m.entity_id, m.name, m.kind, m.start + at, m.end + at)
            seen.setdefault((moved.start, moved.end, moved.kind), moved)
    return _resolve([_Found(m, 0) for m in seen.values()])


def _gazetteer_and_rules(text: str, language: str) -> list[_Found]:
    gaz = gazetteer_module.default()
    ws = words(text)
    starts = capitalised_at(ws)
    found = [
        _Found(Mention(h.entity.id, h.entity.name(language), h.entity.kind, ws[h.first].start, _closed(text, ws[h.first].start, ws[h.last - 1].end)), 0)
        for h in gaz.find(ws, language, starts)
    ]
    by_span = {(f.mention.start, f.mention.end): f.mention for f in found}
    acronyms: dict[str, Mention] = {}
    for c in rules.defined_acronyms(text, ws):
        known = by_span.get((c.start, c.end))
        mention = known or _mention(c, language)
        if c.acronym in gaz.acronyms and not known:
            entity = gaz.acronyms[c.acronym][0]
            mention = Mention(entity.id, entity.name(language), entity.kind, c.start, c.end)
        if not known:
            found.append(_Found(mention, 1))
        acronyms.setdefault(c.acronym, mention)
    for w in ws:
        if (m := acronyms.get(w.text)) and w.text not in gaz.acronyms:
            found.append(_Found(Mention(m.entity_id, m.name, m.kind, w.start, w.end), 1))
    sure = [*rules.quoted_with_legal_form(text), *rules.laws(text)]
    found += [_Found(_mention(c, language), 1) for c in sure]
    orgs = list(rules.capitalised_org_names(ws, text, starts))
    if language not in ("en", "ky"):
        orgs += rules.russian_org_names(ws, text, starts)
    found += [_Found(_mention(c, language), 3) for c in orgs]
    org_starts = {f.mention.start for f in found if f.mention.kind == "org"}
    found += [_Found(_mention(c, language), 3) for c in rules.people(text, org_starts)]
    return found


def _mention(c: rules.Candidate, language: str) -> Mention:
    """A rule's candidate as a mention: linked to the gazetteer when its name is one there."""
    name = re.sub(r"-\s+", "-", " ".join((strip_legal_form(c.name) or c.name).split()))
    if (ws := words(name)) and is_cyrillic_word(ws[0].text) and language != "ky":
        name = nominative(name)
    if c.entity_id:
        return Mention(c.entity_id, name, c.kind, c.start, c.end)
    entity = _gazetteer_entity(name, language)
    if entity is not None and entity.kind == c.kind:
        return Mention(entity.id, entity.name(language), entity.kind, c.start, c.end)
    return Mention(f"{c.kind}:{slug(name_key(name, language))}", name, c.kind, c.start, c.end)


def _gazetteer_entity(name: str, language: str):
    """The gazetteer entity one of whose names has exactly this name's key."""
    gaz = gazetteer_module.default()
    ws = words(name)
    hits = gaz.find(ws, language)
    whole = [h for h in hits if h.first == 0 and h.last == len(ws)]
    return whole[0].entity if whole else None


def _resolve(found: list[_Found]) -> list[Mention]:
    """Keep the most trusted, then longest; drop same-kind overlaps and cross-kind crossings."""
    kept: list[Mention] = []
    for f in sorted(found, key=lambda f: (f.trust, f.mention.start - f.mention.end, f.mention.start)):
        m = f.mention
        if m.end <= m.start:
            continue
        clash = False
        for k in kept:
            if m.start < k.end and k.start < m.end:
                if k.start <= m.start and m.end <= k.end:
                    nested = (k.kind, m.kind) in NESTING
                elif m.start <= k.start and k.end <= m.end:
                    nested = (m.kind, k.kind) in NESTING
                else:
                    nested = False
                if not nested:
                    clash = True
                    break
        if not clash:
            kept.append(m)
    return sorted(kept, key=lambda m: (m.start, -m.end))
