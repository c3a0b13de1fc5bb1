"""The editorial workflow: every save is a revision; draft → in review → published (or sent back), archived;
edit conflicts are merged, never overwritten; autosaved drafts keep what an editor typed.

A revision is a snapshot of all an article's fields. Publishing copies the approved revision into the article
row and updates the search index at once.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

from merge3 import Merge3
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kb.content.articles import SLUG_RE, ArticleDoc, CitationData, check_fields
from kb.content.loader import GUIDE_PREFIX
from kb.content.problems import ERROR, WARNING, Problem
from kb.errors import NotFound
from kb.models import (ARTICLE_ARCHIVED, ARTICLE_PUBLISHED, ARTICLE_UNPUBLISHED, GUIDE_PUBLISHED, REV_DRAFT,
                       REV_IN_REVIEW, REV_PUBLISHED, REV_RETURNED, Article, CallGuide, Citation, Draft, Revision,
                       Source, Tag, User)
from kb.search import SearchIndex
from kb.services.accounts import audit
from kb.services.indexing import article_doc_id, article_index_doc

SUBSTANTIVE_CHARS = 10  # a republish changing more than this re-opens onboarding steps on the article
BODY_HARD_MAX = 100_000  # beyond this an editor's save is refused (the file rules want ≤ 4,000)
MESSAGE_MAX = 400
FIELDS = ("title", "category", "tags", "summary", "sources", "related", "level", "body")


class EditorialError(ValueError):
    """A workflow step that cannot be done; the message is for users."""


@dataclass
class ArticleForm:
    """What the editor's form holds."""

    slug: str
    title: str = ""
    category: str = ""
    tags: list[str] = field(default_factory=list)
    summary: str = ""
    sources: list[dict[str, str]] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    level: str = "basic"
    body: str = ""
    message: str = ""
    base_revision_id: int | None = None

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in FIELDS}

    @classmethod
    def from_revision(cls, slug: str, rev: Revision) -> ArticleForm:
        return cls(slug=slug, title=rev.title, category=rev.category, tags=list(rev.tags), summary=rev.summary,
                   sources=[dict(s) for s in rev.sources], related=list(rev.related), level=rev.level,
                   body=rev.body, base_revision_id=rev.id)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ArticleForm:
        known = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**known)


def doc_from_fields(slug: str, values: dict[str, Any]) -> ArticleDoc:
    return ArticleDoc(slug=slug, path="", title=values["title"], category=values["category"],
                      tags=tuple(values["tags"]), summary=values["summary"],
                      sources=tuple(CitationData(s["book"], s["chapter"], s["section"]) for s in values["sources"]),
                      related=tuple(values["related"]), level=values["level"], body=values["body"].strip("\n") + "\n")


def revision_doc(slug: str, rev: Revision) -> ArticleDoc:
    return doc_from_fields(slug, {name: getattr(rev, name) for name in FIELDS})


# --- reading ---------------------------------------------------------------------------------------------------

def get_article_any(session: Session, slug: str) -> Article:
    article = session.scalar(select(Article).where(Article.slug == slug))
    if article is None:
        raise NotFound(slug)
    return article


def latest_revision(session: Session, article: Article) -> Revision | None:
    return session.scalar(select(Revision).where(Revision.article_id == article.id)
                          .order_by(Revision.number.desc()).limit(1))


def get_revision(session: Session, article: Article, number: int) -> Revision:
    rev = session.scalar(select(Revision).where(Revision.article_id == article.id, Revision.number == number))
    if rev is None:
        raise NotFound(f"{article.slug}#{number}")
    return rev


def history(session: Session, article: Article) -> list[Revision]:
    return list(session.scalars(select(Revision).where(Revision.article_id == article.id)
                                .order_by(Revision.number.desc())))


def review_queue(session: Session) -> list[tuple[Revision, Article]]:
    """Revisions waiting for review, oldest first (only each article's latest revision can wait)."""
    rows = session.execute(select(Revision, Article).join(Article, Revision.article_id == Article.id)
                           .where(Revision.state == REV_IN_REVIEW).order_by(Revision.created_at))
    return [(rev, art) for rev, art in rows.all()]


