"""Markdown rendering: features on, anything executable off."""
import re

from kb.config import PROJECT_ROOT
from kb.markdown_render import render

REAL_ARTICLES = PROJECT_ROOT / "content" / "articles"


def test_tables_fenced_code_and_heading_anchors():
    out = render("## 话术示例\n\n| 客户说 | 你说 |\n|---|---|\n| 太贵 | 理解 |\n\n```\ncode\n```\n")
    assert '<h2 id="话术示例">' in out.html
    assert "<table>" in out.html and "<td>太贵</td>" in out.html
    assert "<pre><code>code" in out.html
    assert out.headings[0] == {"level": 2, "id": "话术示例", "name": "话术示例"}


def test_script_tags_are_removed_with_their_content():
    out = render("正文<script>alert('x')</script>结束")
    assert "<script" not in out.html and "alert" not in out.html


def test_event_handlers_are_removed():
    out = render('<img src="https://example.com/a.png" onerror="alert(1)"> <p onclick="x()">点</p>')
    assert "onerror" not in out.html and "onclick" not in out.html
    assert 'src="https://example.com/a.png"' in out.html


def test_javascript_links_lose_their_href():
    out = render("[点我](javascript:alert(1)) <a href='JaVaScRiPt:alert(2)'>也点我</a> [好链接](https://example.com)")
    assert "javascript" not in out.html.lower()
    assert 'href="https://example.com"' in out.html


def test_iframes_styles_and_forms_are_removed():
    out = render('<iframe src="https://evil"></iframe><style>body{}</style><form action="/x"><input></form>文字')
    for bad in ("<iframe", "<style", "<form", "<input"):
        assert bad not in out.html
    assert "文字" in out.html


def test_plain_text_for_the_index_has_no_markup():
    out = render("## 标题\n\n- **重点**：先认同\n- 再提问 &amp; 确认\n")
    assert out.text.splitlines() == ["标题", "重点：先认同", "再提问 & 确认"]


def test_a_list_right_under_a_paragraph_line_is_a_list():
    # How editors (and our objection scripts) write 话术 under a bolded customer line, CommonMark style.
    html = render("**客户：“我要打12315！”**\n- “这是您的权利。”\n- “我先给您办。”\n\n说明\n1. 一\n2. 二\n").html
    assert "<li>“这是您的权利。”</li>" in html and "- “" not in html
    assert "<ol>\n<li>一</li>" in html


def test_list_markers_inside_code_and_item_continuations_are_left_alone():
    html = render("```\n文字\n- 不是列表\n```\n\n- 甲\n  续行\n- 乙\n").html
    assert "- 不是列表" in html
    assert html.count("<li>") == 2 and "<p>" not in html.split("</pre>")[1]  # still one tight list


def test_no_real_article_shows_a_literal_list_dash():
    for path in sorted(REAL_ARTICLES.glob("*/*.md")):
        text = render(path.read_text(encoding="utf-8").split("\n---\n", 1)[1]).text
        assert not re.search(r"^- ", text, re.M), path.name
