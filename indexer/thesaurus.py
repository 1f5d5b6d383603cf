"""The migration-law thesaurus (corpus/thesaurus.toml): loaded, checked, and matched to queries.

The laws do not share words (115-ФЗ says "иностранный гражданин, осуществляющий трудовую
деятельность", Kyrgyzstan "трудящийся-мигрант", the ILO "migrant for employment"), so the
thesaurus names each concept once and lists every label and every jurisdiction's own term for it.
The file format is described at the top of corpus/thesaurus.toml. Query words are matched to
labels by lemma with the project's analyzer, so any inflection in any language finds its concept.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path

from analyzers import EXACT_PREFIX, is_stopword, text_analyzer
from indexer.checked_toml import by_id, load_checked
from indexer.metadata import doc_id_for

THESAURUS_FILE = Path(__file__).resolve().parents[1] / "corpus" / "thesaurus.toml"
LANGUAGES = ("ru", "en", "ky", "kk")
REQUIRED_LANGUAGES = ("ru", "en")
JURISDICTIONS = ("ru", "kg", "kz", "int")

# One position of an analysed label: the lemmas (or stems) a word there may have.
Key = tuple[frozenset[str], ...]


class ThesaurusError(ValueError):
    """The thesaurus file breaks the format; the message lists every problem found."""


@dataclass(frozen=True)
class Term:
    """The words one jurisdiction's act uses for a concept."""

    country: str  # "ru", "kg", "kz" or "int", as the index's country field
    term: str
    act: str  # path of the act relative to the corpus root, e.g. "ru/115-fz-....txt"

    @property
    def doc_id(self) -> str:
        """The act's doc id as the indexer assigns it."""
        return doc_id_for(self.act)


@dataclass
class Concept:
    id: str
    group: str
    labels: dict[str, tuple[str, ...]]  # language -> labels, the preferred one first
    broader: tuple[str, ...] = ()
    related: tuple[str, ...] = ()
    terms: tuple[Term, ...] = ()
    narrower: tuple[str, ...] = ()  # derived from the other concepts' broader
    hidden: dict[str, tuple[str, ...]] = field(default_factory=dict)  # language -> lay words: matched, never searched nor shown

    def pref(self, lang: str) -> str | None:
        return self.labels[lang][0] if self.labels.get(lang) else None

    def alt(self, lang: str) -> tuple[str, ...]:
        return self.labels.get(lang, ())[1:]

    def all_labels(self) -> list[str]:
        """Every label in every language and every jurisdiction's term, each once, preferred first."""
        words = [label for lang in LANGUAGES for label in self.labels.get(lang, ())]
        return list(dict.fromkeys(words + [t.term for t in self.terms]))


@dataclass(frozen=True)
class Match:
    """A concept named by the query's positions start..end-1 (after stopwords are dropped)."""

    concept: Concept
    label: str
    start: int
    end: int


@dataclass
class Thesaurus:
    groups: dict[str, dict[str, str]]  # top concept id -> language -> label
    concepts: dict[str, Concept]

    def __len__(self) -> int:
        return len(self.concepts)

    def __getitem__(self, concept_id: str) -> Concept:
        return self.concepts[concept_id]

    def ancestors(self, concept_id: str) -> list[str]:
        """Every broader concept, nearest first."""
        seen: list[str] = []
        todo = list(self.concepts[concept_id].broader)
        while todo:
            cid = todo.pop(0)
            if cid not in seen:
                seen.append(cid)
                todo.extend(self.concepts[cid].broader)
        return seen

    def labels(self, concept_id: str) -> list[str]:
        """All labels of a concept (all languages, jurisdictions' terms included)."""
        return self.concepts[concept_id].all_labels()

    @cached_property
    def _keys(self) -> dict[str, list[tuple[Key, int, str, Concept]]]:
        """Each label's lemma key with its kind (0 preferred, 1 alternative or hidden, 2 a
        jurisdiction's term), filed under every lemma of its first word so a text is scanned
        once, not per label."""
        keys = []
        for c in self.concepts.values():
            for lang in LANGUAGES:
                keys += [(label_key(t), int(i > 0), t, c) for i, t in enumerate(c.labels.get(lang, ()))]
                keys += [(label_key(t), 1, t, c) for t in c.hidden.get(lang, ())]
            keys += [(label_key(t.term), 2, t.term, c) for t in c.terms]
        by_first: dict[str, list[tuple[Key, int, str, Concept]]] = {}
        for key in keys:
            for lemma in key[0][0] if key[0] else ():
                by_first.setdefault(lemma, []).append(key)
        return by_first

    def match(self, query: str) -> list[Match]:
        """The concepts a query (or any text) names, in text order; a match inside a longer one is dropped.

        `трудовых мигрантов` names the labour migrant, not also the plain migrant. Several
        concepts may share one span (a word that is a label of each); each concept is reported
        once, by its longest match, labels before jurisdictions' terms.
        """
        words = label_key(query) if len(query) < 1000 else text_key(query)  # long texts: not cached
        found = []
        for start, lemmas in enumerate(words):
            candidates = {id(k): k for lemma in lemmas for k in self._keys.get(lemma, ())}
            for key, kind, text, concept in candidates.values():
                end = start + len(key)
                if end <= len(words) and all(w & h for w, h in zip(key, words[start:end], strict=True)):
                    found.append((start - end, kind, start, Match(concept, text, start, end)))
        kept: list[Match] = []
        for *_, m in sorted(found, key=lambda f: f[:3]):
            inside = any(k.start <= m.start and m.end <= k.end and k.end - k.start > m.end - m.start for k in kept)
            if not inside and all(k.concept.id != m.concept.id for k in kept):
                kept.append(m)
        return sorted(kept, key=lambda m: m.start)


