"""Users, roles, installation settings and the audit log. Passwords are hashed with Werkzeug's scrypt."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import check_password_hash, generate_password_hash

from kb.errors import NotFound
from kb.models import ROLES, AuditEntry, Setting, User

USERNAME_RE = re.compile(r"[A-Za-z0-9_.-]{2,64}")
PASSWORD_MIN = 8
REQUIRE_LOGIN = "require_login"


class AccountError(ValueError):
    """A request about accounts that cannot be done; the message is for users."""


def get_user(session: Session, user_id: int) -> User | None:
    return session.get(User, user_id)


def find_user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(username)
    return user


def list_users(session: Session) -> list[User]:
    return list(session.scalars(select(User).order_by(User.username)))


def add_user(session: Session, username: str, password: str, role: str, display_name: str = "",
             actor: User | None = None) -> User:
    if not USERNAME_RE.fullmatch(username):
        raise AccountError("用户名需 2–64 位，只用字母、数字、点、下划线或连字符")
    if role not in ROLES:
        raise AccountError(f"未知角色 “{role}”，可用：{', '.join(ROLES)}")
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"密码至少 {PASSWORD_MIN} 位")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AccountError(f"用户名 “{username}” 已存在")
    user = User(username=username, display_name=display_name.strip()[:100], role=role,
                password_hash=generate_password_hash(password))
    session.add(user)
    session.flush()
    audit(session, actor, "user.add", username, {"role": role})
    session.commit()
    return user


def set_role(session: Session, username: str, role: str, actor: User | None = None) -> User:
    if role not in ROLES:
        raise AccountError(f"未知角色 “{role}”，可用：{', '.join(ROLES)}")
    user = find_user(session, username)
    old = user.role
    user.role = role
    audit(session, actor, "user.role", username, {"from": old, "to": role})
    session.commit()
    return user


def set_active(session: Session, username: str, active: bool, actor: User | None = None) -> User:
    user = find_user(session, username)
    user.active = active
    audit(session, actor, "user.enable" if active else "user.disable", username, {})
    session.commit()
    return user


def set_password(session: Session, username: str, password: str, actor: User | None = None) -> User:
    if len(password) < PASSWORD_MIN:
        raise AccountError(f"密码至少 {PASSWORD_MIN} 位")
    user = find_user(session, username)
    user.password_hash = generate_password_hash(password)
    audit(session, actor, "user.password", username, {})
    session.commit()
    return user


def change_own_password(session: Session, user: User, current: str, new: str, repeated: str) -> None:
    """A signed-in user replaces their password; the current one must be given (a session left open on a shared
    desk must not be enough to take the account over)."""
    if not check_password_hash(user.password_hash, current):
        raise AccountError("当前密码不对")
    if new != repeated:
        raise AccountError("两次输入的新密码不一致")
    if new == current:
        raise AccountError("新密码不能与当前密码相同")
    set_password(session, user.username, new, user)


def authenticate(session: Session, username: str, password: str) -> User | None:
    """The active user with these credentials, or None (the same answer whatever was wrong)."""
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        # Hash anyway, so a missing user takes as long as a wrong password.
        check_password_hash(_DUMMY_HASH, password)
        return None
    if not check_password_hash(user.password_hash, password) or not user.active:
        return None
    user.last_login_at = datetime.now(timezone.utc)
    session.commit()
    return user


_DUMMY_HASH = generate_password_hash("not-a-real-password")


def get_setting(session: Session, key: str, default: Any) -> Any:
    row = session.get(Setting, key)
    return default if row is None else row.value


def set_setting(session: Session, key: str, value: Any, actor: User | None) -> None:
    row = session.get(Setting, key) or Setting(key=key)
    old = row.value
    row.value = value
    session.add(row)
    audit(session, actor, "setting", key, {"from": old, "to": value})
    session.commit()


def audit(session: Session, actor: User | None, action: str, target: str, detail: dict) -> None:
    """Record an action; committed with the caller's transaction."""
    session.add(AuditEntry(actor_id=actor.id if actor else None, action=action, target=target, detail=detail))


def audit_log(session: Session, limit: int = 200) -> list[tuple[AuditEntry, User | None]]:
    rows = session.execute(select(AuditEntry, User).outerjoin(User, AuditEntry.actor_id == User.id)
                           .order_by(AuditEntry.at.desc(), AuditEntry.id.desc()).limit(limit))
    return [(entry, user) for entry, user in rows.all()]
