"""The thesaurus as data (corpus/thesaurus.toml): its structure, and query words matched to
concepts by lemma in Russian, English, Kyrgyz and Kazakh. No corpus needed."""

from __future__ import annotations

import pytest

from indexer.thesaurus import JURISDICTIONS, LANGUAGES, ThesaurusError, default, load

GOOD = """
[[group]]
id = "persons"
ru = "Лица"
en = "Persons"

[[concept]]
id = "migrant"
group = "persons"
ru = ["мигрант"]
en = ["migrant"]

[[concept]]
id = "labour-migrant"
group = "persons"
broader = ["migrant"]
related = ["migrant"]
ru = ["трудовой мигрант", "трудящийся-мигрант"]
en = ["migrant worker"]
terms = [{ country = "kg", term = "трудящийся-мигрант", act = "kg/kodeks.txt" }]
"""


def write(tmp_path, text: str):
    path = tmp_path / "thesaurus.toml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def thesaurus():
    return default()


def test_the_project_thesaurus_covers_the_field(thesaurus):
    assert len(thesaurus) >= 150
    groups = {c.group for c in thesaurus.concepts.values()}
    assert groups == set(thesaurus.groups), "every group has concepts, every concept a known group"
    for cid in ("labour-migrant", "work-patent", "residence-permit", "temporary-residence-permit",
                "migration-registration", "quota", "highly-qualified-specialist", "deportation",
                "expulsion", "readmission", "special-institution", "entry-ban", "fictitious-registration",
                "organising-illegal-migration", "human-trafficking", "forced-labour", "migrant-smuggling",
                "private-employment-agency", "domestic-worker", "discrimination", "refugee", "asylum",
                "family-reunification", "citizenship", "remittances", "pension", "health-care",
                "migrant-education", "return", "reintegration", "diaspora", "migration-authority",
                "labour-ministry"):
        assert cid in thesaurus.concepts, cid


def test_every_concept_is_labelled_in_russian_and_english_and_most_in_kyrgyz_and_kazakh(thesaurus):
    concepts = thesaurus.concepts.values()
    assert all(c.pref("ru") and c.pref("en") for c in concepts)
    assert sum(bool(c.pref("ky")) for c in concepts) >= 120
    assert sum(bool(c.pref("kk")) for c in concepts) >= 120
    for group in thesaurus.groups.values():
        assert set(group) == set(LANGUAGES)


def test_relations_are_consistent(thesaurus):
    for c in thesaurus.concepts.values():
        for b in c.broader:
            assert c.id in thesaurus[b].narrower
        for n in c.narrower:
            assert c.id in thesaurus[n].broader
        for r in c.related:
            assert c.id in thesaurus[r].related
    assert "frontier-worker" in thesaurus["labour-migrant"].narrower
    assert "migrant" in thesaurus.ancestors("frontier-worker")


def test_jurisdiction_terms_name_a_corpus_act_of_their_own_country(thesaurus):
    terms = [t for c in thesaurus.concepts.values() for t in c.terms]
    assert len(terms) >= 200
    assert {t.country for t in terms} == set(JURISDICTIONS)
    for t in terms:
        assert t.act.split("/")[0] == t.country, t
        assert t.act.endswith((".txt", ".md")), t
    issue = {(t.country, t.term, t.doc_id) for t in thesaurus["labour-migrant"].terms}
    assert ("ru", "иностранный гражданин, осуществляющий трудовую деятельность",
            "ru-115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan") in issue
    assert ("kz", "трудовой иммигрант", "kz-zakon-o-migratsii-naseleniya-rk") in issue
    assert ("int", "migrant for employment", "int-ilo-c097-migration-for-employment-1949") in issue


def test_labels_of_a_concept_span_languages_and_jurisdictions(thesaurus):
    labels = thesaurus.labels("labour-migrant")
    assert labels[0] == "трудовой мигрант"
    for label in ("migrant worker", "эмгек мигранты", "еңбек мигранты", "трудовой иммигрант",
                  "иностранный гражданин, осуществляющий трудовую деятельность"):
        assert label in labels
    assert len(labels) == len(set(labels))


@pytest.mark.parametrize(
    ("query", "concept"),
    [
        ("мигрантов", "migrant"),
        ("трудовых мигрантов", "labour-migrant"),
        ("трудящимися-мигрантами", "labour-migrant"),
        ("права трудящихся мигрантов", "labour-migrant"),
        ("migrant workers", "labour-migrant"),
        ("rights of migrant workers", "labour-migrant"),
        ("эмгек мигранттарынын укуктары", "labour-migrant"),
        ("еңбек мигранттары", "labour-migrant"),
        ("видом на жительство", "residence-permit"),
        ("residence permits", "residence-permit"),
        ("разрешения на временное проживание", "temporary-residence-permit"),
        ("патента", "work-patent"),
        ("депортации иностранцев", "deportation"),
        ("deportations", "deportation"),
        ("административного выдворения", "expulsion"),
        ("expelled", "expulsion"),
        ("торговлей людьми", "human-trafficking"),
        ("trafficking in persons", "human-trafficking"),
        ("адам сатуу", "human-trafficking"),
        ("качкындар", "refugee"),
        ("адам укуктарынын", "human-rights"),
        ("домашних работников", "domestic-worker"),
        ("частными агентствами занятости", "private-employment-agency"),
        ("воссоединения семьи", "family-reunification"),
        ("фиктивную постановку на учет", "fictitious-registration"),
    ],
)
def test_inflected_query_words_find_their_concept(thesaurus, query, concept):
    assert concept in [m.concept.id for m in thesaurus.match(query)]


