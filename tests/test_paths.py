"""Onboarding paths: validation on broken fixtures, every real path valid, and through HTTP: progress recorded
and resumed, wrong answers, re-opened steps after a substantive republish, practice runs, the team view."""
from __future__ import annotations

import textwrap

import pytest

from kb.content.bundle import load_bundle
from kb.paths.loader import load_paths

from conftest import REAL_CONTENT, REAL_GUIDES, form_post, login

REAL = load_bundle(REAL_CONTENT, REAL_GUIDES)


def test_every_path_in_the_repository_validates():
    assert [str(p) for p in REAL.paths.problems] == []
    assert sorted(REAL.paths.paths) == ["advanced-loyalty", "complaints-and-objections", "customer-types",
                                        "phone-etiquette", "week-one-basics"]
    for learning_path in REAL.paths.paths.values():
        assert 6 <= len(learning_path.steps) <= 25
        assert all(1 <= len(s.checks) <= 3 for s in learning_path.steps)


PATH = """\
id: {pid}
title: 测试路径
audience: 新人
estimated_minutes: 30
description: 测试用。
steps:
  - article: customer-types/silent
    checks:
      - question: 客户一直不说话，你先做什么？
        options: [连问三个问题, 先问是否方便说话, 直接挂断]
        answer: 1
        explanation: 先排除不方便，再用选择题降低门槛。
      - question: 哪些做法有用？（多选）
        options: [选择题, 留出停顿, 把沉默当同意]
        answer: [0, 1]
        explanation: 沉默不等于同意。
  - article: customer-types/talkative
    checks:
      - question: 客户说个不停，你该？
        options: [打断他, 礼貌地拉回话题]
        answer: 1
        explanation: 先认同再拉回。
"""


def write_path(content_dir, pid, text=None):
    folder = content_dir / "paths"
    folder.mkdir(exist_ok=True)
    (folder / f"{pid}.yaml").write_text(textwrap.dedent(text or PATH.format(pid=pid)), encoding="utf-8")


def problems(content_dir, articles=("customer-types/silent", "customer-types/talkative"), guides=("silent-caller",)):
    result = load_paths(content_dir, set(articles), set(guides))
    return result, [str(p) for p in result.problems]


def test_a_good_path_loads_with_a_step_count_warning(content_dir):
    write_path(content_dir, "good")
    result, messages = problems(content_dir)
    assert list(result.paths) == ["good"]
    assert messages == ["content/paths/good.yaml:6: 有 2 步，应为 6–25 步"]


@pytest.mark.parametrize("old,new,message", [
    ("article: customer-types/talkative", "article: customer-types/ghost", "第 2 步：文章 “customer-types/ghost” 不存在"),
    ("article: customer-types/talkative", "guide: ghost-guide", "第 2 步：通话指南 “ghost-guide” 不存在"),
    ("        answer: 1\n        explanation: 先认同再拉回。", "        explanation: 先认同再拉回。", "没有正确答案"),
    ("answer: [0, 1]", "answer: [0, 7]", "answer [0, 7] 超出选项范围 0–2"),
    ("options: [打断他, 礼貌地拉回话题]", "options: [只有一个]", "options 应列出 2–6 个选项"),
    ("        explanation: 先认同再拉回。\n", "", "缺少 explanation"),
    ("article: customer-types/talkative", "article: customer-types/silent", "customer-types/silent 在本路径里出现了两次"),
    ("  - article: customer-types/talkative", "  - article: customer-types/talkative\n    guide: silent-caller", "二选一"),
])
def test_broken_paths_are_refused_with_file_and_line(content_dir, old, new, message):
    text = PATH.format(pid="bad")
    assert old in text
    write_path(content_dir, "bad", text.replace(old, new))
    write_path(content_dir, "good")
    result, messages = problems(content_dir)
    assert list(result.paths) == ["good"]
    assert any(m.startswith("content/paths/bad.yaml:") and message in m for m in messages), messages


