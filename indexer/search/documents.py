"""One document: its passages (a query's matches highlighted), the passages of it a query
matches, its translations and versions, and passages like one of its passages elsewhere."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

import numpy as np
from whoosh import query as wq

from analyzers import EXACT_PREFIX, is_stopword
from indexer.citation import act_citation
from indexer.models import DocMeta
from indexer.search.acts import same_act, translation_of
from indexer.search.articles import article_passages
from indexer.search.plan import QueryPlan, body_terms
from indexer.search.results import doc_summary, passage_dict
from indexer.search.snippets import mark_whole, passage_snippet
from indexer.search.view import IndexView


@dataclass
class WordsFound:
    """A query's words over the whole index: the passages holding them and the terms to mark.
    One document page asks it twice (its passages marked, its list of matches), so the engine
    keeps it with the query's other answers."""

    mask: np.ndarray
    terms: list[str]


def words_found(view: IndexView, plan: QueryPlan) -> WordsFound:
    return WordsFound(view.scorer.evaluate(plan.query).mask, body_terms(plan.query))


def document(
    view: IndexView, doc_id: str, found: WordsFound | None = None, article: str | None = None
) -> dict | None:
    """A document's metadata and every passage in reading order (or only article `article`'s:
    None when it has no such article); the query's words (`found`) marked."""
    meta = view.docs.get(doc_id)
    if meta is None:
        return None
    stored = view.document_passages(doc_id)
    act = act_citation(meta)  # each passage's citation begins with it
    plain = view.kept_document(doc_id, "plain", lambda _: [_plain_passage(meta, s, act) for s, _n in stored])
    at = range(len(stored))
    if article is not None:
        at = _article_positions(plain, article)
        if not at:
            return None
    matched: dict[int, str] = {}
    if found is not None:
        matched = {
            i: mark_whole(view.searcher, view.store, stored[i][1], plain[i]["text"], found.terms)
            for i in at if found.mask[stored[i][1]]
        }
    passages = [plain[i] | {"matched": i in matched, "html": matched.get(i, plain[i]["html"])} for i in at]
    out = doc_summary(meta)
    out.update(
        fetched_at=meta.fetched_at,
        page_count=meta.page_count,
        notes=meta.notes,
        translations=_related(view.docs, meta, translation_of),
        versions=_related(view.docs, meta, lambda a, b: a.language == b.language and same_act(a, b)),
        passages=passages,
    )
    if article is not None:
        out["article"] = article
        out["cited_by"] = [
            {"doc_id": s.doc_id, "article": s.article, "label": s.label}
            for s in view.citations.citing(doc_id, article)
        ]
    return out


def _plain_passage(meta: DocMeta, stored: dict, act: str) -> dict:
    """A passage as a page shows it with no query: its facts, its text and that text escaped."""
    text = stored.get("body", "")
    return passage_dict(meta, stored, act=act) | {"text": text, "matched": False, "html": escape(text, quote=False)}


def _article_positions(plain: list[dict], number: str) -> list[int]:
    """Where in the document article `number`'s passages are."""
    return [p["at"] for p in article_passages([p | {"at": i} for i, p in enumerate(plain)], number)]


def _related(docs: dict[str, DocMeta], meta: DocMeta, related) -> list[dict]:
    """The other documents `related(meta, other)` accepts: the act's translations, or its other files."""
    out = [
        {"doc_id": other.doc_id, "title": other.title, "language": other.language}
        for other in docs.values()
        if other.doc_id != meta.doc_id and related(meta, other)
    ]
    return sorted(out, key=lambda d: (d["language"], d["doc_id"]))


def find_in_document(view: IndexView, doc_id: str, found: WordsFound) -> list[dict]:
    """Every passage of one document that matches, in reading order, with a snippet."""
    meta = view.docs.get(doc_id)
    if meta is None:
        return []
    searcher = view.searcher
    mask, terms = found.mask, found.terms
    act = act_citation(meta)
    rows = []
    for docnum in searcher.document_numbers(doc_id=doc_id):
        if not mask[docnum]:
            continue
        stored = searcher.stored_fields(docnum)
        snippet = passage_snippet(searcher, view.store, docnum, stored, terms, top=1)
        rows.append(passage_dict(meta, stored, snippet=snippet, act=act) | {"ordinal": stored["ordinal"]})
    return sorted(rows, key=lambda r: r["ordinal"])


def passage_number(searcher, passage_id: str) -> int | None:
    """A passage's docnum from its id, "<doc_id>/<ordinal>" (indexes keep no term per passage id)."""
    doc_id, _, ordinal = passage_id.rpartition("/")
    if not doc_id or not ordinal.isdigit():
        return None
    return searcher.document_number(doc_id=doc_id, ordinal=int(ordinal))


def more_like_this(view: IndexView, passage_id: str, limit: int = 10) -> list[dict]:
    """Passages most like one passage, from other documents (other countries first)."""
    searcher = view.searcher
    docnum = passage_number(searcher, passage_id)
    if docnum is None:
        return []
    source = searcher.stored_fields(docnum)
    key_terms = [
        term for term, _ in searcher.key_terms([docnum], "body", numterms=40)
        if not term.startswith(EXACT_PREFIX) and not is_stopword(term)
    ][:20]
    if not key_terms:
        return []
    like = wq.Or([wq.Term("body", t) for t in key_terms])
    hits = searcher.search(like, limit=limit * 3, mask=wq.Term("doc_id", source["doc_id"]))
    rows = []
    for hit in hits:
        meta = view.docs.get(hit["doc_id"])
        if meta is None:
            continue
        row = passage_dict(meta, hit.fields(), snippet=passage_snippet(searcher, view.store, hit.docnum, hit.fields(), []))
        row.update(doc=doc_summary(meta), score=round(hit.score, 4))
        rows.append(row)
    home = view.docs[source["doc_id"]].country if source["doc_id"] in view.docs else ""
    rows.sort(key=lambda r: (r["doc"]["country"] == home, -r["score"]))
    return rows[:limit]
