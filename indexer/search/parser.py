"""The query language, parsed into whoosh queries over our analyzed fields.

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

from whoosh import query as wq

from analyzers import EXACT_PREFIX, exact_term, is_stopword, text_analyzer
from indexer.settings import MAX_QUERY_CHARS

MAX_PREFIX_EXPANSION = 64
EXACT_BONUS = 0.6  # a passage with the very form typed outranks one sharing only the lemma
SCOPES = ("title", "heading", "body")
OPERATORS = {"OR": "OR", "ИЛИ": "OR", "ЖЕ": "OR", "AND": "AND", "И": "AND", "NOT": "NOT", "НЕ": "NOT"}


class QueryError(ValueError):
    """A query we cannot understand: `message` is one friendly line, `position` a 0-based offset."""

    def __init__(self, message: str, position: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.position = position


# --- syntax tree -------------------------------------------------------------------------


@dataclass
class Word:
    text: str
    exact: bool = False
    prefix: bool = False
    scope: str | None = None


@dataclass
class Phrase:
    text: str
    exact: bool = False
    slop: int = 0  # 0: adjacent, in order; N: within N words, any order
    scope: str | None = None


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
                raise QueryError(f'Unclosed quote at position {pos + 1}: add a closing "', pos)
            scope = m.group("pscope")
            if scope and scope not in SCOPES:
                raise QueryError(f"Unknown field '{scope}:' (use title:, heading: or body:)", pos)
            slop = int(m.group("slop")) if m.group("slop") else 0
            tokens.append(("atom", Phrase(m.group("ptext"), bool(m.group("pexact")), slop, scope), pos))
        else:
            raw = m.group("word")
            if raw in OPERATORS:
                tokens.append((OPERATORS[raw], None, pos))
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
    scope = None
    head, sep, rest = raw.partition(":")
    if sep and head.isalpha() and head.islower() and rest:
        if head not in SCOPES:
            raise QueryError(f"Unknown field '{head}:' (use title:, heading: or body:)", pos)
        scope, raw = head, rest
    exact = raw.startswith("=")
    raw = raw.lstrip("=")
    prefix = raw.endswith("*") and len(raw.rstrip("*")) >= 1
    return Word(raw.rstrip("*"), exact, prefix, scope)


# --- parser ------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[tuple[str, object, int]], text: str) -> None:
        self.tokens, self.i, self.text = tokens, 0, text

    def peek(self) -> str | None:
        return self.tokens[self.i][0] if self.i < len(self.tokens) else None

    def take(self):
        tok = self.tokens[self.i]
        self.i += 1
        return tok

    def parse(self):
        node = self.parse_or()
        if self.peek() == ")":
            raise QueryError(
                f"Unmatched ')' at position {self.tokens[self.i][2] + 1}", self.tokens[self.i][2]
            )
        return node

    def parse_or(self):
        children = [self.parse_and()]
        while self.peek() == "OR":
            _, _, pos = self.take()
            if self.peek() in (None, ")", "OR"):
                raise QueryError(f"'OR' at position {pos + 1} needs a word after it", pos)
            children.append(self.parse_and())
        return children[0] if len(children) == 1 else Group("OR", children)

    def parse_and(self):
        children = []
        while self.peek() not in (None, ")", "OR"):
            if self.peek() == "AND":
                _, _, pos = self.take()
                if not children or self.peek() in (None, ")", "OR"):
                    raise QueryError(f"'AND' at position {pos + 1} needs words on both sides", pos)
                continue
            children.append(self.parse_unary())
        if not children:
            pos = self.tokens[self.i][2] if self.i < len(self.tokens) else len(self.text)
            raise QueryError(f"Expected a word at position {pos + 1}", pos)
        return children[0] if len(children) == 1 else Group("AND", children)

    def parse_unary(self):
        if self.peek() == "NOT":
            _, _, pos = self.take()
            if self.peek() in (None, ")", "OR", "AND"):
                raise QueryError(f"'NOT' at position {pos + 1} needs a word after it", pos)
            return Not(self.parse_unary())
        if self.peek() == "(":
            _, _, pos = self.take()
            node = self.parse_or()
            if self.peek() != ")":
                raise QueryError(f"Unclosed '(' at position {pos + 1}: add a ')'", pos)
            self.take()
            return node
        kind, value, _ = self.take()
        return value


def parse(text: str):
    """Parse a query string into a syntax tree, or raise QueryError."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"The query is too long ({len(text)} characters; at most {MAX_QUERY_CHARS})")
    if not text.strip():
        raise QueryError("Type a word to search for")
    tokens = _lex(text)
    if not tokens:
        raise QueryError("The query has no words to search for")
    return _Parser(tokens, text).parse()


# --- building whoosh queries -------------------------------------------------------------