def test_yaml_errors_and_wrong_ids(content_dir):
    write_path(content_dir, "broken", "id: broken\nsteps: [\n")
    write_path(content_dir, "named", PATH.format(pid="other-name"))
    _result, messages = problems(content_dir)
    assert any("broken.yaml" in m and "YAML 格式错误" in m for m in messages)
    assert any("应与文件名 named 相同" in m for m in messages)


# --- through HTTP --------------------------------------------------------------------------------------------

@pytest.fixture
def site(app, runner, write_article, content_dir, make_user, install_guides):
    install_guides("silent-caller", "escalation-request")
    write_article("customer-types/silent", related=["customer-types/talkative", "customer-types/timid"])
    write_article("customer-types/talkative", title="健谈型客户的应对",
                  related=["customer-types/silent", "customer-types/timid"])
    text = PATH.format(pid="basics") + (
        "  - guide: silent-caller\n"
        "    checks:\n"
        "      - question: 练习中客户一直沉默，最后你怎么做？\n"
        "        options: [按规定说明后结束通话, 一直等下去]\n"
        "        answer: 0\n"
        "        explanation: 无声来电按规定提示后结束。\n")
    write_path(content_dir, "basics", text)
    result = runner.invoke(args=["sync"])
    assert result.exit_code == 0, result.output
    assert "学习路径：载入 1" in result.output
    make_user("new1", "agent")
    make_user("new2", "agent")
    make_user("lead", "reviewer")
    return app


RIGHT_1 = {"q0": "1", "q1": ["0", "1"]}
RIGHT_2 = {"q0": "1"}


def page(client, url):
    return client.get(url).get_data(as_text=True)


def test_progress_is_recorded_and_resumed(client, site):
    login(client, "new1")
    assert "已完成 0/3（0%）" in page(client, "/paths/basics")
    assert "开始：第 1 步" in page(client, "/paths/basics")
    step = page(client, "/paths/basics/steps/1")
    assert "沉默型客户的应对" in step and 'name="q1" value="1"' in step
    done = form_post(client, "/paths/basics/steps/1/check", RIGHT_1)
    assert done.status_code == 200 and "全部答对" in done.get_data(as_text=True)
    overview = page(client, "/paths/basics")
    assert "已完成 1/3（33%）" in overview and "继续：第 2 步 健谈型客户的应对" in overview
    assert "33%" in page(client, "/paths")


def test_a_wrong_answer_does_not_complete_the_step(client, site):
    login(client, "new1")
    page(client, "/paths/basics/steps/1")
    wrong = form_post(client, "/paths/basics/steps/1/check", {"q0": "0", "q1": ["0"]})
    text = wrong.get_data(as_text=True)
    assert wrong.status_code == 422 and "有答错的题" in text
    assert "先排除不方便，再用选择题降低门槛。" in text and "沉默不等于同意。" in text
    assert "已完成 0/3" in page(client, "/paths/basics")
    assert form_post(client, "/paths/basics/steps/1/check", RIGHT_1).status_code == 200  # may retry
    assert "已完成 1/3" in page(client, "/paths/basics")


def test_answers_without_reading_do_not_count(client, site):
    login(client, "new1")
    response = form_post(client, "/paths/basics/steps/2/check", RIGHT_2)
    assert "先打开并读完这篇文章" in response.get_data(as_text=True)
    assert "已完成 0/3" in page(client, "/paths/basics")


def test_a_guide_step_needs_a_practice_run_to_an_end(client, site):
    from kb.web.state import guide_engine

    from guide_paths import choices_to_outcomes

    login(client, "new1")
    page(client, "/paths/basics/steps/3")
    early = form_post(client, "/paths/basics/steps/3/check", {"q0": "0"})
    assert "先在练习模式里把这个通话指南走到结束" in early.get_data(as_text=True)
    started = form_post(client, "/paths/basics/steps/3/practice")
    run_id = int(started.headers["Location"].split("/runs/", 1)[1].split("?", 1)[0])
    with site.test_request_context():
        choices = next(iter(choices_to_outcomes(guide_engine(), "silent-caller").values()))
    for choice in choices:
        run = client.post(f"/api/runs/{run_id}/advance", json={"choice": choice + 1}).get_json()
    assert run["status"] == "finished" and run["practice"] is True
    assert form_post(client, "/paths/basics/steps/3/check", {"q0": "0"}).status_code == 200
    assert "已完成 1/3" in page(client, "/paths/basics")
    # Practice runs stay out of the live analytics.
    form_post(client, "/logout")
    login(client, "lead")
    row = page(client, "/guides/analytics").split('href="/guides/silent-caller"', 1)[1].split("</tr>", 1)[0]
    assert row.split("<td")[1].strip().endswith(">0</td>")


