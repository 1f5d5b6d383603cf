"""Named entities at index time: organisations, people, places and named laws in a text.

The interface (stable; `orgs` and the index build on it):

    find_entities(text, language, *, use_model=None) -> list[Mention]   # in text order
    find_entities_many([(text, language), ...], *, use_model=None)       # the same, the model batched
    entity_record(entity_id) -> Entity | None                            # gazetteer entries only
    model_policy(doc_type) -> bool                                       # the NER model for this kind of document?

- `Mention(entity_id, name, kind, start, end)`: `kind` is "org" | "person" | "place" | "law";
  `start`/`end` are character offsets into the text given (text[start:end] is the surface).
  `entity_id` is stable across processes and runs: `org:iom` for a gazetteer entry, else
  `<kind>:<ASCII slug of the name's lemmas>` (`org:institut-politika-razvitie` for `ОФ "Института
  политики развития"` and `Институт политики развития` alike; `law:115-fz`, `law:code-labour-ru`).
  `name` is the name to show: the gazetteer's preferred name in the text's language, else the
  name as written with its legal form and quotes dropped and (Russian) its head in the nominative.
- `Entity(id, kind, names, unattested)`: `names` maps a language ("ru", "en", "ky") to its names,
  preferred first; `.name(language)` the preferred name there (ky falls back to ru, others to en);
  `.aliases` every name. English and Russian names are one entity only where the gazetteer
  (corpus/organisations.toml) says so.
- `language`: "ru" | "en" | "ky" | anything else (treated like English: gazetteer and rules).
  For "ru" the NER model (natasha's slovnet news model, see `russian_ner`) adds people, places and
  organisations the gazetteer and rules do not know; `use_model=None` uses it when installed,
  False never, True always (ModelMissing when absent). Mentions of one kind never overlap; a
  mention may hold mentions of other kinds (Russia in `Правительство Российской Федерации`).
- Any input is safe: empty, huge (read in windows) or odd text gives a list, never an exception.

Modules: `names` (words, forms, name keys, slugs), `gazetteer` (the data file), `rules` (shapes
of names), `russian_ner` (the model), `ner_tagger` (running it on batches), `extract` (merging them into mentions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from indexer.entities.gazetteer import Entity, default

if TYPE_CHECKING:
    from indexer.entities.extract import Mention, find_entities, find_entities_many

# Laws and codes are long and name few organisations beyond the gazetteer's; the model costs
# most there (see benchmarks/bench_entities.py). Other documents get the model.
MODEL_DOC_TYPES = frozenset({"report", "press_release", "other", "agreement", "treaty"})


def entity_record(entity_id: str) -> Entity | None:
    """The gazetteer's record of an entity (names in every language, aliases); None for an
    entity known only from the texts (its mentions carry its name)."""
    return default().get(entity_id) if isinstance(entity_id, str) else None


def model_policy(doc_type: str) -> bool:
    """Whether a document of this type should get the NER model (`use_model=model_policy(t)`)."""
    return doc_type in MODEL_DOC_TYPES


def __getattr__(name: str):
    """`find_entities` and `Mention` load the rules and the extractor on first use: the read side
    (search) needs only the gazetteer's records."""
    if name in ("find_entities", "find_entities_many", "Mention"):
        from indexer.entities import extract

        return getattr(extract, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = ["Entity", "Mention", "entity_record", "find_entities", "find_entities_many", "model_policy"]
