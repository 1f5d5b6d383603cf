"""Which provisions cite which, across the whole collection, once per index generation.

Every passage's text is read for citations (indexer/citations.py); each is resolved to the
document(s) of the act it names (acts.py; `настоящего Кодекса` is the citing document itself)
that have the article cited. That gives, for every article, the provisions of this and other
acts that cite it ("cited by"), and for every passage the number of provisions citing its
article, which lifts ranking a little. Reading ~25 MB of text takes seconds, so the result is
saved beside the index per generation (`citations-cache.json`), like the concepts; a cache that
is missing, stale or unwritable means building it again.

The document page finds the citations of the text it shows itself (a part is ~18,000
characters) and asks `target` where each one leads.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from indexer.cache_files import replace_atomically
from indexer.citations import Citation, find_citations
from indexer.models import DocMeta
from indexer.references import Reference
from indexer.search.acts import resolve
from indexer.search.articles import article_number, passage_anchor

CACHE_FILE = "citations-cache.json"
CACHE_VERSION = 2  # bump when what is found or how it is resolved changes


@dataclass(frozen=True)
class Source:
    """A provision that cites: its document, its anchor on the document page, its label."""

    doc_id: str
    anchor: str  # `art-5`, or `p-<passage id>` for a provision that is not an article
    label: str

    @property
    def article(self) -> str:
        return self.anchor[4:] if self.anchor.startswith("art-") else ""


@dataclass
class CitationGraph:
    docs: dict[str, DocMeta]
    articles: dict[str, set[str]]  # doc id -> the numbers of its articles
    cited_by: dict[str, dict[str, list[Source]]]  # doc id -> article -> citing provisions
    inbound: np.ndarray  # passage docnum -> provisions citing its article (not counting itself)
    _acts: dict[tuple, list[str]] = field(default_factory=dict)

    def lift(self, weight: float) -> np.ndarray | None:
        """Per passage, the factor inbound citations lift its score by: 1 + weight × log(1 + n)
        over log(1 + the most cited's n) (None when nothing is cited or weight is 0)."""
        top = float(self.inbound.max()) if len(self.inbound) else 0.0
        if not weight or top <= 0:
            return None
        return (1.0 + weight * np.log1p(self.inbound) / math.log1p(top)).astype(np.float32)

    def citing(self, doc_id: str, article: str) -> list[Source]:
        return self.cited_by.get(doc_id, {}).get(article, [])

    def target(self, doc_id: str, citation: Citation) -> tuple[str, str] | None:
        """Where a citation in document `doc_id` leads: (document, article; '' for the act
        alone), or None when the act (or its article) is not in the collection."""
        return _target(self, doc_id, citation)

    def act_documents(self, doc_id: str, citation: Citation) -> list[str]:
        """The documents of the act a citation names ([]: not in the collection)."""
        if citation.act is None:
            return [doc_id]
        meta = self.docs.get(doc_id)
        country = citation.country or (meta.country if meta else "")
        ref = citation.act
        key = (ref.act_number, ref.code.kind if ref.code else "", country, ref.date)
        if key not in self._acts:
            self._acts[key] = _resolve(ref, country, self.docs)
        return self._acts[key]


def _resolve(ref: Reference, country: str, docs: dict[str, DocMeta]) -> list[str]:
    found = resolve(ref, docs)
    if country:
        found = [d for d in found if docs[d].country == country]
    if ref.act_number.isdigit():  # `№ 61` names an act only with its date and country
        found = [d for d in found if ref.date and docs[d].date == ref.date]
    return found


def _target(graph: CitationGraph, doc_id: str, citation: Citation) -> tuple[str, str] | None:
    candidates = graph.act_documents(doc_id, citation)
    if not candidates:
        return None
    if not citation.article:
        return None if candidates == [doc_id] else (_preferred(graph, doc_id, candidates), "")
    having = [d for d in candidates if citation.article in graph.articles.get(d, ())]
    return (_preferred(graph, doc_id, having), citation.article) if having else None


def _preferred(graph: CitationGraph, doc_id: str, candidates: list[str]) -> str:
    """The document itself, else one in its language, else the first."""
    if doc_id in candidates:
        return doc_id
    language = graph.docs[doc_id].language if doc_id in graph.docs else ""
    return next((d for d in candidates if graph.docs[d].language == language), candidates[0])


# --- building --------------------------------------------------------------------------------


def build(searcher, docs: dict[str, DocMeta]) -> CitationGraph:
    """Read every passage, find its citations, resolve them (see the module's docstring)."""
    reader = searcher.reader()
    by_doc: dict[str, list[tuple[int, int, dict]]] = {}
    for docnum, stored in reader.iter_docs():
        if stored.get("doc_id") in docs:
            by_doc.setdefault(stored["doc_id"], []).append((stored.get("ordinal", 0), docnum, stored))
    blocks = {d: _blocks(sorted(rows, key=lambda r: r[0])) for d, rows in by_doc.items()}
    articles = {d: {b.source.article for b in bs if b.source.article} for d, bs in blocks.items()}
    graph = CitationGraph(docs, articles, {}, np.zeros(reader.doc_count_all(), dtype=np.float32))
    for doc_id, doc_blocks in sorted(blocks.items()):
        for b in doc_blocks:
            found = (c for text in b.texts for c in find_citations(text, acts_alone=False) if c.article)
            cited = {graph.target(doc_id, c) for c in found}
            for target in sorted(t for t in cited if t is not None):
                if target != (doc_id, b.source.article):
                    graph.cited_by.setdefault(target[0], {}).setdefault(target[1], []).append(b.source)
    for doc_id, doc_blocks in blocks.items():
        for b in doc_blocks:
            if b.source.article:
                graph.inbound[b.docnums] = len(graph.citing(doc_id, b.source.article))
    return graph  # each list: citing documents in doc id order, each in reading order


@dataclass
class _Block:
    source: Source
    texts: list[str]
    docnums: list[int]


def _blocks(rows: list[tuple[int, int, dict]]) -> list[_Block]:
    """A document's passages as the page shows them: an article's pieces one block, anchored
    `art-<number>` for its first run (as search_web/document_view.py does)."""
    out: list[_Block] = []
    used: set[str] = set()
    for _, docnum, s in rows:
        kind = s.get("kind", "")
        number = article_number(s.get("label", ""), kind)
        if out and number and kind.endswith("-chunk") and out[-1].source.article == number:
            out[-1].texts.append(s.get("body", ""))
            out[-1].docnums.append(docnum)
            continue
        name = f"art-{number}" if number and f"art-{number}" not in used else passage_anchor(s["passage_id"])
        used.add(name)
        out.append(_Block(Source(s["doc_id"], name, s.get("label", "")), [s.get("body", "")], [docnum]))
    return out



# --- the cache beside the index -----------------------------------------------------------------


def load_or_build(folder: Path, generation: str, searcher, docs: dict[str, DocMeta]) -> CitationGraph:
    """The index's citation graph: from the cache when it is this generation's, else built and saved."""
    key = f"{CACHE_VERSION}|{generation}"
    path = folder / CACHE_FILE
    cached = _load(path, key, docs, searcher.reader().doc_count_all())
    if cached is not None:
        return cached
    graph = build(searcher, docs)
    _save(path, key, graph)
    return graph


def _load(path: Path, key: str, docs: dict[str, DocMeta], n: int) -> CitationGraph | None:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        if data["key"] != key or len(data["inbound"]) != n:
            return None
        cited_by = {
            doc: {number: [Source(*s) for s in sources] for number, sources in by_article.items()}
            for doc, by_article in data["cited_by"].items()
        }
        articles = {doc: set(numbers) for doc, numbers in data["articles"].items()}
        return CitationGraph(docs, articles, cited_by, np.array(data["inbound"], dtype=np.float32))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _save(path: Path, key: str, graph: CitationGraph) -> None:
    data = {
        "key": key,
        "articles": {doc: sorted(numbers) for doc, numbers in graph.articles.items()},
        "cited_by": {
            doc: {number: [[s.doc_id, s.anchor, s.label] for s in sources] for number, sources in by_article.items()}
            for doc, by_article in graph.cited_by.items()
        },
        "inbound": graph.inbound.astype(int).tolist(),
    }
    replace_atomically(path, lambda out: out.write(json.dumps(data, ensure_ascii=False).encode("utf-8")))
