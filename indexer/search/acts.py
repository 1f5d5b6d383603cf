"""Which documents of the catalog are the act a reference names (every file of it).

By the act's number (`115-ФЗ`, `477-IV`, `№ 15`) and by the kind and country of a code
(`ГК КР`: the Civil Code of Kyrgyzstan, never its Civil Procedure Code); a date (`от 25.07.2002`)
narrows when it can.
"""

from __future__ import annotations

import re
import threading

from indexer.models import DocMeta
from indexer.references import Reference, code_kind, normalize_act_number


class _Acts:
    """One catalog's documents by act number and by code kind: a reference finds its act
    without reading every title (a regex per title: 0.35 s a query at 100,000 documents)."""

    def __init__(self, docs: dict[str, DocMeta]) -> None:
        self.docs = docs  # kept, so its id names it while this index lives
        self.by_number: dict[str, list[DocMeta]] = {}
        self.by_kind: dict[str, list[DocMeta]] = {}
        for meta in docs.values():
            if meta.number:
                self.by_number.setdefault(normalize_act_number(meta.number), []).append(meta)
            self.by_kind.setdefault(code_kind(meta.title), []).append(meta)
        self.kind = {m.doc_id: kind for kind, metas in self.by_kind.items() for m in metas}


_LAST: list[_Acts] = []  # the last catalog's index (a catalog lives for one index generation)
_LOCK = threading.Lock()


def acts_of(docs: dict[str, DocMeta]) -> _Acts:
    """The index of `docs`, built on first use (a server warms it before forking workers)."""
    with _LOCK:
        if _LAST and _LAST[0].docs is docs:
            return _LAST[0]
    acts = _Acts(docs)
    with _LOCK:
        _LAST[:] = [acts]
    return acts


def resolve(reference: Reference, docs: dict[str, DocMeta]) -> list[str]:
    """The doc ids of the act `reference` names, sorted; [] when the collection does not have it."""
    acts = acts_of(docs)
    code = reference.code
    if reference.act_number:
        found = acts.by_number.get(reference.act_number, [])
        if code:
            found = [m for m in found if acts.kind[m.doc_id] == code.kind]
    elif code:
        found = acts.by_kind.get(code.kind, [])
    else:
        found = list(docs.values())
    if code and code.country:
        found = [m for m in found if m.country == code.country]
    if reference.date:
        found = [m for m in found if m.date == reference.date] or found
    return sorted(m.doc_id for m in found)


def same_act(a: DocMeta, b: DocMeta) -> bool:
    """Are two documents files of one act (a TXT and a PDF, two copies)?

    Same country, and the same number in the same year (Russian numbers restart every year:
    146-ФЗ is both the Tax Code and part 3 of the Civil Code), or the same title and date (a
    number misread from one copy's text must not split an act).
    """
    if a.country != b.country:
        return False
    if a.date and a.date == b.date and _plain_title(a.title) == _plain_title(b.title):
        return True
    return bool(a.number and b.number) and normalize_act_number(a.number) == normalize_act_number(b.number) and (
        not a.year or not b.year or a.year == b.year
    )


def translation_of(a: DocMeta, b: DocMeta) -> bool:
    """Is `b` the act `a` in another language? Titles differ by language: same country, type and
    date, and no number that says otherwise."""
    if a.language == b.language or a.country != b.country or a.doc_type != b.doc_type:
        return False
    if a.number and b.number and normalize_act_number(a.number) != normalize_act_number(b.number):
        return False
    return bool(a.date) and a.date == b.date


def version_languages(docs: dict[str, DocMeta]) -> dict[str, frozenset[str]]:
    """For each document that has translations in the collection (`translation_of`), the
    languages they are in. Compared within groups of the same country, type and date only."""
    groups: dict[tuple[str, str, str], list[DocMeta]] = {}
    for meta in docs.values():
        if meta.date:
            groups.setdefault((meta.country, meta.doc_type, meta.date), []).append(meta)
    found: dict[str, frozenset[str]] = {}
    for group in groups.values():
        if len({m.language for m in group}) < 2:
            continue
        for a in group:
            languages = frozenset(b.language for b in group if translation_of(a, b))
            if languages:
                found[a.doc_id] = languages
    return found


def _plain_title(title: str) -> str:
    return " ".join(re.findall(r"\w+", title.lower()))
