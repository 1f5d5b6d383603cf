"""The entity pages in a real headless Chromium: the organisations list and its search box, an
organisation's page, people and places, the entity facet and an acronym's offer on the search page.

Served from the generated entity index (tests/entity_corpus.py); screenshots under
test-artifacts/screenshots/.
"""

from __future__ import annotations

import pytest

from search_web import create_app
from tests.browser import (
    LiveServer,
    by_css,
    console_errors,
    no_horizontal_scroll,
    screenshot,
    wait_for,
)


@pytest.fixture(scope="module")
def server(entity_index):
    with LiveServer(create_app(entity_index)) as live:
        yield live


def test_find_an_organisation_and_open_its_page(server, desktop):
    from selenium.webdriver.common.keys import Keys

    desktop.get(server.url + "/organisations?ui=en")
    rows = by_css(desktop, "table.entities tbody tr")
    assert len(rows) > 2
    counts = [int(r.find_elements("css selector", "td.num")[0].text) for r in rows]
    assert counts == sorted(counts, reverse=True), "most documents first"
    screenshot(desktop, "organisations-desktop")
    box = by_css(desktop, "input#entity-name")[0]
    box.send_keys("МОМ", Keys.ENTER)
    wait_for(desktop, "p[role=status]")
    assert "name=" in desktop.current_url
    links = by_css(desktop, "table.entities tbody a")
    assert [a.get_attribute("href").rsplit("/", 1)[-1] for a in links] == ["iom"]
    links[0].click()
    wait_for(desktop, "table.by-year")
    assert by_css(desktop, "h1")[0].text == "International Organization for Migration"
    assert len(by_css(desktop, "table.by-year tbody tr")) == 3, "2012, 2013, 2015"
    assert by_css(desktop, "ol.hits .snippet mark"), "the passages naming it, the name marked"
    screenshot(desktop, "organisation-desktop")
    by_css(desktop, "ol.hits h3 a")[0].click()
    wait_for(desktop, "h1#doc-title")
    assert not console_errors(desktop)


@pytest.mark.parametrize("path", ["/people", "/places"])
def test_people_and_places_lists_open_their_pages(server, desktop, path):
    desktop.get(server.url + path + "?ui=ru")
    first = by_css(desktop, "table.entities tbody a")[0]
    name = first.text
    first.click()
    wait_for(desktop, "ol.hits")
    assert by_css(desktop, "h1")[0].text == name
    assert by_css(desktop, "ol.hits li.hit")
    screenshot(desktop, f"{path.strip('/')}-entity-desktop")
    assert not console_errors(desktop)


def test_an_acronym_offers_its_organisation_and_the_facet_filters(server, desktop):
    desktop.get(server.url + "/?q=ЕАЭС&ui=en")
    offer = wait_for(desktop, "p.named-entity a")
    assert offer.get_attribute("href").endswith("/organisations/eaeu")
    assert not by_css(desktop, "p.dym"), "no spelling correction for an acronym"
    screenshot(desktop, "acronym-offer-desktop")
    desktop.get(server.url + "/?q=мигрантов OR migrants&ui=en")
    before = by_css(desktop, "h1.count")[0].text
    iom = next(a for a in by_css(desktop, ".facets a") if "org=iom" in a.get_attribute("href"))
    iom.click()
    wait_for(desktop, ".facets a.on")
    assert "org=iom" in desktop.current_url and by_css(desktop, "h1.count")[0].text != before


def test_entity_pages_fit_a_phone(server, phone):
    for path in ("/organisations", "/organisations/iom"):
        phone.get(server.url + path)
        wait_for(phone, "main")
        assert no_horizontal_scroll(phone), path
    screenshot(phone, "organisation-phone")
