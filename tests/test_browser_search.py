"""Search as an agent uses it, in headless Chromium, with the keyboard alone."""
from __future__ import annotations

import pytest

from browser import chromium_page, live_server

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("width", [1366, 683])  # full screen, and half of it beside a CRM
def test_type_select_open_and_come_back(real_app, width):
    with live_server(real_app) as base, chromium_page(width=width) as page:
        page.goto(base + "/")
        assert page.evaluate("document.activeElement.id") == "q"  # focus on load
        page.keyboard.type("客户不说话")
        page.locator("#results .result-title").first.wait_for()
        titles = page.locator("#results .result-title").all_inner_texts()[:3]
        assert "沉默型客户的应对" in titles  # the article, beside the silent-caller call guide
        assert page.locator("#results mark").count() > 0
        assert "q=" in page.url  # the query survives a reload

        for _ in range(titles.index("沉默型客户的应对") + 1):
            page.keyboard.press("ArrowDown")
        assert page.locator("#results .result.selected .result-title").inner_text() == "沉默型客户的应对"
        page.keyboard.press("Enter")
        page.wait_for_url("**a=customer-types*")
        page.locator("#reader:not(.peek) h1").wait_for()
        assert page.locator("#reader h1").inner_text() == "沉默型客户的应对"
        assert page.evaluate("document.activeElement.id") == "reader"
        assert page.locator("#results .result").count() > 1  # the list is still there

        page.keyboard.press("Escape")
        assert page.evaluate("document.activeElement.id") == "q"
        assert page.locator("#results .result").first.is_visible()


def test_the_selected_result_is_previewed_beside_the_list(real_app):
    with live_server(real_app) as base, chromium_page() as page:
        page.goto(base + "/")
        page.keyboard.type("客户嫌太贵")
        page.locator("#reader.peek h1").wait_for()
        first = page.locator("#results .result-title").first.inner_text()
        page.wait_for_function("(t) => document.querySelector('#reader h1').textContent === t", arg=first)
        assert page.locator("#reader .prose").count() == 1  # the whole article, readable without a key press
        assert page.evaluate("document.activeElement.id") == "q"  # the agent can keep typing
        assert "a=" not in page.url

        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        second = page.locator("#results .result.selected .result-title").inner_text()
        page.wait_for_function("(t) => document.querySelector('#reader h1').textContent === t", arg=second)
        assert page.locator("#results .result.selected .badge-guide").count() == 1  # the price-objection guide
        page.locator("#reader .say").wait_for()  # its first lines, ready to say

        page.keyboard.press("Escape")  # clears the query, and with it the preview
        page.locator("#browse").wait_for(state="visible")
        assert page.locator("#reader").is_hidden()


def test_no_preview_in_half_a_screen(real_app):
    with live_server(real_app) as base, chromium_page(width=683) as page:
        page.goto(base + "/")
        page.keyboard.type("客户嫌太贵")
        page.locator("#results .result-title").first.wait_for()
        page.wait_for_timeout(600)  # longer than the preview delay
        assert page.locator("#reader").is_hidden()  # the list keeps the whole width


def test_results_follow_typing_without_reload(real_app):
    with live_server(real_app) as base, chromium_page() as page:
        page.goto(base + "/")
        page.evaluate("window.__marker = 1")
        page.keyboard.type("太贵")
        page.wait_for_function("document.querySelector('#results .result-title') && "
                               "document.querySelector('#results .result-title').textContent.includes('太贵')")
        page.keyboard.press("Control+A")
        page.keyboard.type("找领导")
        page.wait_for_function("document.querySelector('#results .result-title').textContent.includes('领导')")
        assert page.evaluate("window.__marker") == 1  # same page: no full reload
        page.keyboard.press("Control+A")
        page.keyboard.press("Backspace")
        page.locator("#browse").wait_for(state="visible")


def test_slash_focuses_search_from_an_article(real_app):
    with live_server(real_app) as base, chromium_page() as page:
        page.goto(base + "/articles/objections/price-too-high")
        page.keyboard.press("/")
        assert page.evaluate("document.activeElement.name") == "q"
        page.keyboard.type("退款")
        page.keyboard.press("Enter")
        page.wait_for_url("**/?q=*")
        page.locator("#results .result-title").first.wait_for()
        assert "退" in page.locator("#results .result-title").first.inner_text()


def test_enter_on_a_guide_result_opens_the_guide(real_app):
    with live_server(real_app) as base, chromium_page() as page:
        page.goto(base + "/")
        page.keyboard.type("客户要退款")
        page.locator("#results .badge-guide").first.wait_for()
        badges = page.locator("#results .result-link .badge").all_inner_texts()
        for _ in range(badges.index("通话指南") + 1):
            page.keyboard.press("ArrowDown")
        page.keyboard.press("Enter")
        page.wait_for_url("**/guides/*")
        assert page.locator("h1").inner_text() and page.locator("svg.guide-diagram").count() == 1


def test_a_search_left_without_results_is_reported(real_app, real_client):
    from sqlalchemy import select

    from kb.models import SearchMiss
    from kb.web.state import resources

    with live_server(real_app) as base, chromium_page() as page:
        page.goto(base + "/")
        page.keyboard.type("qwertzuiopx")
        page.wait_for_function("document.getElementById('status').textContent.includes('没有找到')")
        page.wait_for_timeout(2000)
    with real_app.app_context(), resources().db.session() as session:
        assert session.scalar(select(SearchMiss.count).where(SearchMiss.query == "qwertzuiopx")) == 1
