"""A small real index of generated law-like documents, for tests that need no corpus.

Each document is a few `Статья N. heading` provisions whose sentences are drawn (with a fixed
seed) from inflected phrases of migration law, so words recur across passages with different
frequencies, forms and lengths: enough for BM25F's idf and length normalisation to matter.
Indexed by the real pipeline (extraction, structure, analyzers, writer, catalog).

Beside tests/synthetic.py: that corpus is an oracle for set algebra (each word once, plain
headings); this one repeats words, puts them in headings and varies lengths, so the scorer's
arithmetic and the ranking profile's knobs have something to move.
"""

from __future__ import annotations

import random
from pathlib import Path

PHRASES = [
    "трудовой мигрант", "трудовых мигрантов", "трудовому мигранту", "патент", "патента", "патентом",
    "разрешение на работу", "разрешения на работу", "иностранный гражданин", "иностранных граждан",
    "иностранному гражданину", "работодатель", "работодателя", "беженец", "беженцев", "трудовой договор",
    "трудового договора", "миграционный учет", "по месту пребывания", "вид на жительство",
    "выдворение", "депортация", "квота", "в пределах квоты", "медицинское страхование",
    "заработная плата", "налог", "уведомление", "срок действия", "продлевается", "выдается",
    "аннулируется", "в течение трех дней", "орган внутренних дел", "территория", "семья мигранта",
]
HEADINGS = [
    "Права трудового мигранта", "Патент", "Разрешение на работу", "Трудовой договор с иностранцем",
    "Миграционный учет", "Выдворение и депортация", "Квота", "Обязанности работодателя",
]
DOCS = [  # (file, title, country, year)
    ("zakon-1.txt", "Закон о трудовой миграции", "kg", "2006"),
    ("zakon-2.txt", "Закон о правовом положении иностранных граждан", "ru", "2002"),
    ("zakon-3.txt", "Закон о внешней миграции", "kg", "2000"),
    ("kodeks.txt", "Трудовой кодекс", "ru", "2001"),
    ("pravila.txt", "Правила выдачи патентов", "kz", "2015"),
]


def _sentence(rng: random.Random) -> str:
    words = [rng.choice(PHRASES) for _ in range(rng.randint(3, 9))]
    return " ".join(words).capitalize() + "."


def write_documents(folder: Path, seed: int = 11) -> Path:
    """Write DOCS (5-7 provisions each) and their MANIFEST.tsv into `folder`."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    rows = ["path\ttitle\tcountry\tdoc_type\tlanguage\tdate\tsource\tnotes"]
    for name, title, country, year in DOCS:
        articles = []
        for number in range(1, rng.randint(5, 7) + 1):
            heading = rng.choice(HEADINGS)
            body = " ".join(_sentence(rng) for _ in range(rng.randint(2, 6)))
            articles.append(f"Статья {number}. {heading}\n{body}\n")
        (folder / name).write_text(f"{title}\n\n" + "\n".join(articles), encoding="utf-8")
        rows.append(f"{name}\t{title}\t{country}\tlaw\tru\t{year}\tgenerated\t")
    (folder / "MANIFEST.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    return folder


def build_index(tmp: Path) -> Path:
    """The generated documents indexed into `tmp/ix` by the real pipeline."""
    from indexer.writer import index_paths

    source = write_documents(tmp / "docs")
    index_dir = tmp / "ix"
    report = index_paths([source], index_dir, workers=1, progress=False)
    assert not report.skipped, report.summary()
    return index_dir
