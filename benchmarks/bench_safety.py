"""What the indexer's safety costs: batch commits, the final merge of deleted passages, and the
hostile files (bombs) that budgets now stop.

    .venv/bin/python benchmarks/bench_safety.py [--files 120] [--articles 25]

On a generated folder of laws (no corpus needed): indexing time with one commit at the end vs
commits every --batch passages; the cost of the last commit when one file changed (segments with
deleted passages are rewritten) against not merging; then extraction time of each bomb.
"""

from __future__ import annotations

import argparse
import io
import tempfile
import time
import zipfile
from pathlib import Path

from indexer import budgets, writer
from indexer.extract import extract
from indexer.models import ExtractionError

WORDS = ["мигрант", "патент", "работодатель", "разрешение", "трудовой", "договор", "гражданство"]


def make_folder(root: Path, files: int, articles: int) -> Path:
    root.mkdir(parents=True)
    for i in range(files):
        lines = [f"Закон о трудовой миграции номер {i}"]
        for n in range(1, articles + 1):
            body = " ".join(WORDS[(i * 7 + n * 3 + k) % len(WORDS)] for k in range(40))
            lines += [f"Статья {n}. Положение {i}-{n}", f"{body} слово{i}x{n}."]
        (root / f"law-{i}.txt").write_text("\n\n".join(lines), encoding="utf-8")
    return root


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def bench_commits(tmp: Path, files: int, articles: int, batches: list[int]) -> None:
    src = make_folder(tmp / "src", files, articles)
    for batch in batches:
        budgets.COMMIT_EVERY_PASSAGES = batch
        ix = tmp / f"ix-{batch}"
        report = None

        def run(ix=ix):
            nonlocal report
            report = writer.index_paths([src], ix, workers=2, progress=False)

        seconds = timed(run)
        commits = -(-report.passages // batch)
        print(f"batch {batch:>7} passages: {report.passages} passages in {seconds:.1f} s "
              f"({report.passages / seconds:.0f}/s, {commits} commits)")
    budgets.COMMIT_EVERY_PASSAGES = max(batches)
    ix = tmp / f"ix-{max(batches)}"
    changed = src / "law-0.txt"
    for mergetype, name in ((writer.merge_deletions, "merge segments with deletions"), (None, "no merge")):
        changed.write_text(changed.read_text(encoding="utf-8") + "\nещё", encoding="utf-8")
        original = writer.merge_deletions
        if mergetype is None:
            writer.merge_deletions = writer.NO_MERGE
        try:
            seconds = timed(lambda: writer.index_paths([src], ix, workers=1, progress=False))
        finally:
            writer.merge_deletions = original
        print(f"one changed file, {name}: {seconds:.2f} s")


def bench_bombs(tmp: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Статья 1")
    buffer = io.BytesIO()
    document.save(buffer)
    source = zipfile.ZipFile(buffer)
    bomb = tmp / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename == "word/document.xml":
                data = data.replace(b"<w:body>", b"<w:body>" + b"<w:p/>" * 50_000_000, 1)  # 300 MB
            out.writestr(info.filename, data)
    md = tmp / "bomb.md"
    md.write_text("**a " * 10_000, encoding="utf-8")  # 40 KB
    for path in (bomb, md):
        def run(path=path):
            try:
                extract(path)
            except ExtractionError as exc:
                print(f"  {path.name}: {exc.reason}")

        print(f"{path.name} ({path.stat().st_size // 1024} KB on disk): {timed(run):.2f} s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=120)
    parser.add_argument("--articles", type=int, default=25)
    parser.add_argument("--batch", type=int, action="append", help="passages per commit (repeatable)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        bench_commits(tmp, args.files, args.articles, sorted(args.batch or [500, 100_000], reverse=True))
        bench_bombs(tmp)


if __name__ == "__main__":
    main()
