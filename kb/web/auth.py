"""Login, sessions, roles and request protection: Flask-Login for sessions, Flask-WTF for CSRF on every form,
Flask-Limiter for login attempts. Whether reading needs a login is an admin setting (default from
KB_REQUIRE_LOGIN)."""
from __future__ import annotations

from functools import wraps
from typing import Callable

from flask import Blueprint, Flask, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager, current_user, login_user, logout_user
from flask_wtf.csrf import CSRFError, CSRFProtect
from werkzeug.exceptions import TooManyRequests

from kb.models import ROLES, User
from kb.services import accounts
from kb.web.state import db_session

bp = Blueprint("auth", __name__)
login_manager = LoginManager()
csrf = CSRFProtect()
limiter = Limiter(key_func=get_remote_address, default_limits=[])

# Reachable without logging in even when reading requires it.
PUBLIC_ENDPOINTS = {"auth.login", "auth.logout", "health.healthz", "static"}


def init_app(app: Flask) -> None:
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["KB_RATELIMIT_STORAGE_URI"])
    app.config.setdefault("SESSION_COOKIE_SAMESITE", "Lax")
    app.config.setdefault("WTF_CSRF_TIME_LIMIT", None)  # a token lives as long as the session
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = "请先登录。"
    csrf.init_app(app)
    limiter.init_app(app)
    app.before_request(_require_login_when_configured)

    @app.errorhandler(CSRFError)
    def csrf_failed(exc: CSRFError):
        message = "表单已过期或缺少安全令牌，请刷新页面后重试（已输入的内容请先复制保存）。"
        if request.path.startswith("/api/"):
            return jsonify({"error": message, "status": 400}), 400
        return render_template("error.html", code=400, message=message), 400

    @app.errorhandler(TooManyRequests)
    def too_many(_exc):
        message = "尝试次数太多，请稍后再试。"
        if request.path.startswith("/api/"):
            return jsonify({"error": message, "status": 429}), 429
        return render_template("error.html", code=429, message=message), 429

    @app.context_processor
    def roles():
        return {"ROLES": ROLES, "can": lambda role: current_user.is_authenticated and current_user.can(role)}


class SessionUser:
    """The logged-in user as Flask-Login sees it: the row's fields, detached from any database session."""

    def __init__(self, user: User) -> None:
        self.id, self.username, self.role = user.id, user.username, user.role
        self.display_name, self.active = user.display_name, user.active
        self.name = user.name

    is_authenticated = True
    is_anonymous = False

    @property
    def is_active(self) -> bool:
        return self.active

    def get_id(self) -> str:
        return str(self.id)

    def can(self, role: str) -> bool:
        return User.can(self, role)  # type: ignore[arg-type]

    def row(self) -> User:
        """The database row, in this request's session."""
        return db_session().get(User, self.id)


@login_manager.user_loader
def _load_user(user_id: str) -> SessionUser | None:
    user = accounts.get_user(db_session(), int(user_id)) if user_id.isdigit() else None
    return SessionUser(user) if user is not None and user.active else None


def require_login_setting() -> bool:
    return bool(accounts.get_setting(db_session(), accounts.REQUIRE_LOGIN, current_app.config["KB_REQUIRE_LOGIN"]))


def _require_login_when_configured():
    if request.endpoint in PUBLIC_ENDPOINTS or request.endpoint is None or current_user.is_authenticated:
        return None
    if require_login_setting():
        if request.path.startswith("/api/"):
            return jsonify({"error": "需要登录", "status": 401}), 401
        return login_manager.unauthorized()
    return None


def role_required(role: str) -> Callable:
    """Only users with at least `role`; anonymous users are sent to log in, others get 403."""

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def wrapped(*args, **kwargs):
            if not current_user.is_authenticated:
                if request.path.startswith("/api/"):
                    return jsonify({"error": "需要登录", "status": 401}), 401
                return login_manager.unauthorized()
            if not current_user.can(role):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def current_row() -> User | None:
    return current_user.row() if current_user.is_authenticated else None


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["KB_LOGIN_RATE_LIMIT"], methods=["POST"])
def login():
    """Password login; `next` returns to the page that asked for it."""
    error = None
    if request.method == "POST":
        user = accounts.authenticate(db_session(), request.form.get("username", "").strip(),
                                     request.form.get("password", ""))
        if user is not None:
            login_user(SessionUser(user), remember=bool(request.form.get("remember")))
            target = request.args.get("next") or request.form.get("next") or ""
            # Only local paths: never redirect to another site after login.
            if not target.startswith("/") or target.startswith("//"):
                target = url_for("search.home")
            return redirect(target)
        error = "用户名或密码不对，或账号已停用。"
    return render_template("auth/login.html", error=error, next=request.args.get("next", "")), (401 if error else 200)


@bp.route("/account/password", methods=["GET", "POST"])
@limiter.limit(lambda: current_app.config["KB_LOGIN_RATE_LIMIT"], methods=["POST"])
@role_required("agent")
def change_password():
    """Any signed-in user changes their own password. (No e-mail here: a forgotten password is reset by an admin
    on the users page or with `kb user password`.)"""
    error = None
    if request.method == "POST":
        session = db_session()
        try:
            accounts.change_own_password(session, current_row(), request.form.get("current", ""),
                                         request.form.get("new", ""), request.form.get("repeat", ""))
            flash("密码已修改，下次登录请用新密码。")
            return redirect(url_for("search.home"))
        except accounts.AccountError as exc:
            session.rollback()
            error = str(exc)
    return render_template("auth/password.html", error=error), (400 if error else 200)


@bp.post("/logout")
def logout():
    """Log out (a form with a CSRF token, so no other site can log a user out)."""
    logout_user()
    flash("已退出登录。")
    return redirect(url_for("search.home"))
