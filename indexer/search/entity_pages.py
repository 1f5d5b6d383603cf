"""The answers about entities: a kind's list, one entity's documents and passages, and the
entities a query names by an acronym or alias (offered instead of a spelling correction).

All of it reads what indexing stored: the catalog's tally (view.entities) for lists and counts,
the passages' `entities` field for the passages naming one entity.
"""

from __future__ import annotations

from collections import Counter

from whoosh import highlight
from whoosh import query as wq

from indexer.entities import entity_record
from indexer.models import Named
from indexer.search.entities import KINDS, EntityInfo, full_id
from indexer.search.results import doc_summary, passage_dict
from indexer.search.snippets import MarkFormatter, lead
from indexer.search.view import IndexView

PASSAGES_PER_DOCUMENT = 3
_FRAGMENTER = highlight.PinpointFragmenter(maxchars=240, surround=80, autotrim=True)
_FORMATTER = MarkFormatter()


def listing(view: IndexView, kind: str, q: str = "") -> list[dict]:
    """The entities of `kind` the documents name (whose names contain `q`), most documents first."""
    return [e.to_dict() for e in view.entities.listing(kind, q)]


def entity(view: IndexView, kind: str, short_id: str, page: int = 1, limit: int = 20) -> dict | None:
    """One entity: its names, documents per year, and a page of the documents naming it (most
    mentions first) with the passages that do. None: no such entity in the index or gazetteer;
    a gazetteer entity no document names has no documents."""
    info = view.entities.get(kind, short_id) or _unnamed(kind, short_id)
    if info is None:
        return None
    entity_id = info.entity_id
    naming = [(d, row) for d, row in view.entities.documents_naming(entity_id) if d in view.docs]
    first = (page - 1) * limit
    shown = naming[first : first + limit]
    passages = _passages_naming(view, entity_id, {d for d, _ in shown})
    results = []
    for doc_id, row in shown:
        meta = view.docs[doc_id]
        hits = passages.get(doc_id, [])
        out = doc_summary(meta)
        out["mentions"] = row.mentions
        out["passages"] = [
            passage_dict(meta, stored, snippet=mention_snippet(stored.get("body", ""), row.surfaces))
            for stored in hits[:PASSAGES_PER_DOCUMENT]
        ]
        out["more_passages"] = max(0, len(hits) - PASSAGES_PER_DOCUMENT)
        results.append(out)
    return {
        **info.to_dict(),
        "by_year": _by_year(view, naming),
        "page": page,
        "limit": limit,
        "results": results,
    }


def _unnamed(kind: str, short_id: str) -> EntityInfo | None:
    """A gazetteer entity of `kind` that no indexed document names (None when it is not one)."""
    record = entity_record(full_id(kind, short_id)) if kind in KINDS else None
    if record is None or record.kind != kind:
        return None
    names = {lang: record.name(lang) for lang in ("ru", "en", "ky")}
    return EntityInfo(short_id, kind, record.name("en"), names, tuple(record.aliases), 0, 0)


def _passages_naming(view: IndexView, entity_id: str, doc_ids: set[str]) -> dict[str, list[dict]]:
    """The stored passages of `doc_ids` that name the entity, in reading order."""
    if not doc_ids or "entities" not in view.searcher.schema:
        return {}
    found: dict[str, list[dict]] = {}
    for docnum in view.searcher.docs_for_query(wq.Term("entities", entity_id)):
        doc_id = view.doc_of(docnum)
        if doc_id in doc_ids:
            found.setdefault(doc_id, []).append(view.searcher.stored_fields(docnum))
    for hits in found.values():
        hits.sort(key=lambda stored: stored.get("ordinal", 0))
    return found


def _by_year(view: IndexView, naming: list[tuple[str, Named]]) -> list[dict]:
    """Documents and mentions per year, oldest first; documents of unknown date as year null, last."""
    documents: Counter = Counter()
    mentions: Counter = Counter()
    for doc_id, row in naming:
        year = view.docs[doc_id].year
        documents[year] += 1
        mentions[year] += row.mentions
    years = sorted(documents, key=lambda y: (y is None, y or 0))
    return [{"year": y, "documents": documents[y], "mentions": mentions[y]} for y in years]


def mention_snippet(text: str, surfaces: tuple[str, ...]) -> str:
    """Up to two fragments of `text` around the entity's spellings, marked; its lead when none is found."""
    folded = text.casefold()
    tokens, taken = [], []
    for surface in surfaces:
        needle, start = surface.casefold(), 0
        while needle and (start := folded.find(needle, start)) >= 0:
            end = start + len(needle)
            if not any(s < end and start < e for s, e in taken):
                taken.append((start, end))
                tokens.append(highlight.Token(text=surface, pos=len(tokens), startchar=start, endchar=end, matched=True))
            start = end
    if not tokens:
        return lead(text)
    tokens.sort(key=lambda t: t.startchar)
    fragments = list(_FRAGMENTER.fragment_matches(text, tokens))[:2]
    return _FORMATTER.format(fragments)


def suggestions(view: IndexView, text: str, words: list[str]) -> list[dict]:
    """The entities a query names by an alias or acronym (`МОМ`, `ЕАЭС`): each with its page
    (org, person, place) and its full name to search, in the language of the name typed."""
    out = []
    for info in view.entities.named_by(text, words):
        out.append({
            "id": info.id,
            "kind": info.kind,
            "name": info.name,
            "search": f'"{_full_name(info, text, words)}"',
            "page": info.kind in KINDS,
            "documents": info.documents,
        })
    return out


def _full_name(info: EntityInfo, text: str, words: list[str]) -> str:
    """The entity's name in the script the query was typed in (Cyrillic -> Russian)."""
    typed = text + " ".join(words)
    cyrillic = any("\u0400" <= c <= "\u04ff" for c in typed)
    for lang in (("ru", "en") if cyrillic else ("en", "ru")):
        if info.names.get(lang):
            return info.names[lang]
    return info.name
