"""The hand-labelled named-entity set (tests/data/entities_gold.tsv) and how an extractor is scored.

Each row labels one mention in one *unit*: the passage of a document (as the indexer splits it)
that contains the row's `unit` text. Every mention in a unit is labelled, so a unit lists all
the organisations, people, places and named laws it names (a unit with none has one row with an
empty surface). `nth` is `*` for every occurrence of the surface in the unit (as whole words,
any whitespace between its words) or the number of the occurrence meant. Labelling rules:

- org: a named organisation, agency, body or programme (not `the Government`, not `NGOs`);
  a legal form and quotes are not part of the name (`PF "Public Position"` -> `Public Position`);
- person: a person's name; place: a country, region or city (not a street address, not an
  adjective such as `Kyrgyz`); law: an act named by title, number or code name (not `this Code`);
- a place inside an organisation's or a law's name, and an organisation inside a law's name,
  are labelled too (`Kyrgyz Republic` in `Jogorku Kenesh of the Kyrgyz Republic`); mentions of
  one kind never overlap (the longest name is the mention);
- the entity is the gazetteer's id where corpus/organisations.toml has the entity, else
  `<kind>:<slug of the name>` as indexer.entities documents it; two names are one entity only
  where the gazetteer (or, for laws, the act) makes them one.

Documents are read from ../shared/corpus (paths as in its MANIFEST.tsv) and ../shared/seeds
(`seeds/...`, described by corpus/seeds.tsv).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from indexer.extract import extract
from indexer.structure import split_passages

GOLD_FILE = Path(__file__).parent / "data" / "entities_gold.tsv"
SEEDS_MANIFEST = Path(__file__).resolve().parents[1] / "corpus" / "seeds.tsv"
KINDS = ("org", "person", "place", "law")


@dataclass(frozen=True)
class Gold:
    start: int
    end: int
    kind: str
    entity: str


@dataclass
class Unit:
    doc: str
    language: str
    doc_type: str
    text: str
    gold: set[Gold] = field(default_factory=set)


class GoldError(ValueError):
    """A row of the gold set no longer fits the text (the unit or the surface is not found)."""


def _manifest(path: Path) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as f:
        return {row["path"]: row for row in csv.DictReader(f, delimiter="\t")}


@cache
def passages_of(file: Path, doc_type: str, language: str, title: str) -> list[tuple[str, str]]:
    """(language, text) of each passage of a file, cut as the indexer cuts it."""
    pages = extract(file).pages
    return [(p.language or language, p.text) for p in split_passages(pages, doc_type=doc_type, language=language, title=title)]


def surface_pattern(surface: str) -> re.Pattern:
    """The surface as whole words, any whitespace between its parts."""
    parts = [re.escape(p) for p in surface.split()]
    return re.compile(r"(?<!\w)" + r"\s+".join(parts) + r"(?!\w)")


def load_units(corpus: Path, seeds: Path, gold_file: Path = GOLD_FILE) -> list[Unit]:
    """The labelled units, each with its passage text and its gold mentions (offsets in it)."""
    manifests = {"corpus": _manifest(corpus / "MANIFEST.tsv"), "seeds": _manifest(SEEDS_MANIFEST)}
    units: dict[tuple[str, str], Unit] = {}
    with gold_file.open(encoding="utf-8", newline="") as f:
        for n, row in enumerate(csv.DictReader(f, delimiter="\t"), start=2):
            doc, anchor = row["doc"], row["unit"]
            if (doc, anchor) not in units:
                units[(doc, anchor)] = _unit(doc, anchor, corpus, seeds, manifests, n)
            unit = units[(doc, anchor)]
            if row["surface"]:
                unit.gold |= _mentions(unit, row, n)
    return list(units.values())


def _unit(doc: str, anchor: str, corpus: Path, seeds: Path, manifests: dict, line: int) -> Unit:
    if doc.startswith("seeds/"):
        file, meta = seeds / doc.removeprefix("seeds/"), manifests["seeds"].get(doc.removeprefix("seeds/"))
    else:
        file, meta = corpus / doc, manifests["corpus"].get(doc)
    if meta is None or not file.is_file():
        raise GoldError(f"line {line}: {doc} is not in the corpus or the seeds")
    passages = passages_of(file, meta["doc_type"], meta["language"], meta["title"])
    for language, text in passages:
        if anchor in text:
            return Unit(doc, language, meta["doc_type"], text)
    raise GoldError(f"line {line}: no passage of {doc} holds {anchor!r}")


def _mentions(unit: Unit, row: dict, line: int) -> set[Gold]:
    found = list(surface_pattern(row["surface"]).finditer(unit.text))
    if row["nth"] != "*":
        n = int(row["nth"])
        found = found[n - 1 : n]
    if not found:
        raise GoldError(f"line {line}: {row['surface']!r} is not in its unit of {unit.doc}")
    if row["kind"] not in KINDS:
        raise GoldError(f"line {line}: kind {row['kind']!r}")
    return {Gold(m.start(), m.end(), row["kind"], row["entity"]) for m in found}


# --- scoring ---------------------------------------------------------------------------------


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    def add(self, predicted: set, gold: set) -> None:
        self.tp += len(predicted & gold)
        self.fp += len(predicted - gold)
        self.fn += len(gold - predicted)


Extractor = Callable[[str, str], Iterable]  # (text, language) -> mentions with start, end, kind, entity_id


def score(units: list[Unit], extractor: Extractor) -> dict[tuple[str, str, str], Score]:
    """Scores by (level, language, kind), `all` for every language or kind.

    level `span`: a mention counts when its start, end and kind are the gold ones; level `entity`:
    the entities (id and kind) a document names, against the document's gold entities.
    """
    scores: dict[tuple[str, str, str], Score] = {}
    per_doc: dict[str, tuple[str, set, set]] = {}
    for unit in units:
        predicted = {Gold(m.start, m.end, m.kind, m.entity_id) for m in extractor(unit.text, unit.language)}
        for kind in (*KINDS, "all"):
            for language in (unit.language, "all"):
                pick = {(g.start, g.end, g.kind) for g in predicted if kind in ("all", g.kind)}
                want = {(g.start, g.end, g.kind) for g in unit.gold if kind in ("all", g.kind)}
                scores.setdefault(("span", language, kind), Score()).add(pick, want)
        language, got, want = per_doc.setdefault(unit.doc, (unit.language, set(), set()))
        got |= {(g.kind, g.entity) for g in predicted}
        want |= {(g.kind, g.entity) for g in unit.gold}
    for language, got, want in per_doc.values():
        for kind in (*KINDS, "all"):
            for lang in (language, "all"):
                pick = {e for e in got if kind in ("all", e[0])}
                need = {e for e in want if kind in ("all", e[0])}
                scores.setdefault(("entity", lang, kind), Score()).add(pick, need)
    return scores
