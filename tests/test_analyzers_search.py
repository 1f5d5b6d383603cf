"""End to end on a real whoosh index of real passages: lemma queries, `=exact` queries,
phrases across inflections, and highlighting of the original text."""

from __future__ import annotations

import re

import pytest
from whoosh import fields, highlight
from whoosh import query as wq
from whoosh.filedb.filestore import FileStorage
from whoosh.index import open_dir

from analyzers import EXACT_PREFIX, text_analyzer


def _article(corpus, rel: str, number: str) -> str:
    """The text of `Статья <number>.` up to the next article, from a real corpus file."""
    text = (corpus / rel).read_text(encoding="utf-8")
    start = text.index(f"Статья {number}.")
    end = text.index("\nСтатья ", start + 10)
    return text[start:end]


@pytest.fixture(scope="module")
def passages(corpus) -> dict[str, str]:
    ky = (corpus / "int/udhr-1948-ky.txt").read_text(encoding="utf-8").splitlines()
    en = (corpus / "int/ilo-c097-migration-for-employment-1949.md").read_text(encoding="utf-8")
    return {
        "kg-uk-168": _article(corpus, "kg/ugolovnyi-kodeks-kr.txt", "168"),  # ввоз мигрантов
        "kg-kop-94": _article(corpus, "kg/kodeks-o-pravonarusheniyakh-kr.txt", "94"),
        "ru-115-13.3": _article(
            corpus, "ru/115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan.txt", "13.3"
        ),
        "udhr-ky": "\n".join(line for line in ky if "укуктарынын" in line),
        "ilo-c097": "\n".join(
            line for line in en.splitlines() if "migrants for employment" in line
        ),
        # the issue's own phrase; the corpus never writes "трудовых мигрантов"
        "issue": "Права трудовых мигрантов и членов их семей защищаются законом.",
    }


@pytest.fixture(scope="module")
def index(tmp_path_factory, passages):
    schema = fields.Schema(
        pid=fields.ID(stored=True, unique=True),
        body=fields.TEXT(analyzer=text_analyzer(), stored=True, chars=True),
    )
    folder = tmp_path_factory.mktemp("analyzers-ix")
    ix = FileStorage(str(folder)).create_index(schema)
    with ix.writer() as writer:
        for pid, text in passages.items():
            writer.add_document(pid=pid, body=text)
    return open_dir(str(folder))  # re-opened: the pickled analyzer must load back


def analyze(text: str) -> list[list[str]]:
    by_pos: dict[int, list[str]] = {}
    for t in text_analyzer()(text, positions=True, mode="query"):
        by_pos.setdefault(t.pos, []).append(t.text)
    return [by_pos[p] for p in sorted(by_pos)]


def lemma_query(text: str) -> wq.Query:
    clauses = []
    for terms in analyze(text):
        lemmas = [t for t in terms if not t.startswith(EXACT_PREFIX)]
        clauses.append(wq.Or([wq.Term("body", t) for t in lemmas]))
    return wq.And(clauses)


def phrase_query(text: str) -> wq.Query:
    clauses = []
    for terms in analyze(text):
        lemmas = [t for t in terms if not t.startswith(EXACT_PREFIX)]
        clauses.append(wq.Or([wq.Term("body", t) for t in lemmas]))
    return wq.Sequence(clauses)


def found(index, q: wq.Query) -> set[str]:
    with index.searcher() as s:
        return {hit["pid"] for hit in s.search(q, limit=None)}


def test_lemma_query_finds_inflected_forms(index):
    assert found(index, lemma_query("мигрант")) == {"kg-uk-168", "kg-kop-94", "issue"}
    assert found(index, lemma_query("migrant")) == {"ilo-c097"}
    assert found(index, lemma_query("укуктары")) == {"udhr-ky"}


def test_exact_query_finds_only_that_form(index):
    assert found(index, wq.Term("body", "=мигрантов")) == {"kg-uk-168", "issue"}
    assert found(index, wq.Term("body", "=мигрант")) == set()


def test_phrase_matches_across_inflections(index):
    assert found(index, phrase_query("трудовой мигрант")) == {"issue"}
    assert found(index, phrase_query("мигрант трудовой")) == set()  # order matters
    # a compound's parts sit at consecutive positions: "трудящимся-мигрантом"
    assert found(index, phrase_query("трудящийся мигрант")) == {"kg-kop-94"}
    assert found(index, phrase_query("не требующем получения визы")) == {"ru-115-13.3"}


def test_legal_labels_are_found_as_written(index):
    assert "ru-115-13.3" in found(index, phrase_query("ст. 13.3"))
    assert found(index, lemma_query("13.3")) == {"ru-115-13.3"}


def _marks(html: str) -> list[str]:
    return re.findall(r'<(?:b|strong) class="match[^"]*">(.*?)</(?:b|strong)>', html)


def test_highlighting_marks_the_inflected_form_once(index, passages):
    text = passages["kg-uk-168"]
    html = highlight.highlight(
        text,
        frozenset(["мигрант"]),
        text_analyzer(),
        highlight.WholeFragmenter(),
        highlight.HtmlFormatter(),
    )
    marks = _marks(html)
    assert marks and all(m == "мигрантов" for m in marks)
    assert len(marks) == text.count("мигрантов")  # no duplicate marks


def test_search_hit_highlights_from_stored_offsets(index):
    with index.searcher() as s:
        hits = s.search(lemma_query("трудовой мигрант"), terms=True)
        hit = next(h for h in hits if h["pid"] == "issue")
        hits.fragmenter = highlight.WholeFragmenter()
        html = hit.highlights("body")
    assert _marks(html) == ["трудовых", "мигрантов"]


def _highlight(text: str, terms: list[str]) -> list[str]:
    html = highlight.highlight(
        text,
        frozenset(terms),
        text_analyzer(),
        highlight.WholeFragmenter(),
        highlight.HtmlFormatter(),
    )
    return _marks(html)


def test_compound_highlights_never_overlap(passages):
    text = passages["kg-kop-94"]
    n = text.count("трудящимся-мигрантом")
    assert n >= 2
    assert _highlight(text, ["мигрант"]) == ["мигрантом"] * n
    assert _highlight(text, ["мигрант", "трудящийся"]) == ["трудящимся", "мигрантом"] * n
    whole = ["трудящийся-мигрант"]
    assert _highlight(text, whole) == ["трудящимся-мигрантом"] * n
    assert _highlight(text, [*whole, "мигрант"]) == ["трудящимся-мигрантом"] * n
