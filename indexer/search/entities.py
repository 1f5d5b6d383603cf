"""The entities the documents name, as the read side sees them: facets, filters, lists, acronyms.

Built once per index generation from the catalog's `entities` table (one row per document and
entity, written at index time by indexer/passage_entities.py), so no request extracts anything.
Entities are addressed by kind and short id (`org`, `iom`: `/organisations/iom`, `org=iom`); the
index stores the full id (`org:iom`).

Names: an entity the gazetteer knows (indexer.entities) has its names in each language there;
one known only from the texts has the names its documents give it, by their language.
"""

from __future__ import annotations

import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache

from indexer.entities import entity_record
from indexer.models import DocMeta, Named

KINDS = ("org", "person", "place")  # the kinds with a facet, a filter and pages (laws have none yet)
NAME_LANGUAGES = ("ru", "en", "ky")
MAX_ALIASES = 20
MIN_LOWERCASE_ACRONYM = 4  # `act` typed is a word; `ACT` or `icrmw` may be an acronym


def full_id(kind: str, short_id: str) -> str:
    return f"{kind}:{short_id}"


@lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """A name as the lookup compares it: no case, accents, quotes or repeated spaces; ё = е.
    (Cached: the list's search box folds every alias at each request.)"""
    decomposed = unicodedata.normalize("NFKD", text.casefold().replace("ё", "е"))
    kept = "".join(c for c in decomposed if not unicodedata.combining(c) or c == "\u0306")  # keep й
    kept = unicodedata.normalize("NFC", kept)
    return " ".join(kept.translate(_QUOTES).split())


_QUOTES = str.maketrans({c: " " for c in "\"'«»“”„‘’`"})


def _is_acronym(name: str) -> bool:
    letters = [c for c in name if c.isalpha()]
    return " " not in name.strip() and len(letters) >= 2 and all(c.isupper() for c in letters)


@dataclass(frozen=True)
class EntityInfo:
    """One entity over the whole index."""

    id: str  # short id: "iom"
    kind: str
    name: str  # the name most of its documents give it
    names: dict[str, str]  # language -> preferred name there
    aliases: tuple[str, ...]  # every name and spelling, the preferred first
    documents: int
    mentions: int

    @property
    def entity_id(self) -> str:
        return full_id(self.kind, self.id)

    def name_in(self, language: str) -> str:
        """The name to show a reader of `language` (Kyrgyz readers read Russian)."""
        for lang in (language, "ru" if language == "ky" else "en"):
            if self.names.get(lang):
                return self.names[lang]
        return self.name

    def to_dict(self) -> dict:
        return {
            "id": self.id, "kind": self.kind, "name": self.name, "names": dict(self.names),
            "aliases": list(self.aliases), "documents": self.documents, "mentions": self.mentions,
        }  # fmt: skip