_ANALYZER = None


def analyze(text: str) -> list[list[str]]:
    """The terms the analyzer puts at each position of `text`, position by position."""
    global _ANALYZER
    if _ANALYZER is None:
        _ANALYZER = text_analyzer()
    positions: dict[int, list[str]] = {}
    for tok in _ANALYZER(text, mode="query", positions=True):
        terms = positions.setdefault(tok.pos, [])
        if tok.text not in terms:
            terms.append(tok.text)
    return [positions[p] for p in sorted(positions)]


class QueryBuilder:
    """Turns a syntax tree into a whoosh query over title/heading/body with field boosts.

    `reader` is needed only for prefix expansion (the most frequent matching terms).
    """

    def __init__(self, field_boosts: dict[str, float], reader=None) -> None:
        self.field_boosts = field_boosts
        self.reader = reader
        self.words: list[str] = []  # content words typed, for "did you mean"

    def build(self, node, *, keep_stopwords: bool = False) -> wq.Query | None:
        if isinstance(node, Group):
            parts = [self.build(c, keep_stopwords=keep_stopwords) for c in node.children]
            if node.op == "OR":
                parts = [p for p in parts if p is not None]
                return wq.Or(parts) if len(parts) > 1 else (parts[0] if parts else None)
            positives = [p for c, p in zip(node.children, parts, strict=True) if p is not None and not isinstance(c, Not)]
            negatives = [p for c, p in zip(node.children, parts, strict=True) if p is not None and isinstance(c, Not)]
            if not positives and not keep_stopwords and any(isinstance(c, Word) for c in node.children):
                return self.build(node, keep_stopwords=True)  # a query of stop words only
            if not positives:
                return None
            q = wq.And(positives) if len(positives) > 1 else positives[0]
            return wq.AndNot(q, wq.Or(negatives)) if negatives else q
        if isinstance(node, Not):
            return self.build(node.child, keep_stopwords=True)
        if isinstance(node, Word):
            return self._word(node, keep_stopwords)
        if isinstance(node, Phrase):
            return self._phrase(node)
        raise TypeError(node)

    def _fields(self, scope: str | None) -> list[str]:
        return [scope] if scope else list(self.field_boosts)

    def _word(self, word: Word, keep_stopwords: bool) -> wq.Query | None:
        if word.prefix:
            return self._prefix(word)
        positions = analyze(word.text)
        if not positions:
            return None
        if not keep_stopwords and all(_is_stop(p) for p in positions):
            return None
        self.words.append(word.text)
        per_field = []
        for fname in self._fields(word.scope):
            boost = self.field_boosts.get(fname, 1.0)
            clauses = [self._position(fname, terms, word.exact, boost) for terms in positions]
            clauses = [c for c in clauses if c is not None]
            if clauses:
                per_field.append(clauses[0] if len(clauses) == 1 else wq.And(clauses))
        if not per_field:
            return None
        return per_field[0] if len(per_field) == 1 else wq.Or(per_field)

    def _position(self, fname: str, terms: list[str], exact: bool, boost: float) -> wq.Query | None:
        exacts = [t for t in terms if t.startswith(EXACT_PREFIX)]
        lemmas = [t for t in terms if not t.startswith(EXACT_PREFIX)]
        if exact:
            return wq.Term(fname, exacts[0], boost=boost) if exacts else None
        subs = [wq.Term(fname, t, boost=boost) for t in lemmas] or [
            wq.Term(fname, t, boost=boost) for t in exacts
        ]
        if lemmas and fname == "body":  # the exact-form bonus: body only, one posting list per word
            subs += [wq.Term(fname, t, boost=boost * EXACT_BONUS) for t in exacts]
        return subs[0] if len(subs) == 1 else wq.Or(subs)

    def _phrase(self, phrase: Phrase) -> wq.Query | None:
        positions = analyze(phrase.text)
        if not positions:
            return None
        self.words.extend(phrase.text.split())
        per_field = []
        fields = [phrase.scope] if phrase.scope else [f for f in self.field_boosts if f != "title"]
        for fname in fields:
            boost = self.field_boosts.get(fname, 1.0)
            clauses = []
            for terms in positions:
                exacts = [t for t in terms if t.startswith(EXACT_PREFIX)]
                chosen = exacts if phrase.exact else [t for t in terms if not t.startswith(EXACT_PREFIX)] or exacts
                subs = [wq.Term(fname, t) for t in chosen]
                clauses.append(subs[0] if len(subs) == 1 else wq.Or(subs))
            if len(clauses) == 1:
                per_field.append(_with_boost(clauses[0], boost))
            elif phrase.slop:
                per_field.append(wq.Sequence(clauses, slop=phrase.slop, ordered=False, boost=boost))
            else:
                per_field.append(wq.Sequence(clauses, slop=1, ordered=True, boost=boost))
        return per_field[0] if len(per_field) == 1 else wq.Or(per_field)

    def _prefix(self, word: Word) -> wq.Query | None:
        stem = exact_term(word.text)[len(EXACT_PREFIX):]
        if len(stem) < 2:
            raise QueryError(f"'{word.text}*' is too short: type at least 2 letters before *")
        self.words.append(word.text)
        per_field = []
        for fname in self._fields(word.scope):
            terms = self._expand(fname, stem)
            if terms:
                boost = self.field_boosts.get(fname, 1.0)
                per_field.append(wq.Or([wq.Term(fname, t, boost=boost) for t in terms]))
        if not per_field:
            return wq.NullQuery
        return per_field[0] if len(per_field) == 1 else wq.Or(per_field)

    def _expand(self, fname: str, stem: str) -> list[str]:
        """The most frequent index terms starting with `stem` (bounded, so `а*` stays fast)."""
        if self.reader is None:
            return [stem]
        found = []
        for term in self.reader.expand_prefix(fname, stem):
            term = term.decode("utf-8") if isinstance(term, bytes) else term
            found.append((self.reader.doc_frequency(fname, term), term))
            if len(found) >= 20 * MAX_PREFIX_EXPANSION:
                break
        found.sort(reverse=True)
        return [t for _, t in found[:MAX_PREFIX_EXPANSION]]


