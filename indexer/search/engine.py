"""The read side: queries in, plain data out (the CLI and the web only render it).

One SearchEngine per process holds one whoosh searcher and the catalog's document metadata,
and refreshes both when the index changes. A search makes two passes over the index: an
unscored pass that lists every matching passage (for totals and facets, counted per
document), and a scored top-k pass, restricted to the filtered set and collapsed to three
passages per document, for the page of results.
"""

from __future__ import annotations

import re
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from html import escape
from pathlib import Path

import numpy as np
from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.scoring import BM25F

from analyzers import EXACT_PREFIX, is_stopword
from indexer.catalog import Catalog
from indexer.citation import cite
from indexer.models import DocMeta
from indexer.query import (
    Group,
    QueryBuilder,
    QueryError,
    analyze,
    article_lookup,
    content_words,
    expand_abbreviations,
    parse,
)
from indexer.schema import FIELD_BOOSTS
from indexer.scoring import Scorer
from indexer.settings import MAX_LIMIT, REFRESH_SECONDS, SORTS
from indexer.snippets import lead, mark_whole, pinpoint_snippet

__all__ = ["Filters", "QueryError", "SearchEngine"]

PASSAGES_PER_DOC = 3
FACETS = ("country", "doc_type", "language", "year")
LOOKUP_BOOST = 40.0


@dataclass
class Filters:
    """Facet filters. Values within one facet are OR-ed, facets are AND-ed."""

    country: list[str] = field(default_factory=list)
    doc_type: list[str] = field(default_factory=list)
    language: list[str] = field(default_factory=list)
    year_from: int | None = None
    year_to: int | None = None

    def to_dict(self) -> dict:
        return asdict(self)

    def accepts(self, meta: DocMeta, ignore: str | None = None) -> bool:
        """Does a document pass every filter (but `ignore`, for multi-select facet counts)?"""
        for name in ("country", "doc_type", "language"):
            wanted = getattr(self, name)
            if wanted and name != ignore and getattr(meta, name) not in wanted:
                return False
        if ignore != "year" and (self.year_from is not None or self.year_to is not None):
            year = meta.year
            if year is None:
                return False
            if self.year_from is not None and year < self.year_from:
                return False
            if self.year_to is not None and year > self.year_to:
                return False
        return True


