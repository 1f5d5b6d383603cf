"""CSV export of common words: rows, bytes and seconds for /search.csv, streamed to the end.

    .venv/bin/python benchmarks/bench_export.py --index-dir var/index [--words право статья] [--repeat 3]

Goes through the Flask app (test client, no network) and reads the whole streamed body, so the
figure is the app's own cost of a download. It also says where the rows' label, pages and
passage id came from: the `row_facts` column (indexes written since it exists) or each
passage's stored fields (older indexes: every passage's text is decompressed to get them).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from indexer.settings import default_index_dir  # noqa: E402


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--index-dir", type=Path, default=default_index_dir())
    ap.add_argument("--words", nargs="+", default=["право", "статья", "труд"])
    ap.add_argument("--repeat", type=int, default=3)
    args = ap.parse_args()

    from search_web import create_app, get_engine

    app = create_app(args.index_dir)
    client = app.test_client()
    with app.app_context():
        reader = get_engine().view().searcher.reader()
        column = "row_facts" in reader.schema and reader.has_column("row_facts")
        passages = reader.doc_count()
    print(f"index {args.index_dir}: {passages} passages; row facts from "
          f"{'the row_facts column' if column else 'stored fields (index older than the column)'}")
    for word in args.words:
        times, size, rows = [], 0, 0
        for _ in range(args.repeat):
            started = time.perf_counter()
            res = client.get(f"/search.csv?q={quote(word)}", buffered=False)
            body = b"".join(res.response)
            times.append(time.perf_counter() - started)
            size, rows = len(body), body.count(b"\n") - 1
        best, median = min(times), statistics.median(times)
        print(f"{word:<10} {rows:>6} rows {size / 1e6:6.2f} MB   best {best:5.2f} s   median {median:5.2f} s"
              f"   {size / 1e6 / best:5.1f} MB/s")


if __name__ == "__main__":
    main()
