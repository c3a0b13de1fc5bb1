"""The content loader and its rules, on small fixture trees (no database, no app)."""
from __future__ import annotations

import re

from kb.content.loader import load_content
from kb.content.problems import ERROR, WARNING

from conftest import BODY, article_text


def messages(content, severity=None):
    return [str(p) for p in content.problems if severity is None or p.severity == severity]


def test_a_good_article_loads(content_dir, write_article):
    write_article("customer-types/silent")
    write_article("customer-types/talkative", title="健谈型客户", related=["customer-types/silent", "customer-types/timid"])
    write_article("customer-types/timid", title="畏生型客户", related=["customer-types/silent", "customer-types/talkative"])
    content = load_content(content_dir)
    assert messages(content) == []
    doc = content.articles["customer-types/silent"]
    assert doc.title == "沉默型客户的应对" and doc.tags == ("沉默型", "不说话")
    assert doc.sources[0].book == "liu-management"


def test_yaml_error_reports_file_and_line(content_dir, write_article):
    write_article("phone/broken", text="---\ntitle: 好\ncategory: phone\ntags: [a, b\nsummary: x\n---\n正文")
    content = load_content(content_dir)
    assert content.articles == {}
    [problem] = content.problems
    assert problem.path == "content/articles/phone/broken.md" and problem.line in (4, 5)
    assert "YAML" in problem.message


def test_missing_front_matter(content_dir, write_article):
    write_article("phone/plain", text="# 只有正文\n")
    [problem] = load_content(content_dir).problems
    assert problem.line == 1 and "前置信息" in problem.message


def test_unterminated_front_matter(content_dir, write_article):
    write_article("phone/open", text="---\ntitle: 好\n")
    [problem] = load_content(content_dir).problems
    assert "结束标记" in problem.message


def test_unknown_category_names_the_line(content_dir, write_article):
    path = write_article("phone/x", category="sales")
    content = load_content(content_dir)
    assert content.articles == {}
    line = next(i for i, l in enumerate(path.read_text().splitlines(), 1) if l.startswith("category:"))
    assert f"content/articles/phone/x.md:{line}: 未知分类 “sales”" in messages(content)[0]


def test_category_must_match_folder(content_dir, write_article):
    write_article("phone/x", category="complaints")
    assert any("不一致" in m for m in messages(load_content(content_dir), ERROR))


def test_unknown_book(content_dir, write_article):
    write_article("phone/x", sources=[{"book": "no-such-book", "chapter": "1", "section": "s"}])
    content = load_content(content_dir)
    assert content.articles == {}
    assert "未知书目 no-such-book" in messages(content)[0]


def test_duplicate_slug_keeps_the_first_and_reports_the_second(content_dir, write_article):
    write_article("phone/a")
    write_article("phone/b", slug="phone/a", title="冒名")
    content = load_content(content_dir)
    assert content.articles["phone/a"].title == "沉默型客户的应对"
    assert any("phone/b.md:1: slug “phone/a” 与 content/articles/phone/a.md 重复" in m for m in messages(content))


def test_wrong_types_are_errors(content_dir, write_article):
    write_article("phone/x", tags="不是列表", sources=[{"book": "liu-management"}], title=["列表"])
    content = load_content(content_dir)
    text = "\n".join(messages(content, ERROR))
    assert "tags 应为列表" in text and "出处缺少 chapter, section" in text and "title 应为一行文字" in text


def test_missing_required_fields(content_dir, write_article):
    write_article("phone/x", text="---\ntitle: 只有标题\n---\n" + BODY)
    text = "\n".join(messages(load_content(content_dir)))
    for field in ("summary", "category", "sources"):
        assert f"缺少字段 {field}" in text


def test_quality_rules_are_warnings(content_dir, write_article):
    write_article("phone/x", summary="很" * 81, body="太短了", related=["phone/nowhere"])
    content = load_content(content_dir)
    assert "phone/x" in content.articles  # still loads
    text = "\n".join(messages(content, WARNING))
    assert "超过上限 80" in text
    assert "正文有 3 个字符" in text
    assert "缺少 “## 话术示例”" in text
    assert "related 应列出 2–5 个链接" in text
    assert "“phone/nowhere” 找不到" in text


def test_scripts_section_needs_both_lists(content_dir, write_article):
    body = BODY.split("## 话术示例")[0] + "## 话术示例\n\n### 推荐说法\n- “您好”\n\n### 避免说法\n\n## 要点\n- 好\n"
    write_article("phone/x", body=body)
    assert any("“避免说法” 下没有列出任何说法" in m for m in messages(load_content(content_dir)))


def test_scripts_section_not_required_for_service(content_dir, write_article):
    write_article("service/x", body=BODY.replace("## 话术示例", "## 示例"))
    assert not any("话术示例" in m for m in messages(load_content(content_dir)))


def test_guide_links_checked_when_guides_are_known(content_dir, write_article):
    write_article("phone/a", related=["phone/b", "guide:silent-caller"])
    write_article("phone/b", related=["phone/a", "guide:nope"])
    content = load_content(content_dir, guide_ids={"silent-caller"})
    text = "\n".join(messages(content))
    assert "guide:nope" in text and "guide:silent-caller" not in text


def test_not_utf8(content_dir):
    path = content_dir / "articles" / "phone" / "gbk.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(article_text().encode("gbk"))
    [problem] = load_content(content_dir).problems
    assert "UTF-8" in problem.message


def test_sources_registry_problems(content_dir):
    (content_dir / "sources.yaml").write_text("- id: a\n  title: 书\n- {id: Bad Id, title: t, author: a, publisher: p, year: 1, isbn: 1}\n")
    content = load_content(content_dir)
    text = "\n".join(messages(content))
    assert "缺少字段 author" in text and "只能用小写字母" in text


def test_kb_check_reports_every_kind_of_problem_as_path_line_message(runner, write_article, content_dir):
    write_article("phone/good", related=["phone/long", "phone/dup"])
    write_article("phone/long", summary="很" * 81, related=["phone/good", "phone/nowhere"])
    write_article("phone/noscripts", body=BODY.replace("## 话术示例", "## 示例"), related=["phone/good", "phone/long"])
    write_article("phone/short", body="太短了。", related=["phone/good", "phone/long"])
    write_article("phone/cat", category="sales")
    write_article("phone/book", sources=[{"book": "ghost", "chapter": "1", "section": "x"}])
    write_article("phone/dup", slug="phone/good")
    write_article("phone/bad", text="---\ntitle: 坏\n  category: phone\n---\n")
    write_article("phone/missing", text="---\ntitle: 只有标题\n---\n" + BODY)
    result = runner.invoke(args=["check", "--content-dir", str(content_dir)])
    assert result.exit_code == 1
    lines = result.output.splitlines()
    expected = [
        ("phone/long.md:", "超过上限 80"), ("phone/long.md:", "“phone/nowhere” 找不到"),
        ("phone/noscripts.md:", "缺少 “## 话术示例”"), ("phone/short.md:", "正文有 4 个字符"),
        ("phone/cat.md:", "未知分类 “sales”"), ("phone/book.md:", "未知书目 ghost"),
        (".md:1:", "slug “phone/good” 与"), ("phone/bad.md:", "YAML 格式错误"),
        ("phone/missing.md:", "缺少字段 summary"),
    ]
    for where, what in expected:
        assert any(where in line and what in line and re.match(r"content/articles/\S+\.md:\d+: ", line)
                   for line in lines), (where, what, result.output)
