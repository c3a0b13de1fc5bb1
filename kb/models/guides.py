"""Models for call guides: the validated guide definitions, agents' runs through them, and run events
(the raw material of guide analytics)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, TimestampMixin, utcnow

GUIDE_PUBLISHED = "published"
GUIDE_ARCHIVED = "archived"
RUN_ACTIVE = "active"
RUN_FINISHED = "finished"


class CallGuide(TimestampMixin, Base):
    """A guide as loaded from scripts_library/ (the definition is the validated guide as JSON)."""

    __tablename__ = "call_guide"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    summary: Mapped[str] = mapped_column(String(400))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    definition: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=GUIDE_PUBLISHED, index=True)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    source_path: Mapped[str | None] = mapped_column(String(400))


class GuideRun(Base):
    """One agent's pass through a guide during a call (or in practice). `state` is the engine's state."""

    __tablename__ = "guide_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    guide_id: Mapped[str] = mapped_column(ForeignKey("call_guide.id"), index=True)
    practice: Mapped[bool] = mapped_column(Boolean, default=False)
    status: Mapped[str] = mapped_column(String(16), default=RUN_ACTIVE, index=True)
    outcome: Mapped[str | None] = mapped_column(String(32))
    state: Mapped[dict] = mapped_column(JSON)
    notes: Mapped[str] = mapped_column(Text, default="")
    user_id: Mapped[int | None] = mapped_column(Integer, index=True)
    started_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    guide: Mapped[CallGuide] = relationship()


class GuideEvent(Base):
    """A step in a run: start, advance, back, restart, finish; at which guide and node it happened."""

    __tablename__ = "guide_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("guide_run.id", ondelete="CASCADE"), index=True)
    guide_id: Mapped[str] = mapped_column(String(100), index=True)
    node_id: Mapped[str] = mapped_column(String(100))
    kind: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
