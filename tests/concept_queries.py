"""Issue 10's development set (tests/data/concept_queries.tsv) and how a ranking is scored on it.

Scored on documents, as the engine returns them (one result per document with its best
provisions): a result is a hit when its document answers the query and one of the provisions it
shows is an answering one. nDCG@10 uses binary gains over the distinct answering documents;
recall@10 is the share of those documents hit in the first ten results.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from pathlib import Path

QUERIES_FILE = Path(__file__).parent / "data" / "concept_queries.tsv"
KINDS = ("cross-language", "concept", "paraphrase")
K = 10


@dataclass(frozen=True)
class Case:
    query: str
    kind: str
    answers: tuple[tuple[str, str], ...]  # (doc_id, provision label), any of them is right
    why: str
    gap: str = ""  # a known limitation: the test is a strict xfail until it is fixed

    @property
    def documents(self) -> dict[str, set[str]]:
        """Answering documents and, for each, its answering provisions."""
        docs: dict[str, set[str]] = {}
        for doc_id, label in self.answers:
            docs.setdefault(doc_id, set()).add(label)
        return docs


def load_cases(path: Path = QUERIES_FILE) -> list[Case]:
    cases = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        query, kind, expected, why, *rest = line.split("\t")
        answers = tuple(tuple(a.strip().split("#", 1)) for a in expected.split(" | "))
        cases.append(Case(query, kind, answers, why, rest[0].strip() if rest else ""))
    return cases


def hits(case: Case, results: list[dict]) -> list[bool]:
    """For each of the first K results: does it show an answering provision of an answering document?"""
    docs = case.documents
    return [
        r["doc_id"] in docs and any(p["label"] in docs[r["doc_id"]] for p in r["passages"])
        for r in results[:K]
    ]


def ndcg(case: Case, results: list[dict]) -> float:
    dcg = sum(1 / math.log2(i + 2) for i, hit in enumerate(hits(case, results)) if hit)
    ideal = sum(1 / math.log2(i + 2) for i in range(min(len(case.documents), K)))
    return dcg / ideal


def recall(case: Case, results: list[dict]) -> float:
    return sum(hits(case, results)) / len(case.documents)
