"""Every jurisdiction's term in the thesaurus occurs in the act it is attributed to.

The thesaurus is written from the corpus, so this is the check that keeps it honest: the text
of each act (extracted as the indexer extracts it) must contain the term, either verbatim after
normalisation (lowercase, ё→е, whitespace collapsed) or, for a term written in its dictionary
form, as the same lemmas in a row (`трудовой иммигрант` in `трудовому иммигранту`).
"""

from __future__ import annotations

import re
from functools import cache

import pytest

from indexer.extract import extract
from indexer.thesaurus import default, label_key, text_key

TERMS = [(c.id, t) for c in default().concepts.values() for t in c.terms]


def normalised(text: str) -> str:
    return re.sub(r"\s+", " ", text.lower().replace("ё", "е"))


@cache
def act_text(path) -> str:
    return normalised(" ".join(page.text for page in extract(path).pages))


@cache
def act_lemmas(path) -> tuple[tuple[frozenset[str], ...], dict[str, list[int]]]:
    """The act's lemmas position by position (as a label's, stopwords dropped), and where each lemma is."""
    seq = text_key(act_text(path))
    where: dict[str, list[int]] = {}
    for i, lemmas in enumerate(seq):
        for lemma in lemmas:
            where.setdefault(lemma, []).append(i)
    return seq, where


def occurs_as_lemmas(term: str, path) -> bool:
    key = label_key(term)
    seq, where = act_lemmas(path)
    starts = {i for lemma in key[0] for i in where.get(lemma, ())}
    return any(
        all(want & seq[s + j] for j, want in enumerate(key)) for s in starts if s + len(key) <= len(seq)
    )


@pytest.mark.parametrize(("concept", "term"), TERMS, ids=[f"{c}-{t.country}-{i}" for i, (c, t) in enumerate(TERMS)])
def test_the_term_occurs_in_its_act(corpus, concept, term):
    path = corpus / term.act
    assert path.is_file(), f"{concept}: no act {term.act} in the corpus"
    if normalised(term.term) in act_text(path):
        return
    assert occurs_as_lemmas(term.term, path), f"{concept}: {term.term!r} is not in {term.act}"


def test_the_check_can_fail(corpus):
    """A term from another act is not found: the lemma fallback is not a blank cheque."""
    act = corpus / "ru/115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan.txt"
    assert not occurs_as_lemmas("трудовой иммигрант", act)
    assert occurs_as_lemmas("иностранный гражданин, осуществляющий трудовую деятельность", act)