def my_work(session: Session, user: User) -> list[tuple[Revision, Article]]:
    """The user's unpublished revisions (drafts, in review, sent back), newest first."""
    rows = session.execute(select(Revision, Article).join(Article, Revision.article_id == Article.id)
                           .where(Revision.author_id == user.id, Revision.state != REV_PUBLISHED)
                           .order_by(Revision.created_at.desc()).limit(50))
    return [(rev, art) for rev, art in rows.all()]


# --- checking --------------------------------------------------------------------------------------------------

def check_form(session: Session, form: ArticleForm, *, new: bool = False) -> list[Problem]:
    """The rules of `kb check`, plus what only the database knows: books, related links, a free slug."""
    data = {"title": form.title, "category": form.category, "tags": form.tags, "summary": form.summary,
            "sources": form.sources, "related": form.related, "level": form.level}
    parsed = check_fields(data, form.body, form.slug)
    problems = [p for p in parsed.problems if "未知字段" not in p.message]

    def add(message: str, severity: str = ERROR) -> None:
        problems.append(Problem("编辑器", None, message, severity))

    if not SLUG_RE.fullmatch(form.slug or ""):
        add("地址（slug）应为 分类/名称，只用小写字母、数字和连字符，例如 phone/closing-the-call")
    if len(form.body) > BODY_HARD_MAX:
        add(f"正文有 {len(form.body):,} 个字符，超过保存上限 {BODY_HARD_MAX:,}；未保存，编辑框里的内容仍在")
    if len(form.message) > MESSAGE_MAX:
        add(f"修改说明超过 {MESSAGE_MAX} 个字符")
    books = set(session.scalars(select(Source.id)))
    unknown = [s.get("book") for s in form.sources if isinstance(s, dict) and s.get("book") not in books]
    if unknown:
        add(f"未知书目 {', '.join(map(str, unknown))}；可用：{', '.join(sorted(books))}")
    slugs = set(session.scalars(select(Article.slug).where(Article.status == ARTICLE_PUBLISHED)))
    guides = set(session.scalars(select(CallGuide.id).where(CallGuide.status == GUIDE_PUBLISHED)))
    for target in form.related:
        exists = target[len(GUIDE_PREFIX):] in guides if target.startswith(GUIDE_PREFIX) else target in slugs
        if not exists or target == form.slug:
            add(f"相关链接 “{target}” 找不到对应的文章或指南", WARNING)
    if new and session.scalar(select(Article.id).where(Article.slug == form.slug)) is not None:
        add(f"地址 “{form.slug}” 已被使用")
    return problems


# --- saving ----------------------------------------------------------------------------------------------------

@dataclass
class Conflict:
    """Someone saved a newer revision while this editor was working."""

    theirs: Revision
    base: Revision | None
    merged: ArticleForm  # the editor's form merged with their change, based on their revision
    clean: bool  # False: the body has conflict markers, or both changed the same field
    fields: list[str]  # fields both changed differently (the editor's value was kept)


@dataclass
class SaveResult:
    revision: Revision | None = None
    problems: list[Problem] = field(default_factory=list)
    conflict: Conflict | None = None

    @property
    def saved(self) -> bool:
        return self.revision is not None


def save(session: Session, user: User, form: ArticleForm, *, submit: bool = False, new: bool = False) -> SaveResult:
    """Save the form as a new revision (and submit it for review when `submit`). Refuses, with problems, when
    a rule is broken; returns a Conflict instead of saving when a newer revision appeared meanwhile."""
    article = session.scalar(select(Article).where(Article.slug == form.slug))
    if article is not None and new:
        return SaveResult(problems=[Problem("编辑器", None, f"地址 “{form.slug}” 已被使用")])
    latest = latest_revision(session, article) if article is not None else None
    if latest is not None and form.base_revision_id != latest.id:
        return SaveResult(conflict=_merge(session, form, latest))

    problems = check_form(session, form, new=new)
    blocking = [p for p in problems if p.severity == ERROR or (submit and p.severity == WARNING)]
    if blocking:
        return SaveResult(problems=problems)

    if article is None:
        article = Article(slug=form.slug, title=form.title, category=form.category, summary=form.summary,
                          body=form.body, level=form.level, related=list(form.related), status=ARTICLE_UNPUBLISHED)
        session.add(article)
        session.flush()
    rev = Revision(article_id=article.id, number=(latest.number + 1) if latest else 1, author_id=user.id,
                   state=REV_IN_REVIEW if submit else REV_DRAFT, message=form.message.strip()[:MESSAGE_MAX],
                   **_normalised(form))
    session.add(rev)
    draft = session.scalar(select(Draft).where(Draft.user_id == user.id, Draft.slug == _draft_key(form.slug, new)))
    if draft is not None:
        session.delete(draft)
    session.commit()
    return SaveResult(revision=rev, problems=problems)


