"""The query language, parsed into a syntax tree (builder.py turns it into whoosh queries).

    трудовой мигрант          both words (any inflection), anywhere in a passage
    патент OR разрешение      either
    мигрант NOT беженец       also `-беженец`
    "трудовой мигрант"        a phrase, across inflections
    "мигрант патент"~5        both within 5 words, any order
    =мигрантов  ="трудовых мигрантов"   exact forms only
    title:кодекс heading:патент         field scopes (title, heading, body)
    мигра*                    prefix, expanded to the most frequent matching terms

A small recursive-descent parser rather than whoosh's QueryParser: our analyzer puts several
terms at one position (lemmas and the `=exact` form), which needs its own term logic, and we
want errors that point at the problem in words a user understands.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from indexer.search.notices import QueryError
from indexer.settings import MAX_QUERY_CHARS

SCOPES = ("title", "heading", "body")
MAX_DEPTH = 20  # nested brackets; deeper is surely a mistake (and would exhaust Python's stack)
OPERATORS = {"OR": "OR", "ИЛИ": "OR", "ЖЕ": "OR", "AND": "AND", "И": "AND", "NOT": "NOT", "НЕ": "NOT"}


# --- syntax tree -------------------------------------------------------------------------


@dataclass
class Word:
    text: str
    exact: bool = False
    prefix: bool = False
    scope: str | None = None
    span: tuple[int, int] = field(default=(-1, -1), compare=False, repr=False)  # in the query text


@dataclass
class Phrase:
    text: str
    exact: bool = False
    slop: int = 0  # 0: adjacent, in order; N: within N words, any order
    scope: str | None = None
    span: tuple[int, int] = field(default=(-1, -1), compare=False, repr=False)


@dataclass
class Not:
    child: object


@dataclass
class Group:
    op: str  # AND | OR
    children: list = field(default_factory=list)


# --- lexer -------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    r"""
    (?P<space>\s+)
  | (?P<lparen>\()
  | (?P<rparen>\))
  | (?P<phrase>(?:(?P<pscope>[a-z]+):)?(?P<pexact>=)?"(?P<ptext>[^"]*)(?P<pclose>"?)(?:~(?P<slop>\d+))?)
  | (?P<word>[^\s()"]+)
    """,
    re.VERBOSE,
)


def _lex(text: str) -> list[tuple[str, object, int]]:
    tokens = []
    for m in _TOKEN_RE.finditer(text):
        kind, pos = m.lastgroup, m.start()
        if m.group("space"):
            continue
        if m.group("lparen"):
            tokens.append(("(", None, pos))
        elif m.group("rparen"):
            tokens.append((")", None, pos))
        elif m.group("phrase") is not None:
            if not m.group("pclose"):
                raise QueryError("unclosed_quote", pos)
            scope = m.group("pscope")
            if scope and scope not in SCOPES:
                raise QueryError("unknown_field", pos, field=scope)
            slop = int(m.group("slop")) if m.group("slop") else 0
            phrase = Phrase(m.group("ptext"), bool(m.group("pexact")), slop, scope, span=m.span())
            tokens.append(("atom", phrase, pos))
        else:
            raw = m.group("word")
            if raw in OPERATORS:
                tokens.append((OPERATORS[raw], raw, pos))
            elif raw in ("-", "=", "*"):
                continue  # lone punctuation carries no meaning
            elif raw.startswith("-") and len(raw) > 1:
                tokens.append(("NOT", None, pos))
                tokens.append(("atom", _word(raw[1:], pos + 1), pos + 1))
            else:
                tokens.append(("atom", _word(raw, pos), pos))
        del kind
    return tokens


def _word(raw: str, pos: int) -> Word:
    span = (pos, pos + len(raw))
    scope = None
    head, sep, rest = raw.partition(":")
    if sep and head.isalpha() and head.islower() and rest:
        if head not in SCOPES:
            raise QueryError("unknown_field", pos, field=head)
        scope, raw = head, rest
    exact = raw.startswith("=")
    raw = raw.lstrip("=")
    prefix = raw.endswith("*") and len(raw.rstrip("*")) >= 1
    return Word(raw.rstrip("*"), exact, prefix, scope, span=span)


# --- parser ------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[tuple[str, object, int]], text: str) -> None:
        self.tokens, self.i, self.text = tokens, 0, text
        self.depth = 0

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self):
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self):
        node = self.parse_or()
        if self.peek() == ")":
            raise QueryError("unmatched_paren", self.tokens[self.i][2])
        return node

    def parse_or(self):
        children = [self.parse_and()]
        while self.peek() == "OR":
            _, _, pos = self.take()
            if self.peek() in (None, ")", "OR"):
                raise QueryError("operator_needs_word", pos, operator="OR")
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Group("OR", children)

    def parse_and(self):
        children = []
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                _, _, pos = self.take()
                if not children or self.peek() in (None, ")", "OR"):
                    raise QueryError("operator_needs_words", pos, operator="AND")
                continue
            children.append(self.parse_unary())
        if not children:
            pos = self.tokens[self.i][2] if self.i < len(self.tokens) else len(self.text)
            raise QueryError("expected_word", pos)
        return children[0] if len(children) == 1 else Group("AND", children)

    def parse_unary(self):
        if self.peek() == "NOT":
            _, _, pos = self.take()
            if self.peek() in (None, ")", "OR", "AND"):
                raise QueryError("operator_needs_word", pos, operator="NOT")
            return Not(self.parse_unary())
        if self.peek() == "(":
            _, _, pos = self.take()
            self.depth += 1
            if self.depth > MAX_DEPTH:
                raise QueryError("too_deep", pos, limit=MAX_DEPTH)
            node = self.parse_or()
            if self.peek() != ")":
                raise QueryError("unclosed_paren", pos)
            self.take()
            self.depth -= 1
            return node
        kind, value, _ = self.take()
        return value


def parse(text: str):
    """Parse a query string into a syntax tree, or raise QueryError."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError("too_long", length=len(text), limit=MAX_QUERY_CHARS)
    if not text.strip():
        raise QueryError("empty")
    tokens = _lex(text)
    if not tokens:
        raise QueryError("no_words")
    if all(kind in OPERATORS.values() for kind, _, _ in tokens):  # `OR`, `И`: the words themselves
        tokens = [("atom", Word(raw, span=(pos, pos + len(raw))), pos) for _, raw, pos in tokens]
    return _Parser(tokens, text).parse()


def content_words(node) -> list[str]:
    """Every plain word of a tree (not under NOT), for fallbacks and suggestions."""
    if isinstance(node, Group):
        return [w for c in node.children for w in content_words(c)]
    if isinstance(node, Word):
        return [node.text]
    if isinstance(node, Phrase):
        return node.text.split()
    return []
