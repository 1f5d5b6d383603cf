"""A small generated corpus for the unit tier: ten laws of four articles each, with a manifest.

Which words an article holds follows from its number's bits, so every combination the query
tests need occurs (one word without the other, both, neither; a phrase with its words adjacent or
apart; two inflections of one noun). The tests do not trust those rules: `containing()` reads
the generated text itself, which is the oracle the index's answers are checked against.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from indexer.metadata import doc_id_for

ARTICLES = 4
# (country, doc_type, language, date) of each generated document
DOCUMENTS = [
    ("kg", "law", "ru", "1998-03-12"),
    ("ru", "law", "ru", "2002-07-25"),
    ("kz", "code", "ru", "2015-11-23"),
    ("kg", "code", "ru", "2009-06-04"),
    ("ru", "code", "ru", "2001-12-30"),
    ("kz", "law", "ru", "2011-07-22"),
    ("kg", "law", "ru", "2021-01-15"),
    ("ru", "law", "ru", "2013-05-07"),
    ("int", "convention", "en", "1949-07-01"),
    ("int", "convention", "en", "2011-06-16"),
]
# A concept per bit of the article's number: its word in Russian and in English.
CONCEPTS = [("патент", "permit"), ("квота", "quota"), ("виза", "visa")]
PHRASE = {"ru": ("трудовой", "договор"), "en": ("employment", "contract")}
MIGRANT = {"ru": ("мигрантов", "мигранту"), "en": ("migrants", "migrant")}
FILLER = {
    "ru": ["настоящая", "норма", "устанавливает", "порядок", "действий", "уполномоченного", "органа", "в",
           "разумный", "срок"],
    "en": ["this", "rule", "sets", "out", "the", "steps", "an", "authorised", "body", "takes", "within", "a",
           "reasonable", "time"],
}  # fmt: skip
HEADINGS = {
    "ru": ["Общие положения", "Сфера действия", "Порядок применения", "Заключительные положения"],
    "en": ["General provisions", "Scope", "Procedure", "Final provisions"],
}
ARTICLE_WORD = {"ru": "Статья", "en": "Article"}
TITLE = {"ru": "Сборник норм номер {n}", "en": "Instrument number {n}"}
WORD_RE = re.compile(r"[^\W\d_]+")


@dataclass(frozen=True)
class Document:
    relpath: str
    doc_id: str
    title: str
    country: str
    doc_type: str
    language: str
    date: str

    @property
    def year(self) -> int:
        return int(self.date[:4])


@dataclass(frozen=True)
class Passage:
    doc_id: str
    label: str
    text: str

    @property
    def words(self) -> frozenset[str]:
        return frozenset(w.lower() for w in WORD_RE.findall(self.text))


@dataclass(frozen=True)
class SyntheticCorpus:
    folder: Path
    documents: list[Document]
    passages: list[Passage]

    def containing(self, *words: str) -> set[tuple[str, str]]:
        """(doc_id, label) of the passages whose text has every one of these words."""
        return {(p.doc_id, p.label) for p in self.passages if set(words) <= p.words}

    def adjacent(self, first: str, second: str) -> set[tuple[str, str]]:
        """(doc_id, label) of the passages where `second` directly follows `first`."""
        return {(p.doc_id, p.label) for p in self.passages if f"{first} {second}" in p.text.lower()}

    def document(self, doc_id: str) -> Document:
        return next(d for d in self.documents if d.doc_id == doc_id)


def article_body(number: int, language: str) -> str:
    """The body of the article with this running number: its bits choose the words."""
    filler = FILLER[language]
    words = list(filler[:4])
    for bit, concept in enumerate(CONCEPTS):
        if number >> bit & 1:
            words += [concept[language == "en"], *filler[4 + bit : 6 + bit]]
    first, second = PHRASE[language]
    if number >> 3 & 1:
        words += [first, second, *filler[6:8]]
    if number >> 4 & 1:
        words += [second, *filler[:7], first]
    if number % 3 < 2:
        words += [MIGRANT[language][number % 3], *filler[8:]]
    return " ".join(words).capitalize() + "."


def write_synthetic_corpus(folder: Path) -> SyntheticCorpus:
    """Write the documents and their MANIFEST.tsv into folder."""
    folder.mkdir(parents=True, exist_ok=True)
    documents, passages = [], []
    rows = ["path\ttitle\tcountry\tdoc_type\tlanguage\tdate\tsource\tnotes"]
    for n, (country, doc_type, language, date) in enumerate(DOCUMENTS, 1):
        relpath = f"{country}/generated-{n:02d}.txt"
        doc = Document(relpath, doc_id_for(relpath), TITLE[language].format(n=n), country, doc_type, language, date)
        articles = []
        for k in range(1, ARTICLES + 1):
            label = f"{ARTICLE_WORD[language]} {k}"
            body = article_body((n - 1) * ARTICLES + k, language)
            articles.append(f"{label}. {HEADINGS[language][k - 1]}\n{body}\n")
            passages.append(Passage(doc.doc_id, label, body))
        (folder / relpath).parent.mkdir(parents=True, exist_ok=True)
        (folder / relpath).write_text("\n".join(articles), encoding="utf-8")
        rows.append(f"{relpath}\t{doc.title}\t{country}\t{doc_type}\t{language}\t{date}\tgenerated by the tests\t")
        documents.append(doc)
    (folder / "MANIFEST.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return SyntheticCorpus(folder, documents, passages)
