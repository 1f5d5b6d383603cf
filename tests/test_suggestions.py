"""'Did you mean' that helps (issue 14, item 5): only words that give results, close in spelling
for their length, never a real word's neighbour, an acronym or a number. On a real index of
generated documents whose vocabulary sets each trap."""

from __future__ import annotations

import pytest

from indexer.search import SearchEngine
from indexer.search.suggestions import correctable, keeps_letters, suggest
from indexer.writer import index_paths

DOCS = {
    # `почвозащитные` is one edit pair from `правозащитные`, which the collection lacks
    "soil.txt": "Почвозащитные лесные полосы создаются на землях сельскохозяйственного назначения.",
    # `region` is two edits from `regime`; `icrm` one from `ICRMW`
    "region.txt": "The region of Central Asia. The icrm working group met in the region.",
    # `патента` (in many documents) and `патент` (in one): `патентт` lost a letter of `патент`
    "patent-1.txt": "Выдача патента иностранному гражданину.",
    "patent-2.txt": "Срок действия патента продлевается.",
    "patent-3.txt": "Переоформление патента производится по заявлению.",
    "patent-4.txt": "Патент выдается на срок от одного до двенадцати месяцев.",
    "workers.txt": "Трудовые мигранты и работодатели заключают трудовой договор. Статья 1156 кодекса.",
}


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("suggest")
    docs = root / "docs"
    docs.mkdir()
    for name, text in DOCS.items():
        (docs / name).write_text(text + "\n", encoding="utf-8")
    index_paths([docs], root / "ix", workers=1, progress=False)
    eng = SearchEngine(root / "ix")
    yield eng
    eng.close()


@pytest.fixture(scope="module")
def reader(engine):
    return engine.view().searcher.reader()


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("мигрнты", "мигранты"),  # a letter left out
        ("работадатели", "работодатели"),  # a letter changed
        ("трудовй договор", "трудовой договор"),  # one word of two
        ("патентт", "патент"),  # a letter doubled: its form before the more frequent `патента`
        ("regoin", None),  # two edits in a six-letter word: too far to be sure
        ("regionn", "region"),
        ("ТРУДОВЫЕ РАБОТАДАТЕЛИ", "ТРУДОВЫЕ работодатели"),  # a long word in capitals is a word, not an acronym
    ],
)
def test_a_typo_is_corrected_into_a_word_that_gives_results(engine, reader, typed, meant):
    assert suggest(typed.split(), reader) == meant
    if meant:
        for old, new in zip(typed.split(), meant.split(), strict=True):
            if old != new:  # the word corrected gives nothing, its correction gives results
                assert engine.search(old)["total"] == 0 < engine.search(new)["total"]


@pytest.mark.parametrize(
    "typed",
    [
        "правозащитные",  # a dictionary word the collection lacks: "no results", not `почвозащитные`
        "правозащитных организаций",
        "regime",  # `region` is two edits away in a six-letter word
        "ICRMW",  # an acronym is never `icrm`
        "ЕАЭС",
        "1157",  # a number is never changed (the index has 1156)
        "ст. 1157",
        "мигранты",  # a word the index knows
    ],
)
def test_no_suggestion_that_would_not_help(engine, reader, typed):
    assert suggest(typed.split(), reader) is None
    assert engine.search(typed)["did_you_mean"] is None


def test_the_search_answer_says_no_results_plainly_for_a_real_word(engine):
    res = engine.search("правозащитные")
    assert res["total"] == 0 and res["did_you_mean"] is None


@pytest.mark.parametrize(
    ("word", "ok"),
    [("мигрнты", True), ("ICRMW", False), ("МОМ", False), ("ЕАЭС", False), ("UNHCR", False),
     ("МИГРАНТЫ", True), ("115-ФЗ", False), ("abc", False), ("x" * 41, False), ("Мигрнты", True)],
)
def test_correctable(word, ok):
    assert correctable(word) is ok


@pytest.mark.parametrize(
    ("typed", "form", "kept"),
    [("мигрнтов", "мигрантов", True), ("патентт", "патент", True), ("патентт", "патента", False),
     ("regime", "region", False), ("abc", "abc", False)],
)
def test_keeps_letters(typed, form, kept):
    assert keeps_letters(typed, form) is kept


def test_a_comparison_suggests_once_for_all_its_columns(engine):
    before = len(engine._suggestions)
    answer = engine.compare("работадатели мигрнты")
    assert answer["did_you_mean"] == "работодатели мигранты"
    assert len(engine._suggestions) == before + 1  # one query's words: one search for their neighbours


def test_the_vocabulary_is_saved_per_generation_and_read_back(reader, tmp_path):
    """Did-you-mean's forms in memory: listed from the term tables once per index generation,
    then read from the file beside the index (no reader needed); another generation or a broken
    file lists them again."""
    from indexer.search import vocabulary as vc

    listed = vc.Vocabulary.of(reader)
    assert "патента" in listed and "мигранты" in listed and "=патента" not in listed
    assert set(listed.starting_with("п")) == {f for f in listed._sorted if f.startswith("п")}
    assert vc.load_or_build(tmp_path, "g1", reader)._sorted == listed._sorted
    assert vc.load_or_build(tmp_path, "g1", None)._sorted == listed._sorted  # from the file alone
    with pytest.raises(AttributeError):
        vc.load_or_build(tmp_path, "g2", None)  # another generation: listed again, from a reader
    (tmp_path / vc.CACHE_FILE).write_bytes(b"not gzip")
    assert vc.load_or_build(tmp_path, "g2", reader)._sorted == listed._sorted



def test_the_engine_suggests_from_its_saved_vocabulary(engine):
    from indexer.search.vocabulary import CACHE_FILE

    assert engine.search("работадатели")["did_you_mean"] == "работодатели"
    assert (engine.view().folder / CACHE_FILE).is_file()