@dataclass
class EntityIndex:
    """Every entity the indexed documents name, and which documents name which."""

    info: dict[str, EntityInfo] = field(default_factory=dict)  # full id -> info
    by_doc: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)  # doc -> kind -> full ids
    named_in: dict[str, list[tuple[str, Named]]] = field(default_factory=dict)  # full id -> (doc, row)
    aliases: dict[str, list[str]] = field(default_factory=dict)  # folded alias -> full ids

    @classmethod
    def build(cls, rows: Iterable[tuple[str, Named]], docs: dict[str, DocMeta]) -> EntityIndex:
        index = cls.tally(rows, docs)
        index.describe(docs)
        return index

    @classmethod
    def tally(cls, rows: Iterable[tuple[str, Named]], docs: dict[str, DocMeta]) -> EntityIndex:
        """Which documents name which entities, without describing the entities (`describe`)."""
        index = cls()
        per_doc: dict[str, dict[str, list[str]]] = {}  # plain dicts: a server's start at 100,000 documents
        named_in = index.named_in
        for doc_id, row in rows:
            if doc_id not in docs:
                continue
            kinds = per_doc.get(doc_id)
            if kinds is None:
                kinds = per_doc[doc_id] = {}
            ids = kinds.get(row.kind)
            if ids is None:
                kinds[row.kind] = [row.entity_id]
            else:
                ids.append(row.entity_id)
            naming = named_in.get(row.entity_id)
            if naming is None:
                named_in[row.entity_id] = [(doc_id, row)]
            else:
                naming.append((doc_id, row))
        index.by_doc = {d: {k: tuple(ids) for k, ids in kinds.items()} for d, kinds in per_doc.items()}
        return index

    def describe(self, docs: dict[str, DocMeta]) -> None:
        """Each entity's names and aliases, and the aliases' lookup: the costly part (every name
        folded; 0.12 CPU s for the corpus's 1,433 entities), kept beside the index (entity_cache)."""
        for entity_id, named in self.named_in.items():
            info = _info(entity_id, [(docs[d].language, row) for d, row in named])
            self.info[entity_id] = info
            for alias in info.aliases:
                keys = self.aliases.setdefault(fold(alias), [])
                if entity_id not in keys:
                    keys.append(entity_id)

    def get(self, kind: str, short_id: str) -> EntityInfo | None:
        return self.info.get(full_id(kind, short_id))

    def ids_of(self, doc_id: str, kind: str) -> tuple[str, ...]:
        return self.by_doc.get(doc_id, {}).get(kind, ())

    def documents_naming(self, entity_id: str) -> list[tuple[str, Named]]:
        """(doc_id, row) for each document naming the entity, most mentions first."""
        return sorted(self.named_in.get(entity_id, []), key=lambda dr: (-dr[1].mentions, dr[0]))

    def listing(self, kind: str, q: str = "") -> list[EntityInfo]:
        """The entities of a kind whose names contain `q` (all when empty), most documents first."""
        wanted = fold(q)
        found = [
            e for e in self.info.values()
            if e.kind == kind and (not wanted or any(wanted in fold(a) for a in e.aliases))
        ]
        return sorted(found, key=lambda e: (-e.documents, -e.mentions, fold(e.name), e.id))

    def named_by(self, text: str, words: Iterable[str] = ()) -> list[EntityInfo]:
        """Entities a query names by one of their names: the whole query (`Open Society
        Foundations`) or a word that is an acronym of theirs (`МОМ`, `ICRMW`), most documents first.

        An acronym matches a word typed in capitals, or in any case from 4 letters on (`act` is
        a word, `ACT` may be an organisation)."""
        whole = fold(text)
        found: list[str] = [
            e for e in self.aliases.get(whole, ())
            if any(fold(a) == whole and not _is_acronym(a) for a in self.info[e].aliases)
        ]
        for word in words:
            for entity_id in self.aliases.get(fold(word), ()):
                acronyms = [a for a in self.info[entity_id].aliases if _is_acronym(a) and fold(a) == fold(word)]
                typed_as_acronym = word.isupper() or len(word) >= MIN_LOWERCASE_ACRONYM
                if acronyms and typed_as_acronym and entity_id not in found:
                    found.append(entity_id)
        infos = [self.info[e] for e in found if self.info[e].kind in KINDS or e.startswith("law:")]
        return sorted(infos, key=lambda e: -e.documents)

    def facet(self, kind: str, doc_ids: Iterable[str]) -> Counter:
        """Documents per entity of `kind` among `doc_ids` (full ids)."""
        counter: Counter = Counter()
        for doc_id in doc_ids:
            counter.update(self.ids_of(doc_id, kind))
        return counter


def _info(entity_id: str, named: list[tuple[str, Named]]) -> EntityInfo:
    """`named`: (the document's language, its row) for each document naming the entity."""
    kind, short_id = entity_id.split(":", 1)
    names_by_language: dict[str, Counter] = defaultdict(Counter)
    for language, row in named:
        names_by_language[language or ""][row.name] += 1
    overall = Counter()
    for counts in names_by_language.values():
        overall.update(counts)
    record = entity_record(entity_id)
    if record is not None:
        names = {lang: record.name(lang) for lang in NAME_LANGUAGES}
        known = list(record.aliases)
    else:
        names = {lang: c.most_common(1)[0][0] for lang, c in names_by_language.items() if lang in NAME_LANGUAGES}
        known = [n for n, _ in overall.most_common()]
    spellings = Counter()
    for _language, row in named:
        spellings.update(row.surfaces)
    aliases = _distinct([*known, *(s for s, _ in spellings.most_common())])[:MAX_ALIASES]
    return EntityInfo(
        short_id, kind, overall.most_common(1)[0][0], names, tuple(aliases),
        documents=len(named), mentions=sum(r.mentions for _, r in named),
    )


def _distinct(names: Iterable[str]) -> list[str]:
    seen, out = set(), []
    for n in names:
        key = fold(n)
        if key and key not in seen:
            seen.add(key)
            out.append(n)
    return out
