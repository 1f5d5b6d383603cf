"""The one place ranking is tuned: a profile the engine is given (DEFAULT_PROFILE unless told).

BM25F over title, heading and body; a bonus for the very form typed; a strong boost for the
provision an article reference names; a few passages per document on a page of results.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

FUSIONS = ("better", "summed", "selective")  # RankingProfile.crosslang_fusion's values


def _default_boosts() -> MappingProxyType:
    return MappingProxyType({"title": 1.2, "heading": 2.5, "body": 1.0})


@dataclass(frozen=True)
class RankingProfile:
    """Every ranking knob. Frozen: build a new one with `dataclasses.replace` to tune."""

    field_boosts: MappingProxyType = field(default_factory=_default_boosts)
    exact_bonus: float = 0.6  # a passage with the very form typed outranks one sharing only the lemma
    lookup_boost: float = 40.0  # `115-ФЗ статья 13.3`: the provision itself, first
    repealed_factor: float = 0.5  # a repealed act ranks below a current one for the same match
    b: float = 0.75  # BM25 length normalisation
    k1: float = 1.2  # BM25 term-frequency saturation
    passages_per_doc: int = 3  # best provisions shown under each document
    concept_weight: float = 0.5  # a concept's other labels and terms, below the words typed
    partial_weight: float = 0.5  # passages with some of the words, when all of them give few documents
    concepts_before_partial: bool = True  # when the concepts named cover every word typed, their matches before some-of-the-words
    citation_weight: float = 0.6  # × (1 + this × log(1 + citing provisions) / log(1 + the most cited's)); never with a reference
    domain_prior: float = 1.5  # × (1 + this × the document's share of passages naming a migration concept)
    crosslang_top_k: int = 30  # articles in other languages the embedding adds (indexer.search.crosslang)
    crosslang_weight: float = 0.98  # their reciprocal rank's weight beside the words': one more ranking, the words first on a tie
    crosslang_fusion: str = "selective"  # a document's fused score: "better" of its two ranks', "summed" (RRF), or "selective" (see crosslang.sums_ranks)
    rrf_k: int = 20  # reciprocal rank fusion's k: 1/(k + rank) (issue 10's set, partial vectors, summed: nDCG@10 0.489 at 60, 0.500 at 20)

    def __post_init__(self) -> None:
        if self.crosslang_fusion not in FUSIONS:
            raise ValueError(f"crosslang_fusion must be one of {', '.join(FUSIONS)}, not {self.crosslang_fusion!r}")
        if not isinstance(self.field_boosts, MappingProxyType):
            object.__setattr__(self, "field_boosts", MappingProxyType(dict(self.field_boosts)))

    def boost(self, fieldname: str) -> float:
        return self.field_boosts.get(fieldname, 1.0)


DEFAULT_PROFILE = RankingProfile()
