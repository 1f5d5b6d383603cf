"""Every legal text of the corpus: articles found match the source's own heading lines, no
duplicates, and every number reported absent is really absent from the source.

The source is checked with a separate, deliberately simple line pattern, so the splitter's
heading rules are compared against an independent reading of the same file.
"""

from __future__ import annotations

import re

import pytest

from indexer.models import Page
from indexer.structure import analyze_numbering, split_passages
from tests.corpus_files import CORPUS

LEGAL = sorted(p.relative_to(CORPUS).as_posix() for folder in ("ru", "kg", "int")
               for p in (CORPUS / folder).glob("*") if p.suffix in (".txt", ".md"))
pytestmark = pytest.mark.usefixtures("corpus")  # skipped, with the others, when the corpus is absent

# one line per article heading in these sources: "Статья 13.3." "С т а т ь я 1." "###Article 7"
# "1-статья" "1 бап" "Моддаи 1." "### Artikel 1" (the Dutch translation part is counted too)
_SOURCE_ARTICLE = re.compile(
    r"^[ \t]*(?:#+[ \t]*)?(?:(?:Статья|С т а т ь я|Article|Artikel|Моддаи)[ \t]+(\d[\d.¹²³⁴⁵⁶⁷⁸⁹⁰⁻-]*)"
    r"(?:\.|[ \t]*$|[ \t]+[A-Z(])|(\d+)[ \t]*[-‐]?[ \t]*(?:статья|берене|бап)\.?[ \t]*$)",
    re.M,
)
# duplicates verified in the source text itself (the act repeats the number)
SOURCE_DUPLICATES = {
    # "Статья 242¹." (repealed, 2006) and "Статья 242¹. Общие положения" (chapter 24¹, 2005)
    "ru/byudzhetnyi-kodeks-rf.txt": ["scope 0: 242.1"],
}


def source_heading_majors(text: str) -> list[int]:
    return [int(re.match(r"\d+", m.group(1) or m.group(2)).group())
            for m in _SOURCE_ARTICLE.finditer(text)]


@pytest.mark.parametrize("relpath", LEGAL)
def test_articles_match_the_source_numbering(relpath):
    text = (CORPUS / relpath).read_text(encoding="utf-8")
    pages = [Page(1, text)]
    numbering = analyze_numbering(pages, doc_type="code")
    source = source_heading_majors(text)
    assert numbering.count == len(source), "article count differs from the source's heading lines"
    assert numbering.duplicates == SOURCE_DUPLICATES.get(relpath, [])
    present = set(source)
    for first, last in numbering.gaps:
        absent = set(range(first, last + 1))
        assert not absent & present, f"{relpath}: articles {sorted(absent & present)} exist but were missed"


def test_whole_corpus_splits_into_provisions():
    """Every legal text splits (how fast is measured by benchmarks/structure_report.py)."""
    texts = [(CORPUS / rel).read_text(encoding="utf-8") for rel in LEGAL]
    total = sum(len(split_passages([Page(1, t)], doc_type="code")) for t in texts)
    assert total > 15000
