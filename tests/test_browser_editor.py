"""The whole editorial loop in headless Chromium: an editor logs in, edits with live preview, submits; a
reviewer logs in, approves; the change is found through search."""
from __future__ import annotations

import pytest

from browser import chromium_page, live_server
from conftest import PASSWORD

pytestmark = pytest.mark.browser


@pytest.fixture
def site(app, runner, write_article, make_user):
    write_article("customer-types/silent", related=["customer-types/talkative", "customer-types/timid"])
    write_article("customer-types/talkative", title="健谈型客户的应对", related=["customer-types/silent", "customer-types/timid"])
    write_article("customer-types/timid", title="畏生型客户的应对", related=["customer-types/silent", "customer-types/talkative"])
    assert runner.invoke(args=["sync"]).exit_code == 0
    make_user("ed", "editor")
    make_user("rev", "reviewer")
    return app


def log_in(page, base, username):
    page.goto(base + "/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.press("input[name=password]", "Enter")
    page.wait_for_url(base + "/")


def test_edit_preview_submit_approve_search(site):
    with live_server(site) as base, chromium_page() as page:
        log_in(page, base, "ed")
        page.goto(base + "/articles/customer-types/silent")
        page.click("a[href='/edit/customer-types/silent']")
        page.wait_for_selector("#preview h2")
        body = page.locator("#body")
        body.click()
        page.keyboard.press("Control+End")
        page.keyboard.type("\n\n## 客户在开车\n- 先约回电时间，绝不在客户驾驶时继续讲解。\n")
        page.wait_for_function("document.querySelector('#preview').textContent.includes('客户在开车')")
        assert "<h2" in page.locator("#preview").inner_html()
        page.wait_for_function("document.getElementById('autosave-status').textContent.includes('自动保存')")
        page.fill("input[name=message]", "补充开车场景")
        page.click("button[value=submit]")
        page.wait_for_url("**/history")
        assert "已提交审核" in page.content()

        page.click("text=退出")
        log_in(page, base, "rev")
        page.goto(base + "/review")
        page.click("text=沉默型客户的应对")
        assert page.locator("table.diff ins").count() > 0
        page.fill("form[action$=approve] input[name=comment]", "可以")
        page.click("text=通过并发布")
        page.wait_for_url("**/review")
        assert "已发布第 2 版" in page.content()

        page.goto(base + "/")
        page.keyboard.type("客户在开车")
        page.locator("#results .result-title").first.wait_for()
        assert page.locator("#results .result-title").first.inner_text() == "沉默型客户的应对"
        assert "开车" in page.locator("#results .result-snippet").first.inner_text()
