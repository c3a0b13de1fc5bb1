"""Models for the knowledge itself: source books, articles, their tags and citations.

An article row is the published state of one slug. Later features (revisions, guides, paths, users) reference
`article.id` and add tables of their own; nothing here needs reshaping for them.
"""
from __future__ import annotations

from sqlalchemy import JSON, Column, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from kb.models.base import Base, TimestampMixin

ARTICLE_PUBLISHED = "published"
ARTICLE_ARCHIVED = "archived"
ARTICLE_UNPUBLISHED = "unpublished"  # created in the editor, never published yet

article_tag = Table(
    "article_tag",
    Base.metadata,
    Column("article_id", ForeignKey("article.id", ondelete="CASCADE"), primary_key=True),
    Column("tag_id", ForeignKey("tag.id", ondelete="CASCADE"), primary_key=True),
)


class Source(Base):
    """A source book, keyed by its short id (e.g. `timm-bible`)."""

    __tablename__ = "source"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    author: Mapped[str] = mapped_column(String(200))
    publisher: Mapped[str] = mapped_column(String(200))
    year: Mapped[int] = mapped_column(Integer)
    isbn: Mapped[str] = mapped_column(String(32))
    position: Mapped[int] = mapped_column(Integer, default=0)


class Tag(Base):
    __tablename__ = "tag"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(64), unique=True)


class Article(TimestampMixin, Base):
    __tablename__ = "article"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(String(200))
    category: Mapped[str] = mapped_column(String(64), index=True)
    summary: Mapped[str] = mapped_column(String(400))
    body: Mapped[str] = mapped_column(Text)
    level: Mapped[str] = mapped_column(String(16), default="basic")
    status: Mapped[str] = mapped_column(String(16), default=ARTICLE_PUBLISHED, index=True)
    # Targets such as "phone/closing-the-call" or "guide:silent-caller", in the author's order.
    related: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Hash of the published content. `file_hash`: of the file as last synced or exported; when the file still
    # has that hash, `kb sync` leaves the article alone, so edits published in the app are never overwritten.
    content_hash: Mapped[str] = mapped_column(String(64), default="")
    file_hash: Mapped[str] = mapped_column(String(64), default="")
    source_path: Mapped[str | None] = mapped_column(String(400))
    published_revision_id: Mapped[int | None] = mapped_column(Integer)
    # Goes up when a publish changes the text substantively (not for a typo): onboarding steps that were
    # passed on an older version are re-opened.
    content_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")

    tags: Mapped[list[Tag]] = relationship(secondary=article_tag, order_by=Tag.name)
    citations: Mapped[list[Citation]] = relationship(
        back_populates="article", cascade="all, delete-orphan", order_by="Citation.position"
    )


class Citation(Base):
    """One place in a book that an article draws on."""

    __tablename__ = "citation"
    __table_args__ = (UniqueConstraint("article_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("article.id", ondelete="CASCADE"), index=True)
    source_id: Mapped[str] = mapped_column(ForeignKey("source.id"), index=True)
    chapter: Mapped[str] = mapped_column(String(100))
    section: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    article: Mapped[Article] = relationship(back_populates="citations")
    source: Mapped[Source] = relationship()
