"""Concept search on a small generated index: expansion, its tier, the facet, the prior, compare.

The corpus is written here: a Russian migration law that never says "migrant worker" but uses
the thesaurus's Russian terms, a Russian civil code with invention patents, a Kazakh law and an
English convention. What each test expects follows from those texts and corpus/thesaurus.toml.
"""

from __future__ import annotations

import dataclasses

import pytest

from indexer import thesaurus
from indexer.search import Filters, SearchEngine
from indexer.search.ranking import DEFAULT_PROFILE
from indexer.settings import FEW_DOCUMENTS
from indexer.writer import index_paths

MIGRATION_LAW = """Федеральный закон о правовом положении иностранных граждан

Статья 1. Патент
Иностранный гражданин, осуществляющий трудовую деятельность, получает патент.

Статья 2. Вид на жительство
Иностранный гражданин вправе получить вид на жительство.

Статья 3. Иностранный работник
Иностранный работник заключает трудовой договор с работодателем. Иностранный гражданин уведомляет.

Статья 4. Депортация
Иностранный гражданин подлежит депортации в случаях, предусмотренных законом.
"""

CIVIL_CODE = """Гражданский кодекс

Статья 1. Патент на изобретение
Патент удостоверяет приоритет изобретения и авторство. Патент патент патент.

Статья 2. Сделки
Сделки совершаются устно или письменно.

Статья 3. Договор
Договор считается заключённым.

Статья 4. Собственность
Собственник владеет имуществом.
"""

KZ_LAW = """Закон о миграции населения

Статья 1. Трудовой иммигрант
Трудовой иммигрант получает разрешение трудовому иммигранту.

Статья 2. Иммигранты
Иммигранты регистрируются.
"""

CONVENTION = """Convention concerning Migrant Workers

Article 1
Each Member undertakes to treat migrant workers without discrimination.

Article 2
Migrant workers shall enjoy equality of treatment with nationals.

Article 3
The residence permit of a migrant worker shall not be withdrawn.
"""


@pytest.fixture(scope="module")
def engine(tmp_path_factory):
    root = tmp_path_factory.mktemp("concepts")
    files = {"ru/migration-law.txt": MIGRATION_LAW, "ru/civil-code.txt": CIVIL_CODE,
             "kz/kz-migration-law.txt": KZ_LAW, "int/migrant-workers-convention.txt": CONVENTION}
    for rel, text in files.items():
        path = root / "corpus" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    report = index_paths([root / "corpus"], root / "ix", workers=1, progress=False)
    assert len(report.indexed) == len(files), report.summary()
    eng = SearchEngine(root / "ix")
    yield eng
    eng.close()


def doc_ids(res: dict) -> list[str]:
    return [r["doc_id"] for r in res["results"]]


def by_id(res: dict, part: str) -> dict:
    return next(r for r in res["results"] if part in r["doc_id"])


def test_an_english_concept_reaches_the_russian_law_below_the_english_words(engine):
    plain = engine.search("migrant worker", concepts=False)
    res = engine.search("migrant worker")
    assert not any("migration-law" in d for d in doc_ids(plain))
    assert set(doc_ids(res)[: len(doc_ids(plain))]) == set(doc_ids(plain))  # the words typed rank first
    assert any(d.endswith("ru-migration-law") for d in doc_ids(res))
    assert by_id(res, "ru-migration-law")["match"] == "concept"
    assert by_id(res, "convention")["match"] == "all"
    expansion = next(e for e in res["expansions"] if e["concept"] == "labour-migrant")
    assert "иностранный работник" in expansion["terms"]


def test_an_inflected_russian_query_reaches_the_convention_and_the_kazakh_term(engine):
    res = engine.search("трудовых мигрантов")
    assert {"int", "kz", "ru"} <= {r["country"] for r in res["results"]}
    assert [e["concept"] for e in res["expansions"]] == ["labour-migrant"]


def test_no_concepts_searches_only_the_words_typed(engine):
    res = engine.search("deportation", concepts=False)
    assert res["expansions"] == [] and res["total"] == 0
    assert engine.search("deportation")["total"] >= 1


def test_the_domain_prior_puts_the_migration_law_before_the_civil_code(engine):
    res = engine.search("патент")
    ids = doc_ids(res)
    assert ids.index(next(d for d in ids if "migration-law" in d)) < ids.index(next(d for d in ids if "civil" in d))


def test_documents_carry_their_concepts_as_a_filterable_facet(engine):
    res = engine.search("статья OR article", limit=10)
    concepts = {f["value"] for f in res["facets"]["concept"]}
    assert {"labour-migrant", "foreign-national"} <= concepts
    assert "work-patent" not in concepts  # one passage of four names it: not enough to treat it
    filtered = engine.search("статья OR article", filters=Filters(concept=["labour-migrant"]))
    assert filtered["total"] >= 2
    assert all("civil" not in d for d in doc_ids(filtered))


def test_compare_gives_every_country_a_column_international_last(engine):
    res = engine.compare("трудовой мигрант", per_country=3)
    assert [c["country"] for c in res["columns"]] == ["kz", "ru", "int"]
    assert all(c["total"] >= 1 for c in res["columns"])