def test_the_longest_label_wins_and_unrelated_words_name_nothing(thesaurus):
    found = [m.concept.id for m in thesaurus.match("трудовых мигрантов")]
    assert found == ["labour-migrant"], "the plain migrant is inside the longer match"
    both = thesaurus.match("патент иностранного гражданина")
    assert [(m.concept.id, m.start, m.end) for m in both] == [("work-patent", 0, 1), ("foreign-national", 1, 3)]
    assert thesaurus.match("прогноз погоды на завтра") == []
    assert thesaurus.match("") == []


def test_a_small_good_file_loads_with_derived_relations(tmp_path):
    th = load(write(tmp_path, GOOD))
    assert th["migrant"].narrower == ("labour-migrant",)
    assert th["migrant"].related == ("labour-migrant",)
    assert th["labour-migrant"].pref("ru") == "трудовой мигрант"
    assert th["labour-migrant"].alt("ru") == ("трудящийся-мигрант",)
    assert th["labour-migrant"].terms[0].doc_id == "kg-kodeks"


def test_hidden_labels_name_their_concept_but_are_never_searched(tmp_path):
    from indexer.thesaurus import label_texts

    text = GOOD.replace('en = ["migrant worker"]', 'en = ["migrant worker"]\nhidden = { en = ["guest worker"], ru = ["гастарбайтер"] }')
    th = load(write(tmp_path, text))
    assert [m.concept.id for m in th.match("rights of guest workers")] == ["labour-migrant"]
    assert [m.label for m in th.match("гастарбайтеры")] == ["гастарбайтер"]
    assert "guest worker" not in th["labour-migrant"].all_labels()  # what a search adds, a document is tagged by
    assert "guest worker" in label_texts(th)  # analysed once, kept in the concepts cache with the others


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.replace('id = "labour-migrant"', 'id = "migrant"'), "duplicate id"),
        (lambda s: s.replace('broader = ["migrant"]', 'broader = ["migrnat"]'), "broader 'migrnat' is no concept"),
        (lambda s: s.replace('related = ["migrant"]', 'related = ["nobody"]'), "related 'nobody' is no concept"),
        (lambda s: s.replace('en = ["migrant"]\n', ""), "migrant: no en label"),
        (lambda s: s.replace('ru = ["мигрант"]', 'ru = [""]'), "empty or non-text ru label"),
        (lambda s: s.replace('group = "persons"\nbroader', 'group = "people"\nbroader'), "unknown group 'people'"),
        (lambda s: s.replace('ru = ["мигрант"]', 'ru = ["мигрант"]\nbroader = ["labour-migrant"]'), "a cycle in broader"),
        (lambda s: s.replace('ru = ["мигрант"]', 'ru = ["мигрант"]\nnarrower = ["labour-migrant", "x"]'), "narrower 'x' is no concept"),
        (lambda s: s.replace('ru = ["мигрант"]', 'ru = ["мигрант"]\nbroadr = []'), "unknown keys ['broadr']"),
        (lambda s: s.replace('country = "kg"', 'country = "xx"'), "unknown jurisdiction 'xx'"),
        (lambda s: s.replace(', act = "kg/kodeks.txt"', ""), "a term needs exactly country, term and act"),
        (lambda s: s.replace('id = "migrant"', 'id = "Migrant One"'), "lowercase letters, digits and hyphens"),
        (lambda s: s + "\n[[concept\n", "thesaurus.toml"),
        (lambda s: s.replace('en = ["migrant"]\n', 'en = ["migrant"]\nhidden = ["newcomer"]\n'), "hidden is a table of labels by language"),
        (lambda s: s.replace('en = ["migrant"]\n', 'en = ["migrant"]\nhidden = { xx = ["newcomer"] }\n'), "hidden labels in unknown languages ['xx']"),
        (lambda s: s.replace('en = ["migrant"]\n', 'en = ["migrant"]\nhidden = { en = [""] }\n'), "empty or non-text en label"),
    ],
)
def test_a_broken_file_is_refused_with_its_problem_named(tmp_path, change, message):
    with pytest.raises(ThesaurusError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load(write(tmp_path, change(GOOD)))


def test_narrower_written_by_hand_must_match_broader(tmp_path):
    text = GOOD.replace('en = ["migrant"]', 'en = ["migrant"]\nnarrower = ["labour-migrant"]')
    assert load(write(tmp_path, text))["migrant"].narrower == ("labour-migrant",)
    stray = GOOD.replace('broader = ["migrant"]\n', "").replace(
        'en = ["migrant"]', 'en = ["migrant"]\nnarrower = ["labour-migrant"]'
    )
    with pytest.raises(ThesaurusError, match="do not name it as broader"):
        load(write(tmp_path, stray))


def test_a_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(ThesaurusError, match="nothing.toml"):
        load(tmp_path / "nothing.toml")
