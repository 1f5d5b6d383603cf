"""Named entities (indexer.entities) on generated sentences: gazetteer, rules, ids, offsets, odd input.

The NER model is not used here (use_model=False) except in the one test marked for it, on a short
text: the unit tier stays fast and runs where the model is not installed.
"""

from __future__ import annotations

import pytest

from indexer.entities import Mention, entity_record, find_entities, model_policy
from indexer.entities import gazetteer as gazetteer_module
from indexer.entities.names import name_key, nominative, slug, strip_legal_form
from indexer.entities.russian_ner import available


def found(text: str, language: str, **kw) -> list[tuple[str, str, str]]:
    return [(m.kind, m.entity_id, text[m.start : m.end]) for m in find_entities(text, language, use_model=False, **kw)]


def ids(text: str, language: str) -> set[str]:
    return {m.entity_id for m in find_entities(text, language, use_model=False)}


def test_the_gazetteer_loads_and_its_ids_are_kind_and_slug():
    gaz = gazetteer_module.default()
    assert len(gaz) > 50
    iom = entity_record("org:iom")
    assert iom is not None and iom.kind == "org"
    assert iom.name("ru") == "Международная организация по миграции"
    assert iom.name("ky") == "Международная организация по миграции"  # no Kyrgyz name: Russian
    assert iom.name("de") == "International Organization for Migration"
    assert {"IOM", "МОМ"} <= set(iom.aliases)
    assert entity_record("org:no-such-thing") is None
    assert entity_record(None) is None  # type: ignore[arg-type]


def test_english_and_russian_names_meet_only_through_the_gazetteer():
    en = "The International Organization for Migration (IOM) opened an office. IOM said so."
    ru = "Международная организация по миграции (МОМ) открыла офис. МОМ сообщила об этом."
    assert ids(en, "en") == ids(ru, "ru") == {"org:iom"}
    # an organisation the gazetteer does not know keeps its English and Russian names apart
    en_new = "The Bright Future Foundation (BFF) met the press."
    ru_new = "Общественный фонд «Светлое будущее» встретился с прессой."
    assert ids(en_new, "en").isdisjoint(ids(ru_new, "ru"))


@pytest.mark.parametrize(
    "text",
    [
        "Доклад подготовил Институт политики развития в 2020 году.",
        "По данным Института политики развития, число мигрантов выросло.",
        'Партнёром выступил ОФ "Институт политики развития".',
        "Партнёром выступил ОФ «Институт политики развития».",
        "Совместно с Общественным фондом «Институт политики развития» прошла встреча.",
    ],
)
def test_variants_of_one_russian_name_are_one_entity(text):
    orgs = [m for m in find_entities(text, "ru", use_model=False) if m.kind == "org"]
    assert [(m.entity_id, m.name) for m in orgs] == [("org:institut-politika-razvitie", "Институт политики развития")], orgs


def test_acronyms_defined_in_parentheses_name_the_same_entity_later():
    text = "The Bright Future Foundation (BFF) and its partners met. Later BFF published a report."
    got = found(text, "en")
    bff = [g for g in got if g[2] in ("Bright Future Foundation", "BFF")]
    assert len(bff) == 3 and len({g[1] for g in bff}) == 1, got
    assert bff[0][1] == "org:bright-future-foundation"
    ru = "Тянь-Шаньский аналитический центр (ТАЦ) провёл конференцию; ТАЦ подготовил доклад."
    assert {g[1] for g in found(ru, "ru") if g[0] == "org"} == {"org:tspc"}


def test_an_acronym_is_not_guessed_from_words_that_do_not_spell_it():
    text = "The weather was good (OK) and the Ministry of Culture (MC) agreed."
    got = found(text, "en")
    assert ("org", "org:ministry-of-culture", "Ministry of Culture") in got
    assert not any(g[2] in ("OK", "weather was good") for g in got)


def test_offsets_point_at_the_surface_in_the_text_given():
    text = "  \n«Ресурсный центр для пожилых» (РЦП), МОТ и Министерством финансов Российской Федерации — в Бишкеке."
    for m in find_entities(text, "ru", use_model=False):
        assert 0 <= m.start < m.end <= len(text)
        assert text[m.start : m.end].strip() == text[m.start : m.end] and text[m.start : m.end]
    surfaces = {text[m.start : m.end]: m.entity_id for m in find_entities(text, "ru", use_model=False)}
    assert surfaces["МОТ"] == "org:ilo"
    assert surfaces["Министерством финансов Российской Федерации"] == "org:ru-minfin"
    assert surfaces["Бишкеке"] == "place:bishkek"
    assert surfaces["РЦП"] == "org:rce"


