"""The reading view and a result's source in a real headless Chromium (issue 14, item 3), over a
real index of generated hard-wrapped documents (tests/reading_docs.py)."""

from __future__ import annotations

import pytest

from search_web import create_app
from tests.browser import LiveServer, by_css, screenshot
from tests.reading_docs import LAW_URL, PRESS_PUBLISHER, build_reading_index


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    with LiveServer(create_app(build_reading_index(tmp_path_factory.mktemp("reading")))) as live:
        yield live


def test_a_wrapped_press_release_reads_as_paragraphs(server, desktop):
    desktop.get(server.url + "/documents/press?ui=ru")
    paragraphs = [p.text for p in by_css(desktop, ".provision .body p")]
    screenshot(desktop, "reading-view-press-release")
    assert paragraphs[:3] == [
        "ПРЕСС-РЕЛИЗ",
        "Бишкек, 1 июня 2013 года.",
        "Обсуждение применения наилучших практик в области защиты прав трудовых мигрантов в Кыргызстане",
    ]
    assert len(paragraphs) == 5  # 17 wrapped lines, 5 paragraphs
    heading = by_css(desktop, ".body p.head")[0]
    assert int(heading.value_of_css_property("font-weight")) >= 600
    one_line = by_css(desktop, ".body p")[1].size["height"]
    long_paragraph = by_css(desktop, ".body p")[3]
    assert long_paragraph.size["height"] > one_line  # it wraps at the window's width, not the file's
    assert not by_css(desktop, ".pagebreak"), "a text file has no pages"


def test_a_wrapped_law_keeps_its_points_and_their_anchors(server, desktop):
    desktop.get(server.url + "/documents/law?ui=ru#art-2-point-2")
    items = by_css(desktop, "#art-2 .body p.item")
    assert [i.text[:3] for i in items] == ["1) ", "2) ", "3) "]
    point = by_css(desktop, "#art-2-point-2")[0]
    top = desktop.execute_script("return arguments[0].getBoundingClientRect().top", point)
    assert 0 <= top < desktop.execute_script("return window.innerHeight")  # the address lands on the point
    screenshot(desktop, "reading-view-law-point")


def test_a_result_shows_its_publisher_and_opens_the_original(server, desktop):
    desktop.get(server.url + "/?q=мигранты&ui=ru")
    origins = {o.find_element("xpath", "./ancestor::article").find_element("css selector", "h2 a").text: o
               for o in by_css(desktop, ".hit .origin")}
    press = next(o for title, o in origins.items() if "пресс-релиз" in title)
    assert PRESS_PUBLISHER in press.text and "Открыть оригинал" in press.text
    law = next(o for title, o in origins.items() if "Водный" in title)
    assert law.find_element("css selector", "a.original").get_attribute("href") == LAW_URL
    assert all("p. 1" not in o.find_element("xpath", "./ancestor::article").text for o in origins.values())
    screenshot(desktop, "results-with-sources")
