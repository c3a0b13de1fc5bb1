"""Accounts through HTTP and the CLI: users, roles, login, CSRF, rate limiting, the require-login setting, and
which roles may reach which routes."""
from __future__ import annotations

import pytest

from conftest import PASSWORD, csrf_token, form_post, login


@pytest.fixture
def article(write_article, runner):
    write_article("phone/a", related=["phone/b", "phone/c"])
    write_article("phone/b", title="第二篇", related=["phone/a", "phone/c"])
    write_article("phone/c", title="第三篇", related=["phone/a", "phone/b"])
    assert runner.invoke(args=["sync"]).exit_code == 0
    return "phone/a"


def test_cli_user_commands(runner):
    result = runner.invoke(args=["user", "add", "li", "--role", "editor", "--name", "李编辑"], env={"KB_NEW_PASSWORD": PASSWORD})
    assert result.exit_code == 0 and "已创建用户 li（编辑）" in result.output
    assert runner.invoke(args=["user", "add", "li"], env={"KB_NEW_PASSWORD": PASSWORD}).exit_code != 0
    assert "密码至少 8 位" in runner.invoke(args=["user", "add", "wang"], env={"KB_NEW_PASSWORD": "short"}).output
    assert "审核" in runner.invoke(args=["user", "set-role", "li", "reviewer"]).output
    assert runner.invoke(args=["user", "set-role", "ghost", "admin"]).exit_code != 0
    assert "已停用" in runner.invoke(args=["user", "disable", "li"]).output
    listing = runner.invoke(args=["user", "list"]).output
    assert "li" in listing and "停用" in listing and "李编辑" in listing


def test_login_logout_and_wrong_passwords(client, make_user):
    make_user("ed", "editor")
    bad = form_post(client, "/login", {"username": "ed", "password": "nope"})
    assert bad.status_code == 401 and "用户名或密码不对" in bad.get_data(as_text=True)
    assert form_post(client, "/login", {"username": "nobody", "password": PASSWORD}).status_code == 401
    login(client, "ed")
    assert "ED（编辑）" in client.get("/").get_data(as_text=True)
    assert form_post(client, "/logout").status_code == 302
    assert "登录</a>" in client.get("/").get_data(as_text=True)


def test_disabled_user_cannot_log_in(client, make_user, runner):
    make_user("ed", "editor")
    runner.invoke(args=["user", "disable", "ed"])
    assert form_post(client, "/login", {"username": "ed", "password": PASSWORD}).status_code == 401


def test_disabling_ends_an_open_session(client, make_user, runner):
    make_user("ed", "editor")
    login(client, "ed")
    assert client.get("/my").status_code == 200
    runner.invoke(args=["user", "disable", "ed"])
    assert client.get("/my").status_code == 302  # back to the login page


def test_login_redirects_only_to_local_paths(client, make_user):
    make_user("ed", "editor")
    token = csrf_token(client)
    response = client.post("/login?next=https://evil.example/", data={"username": "ed", "password": PASSWORD, "csrf_token": token})
    assert response.headers["Location"] == "/"
    form_post(client, "/logout")
    response = client.post("/login?next=/my", data={"username": "ed", "password": PASSWORD, "csrf_token": csrf_token(client)})
    assert response.headers["Location"] == "/my"


def test_login_is_rate_limited(client, make_user):
    make_user("ed", "editor")
    token = csrf_token(client)
    codes = [client.post("/login", data={"username": "ed", "password": "wrong", "csrf_token": token}).status_code
             for _ in range(12)]
    assert codes[:10] == [401] * 10 and codes[10:] == [429, 429]
    assert "尝试次数太多" in client.post("/login", data={"username": "ed", "password": PASSWORD, "csrf_token": token}).get_data(as_text=True)


def test_forms_without_a_csrf_token_are_refused(client, make_user, article):
    make_user("ed", "editor")
    assert client.post("/login", data={"username": "ed", "password": PASSWORD}).status_code == 400
    login(client, "ed")
    response = client.post("/edit/phone/a", data={"title": "x"})
    assert response.status_code == 400 and "安全令牌" in response.get_data(as_text=True)
    assert client.post("/articles/phone/a/vote", data={"helpful": "1"}).status_code == 400
    assert client.post("/logout").status_code == 400


def test_json_api_refuses_non_json_writes(client):
    response = client.post("/api/guides/x/runs", data={"practice": "1"})
    assert response.status_code == 415


def test_reading_without_login_is_a_setting(client, make_user, article):
    make_user("boss", "admin")
    assert client.get("/articles/phone/a").status_code == 200
    login(client, "boss")
    assert form_post(client, "/admin/settings", {"require_login": "1"}).status_code == 302
    form_post(client, "/logout")
    assert client.get("/articles/phone/a").status_code == 302
    assert client.get("/api/search?q=x").status_code == 401
    assert client.get("/healthz").status_code == 200
    assert client.get("/login").status_code == 200


