"""A new hire in headless Chromium: opens a path, reads a step, answers its checks, sees the progress move."""
from __future__ import annotations

import pytest

from browser import chromium_page, live_server
from test_browser_editor import log_in
from test_paths import site  # noqa: F401 - the same small site: two articles, one guide, one path

pytestmark = pytest.mark.browser


def test_new_hire_reads_answers_and_progresses(site):  # noqa: F811
    with live_server(site) as base, chromium_page() as page:
        log_in(page, base, "new1")
        page.goto(base + "/paths")
        page.click("text=测试路径")
        assert "已完成 0/3（0%）" in page.locator("#percent").inner_text()
        page.click("#resume")
        page.wait_for_selector("article h1")
        assert page.locator("article h1").inner_text() == "沉默型客户的应对"

        page.check("input[name=q0][value='0']")  # a wrong answer first
        page.check("input[name=q1][value='0']")
        page.click("text=提交答案")
        assert "有答错的题" in page.locator("#check-result").inner_text()
        assert "先排除不方便" in page.locator(".question.wrong .explain").first.inner_text()

        page.check("input[name=q0][value='1']")
        page.check("input[name=q1][value='1']")
        page.click("text=提交答案")
        assert "全部答对" in page.locator("#check-result").inner_text()

        page.click("text=路径总览")
        assert "已完成 1/3（33%）" in page.locator("#percent").inner_text()
        assert "继续：第 2 步" in page.locator("#resume").inner_text()
        assert page.locator(".progress span").first.evaluate("el => el.style.width") == "33%"
