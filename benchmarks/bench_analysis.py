"""Analyzer speed (cold and warm cache), cache hit rate, and the index cost of `=exact` forms.

    .venv/bin/python benchmarks/bench_analysis.py [--corpus ../shared/corpus] [--chars 400000]
                                                  [--repeat 3] [--index-chars 300000]

The sample is the first --chars characters of each text file in ru/, kg/ and int/ (real
Russian, Kyrgyz-law Russian, English and Kyrgyz text). Timings are medians over --repeat runs.
"Cold" starts from an empty per-token cache (the pymorphy3 dictionaries already loaded);
"warm" repeats the same text with the cache filled.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from pathlib import Path

from whoosh import fields
from whoosh.analysis import Filter
from whoosh.filedb.filestore import FileStorage

from analyzers import EXACT_PREFIX, lemma_cache_info, normalize_text, text_analyzer, token_plan
from analyzers.kyrgyz import kyrgyz_stem
from analyzers.morph import get_morph
from analyzers.whoosh_analysis import TOKEN_PATTERN


class DropExactForms(Filter):
    """For the comparison only: the index without `=exact` forms (lemmas only)."""

    def __call__(self, tokens):
        for t in tokens:
            if not t.text.startswith(EXACT_PREFIX):
                yield t


def sample_texts(corpus: Path, chars: int) -> list[str]:
    files = sorted(
        p
        for sub in ("ru", "kg", "int")
        for p in (corpus / sub).glob("*")
        if p.suffix in (".txt", ".md")
    )
    return [normalize_text(p.read_text(encoding="utf-8", errors="replace")[:chars]) for p in files]


def clear_caches() -> None:
    token_plan.cache_clear()
    kyrgyz_stem.cache_clear()


def analyse_all(texts: list[str]) -> tuple[int, int, float]:
    """(input tokens, output terms, seconds) for one pass, as whoosh indexes a TEXT field."""
    analyzer = text_analyzer()
    terms = 0
    start = time.perf_counter()
    for text in texts:
        for _ in analyzer(text, positions=True, chars=True, mode="index"):
            terms += 1
    secs = time.perf_counter() - start
    tokens = sum(1 for text in texts for _ in TOKEN_PATTERN.finditer(text))
    return tokens, terms, secs


def bench_speed(texts: list[str], repeat: int) -> None:
    get_morph()  # load dictionaries outside the timing
    cold, warm, hit_rates = [], [], []
    tokens = terms = 0
    for _ in range(repeat):
        clear_caches()
        tokens, terms, secs = analyse_all(texts)
        cold.append(tokens / secs)
        hit_rates.append(lemma_cache_info()["hit_rate"])
        _, _, secs = analyse_all(texts)
        warm.append(tokens / secs)
    info = lemma_cache_info()
    print(
        f"sample: {len(texts)} files, {sum(map(len, texts)) / 1e6:.1f} M chars, {tokens} tokens,"
        f" {terms} index terms ({terms / tokens:.2f} per token), {info['size']} distinct tokens"
    )
    print(f"analysis, cold cache: median {statistics.median(cold):,.0f} tokens/s")
    print(f"analysis, warm cache: median {statistics.median(warm):,.0f} tokens/s")
    print(
        f"per-token cache hit rate on one pass over the sample: {statistics.median(hit_rates):.1%}"
    )
    tok_only = []
    for _ in range(repeat):
        start = time.perf_counter()
        for text in texts:
            for _ in TOKEN_PATTERN.finditer(text):
                pass
        tok_only.append(tokens / (time.perf_counter() - start))
    print(f"tokenizer regex alone: median {statistics.median(tok_only):,.0f} tokens/s")


def folder_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def build_index(folder: Path, texts: list[str], analyzer) -> tuple[int, float]:
    schema = fields.Schema(body=fields.TEXT(analyzer=analyzer, stored=False, chars=True))
    ix = FileStorage(str(folder)).create_index(schema)
    start = time.perf_counter()
    with ix.writer() as writer:
        for text in texts:
            for para in text.split("\n\n"):
                if para.strip():
                    writer.add_document(body=para)
    secs = time.perf_counter() - start
    ix.optimize()
    return folder_size(folder), secs


def bench_index_size(texts: list[str], repeat: int) -> None:
    results: dict[str, list[tuple[int, float]]] = {"lemmas + =exact": [], "lemmas only": []}
    for _ in range(repeat):
        for label, analyzer in (
            ("lemmas + =exact", text_analyzer()),
            ("lemmas only", text_analyzer() | DropExactForms()),
        ):
            with tempfile.TemporaryDirectory(prefix="mlx-bench-an-") as tmp:
                results[label].append(build_index(Path(tmp), texts, analyzer))
    sizes = {k: statistics.median(s for s, _ in v) for k, v in results.items()}
    times = {k: statistics.median(t for _, t in v) for k, v in results.items()}
    for label in results:
        print(
            f"index of the sample, {label}: {sizes[label] / 2**20:.2f} MiB, indexed in {times[label]:.1f} s"
        )
    print(
        f"=exact forms cost: {sizes['lemmas + =exact'] / sizes['lemmas only']:.2f}x size,"
        f" {times['lemmas + =exact'] / times['lemmas only']:.2f}x indexing time"
    )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument(
        "--corpus",
        type=Path,
        default=Path(__file__).resolve().parents[1] / ".." / "shared" / "corpus",
    )
    ap.add_argument(
        "--chars", type=int, default=400_000, help="characters read per file for the speed test"
    )
    ap.add_argument(
        "--index-chars",
        type=int,
        default=60_000,
        help="characters per file for the index-size test",
    )
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()
    corpus = args.corpus.resolve()
    bench_speed(sample_texts(corpus, args.chars), args.repeat)
    bench_index_size(sample_texts(corpus, args.index_chars), args.repeat)


if __name__ == "__main__":
    main()
