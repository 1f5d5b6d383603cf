"""Issue 11 on the whole corpus: references resolve to their act, a missing act is said so,
repealed acts rank below current ones, and an act's files are grouped (and nothing else)."""

from __future__ import annotations

import pytest

from indexer.search import Filters

pytestmark = pytest.mark.corpus

UK_RF = "ru-ugolovnyi-kodeks-rf"


def _top(res: dict) -> tuple[str, str]:
    first = res["results"][0]
    return first["doc_id"], first["passages"][0]["label"]


@pytest.mark.parametrize("q", ["ст. 18.10 КоАП РФ", "Code of Administrative Offences of the Russian Federation"])
def test_an_act_not_in_the_collection_is_said_so_and_not_searched_as_words(full_engine, q):
    res = full_engine.search(q)
    assert [n["code"] for n in res["notices"]] == ["act_not_in_collection"]
    assert res["total"] == 0 and res["did_you_mean"] is None


def test_other_words_are_still_searched_when_the_act_is_missing(full_engine):
    res = full_engine.search("КоАП РФ иностранный гражданин")
    assert res["notices"][0]["code"] == "act_not_in_collection" and "КоАП РФ" in res["notices"][0]["message"]
    assert res["total"] > 0


def test_a_provision_the_act_does_not_have_shows_the_act_saying_so(full_engine):
    res = full_engine.search("ст. 9999 УК РФ")
    assert [n["code"] for n in res["notices"]] == ["provision_not_found"]
    assert {r["doc_id"] for r in res["results"]} == {UK_RF}


def test_did_you_mean_never_changes_a_number(full_engine):
    for q in ("ст. 18.10 КоАП РФ", "статья 999.77 мигрантт"):
        suggestion = full_engine.search(q)["did_you_mean"]
        assert suggestion is None or all(n in suggestion for n in ("999.77",) if n in q)


@pytest.mark.parametrize(
    "q, act",
    [
        ("63-ФЗ", UK_RF),  # the Criminal Code, signed `13 июня 1996 года N 63-ФЗ` (was: the Budget Code)
        ("Федеральный закон № 115-ФЗ", "ru-115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan"),  # (was: 109-ФЗ)
        ("закон № 477-IV", "kz-zakon-o-migratsii-naseleniya-rk"),
    ],
)
def test_an_act_number_finds_the_act(full_engine, q, act):
    res = full_engine.search(q)
    assert res["results"][0]["doc_id"] == act
    assert res["reference"]["documents"] == [act]


def test_codes_carry_their_act_numbers(full_engine):
    docs = full_engine.documents
    assert docs[UK_RF].number == "63-ФЗ"
    assert docs["ru-trudovoy-kodeks-rf"].number == "197-ФЗ"
    assert docs["kg-gk-kr-ch1"].number == "15"


def test_the_repealed_water_code_carries_its_status_and_ranks_below_the_current_one(full_engine):
    res = full_engine.search("водный кодекс", filters=Filters(country=["ru"]))
    ranked = [r["doc_id"] for r in res["results"]]
    assert ranked.index("ru-vodnyi-kodeks-rf-2006") < ranked.index("ru-vodnyi-kodeks-rf-1995")
    statuses = {r["doc_id"]: r["status"] for r in res["results"]}
    assert statuses["ru-vodnyi-kodeks-rf-1995"] == "repealed"
    assert statuses["ru-vodnyi-kodeks-rf-2006"] == "in_force"
    assert {r["status"] for r in res["results"]} >= {"in_force", "repealed"}
    current = full_engine.search("водный кодекс", filters=Filters(country=["ru"], status=["in_force"]))
    assert "ru-vodnyi-kodeks-rf-1995" not in {r["doc_id"] for r in current["results"]}
    assert {f["value"] for f in res["facets"]["status"]} == {"in_force", "repealed"}


def test_the_edition_is_in_results_and_citations(full_engine):
    first = full_engine.search("ч. 1 ст. 322.1 УК РФ")["results"][0]
    assert first["edition"] == "2023-08-04"
    assert "(ред. от 04.08.2023)" in first["passages"][0]["citation"]


def test_other_files_of_an_act_are_its_own(full_engine):
    tax = full_engine.document("ru-nalogovyi-kodeks-rf-ch1")
    assert [v["doc_id"] for v in tax["versions"]] == ["ru-nalogovyi-kodeks-rf-ch1-v2"]
    civil = full_engine.document("kg-gk-kr-ch1")
    assert [v["doc_id"] for v in civil["versions"]] == ["pdf-kg-grazhdanskii-kodeks-ch1-pdf"]
    water = full_engine.document("ru-vodnyi-kodeks-rf-2006")
    assert water["versions"] == []
