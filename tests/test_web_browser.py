"""A real headless Chromium against the served app: search, open a document, compare.

Screenshots of each step (desktop and a 360 px phone) are saved under test-artifacts/screenshots/.
"""

from __future__ import annotations

import time

import pytest

from indexer.metadata import doc_id_for
from search_web import create_app
from tests.browser import LiveServer, by_css, no_horizontal_scroll, screenshot, wait_for
from tests.web_corpus import PDF_RELPATH

PDF_DOC = doc_id_for(PDF_RELPATH)


@pytest.fixture(scope="module")
def server(web_index):
    with LiveServer(create_app(web_index)) as live:
        yield live


def test_search_then_open_a_document(server, desktop):
    from selenium.webdriver.common.keys import Keys

    desktop.get(server.url + "/?ui=ru")
    assert desktop.execute_script("return document.documentElement.lang") == "ru"
    box = by_css(desktop, "input#q")[0]
    assert desktop.switch_to.active_element == box  # the query box has focus on arrival
    box.send_keys("юридическое лицо", Keys.ENTER)
    wait_for(desktop, "ol.hits li.hit")
    assert "q=" in desktop.current_url  # the search lives in the URL
    hits = by_css(desktop, "ol.hits li.hit")
    assert hits and by_css(desktop, ".snippet mark")
    assert by_css(desktop, ".facets a")
    screenshot(desktop, "search-desktop")

    titles = by_css(desktop, "ol.hits li.hit h2 a")
    target = next(a for a in titles if "/documents/" + PDF_DOC in a.get_attribute("href"))
    expected_title = target.text
    target.click()
    wait_for(desktop, "h1#doc-title")
    assert by_css(desktop, "h1#doc-title")[0].text == expected_title
    assert by_css(desktop, ".text mark"), "the query's words are highlighted in the text"
    assert by_css(desktop, ".finds li"), "find-in-document lists the hits"
    page_links = [a.get_attribute("href") for a in by_css(desktop, "p.pagebreak a")]
    assert page_links and all("/file#page=" in href for href in page_links)
    copy = by_css(desktop, "button.copy")[0]
    assert copy.is_displayed(), "with JavaScript the copy buttons appear"
    screenshot(desktop, "document-desktop")

    by_css(desktop, "p.pagebreak a")[-1].click()  # the original, at that page, in Chromium's viewer
    from selenium.webdriver.support.ui import WebDriverWait

    WebDriverWait(desktop, 15).until(lambda d: d.execute_script("return document.contentType") == "application/pdf")
    assert desktop.current_url == page_links[-1]
    time.sleep(1)  # let the viewer paint before the picture
    screenshot(desktop, "original-pdf-at-page", full_page=False)


def test_facet_click_filters_the_results(server, desktop):
    desktop.get(server.url + "/?q=право&ui=en")
    wait_for(desktop, ".facets a")
    before = by_css(desktop, "h1.count")[0].text
    link = by_css(desktop, ".facets section.facet a")[0]
    link.click()
    wait_for(desktop, ".facets a.on")
    assert "country=" in desktop.current_url
    assert by_css(desktop, "h1.count")[0].text != before
    screenshot(desktop, "search-filtered-desktop")


def test_compare_side_by_side(server, desktop):
    desktop.get(server.url + "/compare?ui=en")
    box = by_css(desktop, "input#q")[0]
    box.send_keys("право")
    for checkbox in by_css(desktop, "fieldset.countries input[type=checkbox]")[:2]:
        checkbox.click()
    by_css(desktop, "form.query button[type=submit]")[0].click()
    wait_for(desktop, ".columns .column")
    columns = by_css(desktop, ".columns .column")
    assert len(columns) == 2
    tops = {c.location["y"] for c in columns}
    assert len(tops) == 1, "columns sit side by side on a desktop"
    screenshot(desktop, "compare-desktop")


def test_phone_width_without_horizontal_scrolling(server, phone):
    for path, name in [
        ("/?q=юридическое+лицо", "search-phone"),
        (f"/documents/{PDF_DOC}?q=юридическое+лицо", "document-phone"),
        ("/compare?q=право", "compare-phone"),
        ("/", "empty-phone"),
    ]:
        phone.get(server.url + path)
        wait_for(phone, "main")
        assert no_horizontal_scroll(phone), path
        screenshot(phone, name)
    assert phone.execute_script("return document.documentElement.clientWidth") == 360
    phone.get(server.url + "/compare?q=право")
    columns = by_css(phone, ".columns .column")
    assert len({c.location["x"] for c in columns}) == 1, "columns stack on a phone"


def test_works_without_javascript(server, chromium):
    driver = chromium(1024, 800, javascript=False)
    driver.get(server.url + "/?ui=en")
    box = by_css(driver, "input#q")[0]
    box.send_keys("юридическое лицо")
    by_css(driver, "form.query button[type=submit]")[0].click()
    wait_for(driver, "ol.hits li.hit")
    by_css(driver, "ol.hits li.hit h2 a")[0].click()
    wait_for(driver, "h1#doc-title")
    assert not any(b.is_displayed() for b in by_css(driver, "button.copy"))
    citation = by_css(driver, "input.citation")[0]
    assert citation.get_attribute("readonly") is not None and citation.get_attribute("value")
    screenshot(driver, "document-no-js")


def test_keyboard_reaches_the_skip_link_first(server, desktop):
    from selenium.webdriver.common.keys import Keys

    desktop.get(server.url + "/?q=право")
    desktop.find_element("tag name", "body").send_keys(Keys.TAB)
    active = desktop.switch_to.active_element
    assert active.get_attribute("class") == "skip" and active.is_displayed()


def test_pages_raise_no_console_errors_or_csp_violations(server, desktop):
    desktop.get_log("browser")  # start from an empty log
    for path in ["/?ui=ru", "/?q=право", f"/documents/{PDF_DOC}?q=право", "/compare?q=право", "/documents/nope"]:
        desktop.get(server.url + path)
        wait_for(desktop, "main")
    errors = [e for e in desktop.get_log("browser") if e["level"] == "SEVERE" and "/documents/nope" not in e["message"]]
    assert errors == []


def test_an_article_address_opens_the_article_with_the_contents(server, desktop):
    law = "ru-115-fz-o-pravovom-polozhenii-inostrannyh-grazhdan"
    desktop.get(f"{server.url}/documents/{law}/art-13.3#art-13.3-part-3")
    wait_for(desktop, "section#art-13\\.3")
    article = by_css(desktop, "section#art-13\\.3")[0]
    assert article.find_element("css selector", "h3").text.startswith("Статья 13.3")
    top = desktop.execute_script("return arguments[0].getBoundingClientRect().top", by_css(desktop, "#art-13\\.3-part-3")[0])
    assert -2 <= top < 900, "the address scrolls to part 3 of the article"
    paragraph = desktop.execute_script("return arguments[0].parentElement", by_css(desktop, "#art-13\\.3-part-3")[0])
    shade = desktop.execute_script("return getComputedStyle(arguments[0]).backgroundColor", paragraph)
    assert paragraph.text.startswith("3. Отказ") and shade == "rgb(255, 243, 191)", "the part it names is highlighted"
    assert by_css(desktop, "nav.contents details[open] summary"), "the contents, its open division"
    screenshot(desktop, "article-desktop")
