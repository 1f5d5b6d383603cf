"""The analyzer's contract: positions, offsets, exact forms, legal tokens, noise, stop words,
languages, the cache, and bad input."""

from __future__ import annotations

import pickle

import pytest

from analyzers import (
    EXACT_PREFIX,
    detect_language,
    exact_term,
    is_stopword,
    lemma_cache_info,
    text_analyzer,
    token_language,
)

ANALYZER = text_analyzer()


def positions(text: str, mode: str = "index") -> list[list[str]]:
    by_pos: dict[int, list[str]] = {}
    for t in ANALYZER(text, positions=True, mode=mode):
        by_pos.setdefault(t.pos, []).append(t.text)
    return [by_pos[p] for p in sorted(by_pos)]


def lemmas(word: str) -> set[str]:
    return {t for terms in positions(word) for t in terms if not t.startswith(EXACT_PREFIX)}


def test_each_position_holds_lemmas_and_one_exact_form():
    got = positions("Трудовых мигрантов")
    assert got == [["трудовой", "=трудовых"], ["мигрант", "=мигрантов"]]


def test_index_and_query_modes_agree():
    text = "Статья 13.3. Особенности трудовой деятельности иностранных граждан, N 115-ФЗ"
    assert positions(text, "index") == positions(text, "query")


def test_offsets_point_into_the_original_text(corpus):
    text = (corpus / "ru/115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan.txt").read_text(
        encoding="utf-8"
    )[:3000]
    tokens = [(t.text, t.startchar, t.endchar) for t in ANALYZER(text, chars=True, positions=True)]
    assert len(tokens) > 500
    for term, start, end in tokens:
        if term.startswith(EXACT_PREFIX) and "-" not in term:
            assert text[start:end].lower().replace("ё", "е") == term[1:]


def test_offsets_respect_start_char():
    tokens = [(t.text, t.startchar) for t in ANALYZER("мигрантов", chars=True, start_char=100)]
    assert ("мигрант", 100) in tokens


def test_exact_term_normalises_a_typed_word():
    assert EXACT_PREFIX == "="
    assert exact_term("Мигрантов") == "=мигрантов"
    assert exact_term(" Её ") == "=ее"


def test_yo_and_ye_meet_after_lemmatising():
    assert lemmas("её") == lemmas("ее")
    assert lemmas("ещё") & lemmas("еще")
    assert lemmas("ребёнка") & lemmas("ребенка")
    assert "=ребенка" in positions("ребёнка")[0]


def test_ambiguous_forms_index_every_lemma():
    assert {"стать", "сталь"} <= lemmas("стали")
    assert {"суд", "судно"} <= lemmas("суда")


def test_function_words_do_not_spill_into_content_words():
    assert lemmas("см") == {"см"}  # not смотреть
    assert lemmas("при") == {"при"}  # not переть, пря
    assert lemmas("им") == {"они"}  # not имя
    assert "миро" not in lemmas("мира")
    assert "деть" not in lemmas("дела")


def test_unknown_words_never_vanish():
    assert "кенеш" in lemmas("Кенешем")  # the Russian case form of a Kyrgyz name
    assert lemmas("Бишкеке")  # a guess or the form, never nothing
    assert "абвгдейка" in lemmas("абвгдейка")


def test_hyphenated_compound_matches_whole_and_parts():
    got = positions("трудящиеся-мигранты прибыли")
    assert "трудящийся-мигрант" in got[0] and "=трудящиеся-мигранты" in got[0]
    assert "трудящийся" in got[0]
    assert "мигрант" in got[1]
    assert "прибыть" in got[2]  # later words shift by the compound's extra position
    assert lemmas("Кыргызско-Российский") & lemmas("кыргызско-российского")
    assert "российский" in lemmas("Кыргызско-Российский")


