"""The editorial workflow through HTTP: edit, preview, autosave, submit, review, publish (and search sees it at
once), conflicts, history, diff, restore, archive, bad input, feedback, and the export/sync round trip."""
from __future__ import annotations

import filecmp
import shutil

import pytest
from sqlalchemy import func, select

from kb.models import Revision
from kb.web.state import resources

from conftest import BODY, REAL_CONTENT, REAL_GUIDES, TestDatabase, _dispose, _make_app, form_post, login


@pytest.fixture
def seeded(write_article, runner, make_user):
    write_article("customer-types/silent", related=["customer-types/talkative", "customer-types/timid"])
    write_article("customer-types/talkative", title="健谈型客户的应对", tags=["健谈型"], summary="客户说个不停时，礼貌地拉回话题。",
                  related=["customer-types/silent", "customer-types/timid"])
    write_article("customer-types/timid", title="畏生型客户的应对", tags=["畏生型"], summary="客户紧张时放慢语速。",
                  related=["customer-types/silent", "customer-types/talkative"])
    assert runner.invoke(args=["sync"]).exit_code == 0
    for name, role in [("ed", "editor"), ("ed2", "editor"), ("rev", "reviewer"), ("boss", "admin")]:
        make_user(name, role)




def form_for(app, slug, /, **changes):
    from kb.services import editorial

    with app.app_context(), resources().db.session() as session:
        rev = editorial.latest_revision(session, editorial.get_article_any(session, slug))
        data = {"title": rev.title, "category": rev.category, "tags": "，".join(rev.tags), "summary": rev.summary,
                "sources": "\n".join(f"{s['book']} | {s['chapter']} | {s['section']}" for s in rev.sources),
                "related": "，".join(rev.related), "level": rev.level, "body": rev.body, "message": "",
                "base_revision_id": str(rev.id)}
    data.update(changes)
    return data


def revisions(app, slug):
    from kb.models import Article

    with app.app_context(), resources().db.session() as session:
        article = session.scalar(select(Article).where(Article.slug == slug))
        return list(session.scalars(select(Revision).where(Revision.article_id == article.id).order_by(Revision.number)))


def search_slugs(client, q):
    return [r["slug"] for r in client.get("/api/search", query_string={"q": q, "typing": "0"}).get_json()["results"]]


def test_edit_submit_approve_and_search_sees_it(app, client, seeded):
    login(client, "ed")
    body = BODY + "\n## 新增一节\n遇到客户在开车时，先约好回电时间，绝不在客户驾驶时继续推销。\n"
    response = form_post(client, "/edit/customer-types/silent",
                         form_for(app, "customer-types/silent", body=body, message="补充开车场景", action="submit"))
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    revs = revisions(app, "customer-types/silent")
    assert [(r.number, r.state, r.author_id is None) for r in revs] == [(1, "published", True), (2, "in_review", False)]
    assert "驾驶" not in client.get("/articles/customer-types/silent").get_data(as_text=True)

    form_post(client, "/logout")
    login(client, "rev")
    queue = client.get("/review").get_data(as_text=True)
    assert "沉默型客户的应对" in queue and "第 2 版" in queue
    review = client.get(f"/review/{revs[1].id}").get_data(as_text=True)
    assert "<ins>" in review and "驾驶" in review
    assert form_post(client, f"/review/{revs[1].id}/approve", {"comment": "好"}).status_code == 302
    assert "驾驶" in client.get("/articles/customer-types/silent").get_data(as_text=True)
    assert search_slugs(client, "驾驶")[0] == "customer-types/silent"  # the index changed at once
    assert revisions(app, "customer-types/silent")[1].state == "published"
    form_post(client, "/logout")
    login(client, "boss")
    assert "publish" in client.get("/admin/audit").get_data(as_text=True)


def test_send_back_needs_a_reason(app, client, seeded):
    login(client, "ed")
    form_post(client, "/edit/customer-types/timid", form_for(app, "customer-types/timid", title="畏生型客户：先让他放松", action="submit"))
    rev = revisions(app, "customer-types/timid")[-1]
    form_post(client, "/logout")
    login(client, "rev")
    page = client.get(form_post(client, f"/review/{rev.id}/return", {"comment": ""}).headers["Location"]).get_data(as_text=True)
    assert "请写明原因" in page
    form_post(client, f"/review/{rev.id}/return", {"comment": "标题太长"})
    assert revisions(app, "customer-types/timid")[-1].state == "returned"
    form_post(client, "/logout")
    login(client, "ed")
    mine = client.get("/my").get_data(as_text=True)
    assert "已退回：标题太长" in mine


