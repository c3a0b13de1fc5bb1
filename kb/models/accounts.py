"""Models for people and what they do: users with a role, settings, the audit log."""
from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, utcnow

AGENT, EDITOR, REVIEWER, ADMIN = "agent", "editor", "reviewer", "admin"
# Each role can do everything the roles before it can.
ROLES: dict[str, str] = {AGENT: "座席", EDITOR: "编辑", REVIEWER: "审核", ADMIN: "管理员"}
ROLE_RANK = {role: rank for rank, role in enumerate(ROLES)}


class User(Base):
    __tablename__ = "app_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(100), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[str] = mapped_column(String(16), default=AGENT)
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    def can(self, role: str) -> bool:
        return self.active and ROLE_RANK.get(self.role, -1) >= ROLE_RANK[role]

    @property
    def name(self) -> str:
        return self.display_name or self.username


class Setting(Base):
    """Installation settings changed at run time by an admin (defaults come from the configuration)."""

    __tablename__ = "setting"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[Any] = mapped_column(JSON)


class AuditEntry(Base):
    """Who published, archived, restored, or changed a role, and when."""

    __tablename__ = "audit_entry"

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"), index=True)
    action: Mapped[str] = mapped_column(String(32), index=True)
    target: Mapped[str] = mapped_column(String(200))
    detail: Mapped[dict] = mapped_column(JSON, default=dict)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
