"""Guide validation on small broken fixtures: each problem is reported with file, line and node, the broken
guide is refused, and the others still load."""
from __future__ import annotations

import textwrap

import pytest

from kb.guides.loader import load_guides

GOOD = """\
id: {gid}
title: 测试指南
summary: 用来测试的指南。
tags: [测试]
situations: [客户来电]
sources:
  - {{book: timm-bible, chapter: 第4章, section: 如何接听电话}}
articles: [phone/a]
start: hello
nodes:
  hello:
    type: say
    title: 问候
    say: [您好]
    branches:
      - {{label: 要办业务, next: check}}
      - {{label: 挂断, next: gone}}
  check:
    type: action
    title: 核实身份
    checklist: [核对号码]
    next: done
  done:
    type: end
    title: 解决
    outcome: resolved
  gone:
    type: end
    title: 挂断
    outcome: hung-up
"""


@pytest.fixture
def write(guides_dir):
    def write(gid: str, text: str | None = None):
        path = guides_dir / f"{gid}.yaml"
        path.write_text(textwrap.dedent(text) if text else GOOD.format(gid=gid), encoding="utf-8")
        return path
    return write


def load(guides_dir, articles=("phone/a",)):
    return load_guides(guides_dir, set(articles))


def messages(result):
    return [str(p) for p in result.problems]


def test_a_good_guide_loads(guides_dir, write):
    write("good")
    result = load(guides_dir)
    assert messages(result) == [] and list(result.guides) == ["good"]
    assert result.guides["good"].outcomes() == ["resolved", "hung-up"]


def broken(gid, old, new):
    text = GOOD.format(gid=gid)
    assert old in text
    return text.replace(old, new)


def line_of(path, needle):
    return next(i for i, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


def test_unknown_node_type(guides_dir, write):
    write("good")
    path = write("bad", broken("bad", "    type: action", "    type: dance"))
    result = load(guides_dir)
    assert list(result.guides) == ["good"]
    assert f"scripts_library/bad.yaml:{line_of(path, '  check:')}: 节点 check：未知节点类型 “dance”" in messages(result)[0]


def test_unknown_target(guides_dir, write):
    path = write("bad", broken("bad", "next: done", "next: nowhere"))
    result = load(guides_dir)
    assert result.guides == {}
    assert any(m.startswith(f"scripts_library/bad.yaml:{line_of(path, '  check:')}: 节点 check：下一步 “nowhere” 不存在")
               for m in messages(result))


def test_unreachable_node(guides_dir, write):
    write("bad", GOOD.format(gid="bad") + "  orphan:\n    type: end\n    title: 孤儿\n    outcome: resolved\n")
    assert any("节点 orphan：从起始节点走不到" in m for m in messages(load(guides_dir)))


def test_node_with_no_way_to_an_end(guides_dir, write):
    text = broken("bad", "      - {label: 挂断, next: gone}", "      - {label: 挂断, next: gone}\n      - {label: 绕圈, next: loop}")
    text += "  loop:\n    type: action\n    title: 绕圈\n    checklist: [再问一次]\n    next: loop2\n"
    text += "  loop2:\n    type: action\n    title: 还绕\n    checklist: [又问一次]\n    next: loop\n"
    write("bad", text)
    result = load(guides_dir)
    found = "\n".join(messages(result))
    assert "节点 loop：走不到任何结束节点（可能是没有出口的循环）" in found and "节点 loop2" in found
    assert result.guides == {}


def test_a_loop_with_an_exit_is_fine(guides_dir, write):
    write("ok", broken("ok", "      - {label: 挂断, next: gone}", "      - {label: 挂断, next: gone}\n      - {label: 再说一遍, next: hello}"))
    assert messages(load(guides_dir)) == []


def test_duplicate_node_ids(guides_dir, write):
    path = write("bad", GOOD.format(gid="bad") + "  done:\n    type: end\n    title: 重复\n    outcome: resolved\n")
    result = load(guides_dir)
    [problem] = result.problems
    assert problem.line == len(path.read_text().splitlines()) - 3 and "重复的键 “done”" in problem.message


def test_duplicate_guide_ids(guides_dir, write):
    write("one")
    (guides_dir / "two.yml").write_text(GOOD.format(gid="one"), encoding="utf-8")
    found = "\n".join(messages(load(guides_dir)))
    assert "指南编号 “one” 应与文件名 two 相同" in found


def test_missing_article(guides_dir, write):
    path = write("bad", broken("bad", "    checklist: [核对号码]", "    checklist: [核对号码]\n    articles: [phone/none]"))
    result = load(guides_dir)
    assert f"scripts_library/bad.yaml:{line_of(path, '  check:')}: 节点 check：文章链接 “phone/none” 找不到" in messages(result)
    assert result.guides == {}


def test_jump_to_missing_guide_and_jump_cycles(guides_dir, write):
    jump = ("    type: action\n    title: 核实身份\n    checklist: [核对号码]\n    next: done",
            "    type: guide\n    title: 转入\n    guide: {target}\n    next: done")
    write("a", broken("a", jump[0], jump[1].format(target="b")))
    write("b", broken("b", jump[0], jump[1].format(target="a")))
    write("c", broken("c", jump[0], jump[1].format(target="ghost")))
    write("d", broken("d", jump[0], jump[1].format(target="good")))
    write("good")
    result = load(guides_dir)
    found = "\n".join(messages(result))
    assert "会形成指南之间的循环跳转" in found and "“ghost” 不存在或无法载入" in found
    assert sorted(result.guides) == ["d", "good"]


def test_yaml_syntax_error_has_a_line(guides_dir, write):
    write("bad", "id: bad\ntitle: [未闭合\nnodes: {}\n")
    [problem] = load(guides_dir).problems
    assert problem.path == "scripts_library/bad.yaml" and problem.line in (2, 3) and "YAML" in problem.message


def test_missing_fields_and_bad_outcome(guides_dir, write):
    write("bad", broken("bad", "    outcome: resolved", "    outcome: happy"))
    found = "\n".join(messages(load(guides_dir)))
    assert "节点 done：未知结果 “happy”" in found


def test_say_node_needs_branches(guides_dir, write):
    write("bad", broken("bad", "    branches:\n      - {label: 要办业务, next: check}\n      - {label: 挂断, next: gone}\n", ""))
    assert any("say 节点需要 branches" in m for m in messages(load(guides_dir)))


def test_check_command_reports_guides(app, runner, guides_dir, write, write_article):
    write_article("phone/a", related=["phone/b", "guide:good"])
    write_article("phone/b", related=["phone/a", "guide:missing"])
    write("good")
    write("bad", broken("bad", "next: done", "next: nowhere"))
    result = runner.invoke(args=["check"])
    assert result.exit_code == 1
    assert "scripts_library/bad.yaml:" in result.output and "下一步 “nowhere” 不存在" in result.output
    assert "“guide:missing” 找不到" in result.output and "“guide:good”" not in result.output