class SearchEngine:
    """Searches one index folder. Safe to share between threads for reads."""

    def __init__(self, index_dir: Path | str) -> None:
        self.index_dir = Path(index_dir)
        if not whoosh_index.exists_in(str(self.index_dir)):
            raise FileNotFoundError(
                f"no index in {self.index_dir}: run `migrantlex index PATH --index-dir {self.index_dir}`"
            )
        self._lock = threading.Lock()
        self._ix = whoosh_index.open_dir(str(self.index_dir))
        self._searcher = self._ix.searcher(weighting=BM25F())
        self._checked = time.monotonic()
        self._docs = self._load_docs()
        self._gen_searcher = None
        self._gen_names: list[str] = []
        self._gen_index = np.zeros(0, dtype=np.int64)
        self._doc_pos: dict[str, int] = {}
        self._gen_scorer: Scorer | None = None

    # --- index freshness ---------------------------------------------------------------

    def _load_docs(self) -> dict[str, DocMeta]:
        catalog = Catalog(self.index_dir)
        try:
            return catalog.documents()
        finally:
            catalog.close()

    def _current(self):
        """The searcher, refreshed (at most once a second) when a writer has committed."""
        now = time.monotonic()
        if now - self._checked > REFRESH_SECONDS:
            with self._lock:
                self._checked = now
                if not self._searcher.up_to_date():
                    self._searcher = self._searcher.refresh()
                    self._docs = self._load_docs()
        return self._searcher

    @property
    def documents(self) -> dict[str, DocMeta]:
        self._current()
        return self._docs

    # --- query building ----------------------------------------------------------------

    def _build(self, q: str, searcher, partial: bool = False) -> tuple[wq.Query, object, QueryBuilder]:
        """The whoosh query for `q`; with `partial`, its words OR-ed (the fallback when they never meet)."""
        tree = parse(expand_abbreviations(q))
        builder = QueryBuilder(FIELD_BOOSTS, searcher.reader())
        main = builder.build(tree)
        lookup = self._lookup_query(q, searcher)
        if main is None and lookup is None:
            raise QueryError("The query only excludes words: add a word to search for")
        if partial and isinstance(main, wq.And):
            main = wq.Or(list(main.subqueries))
        if lookup is not None:
            main = wq.Or([lookup, main]) if main is not None else lookup
        return main, tree, builder

    def _evaluate(self, q: str, searcher):
        """(query, builder, scores, notice): all the words, else (saying so) some of them."""
        query, tree, builder = self._build(q, searcher)
        scorer = self._scorer(searcher)
        scored = scorer.evaluate(query)
        if not scored.mask.any() and _is_conjunction(tree):
            partial, _, _ = self._build(q, searcher, partial=True)
            partial_scored = scorer.evaluate(partial)
            if partial_scored.mask.any():
                notice = "No passage contains all the words; showing passages with some of them."
                return partial, builder, partial_scored, notice
        return query, builder, scored, None

    def _lookup_query(self, q: str, searcher) -> wq.Query | None:
        """`115-ФЗ статья 13.3`, `ст. 13.3`: the provision itself, ranked first."""
        found = article_lookup(q)
        if not found:
            return None
        number, act = found
        clauses: list[wq.Query] = [wq.Term("number", number)]
        if act:
            clauses.append(wq.Term("act_number", act))
        rest = re.sub(
            r"(?i)(?<!\w)(?:стать[яиюеёй]|ст\.?|article|art\.?|берене)\s*\d+(?:\.\d+)*|(?:№|N)?\s*\d+-(?:ФЗ|ФКЗ)",
            " ",
            q,
        ).strip()
        if rest:
            try:
                extra = QueryBuilder(FIELD_BOOSTS, searcher.reader()).build(parse(rest))
            except QueryError:
                extra = None
            if extra is not None:
                clauses.append(extra)
        return wq.And(clauses, boost=LOOKUP_BOOST)

    # --- search --------------------------------------------------------------------------

    def search(
        self,
        q: str,
        filters: Filters | None = None,
        page: int = 1,
        limit: int = 10,
        sort: str = "relevance",
        snippets: bool = True,
    ) -> dict:
        started = time.perf_counter()
        filters = filters or Filters()
        if sort not in SORTS:
            raise QueryError("sort must be 'relevance' or 'date'")
        page, limit = max(1, int(page)), max(1, min(int(limit), MAX_LIMIT))
        searcher = self._current()
        query, builder, scored, notice = self._evaluate(q, searcher)
        names, doc_index = self._doc_index(searcher)
        matched = np.flatnonzero(scored.mask)
        counts = np.bincount(doc_index[matched], minlength=len(names))
        per_doc = Counter({names[i]: int(counts[i]) for i in np.flatnonzero(counts)})
        docs = self.documents
        kept = {d: n for d, n in per_doc.items() if d in docs and filters.accepts(docs[d])}
        facets = self._facets(per_doc, filters)
        if len(kept) < len(per_doc):  # filters are on: only their passages compete
            allowed_docs = np.zeros(len(names), dtype=bool)
            allowed_docs[[self._doc_pos[d] for d in kept]] = True
            matched = matched[allowed_docs[doc_index[matched]]]
        ranked = matched[np.argsort(-scored.score[matched], kind="stable")]
        results = self._page(query, searcher, kept, ranked, scored.score, page, limit, sort, snippets)
        total_passages = sum(kept.values())
        return {
            "query": q,
            "total": len(kept),
            "total_passages": total_passages,
            "took_ms": round((time.perf_counter() - started) * 1000, 1),
            "page": page,
            "limit": limit,
            "sort": sort,
            "filters": filters.to_dict(),
            "did_you_mean": self.suggest(builder.words, searcher) if len(kept) < 3 or notice else None,
            "notice": notice,
            "results": results,
            "facets": facets,
        }

    def _scorer(self, searcher) -> Scorer:
        self._generation(searcher)
        return self._gen_scorer

    def _doc_index(self, searcher) -> tuple[list[str], np.ndarray]:
        """(doc ids, docnum -> position in that list), read once per searcher generation."""
        self._generation(searcher)
        return self._gen_names, self._gen_index

    def _generation(self, searcher) -> None:
        if self._gen_searcher is searcher:
            return
        with self._lock:
            column = list(searcher.reader().column_reader("doc_id")) if searcher.doc_count_all() else []
            names = sorted(set(column))
            pos = {d: i for i, d in enumerate(names)}
            self._gen_index = np.fromiter((pos[d] for d in column), dtype=np.int64, count=len(column))
            self._gen_names, self._doc_pos = names, pos
            self._gen_scorer = Scorer(searcher)
            self._gen_searcher = searcher

    def _facets(self, per_doc: Counter, filters: Filters) -> dict[str, list[dict]]:
        docs = self.documents
        out = {}
        for name in FACETS:
            counter: Counter = Counter()
            for doc_id in per_doc:
                meta = docs.get(doc_id)
                if meta is None or not filters.accepts(meta, ignore=name):
                    continue
                value = meta.year if name == "year" else getattr(meta, name)
                if value:
                    counter[value] += 1
            ordered = sorted(counter.items(), key=lambda kv: (-kv[0], 0) if name == "year" else (-kv[1], kv[0]))
            out[name] = [{"value": v, "count": c} for v, c in ordered]
        return out

    def _page(
        self, query, searcher, kept: dict, ranked: np.ndarray, scores: np.ndarray,
        page: int, limit: int, sort: str, snippets: bool,
    ) -> list[dict]:
        """The page's documents, each with its best passages (one per provision, at most 3)."""
        if not kept:
            return []
        first = (page - 1) * limit
        names, doc_index = self._doc_index(searcher)
        if sort == "date":
            order = sorted(kept, key=lambda d: (self._docs[d].date, d), reverse=True)[first : first + limit]
            wanted = np.array([self._doc_pos[d] for d in order])
            ranked = ranked[np.isin(doc_index[ranked], wanted)]
        else:
            order = None
        grouped: dict[str, list[tuple[int, float, dict]]] = {}
        labels: set[tuple[str, str]] = set()
        ndocs = min(first + limit, len(kept)) if order is None else len(order)
        extra = 0
        for docnum in ranked.tolist():
            doc_id = names[doc_index[docnum]]
            kept_hits = grouped.get(doc_id)
            if kept_hits is None:
                if len(grouped) >= ndocs:
                    extra += 1
                    if extra > 20 * PASSAGES_PER_DOC * limit:
                        break
                    continue
                kept_hits = grouped[doc_id] = []
            if len(kept_hits) >= PASSAGES_PER_DOC:
                if len(grouped) >= ndocs and all(len(h) >= PASSAGES_PER_DOC for h in grouped.values()):
                    break
                continue
            stored = searcher.stored_fields(docnum)
            key = (doc_id, stored.get("label", ""))
            if key[1] and key in labels:
                continue
            labels.add(key)
            kept_hits.append((docnum, float(scores[docnum]), stored))
        if order is None:
            order = list(grouped)[first : first + limit]
        terms = _body_terms(query) if snippets else None
        return [self._result(doc_id, grouped.get(doc_id, []), kept[doc_id], terms, searcher) for doc_id in order]

    def _result(self, doc_id: str, hits: list, count: int, terms: list[str], searcher) -> dict:
        meta = self._docs[doc_id]
        passages = []
        for docnum, _score, stored in hits:
            snippet = ""  # snippets=False: the key stays, empty
            if terms is not None:
                snippet = pinpoint_snippet(searcher, docnum, stored.get("body", ""), terms) if terms else ""
                snippet = snippet or lead(stored.get("body", ""))
            passages.append(_passage_dict(meta, stored, snippet=snippet))
        out = _doc_summary(meta)
        out["score"] = round(max((h[1] for h in hits), default=0.0), 4)
        out["passages"] = passages
        out["more_passages"] = max(0, count - len(passages))
        return out

    # --- suggestions ---------------------------------------------------------------------

    def suggest(self, words: list[str], searcher=None) -> str | None:
        """'Did you mean': replace each typed word the index does not know by its nearest known form."""
        searcher = searcher or self._current()
        reader = searcher.reader()
        changed, out = False, []
        for word in words:
            positions = analyze(word)
            known = any(
                reader.doc_frequency("body", t) for terms in positions for t in terms
            )
            if known or not positions or len(word) < 4:
                out.append(word)
                continue
            best = self._nearest(word.lower(), reader)
            out.append(best or word)
            changed = changed or bool(best)
        return " ".join(out) if changed else None

    @staticmethod
    def _nearest(word: str, reader) -> str | None:
        target = EXACT_PREFIX + word.replace("ё", "е")
        candidates = []
        for maxdist in (1, 2):
            for term in reader.terms_within("body", target, maxdist, prefix=2):
                candidates.append((maxdist, -reader.doc_frequency("body", term), term))
            if candidates:
                break
        if not candidates:
            return None
        return min(candidates)[2][len(EXACT_PREFIX):]

    # --- documents -----------------------------------------------------------------------

    def document(self, doc_id: str, q: str | None = None) -> dict | None:
        searcher = self._current()
        meta = self._docs.get(doc_id)
        if meta is None:
            return None
        docnums = sorted(searcher.document_numbers(doc_id=doc_id))
        stored = sorted(((searcher.stored_fields(n), n) for n in docnums), key=lambda x: x[0]["ordinal"])
        terms, matched = [], set()
        if q:
            query, _, _ = self._build(q, searcher)
            mask = self._scorer(searcher).evaluate(query).mask
            matched = {n for n in docnums if mask[n]}
            terms = _body_terms(query)
        passages = []
        for s, docnum in stored:
            p = _passage_dict(meta, s)
            text = s.get("body", "")
            p["text"] = text
            p["matched"] = docnum in matched
            p["html"] = mark_whole(searcher, docnum, text, terms) if p["matched"] else escape(text, quote=False)
            passages.append(p)
        out = _doc_summary(meta)
        out.update(
            fetched_at=meta.fetched_at,
            page_count=meta.page_count,
            notes=meta.notes,
            translations=self._related(meta, same_language=False),
            versions=self._related(meta, same_language=True),
            passages=passages,
        )
        return out

    def _related(self, meta: DocMeta, same_language: bool) -> list[dict]:
        """The same act in another language (or another file of it): same date, type, country."""
        if not meta.date:
            return []
        out = []
        for other in self._docs.values():
            if other.doc_id == meta.doc_id or other.date != meta.date or other.doc_type != meta.doc_type:
                continue
            if other.country != meta.country or (other.language == meta.language) != same_language:
                continue
            out.append({"doc_id": other.doc_id, "title": other.title, "language": other.language})
        return sorted(out, key=lambda d: (d["language"], d["doc_id"]))

    def find_in_document(self, doc_id: str, q: str) -> list[dict]:
        """Every passage of one document that matches, in reading order, with a snippet."""
        searcher = self._current()
        meta = self._docs.get(doc_id)
        if meta is None:
            return []
        query, _, _ = self._build(q, searcher)
        mask = self._scorer(searcher).evaluate(query).mask
        terms = _body_terms(query)
        rows = []
        for docnum in searcher.document_numbers(doc_id=doc_id):
            if not mask[docnum]:
                continue
            stored = searcher.stored_fields(docnum)
            body = stored.get("body", "")
            snippet = pinpoint_snippet(searcher, docnum, body, terms, top=1) or lead(body)
            rows.append(_passage_dict(meta, stored, snippet=snippet) | {"ordinal": stored["ordinal"]})
        return sorted(rows, key=lambda r: r["ordinal"])

    def more_like_this(self, passage_id: str, limit: int = 10) -> list[dict]:
        """Passages most like one passage, from other documents (other countries first)."""
        searcher = self._current()
        docnum = searcher.document_number(passage_id=passage_id)
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
            meta = self._docs.get(hit["doc_id"])
            if meta is None:
                continue
            row = _passage_dict(meta, hit.fields(), snippet=lead(hit.get("body", "")))
            row.update(doc=_doc_summary(meta), score=round(hit.score, 4))
            rows.append(row)
        home = self._docs[source["doc_id"]].country if source["doc_id"] in self._docs else ""
        rows.sort(key=lambda r: (r["doc"]["country"] == home, -r["score"]))
        return rows[:limit]

    # --- comparison, export, stats -------------------------------------------------------

    def compare(
        self,
        q: str,
        countries: list[str] | None = None,
        per_country: int = 5,
        filters: Filters | None = None,
    ) -> dict:
        started = time.perf_counter()
        filters = filters or Filters()
        base = self.search(q, filters=Filters(**{**filters.to_dict(), "country": []}), limit=1, snippets=False)
        if not countries:
            countries = [f["value"] for f in base["facets"]["country"]]
        columns = []
        for country in countries:
            scoped = Filters(**{**filters.to_dict(), "country": [country]})
            res = self.search(q, filters=scoped, limit=per_country)
            columns.append({"country": country, "total": res["total"], "results": res["results"]})
        return {
            "query": q,
            "took_ms": round((time.perf_counter() - started) * 1000, 1),
            "countries": countries,
            "notice": base["notice"],
            "columns": columns,
        }

    def export(self, q: str, filters: Filters | None = None) -> Iterator[dict]:
        """Every matching passage (not just one page), best first: rows for CSV."""
        filters = filters or Filters()
        searcher = self._current()
        query, _, scored, _ = self._evaluate(q, searcher)
        docs = self.documents
        matched = np.flatnonzero(scored.mask)
        names, doc_index = self._doc_index(searcher)
        for docnum in matched[np.argsort(-scored.score[matched], kind="stable")].tolist():
            meta = docs.get(names[doc_index[docnum]])
            if meta is None or not filters.accepts(meta):
                continue
            stored = searcher.stored_fields(docnum)
            yield {
                "doc_id": meta.doc_id,
                "title": meta.title,
                "country": meta.country,
                "doc_type": meta.doc_type,
                "language": meta.language,
                "date": meta.date,
                "label": stored.get("label", ""),
                "pages": " ".join(str(p) for p in stored.get("pages") or []),
                "citation": cite(meta, stored.get("label", ""), stored.get("pages")),
                "source": meta.source,
                "score": round(float(scored.score[docnum]), 4),
                "passage_id": stored["passage_id"],
            }

    def stats(self) -> dict:
        searcher = self._current()
        docs = self.documents
        return {
            "documents": len(docs),
            "passages": searcher.doc_count(),
            "countries": dict(Counter(m.country for m in docs.values()).most_common()),
            "doc_types": dict(Counter(m.doc_type for m in docs.values()).most_common()),
            "languages": dict(Counter(m.language for m in docs.values()).most_common()),
        }

    def original_file(self, doc_id: str) -> Path | None:
        """The indexed file of a document: only paths the catalog knows are ever served."""
        meta = self.documents.get(doc_id)
        if meta is None:
            return None
        path = Path(meta.path)
        return path if path.is_file() else None

    def close(self) -> None:
        self._searcher.close()
        self._ix.close()