def test_an_empty_column_suggests_nearby_concepts(engine):
    res = engine.compare("иммигранты", countries=["int", "kz"])
    empty = next(c for c in res["columns"] if c["country"] == "int")
    assert empty["total"] == 0 and "try_concepts" in empty


def test_the_concept_view_gives_each_country_its_own_term(engine):
    view = engine.concept("labour-migrant")
    ru = next(c for c in view["columns"] if c["country"] == "ru")
    assert any(t["term"] == "иностранный работник" for t in ru["terms"])
    assert ru["results"] and ru["results"][0]["passages"][0]["citation"]
    assert engine.concept("no-such-concept") is None


def test_few_results_go_on_with_partial_matches_marked(engine):
    res = engine.search("иностранный работодатель изобретение", limit=5)
    assert res["results"] and {r["match"] for r in res["results"]} <= {"all", "partial", "concept"}
    assert any(r["match"] == "partial" for r in res["results"])


def test_concepts_that_cover_every_word_go_before_some_of_the_words(engine):
    """`residence permit of foreign nationals`: no passage holds every English word (the
    convention has "residence permit" in one article and "nationals" in another), while the
    Russian law's article 2 names both concepts (вид на жительство, иностранный гражданин):
    it answers the whole query, so it comes first; with the knob off, the partial English
    matches stay above it (what the rule changes)."""
    query = "residence permit of foreign nationals"
    res = engine.search(query)
    assert doc_ids(res)[0].endswith("ru-migration-law") and res["results"][0]["match"] == "concept"
    assert res["results"][0]["passages"][0]["label"] == "Статья 2"
    assert any("convention" in d for d in doc_ids(res))  # the English words' document stays, below
    words_first = SearchEngine(engine.index_dir, dataclasses.replace(DEFAULT_PROFILE, concepts_before_partial=False))
    assert "convention" in doc_ids(words_first.search(query))[0]


def test_every_concept_label_is_matched_back_to_its_concept():
    th = thesaurus.default()
    for cid in ("labour-migrant", "work-patent", "deportation", "residence-permit"):
        for label in th[cid].labels["en"][:1] + th[cid].labels["ru"][:1]:
            assert cid in [m.concept.id for m in th.match(label)], (cid, label)


@pytest.fixture(scope="module")
def client(engine):
    from search_web import create_app

    return create_app(engine=engine).test_client()


def test_the_search_page_says_what_was_also_searched_and_links_to_the_words_only(client):
    page = client.get("/?q=migrant+worker&ui=en").get_data(as_text=True)
    assert "Also searched:" in page and "иностранный работник" in page
    assert "concepts=0" in page and "by concept" in page
    api = client.get("/api/search?q=migrant+worker&concepts=0").get_json()
    assert api["expansions"] == [] and all(r["match"] == "all" for r in api["results"])


def test_the_concept_view_is_a_page_its_json_twin_and_csv(client):
    assert "иностранный работник" in client.get("/concepts/labour-migrant?ui=en").get_data(as_text=True)
    twin = client.get("/api/concepts/labour-migrant?country=ru").get_json()
    assert [c["country"] for c in twin["columns"]] == ["ru"]
    csv = client.get("/concepts/labour-migrant.csv").get_data(as_text=True)
    assert csv.splitlines()[0].lstrip("\ufeff").startswith("concept,country,terms")
    assert client.get("/concepts/no-such-concept").status_code == 404
    assert client.get("/api/concepts/..%2Fetc").status_code == 404


def test_the_compare_page_shows_an_empty_column_with_concepts_to_try(client):
    page = client.get("/compare?q=иммигранты&country=int&country=kz&ui=en").get_data(as_text=True)
    assert "Nothing found." in page
    res = client.get("/api/compare?q=иммигранты&country=int&country=kz").get_json()
    assert [c["country"] for c in res["columns"]] == ["int", "kz"]


def test_a_lay_phrase_names_its_concept_through_a_hidden_label(engine):
    """`sent back to my country` is a hidden label of deportation: the query names the concept,
    whose labels and terms are searched (the Russian law's article on депортация), while the lay
    words themselves are neither searched nor shown as added terms."""
    assert engine.search("sent back to my country", concepts=False)["total"] == 0
    res = engine.search("sent back to my country")
    expansion = next(e for e in res["expansions"] if e["concept"] == "deportation")
    assert expansion["typed"] == "sent back to my country" and "sent back to my country" not in expansion["terms"]
    law = by_id(res, "ru-migration-law")
    assert law["match"] == "concept" and law["passages"][0]["label"] == "Статья 4"


