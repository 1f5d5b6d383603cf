"""A query, parsed once into everything the later steps need: the plan.

    text -> abbreviations expanded -> syntax tree (parsed once)
         -> the article it names (references.py), found on the same text
         -> whoosh query: the words, Or-ed with the lookup of the named provision
         -> fallback: the words Or-ed, for when they never meet in one passage
"""

from __future__ import annotations

from dataclasses import dataclass, field

from whoosh import query as wq

from indexer.references import ArticleReference, expand_abbreviations, find_article
from indexer.search.builder import QueryBuilder
from indexer.search.notices import QueryError
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
    reference: ArticleReference | None = None


def build_plan(text: str, reader=None, profile: RankingProfile = DEFAULT_PROFILE) -> QueryPlan:
    """Parse `text` once and build its queries; QueryError when it cannot be searched.

    `reader` (the index's) expands prefixes to the terms the index holds.
    """
    expanded = expand_abbreviations(text)
    tree = parse(expanded)
    builder = QueryBuilder(profile, reader)
    main = builder.build(tree)
    if main is None and content_words(tree):  # stop words only (`или`, `the`): search them as typed
        main = builder.build(tree, keep_stopwords=True)
    reference = find_article(expanded)
    lookup = _lookup(reference, tree, profile, reader) if reference else None
    if main is None and lookup is None:
        raise QueryError("only_exclusions")
    fallback = None
    if _is_conjunction(tree) and isinstance(main, wq.And):
        fallback = _with_lookup(wq.Or(list(main.subqueries)), lookup)
    return QueryPlan(text, tree, _with_lookup(main, lookup), fallback, builder.words, reference)


def _with_lookup(main: wq.Query | None, lookup: wq.Query | None) -> wq.Query:
    if lookup is None:
        return main
    return wq.Or([lookup, main]) if main is not None else lookup


def _lookup(reference: ArticleReference, tree, profile: RankingProfile, reader) -> wq.Query:
    """`115-ФЗ статья 13.3`, `ст. 13.3 патент`: the provision itself (and the other words), first."""
    clauses: list[wq.Query] = [wq.Term("number", reference.number)]
    if reference.act:
        clauses.append(wq.Term("act_number", reference.act))
    rest = _without_spans(tree, reference.spans)
    if rest is not None:
        try:
            extra = QueryBuilder(profile, reader).build(rest)
        except QueryError:
            extra = None
        if extra is not None:
            clauses.append(extra)
    return wq.And(clauses, boost=profile.lookup_boost)


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
