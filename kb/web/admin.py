"""Admins: users and roles, installation settings, and the audit log."""
from __future__ import annotations

from flask import Blueprint, flash, redirect, render_template, request, url_for

from kb.errors import NotFound
from kb.models import ROLES
from kb.services import accounts
from kb.web.auth import current_row, require_login_setting, role_required
from kb.web.state import db_session

bp = Blueprint("admin", __name__, url_prefix="/admin")


@bp.get("/users")
@role_required("admin")
def users():
    """All users, with forms to add one and change roles."""
    return render_template("admin/users.html", users=accounts.list_users(db_session()), roles=ROLES)


@bp.post("/users")
@role_required("admin")
def add_user():
    """Add a user."""
    session = db_session()
    try:
        accounts.add_user(session, request.form.get("username", "").strip(), request.form.get("password", ""),
                          request.form.get("role", "agent"), request.form.get("display_name", ""), current_row())
        flash("已添加用户。")
    except accounts.AccountError as exc:
        session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("admin.users"))


@bp.post("/users/<username>")
@role_required("admin")
def update_user(username: str):
    """Change a role, disable / enable, or set a new password (the way to help a user who forgot theirs)."""
    session = db_session()
    try:
        if "role" in request.form:
            accounts.set_role(session, username, request.form["role"], current_row())
        if "password" in request.form:
            accounts.set_password(session, username, request.form["password"], current_row())
        if "active" in request.form:
            if username == current_row().username and request.form["active"] != "1":
                raise accounts.AccountError("不能停用自己的账号")
            accounts.set_active(session, username, request.form["active"] == "1", current_row())
        flash("已更新。")
    except (accounts.AccountError, NotFound) as exc:
        session.rollback()
        flash(str(exc) if isinstance(exc, accounts.AccountError) else f"没有用户 {username}", "error")
    return redirect(url_for("admin.users"))


@bp.route("/settings", methods=["GET", "POST"])
@role_required("admin")
def settings():
    """Whether reading requires login."""
    session = db_session()
    if request.method == "POST":
        accounts.set_setting(session, accounts.REQUIRE_LOGIN, request.form.get("require_login") == "1", current_row())
        flash("设置已保存。")
        return redirect(url_for("admin.settings"))
    return render_template("admin/settings.html", require_login=require_login_setting())


@bp.get("/audit")
@role_required("admin")
def audit():
    """Who published, archived, restored, changed roles or settings."""
    return render_template("admin/audit.html", entries=accounts.audit_log(db_session()))
