"""The real index the web tests run on, built once per test session by the real pipeline.

A handful of real documents (Russian and Kyrgyz law, an ILO convention, the UDHR in Russian and
Kyrgyz, a Kyrgyz code as a 173-page PDF) plus one generated text file whose manifest title,
source and text are HTML, to prove every page escapes what documents say about themselves.
"""

from __future__ import annotations

import atexit
import functools
import shutil
import tempfile
from pathlib import Path

from tests.corpus_files import CORPUS, copy_corpus

WEB_SAMPLE = [
    "ru/115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan.txt",
    "kg/trudovoy-kodeks-kr.txt",
    "int/ilo-c097-migration-for-employment-1949.md",
    "int/udhr-1948-ky.txt",
    "int/udhr-1948-ru.txt",
    "pdf/kg-grazhdanskii-kodeks-ch1.pdf",
]
HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_SOURCE = '<img src=x onerror="alert(2)">'
HOSTILE_TEXT = (
    "Статья 1. <script>alert(3)</script> Права трудового мигранта\n"
    "Трудовой мигрант имеет право на труд и отдых. <b>не жирный</b> & \"кавычки\" =HYPERLINK(\"x\")\n"
)


def write_hostile_document(folder: Path) -> None:
    """A document whose title, source, notes and text are all markup."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "hostile.txt").write_text(HOSTILE_TEXT, encoding="utf-8")
    (folder / "MANIFEST.tsv").write_text(
        "path\ttitle\tcountry\tdoc_type\tlanguage\tdate\tsource\tnotes\n"
        f"hostile.txt\t{HOSTILE_TITLE}\tkg\tlaw\tru\t2020-01-01\t{HOSTILE_SOURCE}\t<b>notes</b>\n",
        encoding="utf-8",
    )


@functools.cache
def web_index_dir() -> Path:
    """Index WEB_SAMPLE and the hostile document into a temporary folder (once per process)."""
    from indexer.writer import index_paths

    root = Path(tempfile.mkdtemp(prefix="migrantlex-web-"))
    atexit.register(shutil.rmtree, root, True)
    corpus = copy_corpus(root / "corpus", WEB_SAMPLE)
    write_hostile_document(corpus / "gen")
    index_dir = root / "index"
    report = index_paths([corpus], index_dir, workers=2, progress=False)
    assert not report.skipped, report.summary()
    return index_dir


def corpus_available() -> bool:
    return all((CORPUS / rel).is_file() for rel in WEB_SAMPLE)
