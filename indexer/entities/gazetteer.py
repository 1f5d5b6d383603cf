"""The gazetteer (corpus/organisations.toml): the entities we know by name, in every language.

It is the only place where two names are said to be one entity (`IOM` = `МОМ`); the file's
format is described at its top. Names are matched by their words' dictionary forms (see
`names`), acronyms case-sensitively as written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from indexer.checked_toml import by_id, load_checked
from indexer.entities.names import Word, capitalised_at, name_key, word_forms, words

GAZETTEER_FILE = Path(__file__).resolve().parents[2] / "corpus" / "organisations.toml"
LANGUAGES = ("ru", "en", "ky")
KINDS = ("org", "person", "place", "law")
FALLBACK = {"ky": ("ru", "en"), "kk": ("ru", "en"), "ru": ("en",), "en": ("ru",)}


class GazetteerError(ValueError):
    """The gazetteer file breaks the format; the message lists every problem found."""


@dataclass(frozen=True)
class Entity:
    """One entity: `id` is `<kind>:<slug>` (`org:iom`), `names` its names per language, the
    preferred first."""

    id: str
    kind: str
    names: dict[str, tuple[str, ...]] = field(hash=False)
    unattested: tuple[str, ...] = ()

    def name(self, language: str) -> str:
        """The preferred name in a language, else in the nearest one that has one (Kyrgyz readers
        read Russian: ky falls back to ru, then en; other languages to en, then ru)."""
        for lang in (language, *FALLBACK.get(language, ("en", "ru")), *self.names):
            if self.names.get(lang):
                return self.names[lang][0]
        return self.id

    @property
    def aliases(self) -> tuple[str, ...]:
        """Every name in every language, each once, the preferred ones first."""
        preferred = [n[0] for n in self.names.values() if n]
        return tuple(dict.fromkeys(preferred + [a for n in self.names.values() for a in n]))


@dataclass(frozen=True)
class Hit:
    """A gazetteer name found at words[first:last] of a text."""

    entity: Entity
    language: str  # the language of the name matched
    name: str  # the gazetteer's name matched
    first: int
    last: int  # exclusive


@dataclass
class Gazetteer:
    entities: dict[str, Entity]

    def __len__(self) -> int:
        return len(self.entities)

    def get(self, entity_id: str) -> Entity | None:
        return self.entities.get(entity_id)

    @cached_property
    def acronyms(self) -> dict[str, tuple[Entity, str]]:
        """Acronym as written -> its entity and language (`МОМ` -> IOM, ru)."""
        found = {}
        for e in self.entities.values():
            for lang, names in e.names.items():
                for n in names:
                    ws = words(n)
                    if len(ws) == 1 and ws[0].acronym and ws[0].text == n:
                        found[n] = (e, lang)
        return found

    @cached_property
    def _by_first(self) -> dict[str, list[tuple[tuple[str, ...], Entity, str, str]]]:
        """Names' keys (but acronyms') filed under their first word's key, so a text is read once."""
        index: dict[str, list[tuple[tuple[str, ...], Entity, str, str]]] = {}
        for e in self.entities.values():
            for lang, names in e.names.items():
                for n in names:
                    if n in self.acronyms:
                        continue
                    key = tuple(w for w in (name_key(n, lang)) if w)
                    if key:
                        index.setdefault(key[0], []).append((key, e, lang, n))
        for entries in index.values():
            entries.sort(key=lambda k: -len(k[0]))
        return index

    def find(self, ws: list[Word], language: str, starts: list[int] | None = None) -> list[Hit]:
        """Gazetteer names among the words of a text, the longest of each kind at each position; a
        name starts with a capital (a lowercase `united nations` is not one). `starts`: the indexes
        of the capitalised words, when the caller has them."""
        hits = []
        forms = _Forms(ws, language)
        for i in capitalised_at(ws) if starts is None else starts:
            w = ws[i]
            if w.text in self.acronyms:
                entity, lang = self.acronyms[w.text]
                hits.append(Hit(entity, lang, w.text, i, i + 1))
                continue
            candidates = {k: (e, lang, n) for f in forms[i] for k, e, lang, n in self._by_first.get(f, ())}
            kinds: set[str] = set()  # the longest name of each kind here: `Central Asia on Move` and `Central Asia`
            for key in sorted(candidates, key=len, reverse=True):
                entity, lang, name = candidates[key]
                if entity.kind not in kinds and (j := _match(key, forms, i, ws)):
                    kinds.add(entity.kind)
                    hits.append(Hit(entity, lang, name, i, j))
        return hits


class _Forms:
    """Each word's forms, looked up only when a match needs them (most words never are)."""

    def __init__(self, ws: list[Word], language: str):
        self.ws, self.language, self.known = ws, language, {}

    def __getitem__(self, i: int) -> frozenset[str]:
        if i not in self.known:
            self.known[i] = word_forms(self.ws[i].text, self.language)
        return self.known[i]


def _match(key: tuple[str, ...], forms: _Forms, i: int, ws: list[Word]) -> int:
    """The end (exclusive) of `key` matched at word i, skipping an English `the`; 0 if none."""
    j = i
    for part in key:
        while j < len(ws) and part != "the" and forms[j] == frozenset({"the"}):
            j += 1
        if j >= len(ws) or part not in forms[j]:
            return 0
        j += 1
    return j


def load(path: Path | str = GAZETTEER_FILE) -> Gazetteer:
    """Read and check a gazetteer file; GazetteerError lists every problem at once."""

    def build(data: dict, problems: list[str]) -> Gazetteer:
        return Gazetteer(by_id((_entity(raw, problems) for raw in data.get("entity", [])), problems))

    return load_checked(path, GazetteerError, build)


def _entity(raw: dict, problems: list[str]) -> Entity | None:
    slug, kind = raw.get("id", ""), raw.get("kind", "")
    if unknown := set(raw) - {"id", "kind", "unattested", *LANGUAGES}:
        problems.append(f"{slug}: unknown keys {sorted(unknown)}")
    if not isinstance(slug, str) or not slug or not slug.replace("-", "").isalnum() or slug != slug.lower():
        problems.append(f"{slug!r}: an id is lowercase letters, digits and hyphens")
        return None
    if kind not in KINDS:
        problems.append(f"{slug}: kind {kind!r} is not one of {', '.join(KINDS)}")
    names = {}
    for lang in LANGUAGES:
        value = raw.get(lang, [])
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            problems.append(f"{slug}: {lang} must be a list of names")
            continue
        if value:
            names[lang] = tuple(v.strip() for v in value)
    if not names:
        problems.append(f"{slug}: no name")
    all_names = {n for ns in names.values() for n in ns}
    unattested = tuple(raw.get("unattested", ()))
    if stray := set(unattested) - all_names:
        problems.append(f"{slug}: unattested names that are not its names: {sorted(stray)}")
    return Entity(f"{kind}:{slug}", kind, names, unattested)


@lru_cache(maxsize=1)
def default() -> Gazetteer:
    """The project's gazetteer, loaded once per process."""
    return load(GAZETTEER_FILE)
