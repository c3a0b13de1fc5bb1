"""Models for the editorial workflow: revisions of articles (every save), autosaved drafts, and agents'
feedback (votes, outdated flags, searches that found nothing)."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.accounts import User
from kb.models.base import Base, utcnow

# A revision's place in the workflow.
REV_DRAFT = "draft"  # saved, not yet submitted
REV_IN_REVIEW = "in_review"
REV_RETURNED = "returned"  # sent back by a reviewer
REV_PUBLISHED = "published"
REV_STATES = {REV_DRAFT: "草稿", REV_IN_REVIEW: "待审核", REV_RETURNED: "已退回", REV_PUBLISHED: "已发布"}


class Revision(Base):
    """An immutable snapshot of an article's fields; `state` and the review fields move with the workflow."""

    __tablename__ = "revision"
    __table_args__ = (UniqueConstraint("article_id", "number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(64))
    tags: Mapped[list[str]] = mapped_column(JSON, default=list)
    summary: Mapped[str] = mapped_column(String(400))
    sources: Mapped[list[dict]] = mapped_column(JSON, default=list)
    related: Mapped[list[str]] = mapped_column(JSON, default=list)
    level: Mapped[str] = mapped_column(String(16), default="basic")
    body: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(String(400), default="")
    author_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))  # None: loaded from a file
    state: Mapped[str] = mapped_column(String(16), default=REV_DRAFT, index=True)
    reviewer_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    review_comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    author: Mapped[User | None] = relationship(foreign_keys=[author_id])
    reviewer: Mapped[User | None] = relationship(foreign_keys=[reviewer_id])


class Draft(Base):
    """The autosaved editor form of one user for one article (or a new one): nothing typed is lost."""

    __tablename__ = "draft"
    __table_args__ = (UniqueConstraint("user_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("app_user.id", ondelete="CASCADE"), index=True)
    slug: Mapped[str] = mapped_column(String(200))  # the article's slug, or "new:<category>/<name>"
    data: Mapped[dict] = mapped_column(JSON)
    base_revision_id: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, onupdate=utcnow)


FEEDBACK_VOTE = "vote"
FEEDBACK_OUTDATED = "outdated"


class Feedback(Base):
    """An agent's 有用/没用 vote or 内容过时 flag on an article."""

    __tablename__ = "feedback"

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))
    kind: Mapped[str] = mapped_column(String(16))
    helpful: Mapped[bool | None] = mapped_column(Boolean)
    comment: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    resolved_by_id: Mapped[int | None] = mapped_column(ForeignKey("app_user.id"))


class SearchMiss(Base):
    """A search that found nothing: editors see what agents looked for and could not find."""

    __tablename__ = "search_miss"

    id: Mapped[int] = mapped_column(primary_key=True)
    query: Mapped[str] = mapped_column(String(100), unique=True)
    count: Mapped[int] = mapped_column(Integer, default=1)
    first_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