EDITOR_ROUTES = [("get", "/my"), ("get", "/edit/new"), ("get", "/edit/phone/a"), ("post", "/edit/phone/a"),
                 ("post", "/edit/preview"), ("post", "/edit/autosave"), ("get", "/articles/phone/a/history"),
                 ("get", "/articles/phone/a/compare"), ("post", "/articles/phone/a/revisions/1/restore"),
                 ("post", "/articles/phone/a/submit"), ("get", "/feedback"), ("post", "/feedback/flags/1/resolve"),
                 ("post", "/feedback/misses/1/resolve")]
REVIEWER_ROUTES = [("get", "/review"), ("get", "/review/1"), ("post", "/review/1/approve"),
                   ("post", "/review/1/return"), ("post", "/articles/phone/a/archive")]
ADMIN_ROUTES = [("get", "/admin/users"), ("post", "/admin/users"), ("post", "/admin/users/x"),
                ("get", "/admin/settings"), ("post", "/admin/settings"), ("get", "/admin/audit")]


def call(client, method, url):
    if method == "get":
        return client.get(url)
    return client.post(url, data={"csrf_token": csrf_token(client)}, headers={"X-CSRFToken": csrf_token(client)})


@pytest.mark.parametrize("method,url", EDITOR_ROUTES + REVIEWER_ROUTES + ADMIN_ROUTES)
def test_anonymous_users_are_sent_to_log_in(client, article, method, url):
    response = call(client, method, url)
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("method,url", EDITOR_ROUTES + REVIEWER_ROUTES + ADMIN_ROUTES)
def test_agents_are_refused(client, make_user, article, method, url):
    make_user("agent1", "agent")
    login(client, "agent1")
    assert call(client, method, url).status_code == 403


@pytest.mark.parametrize("method,url", REVIEWER_ROUTES + ADMIN_ROUTES)
def test_editors_cannot_review_or_administer(client, make_user, article, method, url):
    make_user("ed", "editor")
    login(client, "ed")
    assert call(client, method, url).status_code == 403


@pytest.mark.parametrize("method,url", ADMIN_ROUTES)
def test_reviewers_cannot_administer(client, make_user, article, method, url):
    make_user("rev", "reviewer")
    login(client, "rev")
    assert call(client, method, url).status_code == 403


def test_each_role_reaches_its_own_pages(client, make_user, article):
    for name, role, url in [("ag", "agent", "/articles/phone/a"), ("ed", "editor", "/edit/phone/a"),
                            ("rv", "reviewer", "/review"), ("ad", "admin", "/admin/users")]:
        make_user(name, role)
        login(client, name)
        assert client.get(url).status_code == 200, (role, url)
        form_post(client, "/logout")


def test_admin_changes_roles_and_it_is_audited(client, make_user, article):
    make_user("boss", "admin")
    make_user("ed", "editor")
    login(client, "boss")
    form_post(client, "/admin/users/ed", {"role": "reviewer"})
    form_post(client, "/admin/users", {"username": "new1", "password": PASSWORD, "role": "agent"})
    response = form_post(client, "/admin/users/boss", {"active": "0"})
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "不能停用自己的账号" in page
    audit = client.get("/admin/audit").get_data(as_text=True)
    assert "user.role" in audit and "from=editor" in audit and "to=reviewer" in audit and "user.add" in audit


def test_users_change_their_own_password(client, make_user):
    make_user("ed", "editor")
    assert client.get("/account/password").status_code == 302  # anonymous: log in first
    login(client, "ed")
    assert "修改密码" in client.get("/account/password").get_data(as_text=True)
    new = "battery-staple-77"
    cases = [({"current": "wrong-one-1", "new": new, "repeat": new}, "当前密码不对"),
             ({"current": PASSWORD, "new": new, "repeat": new + "x"}, "两次输入的新密码不一致"),
             ({"current": PASSWORD, "new": "short", "repeat": "short"}, "密码至少 8 位"),
             ({"current": PASSWORD, "new": PASSWORD, "repeat": PASSWORD}, "不能与当前密码相同")]
    for data, message in cases:
        refused = form_post(client, "/account/password", data)
        assert refused.status_code == 400 and message in refused.get_data(as_text=True)
    assert client.post("/account/password", data={"current": PASSWORD, "new": new, "repeat": new}).status_code == 400
    assert form_post(client, "/account/password", {"current": PASSWORD, "new": new, "repeat": new}).status_code == 302
    form_post(client, "/logout")
    assert form_post(client, "/login", {"username": "ed", "password": PASSWORD}).status_code == 401
    login(client, "ed", new)


def test_an_admin_resets_a_forgotten_password(client, make_user):
    make_user("boss", "admin")
    make_user("ed", "editor")
    login(client, "boss")
    short = form_post(client, "/admin/users/ed", {"password": "short"})
    assert "密码至少 8 位" in client.get(short.headers["Location"]).get_data(as_text=True)
    form_post(client, "/admin/users/ed", {"password": "reset-by-admin-1"})
    assert "user.password" in client.get("/admin/audit").get_data(as_text=True)
    form_post(client, "/logout")
    login(client, "ed", "reset-by-admin-1")
    assert form_post(client, "/admin/users/boss", {"password": "taken-over-99"}).status_code == 403
