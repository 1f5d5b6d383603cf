"""Small text files reach the workers in groups (writer.process_files) and come back as if each
had been read alone: same passages, same entities, errors kept to their own file."""

from __future__ import annotations

from pathlib import Path

from indexer import writer
from indexer.catalog import Catalog
from indexer.writer import _groups, _Job, index_paths, process_file, process_files

SENTENCES = [
    "Директор Родджер Уилсон встретился с представителями ОсОО «Ала-Тоо Консалтинг» в Оше.",
    "МОМ и Министерство труда Кыргызской Республики подписали меморандум в Бишкеке.",
    "Алексей Петрович Смирнов, глава фонда «Ресурс», приехал в Москву из Душанбе.",
    "The IOM office in Osh opened in 2019 with the support of the European Union.",
]


def make_files(folder: Path, n: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(n):
        path = folder / f"note-{i:02d}.txt"
        path.write_text(f"{SENTENCES[i % len(SENTENCES)]} Запись номер {i}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def job(path: Path) -> _Job:
    return _Job(path, path.parent, {}, "", path.stat().st_size, 0, "", doc_id=path.stem)


def test_small_text_files_are_grouped_in_order_and_others_go_alone(tmp_path):
    texts = make_files(tmp_path, writer.GROUP_FILES + 3)
    big = tmp_path / "big.txt"
    big.write_text("слово " * (writer.GROUP_FILE_BYTES // 6 + 10), encoding="utf-8")
    pdf = tmp_path / "a.pdf"
    pdf.write_bytes(b"%PDF-1.4\n")
    jobs = [job(p) for p in [*texts[:2], big, *texts[2:], pdf, texts[0]]]
    groups = _groups(jobs)
    assert [j for g in groups for j in g] == jobs
    assert [len(g) for g in groups] == [2, 1, writer.GROUP_FILES, 1, 1, 1]


def test_a_group_gives_what_each_file_gives_alone(tmp_path):
    paths = make_files(tmp_path, 6)
    missing = tmp_path / "gone.txt"
    jobs = [job(p) for p in paths[:3]] + [_Job(missing, tmp_path, {}, "", 0, 0, "", doc_id="gone")] + [job(p) for p in paths[3:]]
    grouped = process_files(jobs)
    alone = [process_file(j) for j in jobs]
    assert grouped[3].error and grouped[3].error == alone[3].error
    for g, a in zip(grouped, alone, strict=True):
        assert (g.passages, g.passage_entities, g.entities, g.error) == (a.passages, a.passage_entities, a.entities, a.error)
    assert any(g.passage_entities and g.passage_entities[0] for g in grouped)


def test_a_folder_of_small_files_indexes_every_file_with_its_entities(tmp_path):
    folder = tmp_path / "notes"
    paths = make_files(folder, 2 * writer.GROUP_FILES + 1)
    report = index_paths([folder], tmp_path / "index", workers=2, progress=False)
    assert sorted(report.indexed) == sorted(str(p) for p in paths)
    catalog = Catalog(tmp_path / "index")
    try:
        indexed: dict[str, set[str]] = {}
        for doc_id, named in catalog.entities():
            indexed.setdefault(doc_id, set()).add(named.entity_id)
    finally:
        catalog.close()
    alone = [{e.entity_id for e in process_file(job(p)).entities} for p in paths]
    assert all(alone)
    assert sorted(map(sorted, indexed.values())) == sorted(map(sorted, alone))
