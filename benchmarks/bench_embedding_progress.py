"""How soon the cross-language layer helps: ranking with the first N articles embedded, in the
order `migrantlex embed` takes them (rarer languages, then the documents most about migration).

    .venv/bin/python benchmarks/bench_embedding_progress.py --index-dir var/index-copy \\
        --vectors-from var/index --steps 1000,2000,4000,8000

`--index-dir` is a scratch copy of an index (its vectors are replaced); `--vectors-from` an index
of the same corpus whose articles are all embedded (its vector cache is read, nothing is
embedded here). For each step the units file of that many articles is written, as the embedding
job's checkpoint would, and the lawyer set and issue 10's development set are scored
(bench_ranking.measure). CPU minutes of embedding are estimated from the measured cost per
article on this machine (`--cpu-per-article`, bench_crosslang.py prints it).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ranking import LAWYER_CASES, measure  # noqa: E402

from indexer.dense import model, store  # noqa: E402
from indexer.dense.build import _migration_share, _missing, units_of  # noqa: E402
from indexer.search import SearchEngine  # noqa: E402
from tests import concept_queries  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index-dir", type=Path, required=True, help="a scratch copy: its vectors are replaced")
    parser.add_argument("--vectors-from", type=Path, required=True, help="an index of the same corpus, all embedded")
    parser.add_argument("--steps", default="1000,2000,4000,8000", help="articles embedded, comma-separated")
    parser.add_argument("--cpu-per-article", type=float, default=0.19, help="CPU seconds (measured: 0.19)")
    args = parser.parse_args()

    cache = store.load_cache(args.vectors_from)
    generation, units = units_of(args.index_dir)
    order = _missing(units, {}, _migration_share(args.index_dir))
    absent = sum(1 for u in order if u.key not in cache)
    if absent:
        print(f"note: {absent} of {len(order)} articles have no vector in {args.vectors_from}; they stay unembedded")
        order = [u for u in order if u.key in cache]
    steps = [int(s) for s in args.steps.split(",") if s] + [len(order)]
    kinds = [*concept_queries.KINDS, "all"]
    print(f"{len(order)} articles to embed; {len(cache)} vectors read from {args.vectors_from}")
    print(f"{'articles':>9}{'CPU min':>9}{'lawyer MRR':>11}{'top-N':>8}" + "".join(f"{k[:10]:>11}" for k in kinds) + f"{'recall':>8}")
    for n in sorted(set(min(s, len(order)) for s in [0, *steps])):
        done = {u.key for u in order[:n]}
        chosen = [u for u in units if u.key in done]
        vectors = np.array([cache[u.key] for u in chosen], dtype=np.float16).reshape(len(chosen), model.DIM)
        docnums = np.array([u.docnum for u in chosen], dtype=np.int32)
        store.save_units(args.index_dir, store.Units(generation, docnums, vectors, len(units)))
        engine = SearchEngine(args.index_dir)
        m = measure(engine, verbose=False)
        engine.close()
        print(f"{n:>9}{n * args.cpu_per_article / 60:>9.1f}{m['mrr']:>11.3f}{m['passed']:>4}/{len(LAWYER_CASES):<3}"
              + "".join(f"{m['ndcg'].get(k, float('nan')):>11.3f}" for k in kinds) + f"{m['recall']:>8.3f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
