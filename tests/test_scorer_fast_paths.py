"""The scorer's fast paths must give exactly what the plain paths give, on a real index of
generated text in several segments and with deletions: phrases and proximity matched with numpy
(phrases.py) match what whoosh's span matchers match; an Or of words added up posting list by
posting list scores as the general Or does, to the last bit."""

from __future__ import annotations

import random

import numpy as np
import pytest
from whoosh import index as whoosh_index
from whoosh import query as wq

from indexer.schema import build_schema
from indexer.search.builder import QueryBuilder
from indexer.search.parser import parse
from indexer.search.scoring import Scorer

# few words, so they meet often in every order and at every distance; inflected forms share lemmas
WORDS = ["трудовой", "трудового", "мигрант", "мигранта", "мигрантов", "патент", "патента", "договор", "договора", "работа", "работу", "иностранный", "иностранного", "гражданин", "гражданина", "в", "на", "и", "о", "с", "закон", "закона", "статья", "migrant", "worker", "workers"]
PHRASES = [
    '"трудового договора"', '"трудовой договор"', '"иностранного гражданина патент"', '"в соответствии с"',
    '"мигрант патент"~1', '"мигрант патент"~3', '"патент мигрант"~2', '"закон статья договор"~4',
    '"иностранный гражданин"~5', '="трудового договора"', '"migrant workers"',
    '"worker migrant"~2', '"в на и"~3', 'heading:"закон статья"', '"договор договор"', '"договор договор"~2',
    '"статья закона о мигрантах"', '"работа работу работа"~6',
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory):
    folder = tmp_path_factory.mktemp("phrases")
    ix = whoosh_index.create_in(str(folder), build_schema())
    rng = random.Random(5)
    for segment in range(3):  # three segments: global ids are offsets into each
        writer = ix.writer()
        for i in range(150):
            n = rng.randint(3, 60)
            writer.add_document(
                passage_id=f"p{segment}-{i}", doc_id=f"d{i % 7}", ordinal=i,
                body=" ".join(rng.choice(WORDS) for _ in range(n)),
                heading=" ".join(rng.choice(WORDS) for _ in range(rng.randint(0, 6))),
            )
        writer.commit(merge=False)
    writer = ix.writer()
    for i in range(0, 150, 9):
        writer.delete_by_term("passage_id", f"p1-{i}")
    writer.commit(merge=False)
    with ix.searcher() as s:
        yield s


def _body(q: wq.Sequence) -> bool:
    return {fieldname for fieldname, _text in q.iter_all_terms()} == {"body"}


def _sequences(q: wq.Query) -> list[wq.Sequence]:
    found = [q] if isinstance(q, wq.Sequence) else []
    for child in q.children():
        found += _sequences(child)
    return found


@pytest.mark.parametrize("text", PHRASES)
def test_phrase_matches_are_whooshs(searcher, text):
    query = QueryBuilder(reader=searcher.reader()).build(parse(text))
    sequences = _sequences(query)
    assert sequences, text
    scorer = Scorer(searcher)
    assert len(scorer.leaves) > 1
    for sequence in sequences:
        ours = scorer.evaluate(sequence).mask
        theirs = np.zeros(scorer.n, dtype=bool)
        theirs[list(searcher.docs_for_query(sequence))] = True
        assert np.array_equal(ours, theirs), (text, np.flatnonzero(ours ^ theirs)[:10])


def test_the_phrases_find_something_and_not_everything(searcher):
    """The comparison above means something: the phrases match some passages, not all their words' passages."""
    scorer = Scorer(searcher)
    for text in ('"трудового договора"', '"мигрант патент"~3', '"закон статья договор"~4'):
        query = QueryBuilder(reader=searcher.reader()).build(parse(text))
        sequence = next(q for q in _sequences(query) if _body(q))
        matched = scorer.evaluate(sequence).mask.sum()
        words = scorer.evaluate(wq.And(sequence.subqueries)).mask.sum()
        assert 0 < matched < words, text


@pytest.mark.parametrize("text", ["трудовой", "договора", "иностранный гражданин", "мигрант OR патент"])
def test_word_unions_score_as_the_general_or(searcher, text):
    query = QueryBuilder(reader=searcher.reader()).build(parse(text))
    unions = _word_unions(query)
    assert unions, text
    scorer = Scorer(searcher)
    for union in unions:
        fast = scorer.evaluate(union)
        plain = scorer._combine([scorer._eval(t) for t in union.subqueries], union=True, boost=union.boost)
        plain.mask &= scorer.live
        assert fast.mask.any()
        assert np.array_equal(fast.mask, plain.mask)
        assert np.array_equal(fast.score, plain.score), text  # bit for bit: ties keep their order


def _word_unions(q: wq.Query) -> list[wq.Or]:
    found = [q] if isinstance(q, wq.Or) and len(q.subqueries) > 1 and all(isinstance(s, wq.Term) for s in q.subqueries) else []
    for child in q.children():
        found += _word_unions(child)
    return found