def text_key(text: str) -> Key:
    """The lemmas at each position of a text, stopwords dropped (`вид на жительство` -> 2 positions)."""
    positions: dict[int, set[str]] = {}
    for token in text_analyzer()(text, positions=True, mode="query"):  # as a query is analysed
        if not token.text.startswith(EXACT_PREFIX):
            positions.setdefault(token.pos, set()).add(token.text)
    return tuple(
        frozenset(terms) for _, terms in sorted(positions.items())
        if not all(is_stopword(t) for t in terms)
    )


_LABEL_KEYS: dict[str, Key] = {}
MAX_LABEL_KEYS = 50_000


def label_key(text: str) -> Key:
    """`text_key`, kept: labels and queries repeat, so each is analysed once per process (or
    not at all, when `remember_label_keys` was given them from the concepts cache)."""
    found = _LABEL_KEYS.get(text)
    if found is None:
        found = text_key(text)
        if len(_LABEL_KEYS) >= MAX_LABEL_KEYS:
            _LABEL_KEYS.clear()
        _LABEL_KEYS[text] = found
    return found


def label_texts(thesaurus: Thesaurus) -> list[str]:
    """Every label (hidden ones too) and jurisdiction's term of a thesaurus, each once."""
    return list(dict.fromkeys(
        label for c in thesaurus.concepts.values()
        for label in [*c.all_labels(), *(h for lang in LANGUAGES for h in c.hidden.get(lang, ()))]
    ))


def known_label_keys(texts: list[str]) -> dict[str, list[list[str]]]:
    """The keys of `texts` as plain lists (for a JSON cache)."""
    return {t: [sorted(lemmas) for lemmas in label_key(t)] for t in texts}


def remember_label_keys(keys: dict[str, list[list[str]]]) -> None:
    """Take keys analysed by another process (`known_label_keys`): the thesaurus's ~1,400 labels
    cost about a CPU second to analyse, most of a CLI search's start-up."""
    for text, key in keys.items():
        _LABEL_KEYS.setdefault(text, tuple(frozenset(lemmas) for lemmas in key))


def load(path: Path | str = THESAURUS_FILE) -> Thesaurus:
    """Read and check a thesaurus file; ThesaurusError lists every problem at once."""

    def build(data: dict, problems: list[str]) -> Thesaurus:
        groups = {g.get("id", ""): _labels(g, problems, as_list=False) for g in data.get("group", [])}
        concepts = by_id((_concept(raw, problems) for raw in data.get("concept", [])), problems, taken=groups)
        problems += check(groups, concepts)
        return Thesaurus(groups, concepts)

    return load_checked(path, ThesaurusError, build)


def _labels(raw: dict, problems: list[str], *, as_list: bool = True) -> dict:
    labels = {}
    for lang in LANGUAGES:
        value = raw.get(lang)
        if value is None:
            continue
        values = [value] if isinstance(value, str) else value
        if not values or not all(isinstance(v, str) and v.strip() for v in values):
            problems.append(f"{raw.get('id')}: empty or non-text {lang} label")
            continue
        labels[lang] = tuple(v.strip() for v in values) if as_list else values[0].strip()
    return labels


