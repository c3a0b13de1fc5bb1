"""Models for onboarding: the paths as loaded from content/paths/, each user's progress per step, and every
answer to a check question (the team view's most-missed questions come from these)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from kb.models.base import Base, TimestampMixin, utcnow

PATH_PUBLISHED = "published"
PATH_ARCHIVED = "archived"


class LearningPath(TimestampMixin, Base):
    __tablename__ = "learning_path"

    id: Mapped[str] = mapped_column(String(100), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    definition: Mapped[dict] = mapped_column(JSON)
    status: Mapped[str] = mapped_column(String(16), default=PATH_PUBLISHED, index=True)
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    source_path: Mapped[str | None] = mapped_column(String(400))


class StepProgress(Base):
    """Where one user stands on one step of a path. A step is identified by its key (article:<slug> or
    guide:<id>), so reordering a path keeps everyone's progress."""

    __tablename__ = "step_progress"
    __table_args__ = (UniqueConstraint("user_id", "path_id", "step_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    path_id: Mapped[str] = mapped_column(String(100), index=True)
    step_key: Mapped[str] = mapped_column(String(250))
    viewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    passed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # The article's content version when the step was passed: a substantive republish re-opens the step.
    content_version: Mapped[int | None] = mapped_column(Integer)
    practice_run_id: Mapped[int | None] = mapped_column(Integer)


class CheckAttempt(Base):
    __tablename__ = "check_attempt"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    path_id: Mapped[str] = mapped_column(String(100), index=True)
    step_key: Mapped[str] = mapped_column(String(250))
    question: Mapped[int] = mapped_column(Integer)  # index within the step
    question_text: Mapped[str] = mapped_column(Text)
    chosen: Mapped[list[int]] = mapped_column(JSON)
    correct: Mapped[bool] = mapped_column(Boolean)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
