"""A reference to a part or point of an article (`ч. 2 ст. 13.3`, `п. 3 ч. 2 ст. 13.3`): the
result's snippet opens at that part, its number marked."""

from __future__ import annotations

from indexer.search.snippets import subdivision_snippet

ARTICLE = [
    "Статья 13.3. Особенности трудовой деятельности\n1. Иностранные граждане, прибывшие в порядке, "
    "не требующем получения визы, работают по патенту.\n2. Для получения патента иностранный гражданин",
    " представляет:\n1) заявление;\n2) паспорт;\n3) миграционную карту с отметкой о въезде;\n"
    "3. Патент выдается на срок от одного до двенадцати месяцев.",
]


def test_the_snippet_opens_at_the_part_across_the_articles_pieces():
    assert subdivision_snippet(ARTICLE, "2", "") == (
        "<mark>2.</mark> Для получения патента иностранный гражданин представляет: 1) заявление; 2) паспорт; "
        "3) миграционную карту с отметкой о въезде; 3. Патент выдается на срок от одного до двенадцати месяцев."
    )


def test_a_point_is_looked_for_inside_its_part():
    assert subdivision_snippet(ARTICLE, "2", "3").startswith("<mark>3)</mark> миграционную карту")
    assert subdivision_snippet(ARTICLE, "3", "").startswith("<mark>3.</mark> Патент выдается")


def test_a_part_the_text_does_not_number_gives_nothing():
    assert subdivision_snippet(ARTICLE, "7", "") == ""
    assert subdivision_snippet(ARTICLE, "3", "1") == ""  # part 3 has no points
    assert subdivision_snippet(["Статья 1 <script>\n1. a < b"], "1", "") == "<mark>1.</mark> a &lt; b"