def _body_terms(query: wq.Query) -> list[str]:
    """The body terms a passage can match (not those under NOT), for snippets."""
    out: list[str] = []

    def walk(q) -> None:
        if isinstance(q, wq.AndNot):
            walk(q.a)
        elif isinstance(q, wq.Term):
            if q.fieldname == "body" and q.text not in out:
                out.append(q.text)
        else:
            for sub in q.children():
                walk(sub)

    walk(query)
    return out


def _is_conjunction(tree) -> bool:
    return isinstance(tree, Group) and tree.op == "AND" and len(content_words(tree)) > 1


def _doc_summary(meta: DocMeta) -> dict:
    return {
        "doc_id": meta.doc_id,
        "title": meta.title,
        "country": meta.country,
        "doc_type": meta.doc_type,
        "language": meta.language,
        "date": meta.date,
        "source": meta.source,
        "number": meta.number,
        "file_type": meta.file_type,
    }


def _passage_dict(meta: DocMeta, stored: dict, snippet: str | None = None) -> dict:
    label = stored.get("label", "")
    heading = stored.get("heading", "")
    if label and heading.startswith(label):
        heading = heading[len(label) :].lstrip(" .")
    pages = list(stored.get("pages") or [])
    out = {
        "passage_id": stored["passage_id"],
        "label": label,
        "heading": heading,
        "path": list(stored.get("path") or []),
        "pages": pages,
        "kind": stored.get("kind", ""),
        "citation": cite(meta, label, pages),
    }
    if snippet is not None:
        out["snippet"] = snippet
    return out