def test_concepts_on_overlapping_words_are_alternatives_others_all_required(engine):
    """`money for a job abroad` reads as recruitment fees and as work abroad, on the shared word
    `job`: either concept will do (one Or). Concepts on separate words are all required (And),
    each also by the words typed for it, which may meet the other's terms in a passage."""
    from whoosh import query as wq

    from indexer.search.concepts import expand

    overlapping = expand(engine.plan("money for a job abroad").tree, DEFAULT_PROFILE)
    assert {e.concept for e in overlapping.expansions} == {"recruitment-fees", "employment-of-citizens-abroad"}
    assert isinstance(overlapping.query, wq.Or)
    separate = expand(engine.plan("employer keeps my passport").tree, DEFAULT_PROFILE)
    assert [e.concept for e in separate.expansions] == ["employer-of-foreigners", "document-retention"]
    assert isinstance(separate.query, wq.And) and len(separate.query.subqueries) == 2
    typed = {t.text for part in separate.query.subqueries for t in part.leaves() if isinstance(t, wq.Term)}
    assert {"employ", "keep", "passport"} <= typed


CITED_CODE = """Уголовно-исполнительный кодекс

Статья 1. Порядок обращения в учреждения
Трудящийся-мигрант, прибывший в учреждение по направлению органа, указанного в порядке, установленном
законодательством, при наличии документов, подтверждающих личность и основание пребывания, и по
предъявлении справки о постановке на учет, имеет право на медицинскую помощь в порядке очереди.

Статья 2. Права человека и охрана здоровья
Права человека и охрана здоровья осужденных: права человека, охрана здоровья.

""" + "\n".join(
    f"Статья {n}. Порядок {n}\nПорядок применяется с учетом статьи 2 настоящего Кодекса.\n" for n in range(3, 12)
)


def test_a_much_cited_provision_moves_within_its_tier_never_above_every_word_typed(tmp_path):
    """The lift of much-cited provisions (and a repealed act's factor) is applied before the
    tiers are made: article 2, cited by nine others, names the query's concepts only (human
    rights, health care) and stays below article 1, which has every word typed."""
    folder = tmp_path / "corpus"
    folder.mkdir()
    (folder / "uik.txt").write_text(CITED_CODE, encoding="utf-8")
    index_paths([folder], tmp_path / "ix", workers=1, progress=False)
    engine = SearchEngine(tmp_path / "ix")
    try:
        view = engine.view()
        lift = view.standing(cited=True)
        cited = next(int(d) for d in range(view.searcher.doc_count_all()) if view.searcher.stored_fields(d).get("label") == "Статья 2")
        assert lift is not None and lift[cited] == lift.max() > 1.5  # the most cited: the largest lift
        res = engine.search("право мигранта на медицинскую помощь")
        assert [p["label"] for p in res["results"][0]["passages"]][:2] == ["Статья 1", "Статья 2"]
    finally:
        engine.close()


def test_a_country_whose_law_words_it_otherwise_gets_its_partial_matches_in_a_comparison(tmp_path):
    """Ten Russian acts have every word; Kyrgyzstan's code says it without one of them. The
    search as a whole has enough answers (FEW_DOCUMENTS), so it shows no partial matches; the
    comparison's Kyrgyz column, with no answer of its own, shows the code's article, marked
    partial, and the Russian column none (it has answers)."""
    folder = tmp_path / "corpus"
    for n in range(FEW_DOCUMENTS):
        path = folder / "ru" / f"law-{n}.txt"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Закон {n}\n\nСтатья 1. Ответственность\nОтветственность за незаконное осуществление "
                        f"трудовой деятельности иностранным гражданином наступает по закону {n}.\n\nСтатья 2. "
                        "Штраф\nШтраф налагается в порядке, установленном законом.\n", encoding="utf-8")
    kg = folder / "kg" / "kodeks.txt"
    kg.parent.mkdir(parents=True)
    kg.write_text("Кодекс о правонарушениях\n\nСтатья 431. Нарушение правил трудовой деятельности\nНезаконное "
                  "осуществление трудовой деятельности иностранным гражданином влечет штраф.\n\nСтатья 432. Нарушение "
                  "правил въезда\nНарушение правил въезда влечет штраф.\n", encoding="utf-8")
    rows = ["path\ttitle\tcountry\tdoc_type\tlanguage\tdate"]
    rows += [f"ru/law-{n}.txt\tЗакон {n}\tru\tlaw\tru\t{2000 + n}-01-01" for n in range(FEW_DOCUMENTS)]
    rows.append("kg/kodeks.txt\tКодекс о правонарушениях\tkg\tcode\tru\t2021-10-28")
    (folder / "MANIFEST.tsv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    index_paths([folder], tmp_path / "ix", workers=1, progress=False)
    engine = SearchEngine(tmp_path / "ix")
    try:
        q = "ответственность за незаконное осуществление трудовой деятельности иностранным гражданином"
        assert sorted(doc_ids(engine.search(q, limit=20))) == [f"ru-law-{n}" for n in range(FEW_DOCUMENTS)]
        columns = {c["country"]: c for c in engine.compare(q)["columns"]}
        assert [(r["doc_id"], r["match"]) for r in columns["kg"]["results"]] == [("kg-kodeks", "partial")]
        assert columns["kg"]["results"][0]["passages"][0]["label"] == "Статья 431"
        assert {r["match"] for r in columns["ru"]["results"]} == {"all"} and columns["ru"]["total"] == FEW_DOCUMENTS
    finally:
        engine.close()
