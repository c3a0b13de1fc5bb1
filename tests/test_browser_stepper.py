"""The live stepper in headless Chromium, with the keyboard alone: start, pick reactions with number keys, go
back with Backspace, take notes, finish, and read (and copy) the call summary."""
from __future__ import annotations

import pytest

from kb.web.state import guide_engine

from browser import chromium_page, live_server
from guide_paths import choices_to_outcomes

pytestmark = pytest.mark.browser


def test_step_through_a_guide_with_the_keyboard(real_app):
    with real_app.test_request_context():
        engine = guide_engine()
        choices = choices_to_outcomes(engine, "price-objection")["declined"]
    with live_server(real_app) as base, chromium_page() as page:
        page.context.grant_permissions(["clipboard-read", "clipboard-write"], origin=base)
        page.goto(base + "/guides/price-objection")
        assert page.evaluate("document.activeElement.textContent") == "开始通话"  # focused on load
        page.keyboard.press("Enter")
        page.wait_for_selector(".panel .node-kind")
        first_title = page.locator(".node-kind").inner_text()

        page.keyboard.press("1")
        page.wait_for_function(f"!document.querySelector('.node-kind').textContent.includes({first_title.split('·')[1].strip()!r})")
        page.keyboard.press("Backspace")
        page.wait_for_function(f"document.querySelector('.node-kind').textContent === {first_title!r}")

        page.keyboard.press("n")
        page.keyboard.type("客户预算三千，周五前决定")
        page.keyboard.press("Escape")
        page.wait_for_function("document.getElementById('notes-status').textContent.includes('已保存')")

        for choice in choices:
            before = page.locator(".panel").inner_html()
            page.keyboard.press(str(choice + 1))
            page.wait_for_function("(b) => document.querySelector('.panel').innerHTML !== b", arg=before)

        summary = page.locator("#summary-text")
        summary.wait_for()
        text = summary.inner_text()
        assert text.startswith("通话指南：客户嫌贵：价格异议")
        assert "结果：客户暂不接受" in text and "时长：" in text
        assert text.endswith("备注：客户预算三千，周五前决定")
        page.keyboard.press("c")
        page.wait_for_function("document.getElementById('copy-status').textContent.includes('已复制')")
        assert page.evaluate("navigator.clipboard.readText()") == text


def test_stepper_fits_beside_a_crm(real_app):
    with live_server(real_app) as base, chromium_page(width=683, height=768) as page:
        page.goto(base + "/guides/silent-caller")
        assert page.evaluate("document.activeElement.textContent") == "开始通话"
        page.keyboard.press("Enter")
        page.wait_for_selector(".choice")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 683  # no sideways scrolling in half a screen
        assert page.locator(".choice").first.is_visible()
