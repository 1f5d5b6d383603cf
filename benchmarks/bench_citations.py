"""What the citation graph costs: building it from every passage, and reading it back from its cache.

    .venv/bin/python benchmarks/bench_citations.py --index-dir var/index

Prints the build's CPU and wall time, how many provisions cite (and how many of them cite another
act), and the time to read the saved graph (what every serving process pays per generation).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from whoosh import index as whoosh_index  # noqa: E402

from indexer.catalog import Catalog  # noqa: E402
from indexer.search import citation_graph  # noqa: E402
from indexer.settings import default_index_dir  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--index-dir", type=Path, default=default_index_dir())
    args = parser.parse_args()
    searcher = whoosh_index.open_dir(str(args.index_dir)).searcher()
    catalog = Catalog(args.index_dir)
    docs = catalog.documents()
    catalog.close()
    cpu, wall = time.process_time(), time.perf_counter()
    graph = citation_graph.build(searcher, docs)
    cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
    sources = [(t, s) for t, by in graph.cited_by.items() for found in by.values() for s in found]
    print(f"{searcher.doc_count()} passages, {len(docs)} documents")
    print(f"build: {cpu:.2f} CPU s, {wall:.2f} s wall")
    print(f"citing provisions: {len(sources)}, of another act: {sum(s.doc_id != t for t, s in sources)}")
    print(f"most cited: {int(graph.inbound.max()) if len(graph.inbound) else 0} provisions")
    with tempfile.TemporaryDirectory() as folder:
        citation_graph._save(Path(folder) / citation_graph.CACHE_FILE, "bench", graph)
        started = time.perf_counter()
        loaded = citation_graph._load(Path(folder) / citation_graph.CACHE_FILE, "bench", docs, len(graph.inbound))
        print(f"cache: {(Path(folder) / citation_graph.CACHE_FILE).stat().st_size / 1024:.0f} KB, "
              f"read in {(time.perf_counter() - started) * 1000:.0f} ms ({'ok' if loaded else 'FAILED'})")
    searcher.close()


if __name__ == "__main__":
    main()
