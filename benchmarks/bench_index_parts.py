"""Where `migrantlex index` spends its CPU per passage, part by part, in one process.

    .venv/bin/python benchmarks/bench_index_parts.py FOLDER [--files 480] [--repeat 3]

Over the first --files files under FOLDER (e.g. /work/var/real10k, one paragraph a file), CPU ms
per passage (time.process_time, medians of --repeat) of what a worker does (writer.process_files):
reading (extraction, metadata, splitting), the gazetteer and rules, the NER model (its tokens
apart) and turning its spans into mentions, and the whole of process_files with small files in
groups (as the writer sends them) and one file per call; then what a segment builder does per
passage (whoosh add_document, then writing the segment). bench_index.py gives the whole run.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from whoosh import index as whoosh_index  # noqa: E402
from whoosh.writing import SegmentWriter  # noqa: E402

from indexer.codec import CompactCodec  # noqa: E402
from indexer.entities import extract, russian_ner  # noqa: E402
from indexer.entities.tokens import tokens  # noqa: E402
from indexer.schema import build_schema  # noqa: E402
from indexer.writer import GROUP_FILES, _Job, _read, discover, passage_fields, process_files  # noqa: E402


def per_passage(run, passages: int, repeat: int) -> float:
    """Median CPU ms per passage of `run()`."""
    times = []
    for _ in range(repeat):
        start = time.process_time()
        run()
        times.append(time.process_time() - start)
    return 1000 * statistics.median(times) / max(passages, 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folder", type=Path)
    parser.add_argument("--files", type=int, default=480)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    files = discover([args.folder]).files[: args.files]
    jobs = [_Job(path, root, {}, "", path.stat().st_size, 0, "", doc_id=f"d{i}") for i, (path, root) in enumerate(files)]
    groups = [jobs[i : i + GROUP_FILES] for i in range(0, len(jobs), GROUP_FILES)]
    process_files(jobs[:GROUP_FILES])  # the model, pymorphy3 and the gazetteer loaded; caches warm
    read = [_read(job) for job in jobs]
    texts = [(p.text, p.language or r.meta.language) for r in read if r.meta for p in r.passages]
    russian = [t for t, language in texts if language == "ru"]
    n = len(texts)
    print(f"{len(jobs)} files, {n} passages ({len(russian)} Russian), {sum(len(t) for t, _ in texts) / max(n, 1):.0f} "
          f"characters each on average; load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print("CPU ms per passage (a worker):")
    print(f"  read (extract, metadata, split)   {per_passage(lambda: [_read(j) for j in jobs], n, args.repeat):6.2f}")
    rules = per_passage(lambda: [extract._gazetteer_and_rules(t, lang) for t, lang in texts], n, args.repeat)
    print(f"  gazetteer and rules               {rules:6.2f}")
    batches = [russian[i : i + GROUP_FILES] for i in range(0, len(russian), GROUP_FILES)]
    print(f"  NER model, batches of {GROUP_FILES:<2}         "
          f"{per_passage(lambda: [russian_ner.spans_of_many(b) for b in batches], n, args.repeat):6.2f}")
    print(f"    of which its tokens             {per_passage(lambda: [tokens(t) for t in russian], n, args.repeat):6.2f}")
    spans = [s for b in batches for s in russian_ner.spans_of_many(b)]
    print(f"  model spans into mentions         "
          f"{per_passage(lambda: [extract._model_mentions(t, s) for t, s in zip(russian, spans, strict=True)], n, args.repeat):6.2f}")
    print(f"  process_files, groups of {GROUP_FILES:<2}      "
          f"{per_passage(lambda: [process_files(g) for g in groups], n, args.repeat):6.2f}")
    print(f"  process_files, one file a call    "
          f"{per_passage(lambda: [process_files([j]) for j in jobs], n, args.repeat):6.2f}")
    results = [r for g in groups for r in process_files(g)]
    with tempfile.TemporaryDirectory(prefix="mlx-parts-") as tmp:
        ix = whoosh_index.create_in(tmp, build_schema())
        documents = [
            {k: v for k, v in passage_fields(r.meta, p, i, r.passage_entities[i]).items() if k in ix.schema}
            for r in results if r.meta for i, p in enumerate(r.passages)
        ]
        adds, writes = [], []
        for _ in range(args.repeat):
            writer = SegmentWriter(ix, _lk=False, limitmb=256, codec=CompactCodec())
            start = time.process_time()
            for fields in documents:
                writer.add_document(**fields)
            added = time.process_time()
            writer._finalize_segment()
            adds.append(added - start)
            writes.append(time.process_time() - added)
            writer._close_segment()
    print("CPU ms per passage (a segment builder; the analysis cache warm, one small segment):")
    print(f"  add_document                      {1000 * statistics.median(adds) / len(documents):6.2f}")
    print(f"  write the segment                 {1000 * statistics.median(writes) / len(documents):6.2f}")


if __name__ == "__main__":
    main()
