"""Table-driven morphology test: real word forms from the corpus (tests/data/word_forms.tsv).

A query form "matches" a form when text_analyzer() gives both a shared non-exact term,
exactly what lets a plain query find the form in the index.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import pytest

from analyzers import EXACT_PREFIX, text_analyzer
from tests.corpus_files import CORPUS

TABLE = Path(__file__).parent / "data" / "word_forms.tsv"
# Where the table's forms come from; every form must occur in one of these files.
SOURCES = [
    "ru/115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan.txt",
    "ru/109-fz-o-migratsionnom-uchete.txt",
    "ru/trudovoy-kodeks-rf.txt",
    "ru/byudzhetnyi-kodeks-rf.txt",
    "kg/ugolovnyi-kodeks-kr.txt",
    "kg/zemelnyi-kodeks-kr.txt",
    "kg/gpk-kr.txt",
    "int/udhr-1948-ky.txt",
    "int/udhr-1948-en.txt",
    "int/ilo-c097-migration-for-employment-1949.md",
    "int/ilo-c189-domestic-workers-2011.md",
    "int/coe-european-convention-legal-status-migrant-workers-1977.md",
    "int/un-protocol-smuggling-of-migrants-2000.md",
]


def _rows() -> list[tuple[str, str, list[str], list[str]]]:
    rows = []
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        lang, query, match, no_match = (line.split("\t") + ["", ""])[:4]
        rows.append((lang, query, match.split(), no_match.split()))
    return rows


ROWS = _rows()
ANALYZER = text_analyzer()


def lemma_terms(word: str) -> set[str]:
    return {t.text for t in ANALYZER(word) if not t.text.startswith(EXACT_PREFIX)}


@lru_cache(maxsize=1)
def corpus_words() -> frozenset[str]:
    words: set[str] = set()
    for rel in SOURCES:
        text = (CORPUS / rel).read_text(encoding="utf-8", errors="replace")
        words.update(w.lower() for w in re.findall(r"[^\W_]+(?:[-.][^\W_]+)*", text))
    return frozenset(words)


def test_table_is_large_and_covers_three_languages():
    forms = [f for _, q, m, n in ROWS for f in [q, *m, *n]]
    assert len(forms) >= 150
    langs = {lang for lang, *_ in ROWS}
    assert {"ru", "en", "ky", "legal"} <= langs
    assert sum(len(n) for *_, n in ROWS) >= 40  # plenty of must-not-match cases


def test_every_form_is_a_real_corpus_form(corpus):
    missing = [f for _, q, m, n in ROWS for f in [q, *m, *n] if f.lower() not in corpus_words()]
    assert not missing, f"forms not found in {SOURCES}: {missing}"


@pytest.mark.parametrize(("lang", "query", "match", "no_match"), ROWS, ids=[r[1] for r in ROWS])
def test_query_form_matches_its_inflections_only(lang, query, match, no_match):
    query_terms = lemma_terms(query)
    assert query_terms, f"{query!r} produced no lemma"
    unmatched = {f: sorted(lemma_terms(f)) for f in match if not query_terms & lemma_terms(f)}
    assert not unmatched, f"{lang} {query!r} -> {sorted(query_terms)} misses {unmatched}"
    spilled = {
        f: sorted(query_terms & lemma_terms(f)) for f in no_match if query_terms & lemma_terms(f)
    }
    assert not spilled, f"{lang} {query!r} wrongly matches {spilled}"
