"""A query, parsed once into everything the later steps need: the plan.

    text -> syntax tree (parsed once)
         -> the reference it makes (references.py): provision, act number, code
         -> the act's documents in the catalog (acts.py); an act we do not have is said so
         -> whoosh query: the other words, Or-ed with the lookup of the named provision (or act)
         -> fallback: the words Or-ed, for when they never meet in one passage; the act
            itself when it has no such provision
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from analyzers import EXACT_PREFIX, is_stopword
from indexer.models import DocMeta
from indexer.references import Reference, parse_reference
from indexer.search.acts import resolve
from indexer.search.builder import QueryBuilder, analyze
from indexer.search.notices import QueryError, notice
from indexer.search.parser import Group, Not, Phrase, Word, content_words, parse
from indexer.search.ranking import DEFAULT_PROFILE, RankingProfile


@dataclass
class QueryPlan:
    """One request's query, ready to score."""

    text: str  # as typed
    tree: object  # the syntax tree (parser.py)
    query: wq.Query  # every word (and the lookup of the named provision, if any)
    fallback: wq.Query | None  # some of the words: tried when `query` matches nothing
    words: list[str] = field(default_factory=list)  # content words typed, for "did you mean"
    reference: Reference | None = None
    acts: list[str] | None = None  # doc ids of the act the reference names ([]: not in the collection)
    notices: list[dict] = field(default_factory=list)  # said whatever matches
    fallback_notice: str = "partial_match"

    def reference_dict(self) -> dict | None:
        """The reference as read and the act's documents, for the faces (None without one)."""
        ref = self.reference
        if ref is None:
            return None
        return {
            "article": ref.article, "part": ref.part, "point": ref.point, "subpoint": ref.subpoint,
            "act_number": ref.act_number, "code_kind": ref.code.kind if ref.code else "",
            "code_country": ref.code.country if ref.code else "", "act": ref.act_text(), "date": ref.date,
            "documents": self.acts,
        }  # fmt: skip


def build_plan(
    text: str, reader=None, profile: RankingProfile = DEFAULT_PROFILE, docs: dict[str, DocMeta] | None = None
) -> QueryPlan:
    """Parse `text` once and build its queries; QueryError when it cannot be searched.

    `reader` (the index's) expands prefixes to the terms the index holds; `docs` (the catalog's)
    resolves the act a reference names.
    """
    tree = parse(text)
    reference = parse_reference(text)
    if reference is None:
        return _plain_plan(text, tree, reader, profile)
    rest = _without_spans(tree, reference.spans)
    if rest is not None and _only_stopwords(rest):  # `Article 5 of the ... Code`: `of the` is no query
        rest = None
    builder = QueryBuilder(profile, reader)
    # an article alone (`ст. 13.3`) keeps its words, which rank the acts that cite it; a named
    # act's words are its name, matched by the lookup instead
    words = tree if not reference.names_act else rest
    main = builder.build(words) if words is not None else None
    acts = resolve(reference, docs) if reference.names_act and docs is not None else None
    if acts == []:
        said = notice("act_not_in_collection", act=reference.act_text())
        if main is None:
            return QueryPlan(text, tree, wq.NullQuery, None, builder.words, reference, acts, [said])
        return QueryPlan(text, tree, main, None, builder.words, reference, acts, [said])
    extra = _build(QueryBuilder(profile, reader), rest)
    lookup = _lookup(reference, acts, extra, profile) if reference.article or acts else None
    if main is None and lookup is None:  # an act named, and no catalog to find it in
        main = QueryBuilder(profile, reader).build(tree)
    fallback, fallback_notice = None, "partial_match"
    if reference.article and acts:  # the act has no such provision: the act itself, saying so
        fallback = _lookup(Reference(), acts, extra, profile)
        fallback_notice = "provision_not_found"
    elif _is_conjunction(tree) and isinstance(main, wq.And):
        fallback = _with_lookup(wq.Or(list(main.subqueries)), lookup)
    return QueryPlan(
        text, tree, _with_lookup(main, lookup), fallback, builder.words, reference, acts, [], fallback_notice
    )


def _plain_plan(text: str, tree, reader, profile: RankingProfile) -> QueryPlan:
    builder = QueryBuilder(profile, reader)
    main = builder.build(tree)
    if main is None and content_words(tree):  # stop words only (`или`, `the`): search them as typed
        main = builder.build(tree, keep_stopwords=True)
    if main is None:
        raise QueryError("only_exclusions")
    fallback = wq.Or(list(main.subqueries)) if _is_conjunction(tree) and isinstance(main, wq.And) else None
    return QueryPlan(text, tree, main, fallback, builder.words)


def _only_stopwords(tree) -> bool:
    if isinstance(tree, Not) or (isinstance(tree, Group) and any(isinstance(c, Not) for c in tree.children)):
        return False
    return all(is_stopword(t) for w in content_words(tree) for terms in analyze(w) for t in terms if not t.startswith(EXACT_PREFIX))


def _build(builder: QueryBuilder, tree) -> wq.Query | None:
    if tree is None:
        return None
    try:
        return builder.build(tree)
    except QueryError:
        return None


def _with_lookup(main: wq.Query | None, lookup: wq.Query | None) -> wq.Query:
    if lookup is None:
        return main
    return wq.Or([lookup, main]) if main is not None else lookup


def _lookup(reference: Reference, acts: list[str] | None, extra: wq.Query | None, profile: RankingProfile) -> wq.Query:
    """`ст. 52 ГК КР`, `115-ФЗ статья 13.3 патент`, `63-ФЗ`: the provision (or the act) itself,
    with the other words, first.

    A provision of a named act is found whatever else is typed (`ст. 1 Закона РК о миграции
    477-IV`: the other words only rank); an article alone, or an act alone, needs the other words.
    """
    clauses: list[wq.Query] = []
    if reference.article:
        clauses.append(wq.Term("number", reference.article))
    if acts:
        clauses.append(wq.Or([wq.Term("doc_id", d) for d in acts]))
    found = wq.And(clauses) if len(clauses) > 1 else clauses[0]
    if extra is not None:
        found = wq.AndMaybe(found, extra) if reference.article and acts else wq.And([found, extra])
    return _boosted(found, profile)


def _boosted(q: wq.Query, profile: RankingProfile) -> wq.Query:
    return wq.Or([q], boost=profile.lookup_boost)


def _without_spans(node, spans: tuple[tuple[int, int], ...]):
    """The tree without the words typed inside `spans` (the reference itself); None if nothing is left."""
    if isinstance(node, (Word, Phrase)):
        start, end = node.span
        return None if any(start < e and s < end for s, e in spans) else node
    if isinstance(node, Not):
        child = _without_spans(node.child, spans)
        return Not(child) if child is not None else None
    if isinstance(node, Group):
        children = [c for c in (_without_spans(c, spans) for c in node.children) if c is not None]
        if not children or all(isinstance(c, Not) for c in children):
            return None
        return children[0] if len(children) == 1 else Group(node.op, children)
    return node


def _is_conjunction(tree) -> bool:
    return isinstance(tree, Group) and tree.op == "AND" and len(content_words(tree)) > 1


def body_terms(query: wq.Query) -> list[str]:
    """The body terms a passage can match (not those under NOT), for snippets and highlights."""
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