def test_a_second_save_on_an_old_base_is_merged_not_lost(app, client, seeded, another_client):
    other = another_client
    login(client, "ed")
    login(other, "ed2")
    mine = form_for(app, "customer-types/talkative")
    theirs = form_for(app, "customer-types/talkative")
    # ed2 changes the title and the first body line, and saves first.
    theirs.update(title="健谈型客户：把话题拉回来", body=theirs["body"].replace("客户在电话里一直不说话", "客户在电话里说个不停"))
    assert form_post(other, "/edit/customer-types/talkative", theirs).status_code == 302
    # ed, still on the old base, changes the summary and adds a line at the end.
    mine.update(summary="客户说个不停时，先认同再礼貌地拉回正题。", body=mine["body"] + "\n补充：每次拉回话题前先复述客户的一句话。\n")
    response = form_post(client, "/edit/customer-types/talkative", mine)
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "有人在你编辑时保存了新版本" in page and "已把对方的修改和你的修改自动合并" in page
    assert "健谈型客户：把话题拉回来" in page and "先认同再礼貌地拉回正题" in page
    assert "说个不停" in page and "每次拉回话题前先复述" in page
    assert len(revisions(app, "customer-types/talkative")) == 2  # nothing was overwritten
    # Saving the merged form (its base is now their revision) goes through with both changes.
    merged = form_for(app, "customer-types/talkative", summary=mine["summary"],
                      body=page.split('id="body" rows="24" spellcheck="false">', 1)[1].split("</textarea>", 1)[0]
                      .replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"').replace("&#39;", "'").replace("&amp;", "&"))
    assert form_post(client, "/edit/customer-types/talkative", merged).status_code == 302
    final = revisions(app, "customer-types/talkative")[-1]
    assert final.title == "健谈型客户：把话题拉回来" and final.summary == mine["summary"]
    assert "说个不停" in final.body and "每次拉回话题前先复述" in final.body


def test_conflicting_edits_of_the_same_line_show_markers(app, client, seeded, another_client):
    other = another_client
    login(client, "ed")
    login(other, "ed2")
    base = form_for(app, "customer-types/timid")
    line = "3. 问完留出停顿，等三到五秒，不要自问自答。"
    form_post(other, "/edit/customer-types/timid", {**base, "body": base["body"].replace(line, "3. 问完停五秒。")})
    response = form_post(client, "/edit/customer-types/timid", {**base, "body": base["body"].replace(line, "3. 问完等三秒。")})
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and "你们改到了同一处" in page
    assert "&lt;&lt;&lt;&lt;&lt;&lt;&lt; 对方的修改（第 2 版）" in page and "问完停五秒" in page and "问完等三秒" in page


def test_autosaved_draft_survives_a_new_session(app, client, seeded, another_client):
    login(client, "ed")
    data = form_for(app, "customer-types/silent", body=BODY + "\n还没保存的一段话。\n", slug="customer-types/silent")
    from conftest import csrf_token

    response = client.post("/edit/autosave", json=data, headers={"X-CSRFToken": csrf_token(client)})
    assert response.status_code == 200 and response.get_json()["saved_at"]
    fresh = another_client  # a new browser, a new session
    login(fresh, "ed")
    page = fresh.get("/edit/customer-types/silent").get_data(as_text=True)
    assert "已恢复你" in page and "还没保存的一段话" in page
    assert len(revisions(app, "customer-types/silent")) == 1  # a draft, not a revision


def test_live_preview_renders_and_checks(client, seeded):
    login(client, "ed")
    from conftest import csrf_token

    response = client.post("/edit/preview", json={"slug": "customer-types/silent", "title": "t", "category": "customer-types",
                                                  "summary": "很" * 90, "tags": "a", "sources": "ghost | 1 | 2",
                                                  "related": "", "level": "basic",
                                                  "body": "## 话术示例\n<script>alert(1)</script>**粗体**"},
                           headers={"X-CSRFToken": csrf_token(client)})
    data = response.get_json()
    assert "<strong>粗体</strong>" in data["html"] and "<script" not in data["html"]
    assert any("未知书目 ghost" in p for p in data["problems"])
    assert any("超过上限 80" in w for w in data["warnings"])


def test_history_compare_and_restore(app, client, seeded):
    login(client, "ed")
    form_post(client, "/edit/customer-types/silent", form_for(app, "customer-types/silent", title="沉默客户：先问方便吗", message="改标题"))
    history = client.get("/articles/customer-types/silent/history").get_data(as_text=True)
    assert "第 2 版" in history and "改标题" in history and "文件同步" in history and "ED" in history
    page = client.get("/articles/customer-types/silent/compare?a=1&b=2").get_data(as_text=True)
    # Changed words are marked inside the line, not the whole line.
    row = next(r for r in page.split("<tr") if "标题：" in r)
    assert "<del>" in row and "<ins>" in row and "客户" in row.replace("<del>", "").split("<ins>")[0]
    assert "<del>标题：沉默型客户的应对</del>" not in row  # words are marked, not the whole line
    assert form_post(client, "/articles/customer-types/silent/revisions/1/restore").status_code == 302
    revs = revisions(app, "customer-types/silent")
    assert [r.number for r in revs] == [1, 2, 3] and revs[2].title == revs[0].title and revs[2].message == "恢复第 1 版"


def test_archive_removes_from_search_and_is_audited(app, client, seeded):
    login(client, "rev")
    assert form_post(client, "/articles/customer-types/timid/archive").status_code == 302
    assert client.get("/articles/customer-types/timid").status_code == 404
    assert "customer-types/timid" not in search_slugs(client, "畏生型")
    form_post(client, "/logout")
    login(client, "boss")
    assert "archive" in client.get("/admin/audit").get_data(as_text=True)


def test_scripts_are_stored_as_written_but_rendered_harmless(app, client, seeded):
    login(client, "ed")
    evil = BODY + '\n<script>alert("x")</script>\n<img src="x" onerror="alert(1)">\n[点我](javascript:alert(2))\n<div onclick="x()">原始 HTML</div>\n'
    form_post(client, "/edit/customer-types/silent", form_for(app, "customer-types/silent", body=evil, action="submit"))
    rev = revisions(app, "customer-types/silent")[-1]
    assert '<script>alert("x")</script>' in rev.body and 'onerror="alert(1)"' in rev.body  # kept as written
    form_post(client, "/logout")
    login(client, "rev")
    form_post(client, f"/review/{rev.id}/approve")
    page = client.get("/articles/customer-types/silent").get_data(as_text=True)
    main = page.split("<main", 1)[1].split("</main>", 1)[0]
    assert "<script>" not in main and "onerror" not in main and "javascript:" not in main and "onclick" not in main
    assert "原始 HTML" in main


def test_bad_input_gets_clear_messages_and_loses_nothing(app, client, seeded):
    login(client, "ed")
    before = len(revisions(app, "customer-types/silent"))
    cases = [
        ({"title": "长" * 61}, "字段 title 有 61 个字符，超过上限 60"),
        ({"sources": "ghost-book | 第1章 | 某节"}, "未知书目 ghost-book"),
        ({"sources": "只有一栏"}, "出处第 1 行应写成：书目编号 | 章 | 节"),
        ({"category": "sales"}, "未知分类 “sales”"),
        ({"body": "客" * 1_048_576}, "超过保存上限 100,000"),
    ]
    for change, message in cases:
        response = form_post(client, "/edit/customer-types/silent", form_for(app, "customer-types/silent", **change))
        page = response.get_data(as_text=True)
        assert response.status_code == 400 and message in page, message
        field, value = next(iter(change.items()))
        if field != "body":
            assert value.split(" |")[0] in page  # what was typed is still in the form
    summary = form_post(client, "/edit/customer-types/silent", form_for(app, "customer-types/silent", summary="很" * 81, action="submit"))
    assert summary.status_code == 400 and "超过上限 80" in summary.get_data(as_text=True)  # blocks submitting
    assert len(revisions(app, "customer-types/silent")) == before
    assert form_post(client, "/edit/customer-types/silent", form_for(app, "customer-types/silent", summary="很" * 81)).status_code == 302


def test_new_article_from_the_editor(app, client, seeded):
    login(client, "ed")
    data = form_for(app, "customer-types/silent", title="骄傲型客户", tags="骄傲型", summary="先给足面子再讲规则。",
                    base_revision_id="", slug="customer-types/proud", action="submit")
    assert form_post(client, "/edit/new", data).status_code == 302
    assert client.get("/articles/customer-types/proud").status_code == 404  # not published yet
    dup = form_post(client, "/edit/new", {**data, "slug": "customer-types/silent"})
    assert dup.status_code == 400 and "已被使用" in dup.get_data(as_text=True)
    rev = revisions(app, "customer-types/proud")[-1]
    form_post(client, "/logout")
    login(client, "rev")
    form_post(client, f"/review/{rev.id}/approve")
    assert client.get("/articles/customer-types/proud").status_code == 200
    assert search_slugs(client, "骄傲型")[0] == "customer-types/proud"


def test_feedback_votes_flags_and_the_queue(app, client, seeded, make_user):
    make_user("agent1", "agent")
    login(client, "agent1")
    form_post(client, "/articles/customer-types/silent/vote", {"helpful": "0"})
    form_post(client, "/articles/customer-types/silent/vote", {"helpful": "1"})
    form_post(client, "/articles/customer-types/silent/vote", {"helpful": "0"})
    empty = client.get(form_post(client, "/articles/customer-types/silent/flag", {"comment": " "}).headers["Location"])
    assert "请写一句哪里过时了" in empty.get_data(as_text=True)
    form_post(client, "/articles/customer-types/silent/flag", {"comment": "工号规则已经改了"})
    client.post("/api/search/miss", json={"q": "客户要开发票"})
    client.post("/api/search/miss", json={"q": "客户要开发票"})
    form_post(client, "/logout")
    login(client, "ed")
    page = client.get("/feedback").get_data(as_text=True)
    assert "工号规则已经改了" in page and "客户要开发票" in page
    assert '<td class="num">2</td>' in page  # asked twice; also 2 votes of 没用
    flag_id = int(page.split("/feedback/flags/", 1)[1].split("/", 1)[0])
    form_post(client, f"/feedback/flags/{flag_id}/resolve")
    miss_id = int(page.split("/feedback/misses/", 1)[1].split("/", 1)[0])
    form_post(client, f"/feedback/misses/{miss_id}/resolve")
    page = client.get("/feedback").get_data(as_text=True)
    assert "工号规则已经改了" not in page and "客户要开发票" not in page


def test_sync_never_overwrites_what_the_app_published(app, client, runner, seeded, write_article):
    login(client, "ed")
    form_post(client, "/edit/customer-types/silent", form_for(app, "customer-types/silent", title="应用内改的标题", action="submit"))
    form_post(client, "/logout")
    login(client, "rev")
    form_post(client, f"/review/{revisions(app, 'customer-types/silent')[-1].id}/approve")
    assert "新增 0，更新 0" in runner.invoke(args=["sync"]).output  # file unchanged: app edit kept
    assert "应用内改的标题" in client.get("/articles/customer-types/silent").get_data(as_text=True)
    write_article("customer-types/silent", title="文件里也改了标题", related=["customer-types/talkative", "customer-types/timid"])
    result = runner.invoke(args=["sync"])
    assert "都改过，未用文件覆盖" in result.output
    assert "应用内改的标题" in client.get("/articles/customer-types/silent").get_data(as_text=True)


def test_export_and_sync_round_trip_on_the_real_content_is_byte_stable(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(REAL_CONTENT, content)
    db = TestDatabase(tmp_path)
    app = _make_app(tmp_path, db, content, REAL_GUIDES)
    runner = app.test_cli_runner()
    try:
        assert runner.invoke(args=["sync"]).exit_code == 0
        first = runner.invoke(args=["export"])
        assert first.exit_code == 0 and "写出 0，未变 117，删除 0" in first.output, first.output
        comparison = filecmp.dircmp(REAL_CONTENT / "articles", content / "articles")
        assert not comparison.diff_files and not comparison.left_only and not comparison.right_only
        assert "写出 0" in runner.invoke(args=["export"]).output
        assert "新增 0，更新 0，归档 0，未变 117" in runner.invoke(args=["sync"]).output
        with app.app_context(), resources().db.session() as session:
            assert session.scalar(select(func.count()).select_from(Revision)) == 117  # no new revisions either
    finally:
        _dispose(app)
        db.drop()


def test_export_writes_app_edits_and_removes_archived(app, client, runner, seeded, content_dir):
    login(client, "rev")
    form_post(client, "/edit/customer-types/silent", form_for(app, "customer-types/silent", title="导出的新标题", action="submit"))
    form_post(client, f"/review/{revisions(app, 'customer-types/silent')[-1].id}/approve")
    form_post(client, "/articles/customer-types/timid/archive")
    result = runner.invoke(args=["export"])
    assert "写出：customer-types/silent" in result.output and "删除（已归档）：customer-types/timid" in result.output
    assert "title: 导出的新标题" in (content_dir / "articles/customer-types/silent.md").read_text(encoding="utf-8")
    assert not (content_dir / "articles/customer-types/timid.md").exists()
    assert "写出 0" in runner.invoke(args=["export"]).output
    assert "新增 0，更新 0" in runner.invoke(args=["sync"]).output