def _is_stop(terms: list[str]) -> bool:
    lemmas = [t for t in terms if not t.startswith(EXACT_PREFIX)]
    return bool(lemmas) and all(is_stopword(t) for t in lemmas)


def _with_boost(q: wq.Query, boost: float) -> wq.Query:
    return wq.Or([q], boost=boost) if boost != 1.0 else q


def content_words(node) -> list[str]:
    """Every plain word of a tree (not under NOT), for fallbacks and suggestions."""
    if isinstance(node, Group):
        return [w for c in node.children for w in content_words(c)]
    if isinstance(node, Word):
        return [node.text]
    if isinstance(node, Phrase):
        return node.text.split()
    return []


_ARTICLE_REF_RE = re.compile(
    r"(?<!\w)(?:стать[яиюеёй]|ст\.?|article|art\.?|берене)\s*(\d+(?:\.\d+)*)", re.IGNORECASE
)
_ACT_NUMBER_RE = re.compile(r"(?:№|N)?\s*(\d+-(?:ФЗ|ФКЗ))", re.IGNORECASE)


def article_lookup(text: str) -> tuple[str, str] | None:
    """('13.3', '115-фз') for '115-ФЗ статья 13.3'; ('13.3', '') for 'ст. 13.3'; else None."""
    m = _ARTICLE_REF_RE.search(text)
    if not m:
        return None
    act = _ACT_NUMBER_RE.search(text)
    return m.group(1), (act.group(1).lower() if act else "")


# Codes are cited by abbreviation (`ст. 327.2 ТК РФ`) but their texts never say `ТК`: each
# abbreviation stands for words of the code's title, the country's for the country's name.
CODE_ABBREVIATIONS = {
    "ТК": "трудовой кодекс",
    "ГК": "гражданский кодекс",
    "УК": "уголовный кодекс",
    "ГПК": "гражданский процессуальный кодекс",
    "УПК": "уголовно-процессуальный кодекс",
    "АПК": "арбитражный процессуальный кодекс",
    "КАС": "кодекс административного судопроизводства",
    "НК": "налоговый кодекс",
    "БК": "бюджетный кодекс",
    "ЖК": "жилищный кодекс",
    "ЗК": "земельный кодекс",
    "СК": "семейный кодекс",
    "УИК": "уголовно-исполнительный кодекс",
    "ЛК": "лесной кодекс",
    "КоАП": "кодекс правонарушениях",
    "РФ": "российской федерации",
    "КР": "кыргызской республики",
}
_ABBREVIATION_RE = re.compile(r"(?<![\w:=\"])(" + "|".join(CODE_ABBREVIATIONS) + r")(?![\w\"])")


def expand_abbreviations(text: str) -> str:
    """`ст. 327.2 ТК РФ` -> `ст. 327.2 title:трудовой title:кодекс title:российской title:федерации`.

    Only the abbreviations as written (upper case, standalone, outside quotes) are expanded.
    """
    if text.count('"') % 2:
        return text  # let the parser report the unclosed quote
    parts = text.split('"')
    for i in range(0, len(parts), 2):  # outside quotes only
        parts[i] = _ABBREVIATION_RE.sub(
            lambda m: " ".join(f"title:{w}" for w in CODE_ABBREVIATIONS[m.group(1)].split()), parts[i]
        )
    return '"'.join(parts)