def test_mentions_of_one_kind_never_overlap_and_others_only_nest():
    text = "Правительство Российской Федерации и Charter of the United Nations, Trade Union of Kyrgyzstan."
    ms = find_entities(text, "ru", use_model=False)
    for a in ms:
        for b in ms:
            if a is not b and a.start < b.end and b.start < a.end:
                assert a.kind != b.kind
                assert (a.start <= b.start and b.end <= a.end) or (b.start <= a.start and a.end <= b.end)
    kinds = {(m.kind, m.entity_id) for m in ms}
    assert ("org", "org:ru-government") in kinds and ("place", "place:ru") in kinds


def test_laws_by_number_and_by_code_have_stable_ids():
    text = (
        "В соответствии с Федеральным законом № 115-ФЗ и статьей 13 Трудового кодекса Российской "
        "Федерации, а также ТК РФ. The Convention on the Rights of the Child applies."
    )
    got = found(text, "ru")
    law_ids = [g[1] for g in got if g[0] == "law"]
    assert "law:115-fz" in law_ids
    assert law_ids.count("law:code-labour-ru") == 2
    assert any(g[2] == "Convention on the Rights of the Child" for g in got)


def test_people_named_with_a_role_or_an_organisation():
    text = "Presentations were made by Kathryn Anderson, Vanderbilt University Professor; Asel Akmatova, International Organization for Migration."
    people = {g[2]: g[1] for g in found(text, "en") if g[0] == "person"}
    assert people == {"Kathryn Anderson": "person:kathryn-anderson", "Asel Akmatova": "person:asel-akmatova"}


def test_kyrgyz_names_in_any_case_ending():
    text = "Бириккен Улуттар Уюмунун Башкы Ассамблеясы жана Бириккен Улуттар Уюму."
    got = found(text, "ky")
    assert ("org", "org:un-general-assembly", "Бириккен Улуттар Уюмунун Башкы Ассамблеясы") in got
    assert ("org", "org:un", "Бириккен Улуттар Уюму") in got


def test_lowercase_words_are_not_an_organisation():
    assert found("the united nations of animals and the international organization for migration", "en") == []


@pytest.mark.parametrize(
    "text",
    ["", "   ", "\x00\x01", "(((((", "((ABC))", ")" * 50, "«»" * 100, "OF THE AND", "а" * 10_000,
     "Ministry " * 3000, "\ud800 broken surrogate", "Министерство" + "-\n" * 100, "(A) (B) (CD)"],
)
def test_odd_input_never_raises(text):
    for lang in ("ru", "en", "ky", "xx", ""):
        assert isinstance(find_entities(text, lang, use_model=False), list)


def test_a_huge_text_is_read_in_windows_with_offsets_kept(monkeypatch):
    from indexer.entities import extract

    monkeypatch.setattr(extract, "MAX_TEXT_CHARS", 5_000)
    monkeypatch.setattr(extract, "WINDOW_OVERLAP", 500)
    sentence = "Офис МОТ открыт в Бишкеке. "
    text = sentence * 1000
    ms = find_entities(text, "ru", use_model=False)
    assert len([m for m in ms if m.entity_id == "org:ilo"]) == 1000
    assert all(text[m.start : m.end] in ("МОТ", "Бишкеке") for m in ms)


def test_names_keys_slugs_and_the_nominative():
    assert strip_legal_form('ОФ "Институт политики развития"') == "Институт политики развития"
    assert strip_legal_form('"Resource Centre for the Elderly" Public Association') == "Resource Centre for the Elderly"
    assert name_key("Института политики развития", "ru") == name_key("Институт политики развития", "ru")
    assert slug(("институт", "политика", "развитие")) == "institut-politika-razvitie"
    assert nominative("Американском университете в Центральной Азии") == "Американский университет в Центральной Азии"
    assert nominative("Министерством труда, миграции и молодежи") == "Министерство труда, миграции и молодежи"


def test_model_policy_spares_laws():
    assert model_policy("press_release") and model_policy("report")
    assert not model_policy("law") and not model_policy("code")


@pytest.mark.skipif(not available(), reason="natasha's model files, slovnet or navec are not installed")
def test_the_russian_model_finds_people_and_organisations_the_gazetteer_does_not_know():
    text = "Директор Родджер Уилсон встретился с представителями ОсОО «Ала-Тоо Консалтинг» в Оше."
    ms = find_entities(text, "ru", use_model=True)
    kinds = {(m.kind, text[m.start : m.end]) for m in ms}
    assert ("person", "Родджер Уилсон") in kinds
    assert any(m.kind == "place" and text[m.start : m.end] == "Оше" for m in ms)
    assert all(isinstance(m, Mention) for m in ms)