def test_a_substantive_republish_reopens_the_step(client, site, make_user):

    login(client, "new1")
    page(client, "/paths/basics/steps/1")
    form_post(client, "/paths/basics/steps/1/check", RIGHT_1)
    assert "已完成 1/3" in page(client, "/paths/basics")

    make_user("ed", "reviewer")
    form_post(client, "/logout")
    login(client, "ed")
    from test_editorial import form_for, revisions

    # A typo fix is not substantive: the step stays done.
    form = form_for(site, "customer-types/silent")
    form_post(client, "/edit/customer-types/silent", {**form, "body": form["body"].replace("座席", "坐席", 1), "action": "submit"})
    form_post(client, f"/review/{revisions(site, 'customer-types/silent')[-1].id}/approve")
    form = form_for(site, "customer-types/silent")
    new_body = form["body"] + "\n## 新规定\n客户沉默超过三十秒，先确认线路是否正常，再按规定提示两次后结束通话。\n"
    form_post(client, "/edit/customer-types/silent", {**form, "body": new_body, "action": "submit"})
    form_post(client, f"/review/{revisions(site, 'customer-types/silent')[-1].id}/approve")
    form_post(client, "/logout")

    login(client, "new1")
    overview = page(client, "/paths/basics")
    assert "内容已更新" in overview and "已完成 0/3" in overview
    step = page(client, "/paths/basics/steps/1")
    assert "请重新阅读并作答" in step and "新规定" in step
    form_post(client, "/paths/basics/steps/1/check", RIGHT_1)
    assert "已完成 1/3" in page(client, "/paths/basics")


def test_team_view_shows_the_right_numbers(client, site):
    login(client, "new1")
    page(client, "/paths/basics/steps/1")
    form_post(client, "/paths/basics/steps/1/check", RIGHT_1)
    page(client, "/paths/basics/steps/2")
    form_post(client, "/paths/basics/steps/2/check", {"q0": "0"})
    form_post(client, "/paths/basics/steps/2/check", RIGHT_2)
    form_post(client, "/logout")
    login(client, "new2")
    page(client, "/paths/basics/steps/2")
    form_post(client, "/paths/basics/steps/2/check", {"q0": "0"})
    form_post(client, "/logout")

    assert client.get("/paths/team").status_code == 302
    login(client, "new1")
    assert client.get("/paths/team").status_code == 403
    form_post(client, "/logout")
    login(client, "lead")
    team = page(client, "/paths/team")
    rows = team.split('<table class="stats" id="team">', 1)[1].split("</table>", 1)[0]
    assert "NEW1（new1）</td><td class=\"num\">67%</td>" in rows
    assert "NEW2（new2）</td><td class=\"num\">0%</td>" in rows
    missed = team.split('id="missed"', 1)[1]
    first = missed.split("<tr><td>", 2)[1]
    assert first.startswith("客户说个不停，你该？") and '<td class="num">2</td><td class="num">3</td>' in first


def test_anonymous_users_can_browse_but_not_answer(client, site):
    assert "登录</a>后会记录你的进度" in page(client, "/paths")
    assert "登录</a>后作答并记录进度" in page(client, "/paths/basics/steps/1")
    assert form_post(client, "/paths/basics/steps/1/check", RIGHT_1).status_code == 302
    assert client.get("/paths/basics/steps/9").status_code == 404
    assert client.get("/paths/nope").status_code == 404