def _normalised(form: ArticleForm) -> dict[str, Any]:
    return {"title": form.title.strip(), "category": form.category, "tags": [t.strip() for t in form.tags if t.strip()],
            "summary": form.summary.strip(), "sources": [{k: str(s.get(k, "")).strip() for k in ("book", "chapter", "section")}
                                                     for s in form.sources],
            "related": [r.strip() for r in form.related if r.strip()], "level": form.level,
            "body": form.body.replace("\r\n", "\n").strip("\n") + "\n"}


def _merge(session: Session, form: ArticleForm, theirs: Revision) -> Conflict:
    base = session.get(Revision, form.base_revision_id) if form.base_revision_id else None
    mine = _normalised(form)
    merged: dict[str, Any] = {}
    both_changed: list[str] = []
    for name in FIELDS:
        base_value = getattr(base, name) if base is not None else None
        their_value = getattr(theirs, name)
        if name == "body":
            continue
        if mine[name] == base_value or mine[name] == their_value:
            merged[name] = their_value
        elif their_value == base_value:
            merged[name] = mine[name]
        else:
            merged[name] = mine[name]
            both_changed.append(name)
    body_base = (base.body if base is not None else "").splitlines(True)
    merger = Merge3(body_base, theirs.body.splitlines(True), mine["body"].splitlines(True))
    lines = list(merger.merge_lines(name_a="对方的修改（第 %d 版）" % theirs.number, name_b="你的修改",
                                    start_marker="<<<<<<<", mid_marker="=======", end_marker=">>>>>>>"))
    body = "".join(lines)
    clean = not any(line.startswith("<<<<<<<") for line in lines) and not both_changed
    result = ArticleForm(slug=form.slug, body=body, message=form.message, base_revision_id=theirs.id, **merged)
    return Conflict(theirs=theirs, base=base, merged=result, clean=clean, fields=both_changed)


def submit(session: Session, user: User, slug: str) -> Revision:
    article = get_article_any(session, slug)
    rev = latest_revision(session, article)
    if rev is None or rev.state not in (REV_DRAFT, REV_RETURNED):
        raise EditorialError("没有可以提交审核的草稿")
    problems = [p for p in check_form(session, ArticleForm.from_revision(slug, rev)) if p.severity in (ERROR, WARNING)]
    if problems:
        raise EditorialError("先改好这些问题再提交：" + "；".join(p.message for p in problems))
    rev.state = REV_IN_REVIEW
    session.commit()
    return rev


def restore(session: Session, user: User, slug: str, number: int) -> Revision:
    """Copy an old revision into a new draft revision (history is never rewritten)."""
    article = get_article_any(session, slug)
    old = get_revision(session, article, number)
    latest = latest_revision(session, article)
    rev = Revision(article_id=article.id, number=latest.number + 1, author_id=user.id, state=REV_DRAFT,
                   message=f"恢复第 {number} 版", **{name: getattr(old, name) for name in FIELDS})
    session.add(rev)
    audit(session, user, "restore", slug, {"from": number, "to": rev.number})
    session.commit()
    return rev


# --- reviewing and publishing ----------------------------------------------------------------------------------

def approve(session: Session, index: SearchIndex, reviewer: User, revision_id: int, comment: str = "") -> Revision:
    rev = session.get(Revision, revision_id)
    if rev is None:
        raise NotFound(str(revision_id))
    article = session.get(Article, rev.article_id)
    latest = latest_revision(session, article)
    if rev.state != REV_IN_REVIEW:
        raise EditorialError("这个版本不在待审核状态")
    if latest is not None and latest.id != rev.id:
        raise EditorialError(f"这篇文章已有更新的第 {latest.number} 版，请审核最新版本")
    problems = [p for p in check_form(session, ArticleForm.from_revision(article.slug, rev)) if p.severity == ERROR]
    if problems:
        raise EditorialError("不能发布：" + "；".join(p.message for p in problems))
    rev.state, rev.reviewer_id, rev.review_comment = REV_PUBLISHED, reviewer.id, comment.strip()
    rev.reviewed_at = datetime.now(timezone.utc)
    publish_revision(session, article, rev)
    audit(session, reviewer, "publish", article.slug, {"revision": rev.number, "comment": rev.review_comment})
    session.commit()
    index.update([article_index_doc(article)])
    return rev