def test_legal_tokens_stay_whole_and_searchable_as_written():
    for text in ("115-ФЗ", "№ 115-ФЗ", "N 115-ФЗ", "№115-фз"):
        assert ["115-фз", "=115-фз"] in positions(text)
    assert positions("статья 13.3")[1] == ["13.3", "=13.3"]
    assert positions("327.1") == [["327.1", "=327.1"]]
    assert positions("Статья 327¹")[1] == ["327.1", "=327.1"]
    assert positions("от 18.07.2006")[1] == ["18.07.2006", "=18.07.2006"]
    assert lemmas("C097") == lemmas("C97") == {"c97"}
    assert positions("в 2006 году")[1] == ["2006", "=2006"]


def test_abbreviations_expand_at_the_same_position():
    query = positions("ст. 13.3")
    text = positions("статья 13.3")
    assert "статья" in query[0] and query[1] == text[1]
    assert "articl" in positions("art. 98")[0]
    assert "часть" in positions("ч. 2")[0]


def test_stop_words_are_indexed_but_flagged():
    assert positions("не менее") == [["не", "=не"], ["менее", "=менее"]]
    for term in ("не", "=не", "менее", "при", "the", "=the", "to", "жана", "менен"):
        assert is_stopword(term), term
    for term in ("мигрант", "=мигрантов", "стать", "сталь", "migrant", "work", "укук"):
        assert not is_stopword(term), term


@pytest.mark.parametrize(
    ("path", "lang"),
    [
        ("int/udhr-1948-ky.txt", "ky"),
        ("int/udhr-1948-kk.txt", "kk"),
        ("int/udhr-1948-tg.txt", "tg"),
        ("int/udhr-1948-en.txt", "en"),
        ("int/udhr-1948-ru.txt", "ru"),
        ("kg/trudovoy-kodeks-kr.txt", "ru"),  # Russian text of a Kyrgyz law, with Kyrgyz names
        ("int/ilo-c097-migration-for-employment-1949.md", "en"),
    ],
)
def test_detect_language_on_corpus_documents(corpus, path, lang):
    assert detect_language((corpus / path).read_text(encoding="utf-8", errors="replace")) == lang


def test_detect_language_short_and_empty_texts():
    assert detect_language("") == ""
    assert detect_language("12.05.2006 № 115") == ""
    assert detect_language("Мигранттардын укуктары") == "ky"  # no ң ө ү at all
    assert detect_language("Права трудящихся-мигрантов") == "ru"
    assert detect_language("Le travailleur migrant a droit à la sécurité sociale") == ""


def test_token_language():
    assert token_language("мигранттардын") == "ky"
    assert token_language("Кеңеши") == "ky"
    assert token_language("мигрантов") == "ru"
    assert token_language("migrants") == "en"
    assert token_language("құқықтары") == "kk"
    assert token_language("ҳуқуқи") == "tg"
    assert token_language("2006") == ""


def test_analyzer_pickles_without_a_morph_analyzer():
    data = pickle.dumps(ANALYZER)
    assert len(data) < 2000
    assert positions("мигрантов") == [[t.text for t in pickle.loads(data)("мигрантов")][:2]]


def test_cache_reports_hits():
    before = lemma_cache_info()
    list(ANALYZER("патент патента патенту патент"))
    after = lemma_cache_info()
    assert after["hits"] >= before["hits"] + 1
    assert 0.0 < after["hit_rate"] <= 1.0
    assert set(after) >= {"hits", "misses", "hit_rate"}


def test_bad_input_gets_a_clear_error():
    with pytest.raises(TypeError, match="str"):
        list(ANALYZER(b"bytes"))
    assert positions("") == []
    assert positions(" \n\t—,.;") == []


def test_overlong_tokens_are_kept_truncated():
    debris = "а" * 5000
    assert positions(debris) == [["а" * 64, "=" + "а" * 64]]


def test_tokenizer_stays_linear_on_hostile_input():
    import time

    text = "а-" * 20000 + "1" * 20000 + ".1" * 20000 + "C" * 5000 + "-ФЗ" * 5000
    start = time.process_time()  # CPU time: a busy shared machine does not make it fail
    tokens = list(ANALYZER(text))
    assert tokens
    assert time.process_time() - start < 5