def _concept(raw: dict, problems: list[str]) -> Concept:
    known = {"id", "group", "broader", "narrower", "related", "terms", "hidden", *LANGUAGES}
    cid = raw.get("id", "")
    if unknown := set(raw) - known:
        problems.append(f"{cid}: unknown keys {sorted(unknown)}")
    terms = []
    for t in raw.get("terms", []):
        if set(t) != {"country", "term", "act"} or not all(isinstance(v, str) and v for v in t.values()):
            problems.append(f"{cid}: a term needs exactly country, term and act: {t}")
            continue
        terms.append(Term(t["country"], t["term"], t["act"]))
    return Concept(
        id=cid,
        group=raw.get("group", ""),
        labels=_labels(raw, problems),
        broader=tuple(raw.get("broader", ())),
        related=tuple(raw.get("related", ())),
        terms=tuple(terms),
        narrower=tuple(raw.get("narrower", ())),
        hidden=_hidden(raw, problems),
    )


def _hidden(raw: dict, problems: list[str]) -> dict[str, tuple[str, ...]]:
    """`hidden = { ru = [...], en = [...] }`: a table of label lists by language, nothing else."""
    hidden = raw.get("hidden", {})
    if not isinstance(hidden, dict):
        problems.append(f"{raw.get('id')}: hidden is a table of labels by language")
        return {}
    if unknown := set(hidden) - set(LANGUAGES):
        problems.append(f"{raw.get('id')}: hidden labels in unknown languages {sorted(unknown)}")
    return _labels({"id": raw.get("id"), **{k: v for k, v in hidden.items() if k in LANGUAGES}}, problems)


def check(groups: dict[str, dict[str, str]], concepts: dict[str, Concept]) -> list[str]:
    """Structural problems; fills in each concept's narrower (the inverse of broader) and
    makes related symmetric, so the loaded thesaurus never depends on both sides being written."""
    problems = []
    for c in concepts.values():
        if not c.id or not c.id.replace("-", "").isalnum() or c.id != c.id.lower():
            problems.append(f"{c.id!r}: an id is lowercase letters, digits and hyphens")
        if c.group not in groups:
            problems.append(f"{c.id}: unknown group {c.group!r}")
        for lang in REQUIRED_LANGUAGES:
            if not c.labels.get(lang):
                problems.append(f"{c.id}: no {lang} label")
        for rel, ids in (("broader", c.broader), ("narrower", c.narrower), ("related", c.related)):
            problems += [f"{c.id}: {rel} {i!r} is no concept" for i in ids if i not in concepts]
            if c.id in ids:
                problems.append(f"{c.id}: {rel} itself")
        for t in c.terms:
            if t.country not in JURISDICTIONS:
                problems.append(f"{c.id}: unknown jurisdiction {t.country!r}")
    if problems:
        return problems
    derived = _inverse(concepts)
    for c in concepts.values():
        if stated := set(c.narrower) - set(derived[c.id]):
            problems.append(f"{c.id}: narrower {sorted(stated)} do not name it as broader")
        c.narrower = tuple(derived[c.id])
        c.related = tuple(dict.fromkeys(c.related))
    for c in concepts.values():
        for other in c.related:
            if c.id not in concepts[other].related:
                concepts[other].related += (c.id,)
    return problems + _cycles(concepts)


def _inverse(concepts: dict[str, Concept]) -> dict[str, list[str]]:
    narrower: dict[str, list[str]] = {cid: [] for cid in concepts}
    for c in concepts.values():
        for b in c.broader:
            narrower[b].append(c.id)
    return narrower


def _cycles(concepts: dict[str, Concept]) -> list[str]:
    """A concept that is its own ancestor through broader links."""
    problems = []
    for start in concepts:
        seen: set[str] = set()
        todo = list(concepts[start].broader)
        while todo:
            cid = todo.pop()
            if cid == start:
                problems.append(f"{start}: a cycle in broader")
                break
            if cid not in seen:
                seen.add(cid)
                todo.extend(concepts[cid].broader)
    return problems


@lru_cache(maxsize=1)
def default() -> Thesaurus:
    """The project's thesaurus, loaded once per process."""
    return load(THESAURUS_FILE)
