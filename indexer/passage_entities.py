"""The entities each passage names, and each document's tally of them, found at index time.

Runs in the writer's worker processes beside extraction (the NER model is the costly part, so
`indexer.entities.model_policy` decides by document type whether it reads a document). What it
returns is stored twice: each passage's entity ids in the whoosh field `entities` (filters,
"passages naming X") and each document's tally in the catalog's `entities` table (facets, the
organisation pages), so no page ever runs the extraction again.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice

from indexer.entities import Mention, find_entities, find_entities_many, model_policy
from indexer.models import DocMeta, Named, Passage

MAX_SURFACES = 8  # spellings kept per entity and document: enough for aliases and snippets


def find_in_document(meta: DocMeta, passages: list[Passage]) -> tuple[list[list[str]], list[Named]]:
    """Each passage's entity ids (in first-mention order) and the document's tally.

    The title counts towards the tally (a press release's title often names who speaks) but
    belongs to no passage.
    """
    return find_in_documents([(meta, passages)])[0]


def find_in_documents(documents: list[tuple[DocMeta, list[Passage]]]) -> list[tuple[list[list[str]], list[Named]]]:
    """find_in_document for each document; the passages of all that get the model are read by it
    together (one batch of small documents costs it less than one call each)."""
    texts: dict[bool, list[tuple[str, str]]] = {True: [], False: []}
    for meta, passages in documents:
        texts[model_policy(meta.doc_type)] += [(p.text, p.language or meta.language) for p in passages]
    mentions = {
        policy: iter(find_entities_many(items, use_model=None if policy else False))
        for policy, items in texts.items()
    }
    results = []
    for meta, passages in documents:
        per_passage: list[list[str]] = []
        found: list[tuple[Mention, str]] = []
        for passage, passage_mentions in zip(passages, islice(mentions[model_policy(meta.doc_type)], len(passages)), strict=True):
            per_passage.append(list(dict.fromkeys(m.entity_id for m in passage_mentions)))
            found += [(m, passage.text[m.start : m.end]) for m in passage_mentions]
        if meta.title:
            found += [(m, meta.title[m.start : m.end]) for m in find_entities(meta.title, meta.language, use_model=False)]
        results.append((per_passage, tally(found)))
    return results


def tally(found: list[tuple[Mention, str]]) -> list[Named]:
    """(mention, its text) pairs -> one Named per entity, most mentioned first."""
    counts: Counter[str] = Counter()
    kinds: dict[str, str] = {}
    names: dict[str, Counter[str]] = {}
    surfaces: dict[str, Counter[str]] = {}
    for mention, surface in found:
        counts[mention.entity_id] += 1
        kinds[mention.entity_id] = mention.kind
        names.setdefault(mention.entity_id, Counter())[mention.name] += 1
        surfaces.setdefault(mention.entity_id, Counter())[" ".join(surface.split())] += 1
    return [
        Named(
            entity_id, kinds[entity_id], names[entity_id].most_common(1)[0][0], n,
            tuple(s for s, _ in surfaces[entity_id].most_common(MAX_SURFACES) if s),
        )
        for entity_id, n in counts.most_common()
    ]