def send_back(session: Session, reviewer: User, revision_id: int, comment: str) -> Revision:
    rev = session.get(Revision, revision_id)
    if rev is None:
        raise NotFound(str(revision_id))
    if rev.state != REV_IN_REVIEW:
        raise EditorialError("这个版本不在待审核状态")
    if not comment.strip():
        raise EditorialError("退回时请写明原因，编辑才知道怎么改")
    rev.state, rev.reviewer_id, rev.review_comment = REV_RETURNED, reviewer.id, comment.strip()
    rev.reviewed_at = datetime.now(timezone.utc)
    session.commit()
    return rev


def substantive_change(old: str, new: str) -> bool:
    """More than a typo: over SUBSTANTIVE_CHARS characters differ once white space is ignored."""
    a, b = "".join(old.split()), "".join(new.split())
    if a == b:
        return False
    changed = sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2
                  in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes() if tag != "equal")
    return changed > SUBSTANTIVE_CHARS


def publish_revision(session: Session, article: Article, rev: Revision) -> None:
    """Make `rev` the article's published content (the caller commits and updates the index)."""
    if article.published_revision_id is not None and substantive_change(
            f"{article.summary}\n{article.body}", f"{rev.summary}\n{rev.body}"):
        article.content_version = (article.content_version or 1) + 1
    article.title, article.category, article.summary = rev.title, rev.category, rev.summary
    article.body, article.level, article.related = rev.body, rev.level, list(rev.related)
    article.status = ARTICLE_PUBLISHED
    article.published_revision_id = rev.id
    article.content_hash = revision_doc(article.slug, rev).content_hash()
    names = list(dict.fromkeys(rev.tags))
    existing = {t.name: t for t in session.scalars(select(Tag).where(Tag.name.in_(names)))}
    for name in names:
        if name not in existing:
            existing[name] = Tag(name=name)
            session.add(existing[name])
    article.tags = [existing[n] for n in names]
    article.citations.clear()
    session.flush()
    article.citations.extend(Citation(source_id=s["book"], chapter=s["chapter"], section=s["section"], position=i)
                             for i, s in enumerate(rev.sources))


def archive(session: Session, index: SearchIndex, user: User, slug: str) -> Article:
    article = get_article_any(session, slug)
    if article.status != ARTICLE_PUBLISHED:
        raise EditorialError("只有已发布的文章可以归档")
    article.status = ARTICLE_ARCHIVED
    audit(session, user, "archive", slug, {})
    session.commit()
    index.update(delete=[article_doc_id(slug)])
    return article


# --- autosaved drafts ------------------------------------------------------------------------------------------

def _draft_key(slug: str, new: bool) -> str:
    return f"new:{slug}" if new else slug


def autosave(session: Session, user: User, form: ArticleForm, *, new: bool = False) -> Draft:
    key = _draft_key(form.slug, new)
    draft = session.scalar(select(Draft).where(Draft.user_id == user.id, Draft.slug == key))
    data = {**form.fields(), "message": form.message, "slug": form.slug}
    if len(data.get("body", "")) > BODY_HARD_MAX * 2:
        raise EditorialError("草稿太大，未自动保存")
    if draft is None:
        draft = Draft(user_id=user.id, slug=key, data=data, base_revision_id=form.base_revision_id)
        session.add(draft)
    else:
        draft.data, draft.base_revision_id = data, form.base_revision_id
        draft.updated_at = datetime.now(timezone.utc)
    session.commit()
    return draft


def get_draft(session: Session, user: User, slug: str, *, new: bool = False) -> Draft | None:
    return session.scalar(select(Draft).where(Draft.user_id == user.id, Draft.slug == _draft_key(slug, new)))


def discard_draft(session: Session, user: User, slug: str, *, new: bool = False) -> None:
    draft = get_draft(session, user, slug, new=new)
    if draft is not None:
        session.delete(draft)
        session.commit()


def revision_counts(session: Session) -> dict[str, int]:
    return dict(session.execute(select(Revision.state, func.count()).group_by(Revision.state)).all())

