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

from whoosh import index as whoosh_index
from whoosh import query as wq
from whoosh.scoring import BM25F

from analyzers import EXACT_PREFIX, is_stopword, text_analyzer
from indexer.catalog import Catalog
from indexer.citation import cite
from indexer.docsets import matching_docs
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
from indexer.snippets import highlight_whole, lead, make_highlighter

__all__ = ["Filters", "QueryError", "SearchEngine"]

PASSAGES_PER_DOC = 3
FACETS = ("country", "doc_type", "language", "year")
REFRESH_SECONDS = 1.0
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
        self._highlighter = make_highlighter()
        self._doc_of: list[str] = []
        self._doc_of_searcher = None
        self._analyzer = text_analyzer()

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
        if sort not in ("relevance", "date"):
            raise QueryError("sort must be 'relevance' or 'date'")
        page, limit = max(1, int(page)), max(1, min(int(limit), 100))
        searcher = self._current()
        query, tree, builder = self._build(q, searcher)
        notice = None
        matches = self._matching(query, searcher)
        if not matches and _is_conjunction(tree):
            partial, _, _ = self._build(q, searcher, partial=True)
            matches = self._matching(partial, searcher)
            if matches:
                query = partial
                notice = "No passage contains all the words; showing passages with some of them."
        per_doc = self._per_doc(matches, searcher)
        docs = self.documents
        kept = {d: n for d, n in per_doc.items() if d in docs and filters.accepts(docs[d])}
        facets = self._facets(per_doc, filters)
        if len(kept) < len(per_doc):  # filters are on: score only their passages
            doc_of = self._doc_ids(searcher)
            allowed = {n for n in matches if doc_of[n] in kept}
        else:
            allowed = None
        results = self._page(query, searcher, kept, allowed, page, limit, sort, snippets)
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

    def _matching(self, query: wq.Query, searcher) -> set[int]:
        return matching_docs(query, searcher)

    def _doc_ids(self, searcher) -> list[str]:
        """docnum -> doc_id for the whole index, read once per searcher generation."""
        if self._doc_of_searcher is not searcher:
            self._doc_of = list(searcher.reader().column_reader("doc_id")) if searcher.doc_count_all() else []
            self._doc_of_searcher = searcher
        return self._doc_of

    def _per_doc(self, docnums: set[int], searcher) -> Counter:
        doc_of = self._doc_ids(searcher)
        return Counter(doc_of[n] for n in docnums)

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
        self, query, searcher, kept: Counter, allowed: set[int] | None,
        page: int, limit: int, sort: str, snippets: bool,
    ) -> list[dict]:
        if not kept:
            return []
        first = (page - 1) * limit
        if sort == "date":
            order = sorted(kept, key=lambda d: (self._docs[d].date, d), reverse=True)[first : first + limit]
            grouped = {}
            for doc_id in order:
                hits = searcher.search(query, limit=PASSAGES_PER_DOC * 2, filter=wq.Term("doc_id", doc_id), terms=True)
                grouped[doc_id] = _best_passages(hits)
        else:
            ndocs = min(first + limit, len(kept))
            hits = searcher.search(
                query, limit=ndocs * PASSAGES_PER_DOC * 2, filter=allowed, terms=True,
                collapse="doc_id", collapse_limit=PASSAGES_PER_DOC * 2,
            )
            grouped = {}
            for hit in hits:
                grouped.setdefault(hit["doc_id"], []).append(hit)
            grouped = {d: _best_passages(h) for d, h in grouped.items()}
            order = list(grouped)[first : first + limit]
        return [self._result(doc_id, grouped[doc_id], kept[doc_id], snippets) for doc_id in order]

    def _result(self, doc_id: str, hits: list, count: int, snippets: bool) -> dict:
        meta = self._docs[doc_id]
        passages = [self._passage(meta, hit, snippets) for hit in hits]
        out = _doc_summary(meta)
        out["score"] = round(max((h.score or 0.0) for h in hits), 4) if hits else 0.0
        out["passages"] = passages
        out["more_passages"] = max(0, count - len(passages))
        return out

    def _passage(self, meta: DocMeta, hit, snippets: bool) -> dict:
        stored = hit.fields()
        snippet = ""
        if snippets:
            snippet = self._highlighter.highlight_hit(hit, "body", top=2) or ""
            if not snippet:
                snippet = lead(stored.get("body", ""))
        return _passage_dict(meta, stored, snippet=snippet)

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
        stored = sorted(searcher.documents(doc_id=doc_id), key=lambda s: s["ordinal"])
        terms, matched = set(), set()
        if q:
            query, _, _ = self._build(q, searcher)
            hits = searcher.search(query, filter=wq.Term("doc_id", doc_id), limit=None)
            matched = {h["passage_id"] for h in hits}
            terms = {t for f, t in query.all_terms() if f in ("body", "heading") and isinstance(t, str)}
            terms |= {t.decode() for f, t in query.all_terms() if isinstance(t, bytes)}
        passages = []
        for s in stored:
            p = _passage_dict(meta, s)
            text = s.get("body", "")
            p["text"] = text
            p["matched"] = s["passage_id"] in matched
            p["html"] = highlight_whole(text, terms, self._analyzer) if p["matched"] else escape(text, quote=False)
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
        hits = searcher.search(query, filter=wq.Term("doc_id", doc_id), limit=None, terms=True)
        rows = []
        for hit in hits:
            snippet = self._highlighter.highlight_hit(hit, "body", top=1) or lead(hit.get("body", ""))
            rows.append(_passage_dict(meta, hit.fields(), snippet=snippet) | {"ordinal": hit["ordinal"]})
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
        query, _, _ = self._build(q, searcher)
        docs = self.documents
        for hit in searcher.search(query, limit=None):
            meta = docs.get(hit["doc_id"])
            if meta is None or not filters.accepts(meta):
                continue
            stored = hit.fields()
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
                "score": round(hit.score or 0.0, 4),
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


def _best_passages(hits) -> list:
    """Up to PASSAGES_PER_DOC hits, one per provision (a long article's chunks count once)."""
    out, labels = [], set()
    for hit in hits:
        label = hit.get("label", "")
        if label and label in labels:
            continue
        labels.add(label)
        out.append(hit)
        if len(out) == PASSAGES_PER_DOC:
            break
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
