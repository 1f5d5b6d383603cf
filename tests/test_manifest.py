"""MANIFEST.tsv: what the crawler writes is what the indexer reads, whatever the cells hold."""

from __future__ import annotations

from indexer.manifest import (
    ACT_FIELDS,
    COLUMNS,
    FIELDS,
    MANIFEST_NAME,
    format_manifest,
    read_manifest,
    read_manifest_file,
)

ROWS = [
    {"path": "ru/115-fz.txt", "title": "О правовом положении иностранных граждан", "country": "ru",
     "doc_type": "law", "language": "ru", "date": "2002-07-25", "source": "http://pravo.gov.ru/115",
     "notes": "№ 115-ФЗ; \"consolidated\" 'edition'", "fetched_at": "2026-11-23T12:00:00Z"},
    {"path": "kg/мыйзам 61.pdf", "title": "Тышкы миграция жөнүндө", "country": "kg",
     "doc_type": "law", "language": "ky", "date": "", "source": "", "notes": "", "fetched_at": ""},
]  # fmt: skip
READ = FIELDS + ACT_FIELDS  # what a row reads as: the optional act columns are empty when absent


def _write(folder, rows, columns=COLUMNS):
    (folder / MANIFEST_NAME).write_text(format_manifest(rows, columns), encoding="utf-8")


def test_round_trip(tmp_path):
    _write(tmp_path, ROWS)
    read = read_manifest(tmp_path)
    assert read == {row["path"]: {k: row.get(k, "") for k in READ} for row in ROWS}


def test_tabs_and_line_breaks_in_values_keep_the_row_whole(tmp_path):
    messy = {**ROWS[0], "title": "Закон\tо миграции\r\n(редакция\n2024)", "notes": " a\t\tb \n"}
    _write(tmp_path, [messy, ROWS[1]])
    lines = (tmp_path / MANIFEST_NAME).read_text(encoding="utf-8").splitlines()
    assert len(lines) == 3 and all(line.count("\t") == len(COLUMNS) - 1 for line in lines)
    read = read_manifest(tmp_path)
    assert read[messy["path"]]["title"] == "Закон о миграции (редакция 2024)"
    assert read[messy["path"]]["notes"] == "a b"
    assert read[messy["path"]]["country"] == "ru"
    assert read[ROWS[1]["path"]] == {k: ROWS[1].get(k, "") for k in READ}


def test_hand_written_manifest_with_fewer_or_other_columns(tmp_path):
    text = "\ufeffpath\ttitle\tremark\n law.txt \t Закон \tignored\n\t no path\tx\n"
    (tmp_path / MANIFEST_NAME).write_text(text, encoding="utf-8")
    read = read_manifest(tmp_path)
    assert list(read) == ["law.txt"]
    assert read["law.txt"] == {k: ("Закон" if k == "title" else "") for k in READ}


def test_optional_act_columns_are_read(tmp_path):
    text = "path\ttitle\tnumber\tstatus\tedition\nwk.txt\tВодный кодекс\t167-ФЗ\trepealed\t2005-12-31\n"
    (tmp_path / MANIFEST_NAME).write_text(text, encoding="utf-8")
    row = read_manifest(tmp_path)["wk.txt"]
    assert (row["number"], row["status"], row["edition"]) == ("167-ФЗ", "repealed", "2005-12-31")


def test_missing_manifest_reads_as_empty(tmp_path):
    assert read_manifest(tmp_path) == {}
    assert read_manifest_file(tmp_path / "nope.tsv") == {}


def test_indexer_fields_come_first_in_what_the_crawler_writes():
    assert COLUMNS[0] == "path" and set(FIELDS) <= set(COLUMNS)
