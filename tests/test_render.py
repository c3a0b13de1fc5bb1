"""Markdown rendering: features on, anything executable off."""
from kb.markdown_render import render


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
