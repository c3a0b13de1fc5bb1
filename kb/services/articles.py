"""Reading articles: one by slug, lists by category and tag, related links, and book coverage."""
from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from kb.content.categories import CATEGORIES
from kb.content.loader import GUIDE_PREFIX
from kb.errors import NotFound
from kb.models import ARTICLE_PUBLISHED, GUIDE_PUBLISHED, Article, CallGuide, Citation, Source, Tag
from kb.services.indexing import article_url, guide_url


@dataclass(frozen=True)
class Link:
    title: str
    url: str
    kind: str  # "article" | "guide"


def get_article(session: Session, slug: str) -> Article:
    article = session.scalar(select(Article).where(Article.slug == slug, Article.status == ARTICLE_PUBLISHED)
                             .options(selectinload(Article.tags),
                                      selectinload(Article.citations).selectinload(Citation.source)))
    if article is None:
        raise NotFound(slug)
    return article


def _published():
    return select(Article).where(Article.status == ARTICLE_PUBLISHED).options(selectinload(Article.tags))


def articles_in_category(session: Session, category: str) -> list[Article]:
    if category not in CATEGORIES:
        raise NotFound(category)
    return list(session.scalars(_published().where(Article.category == category).order_by(Article.slug)))


def articles_with_tag(session: Session, tag: str) -> list[Article]:
    rows = list(session.scalars(_published().where(Article.tags.any(Tag.name == tag)).order_by(Article.slug)))
    if not rows:
        raise NotFound(tag)
    return rows


def titles_for(session: Session, slugs: list[str]) -> dict[str, str]:
    """Titles of the published articles among `slugs` (for links shown by title)."""
    if not slugs:
        return {}
    return dict(session.execute(select(Article.slug, Article.title)
                                .where(Article.slug.in_(slugs), Article.status == ARTICLE_PUBLISHED)).all())


def category_counts(session: Session) -> dict[str, int]:
    rows = session.execute(select(Article.category, func.count()).where(Article.status == ARTICLE_PUBLISHED)
                           .group_by(Article.category))
    counts = dict(rows.all())
    return {key: counts.get(key, 0) for key in CATEGORIES}


def popular_tags(session: Session, limit: int = 40) -> list[tuple[str, int]]:
    from kb.models import article_tag

    count = func.count(article_tag.c.article_id)
    rows = session.execute(select(Tag.name, count).join(article_tag).join(Article)
                           .where(Article.status == ARTICLE_PUBLISHED).group_by(Tag.name)
                           .order_by(count.desc(), Tag.name).limit(limit))
    return [(name, n) for name, n in rows.all()]


def related_links(session: Session, article: Article) -> list[Link]:
    """The article's `related` targets that exist, by title; `guide:<id>` targets link to the guide."""
    titles = titles_for(session, [t for t in article.related if not t.startswith(GUIDE_PREFIX)])
    guide_ids = [t[len(GUIDE_PREFIX):] for t in article.related if t.startswith(GUIDE_PREFIX)]
    guide_titles = dict(session.execute(select(CallGuide.id, CallGuide.title)
                                        .where(CallGuide.id.in_(guide_ids), CallGuide.status == GUIDE_PUBLISHED)).all())
    links = []
    for target in article.related:
        if target.startswith(GUIDE_PREFIX):
            guide_id = target[len(GUIDE_PREFIX):]
            if guide_id in guide_titles:
                links.append(Link(f"通话指南：{guide_titles[guide_id]}", guide_url(guide_id), "guide"))
        elif target in titles:
            links.append(Link(titles[target], article_url(target), "article"))
    return links


@dataclass
class ChapterCoverage:
    chapter: str
    sections: dict[str, list[Article]]


def _chapter_key(chapter: str) -> tuple:
    """Order 第2章 before 第10章 and 第九章 after 第四章; anything else after, alphabetically."""
    digits = "〇一二三四五六七八九"
    m = re.search(r"(\d+)", chapter)
    if m:
        return (0, int(m.group(1)), chapter)
    m = re.search(r"第([〇一二三四五六七八九十]+)章", chapter)
    if m:
        text = m.group(1)
        if "十" in text:
            tens, _, ones = text.partition("十")
            value = (digits.index(tens) if tens else 1) * 10 + (digits.index(ones) if ones else 0)
        else:
            value = digits.index(text[0])
        return (0, value, chapter)
    return (1, 0, chapter)


def source_coverage(session: Session, book_id: str) -> tuple[Source, list[ChapterCoverage], int]:
    """A book, the articles citing it grouped by chapter and section, and how many distinct articles cite it."""
    source = session.get(Source, book_id)
    if source is None:
        raise NotFound(book_id)
    rows = session.execute(select(Citation, Article).join(Article)
                           .where(Citation.source_id == book_id, Article.status == ARTICLE_PUBLISHED)
                           .order_by(Article.slug)).all()
    chapters: dict[str, dict[str, list[Article]]] = defaultdict(lambda: defaultdict(list))
    for citation, article in rows:
        bucket = chapters[citation.chapter][citation.section]
        if article not in bucket:
            bucket.append(article)
    ordered = [ChapterCoverage(ch, dict(chapters[ch])) for ch in sorted(chapters, key=_chapter_key)]
    return source, ordered, len({a.id for _c, a in rows})


def sources_with_counts(session: Session) -> list[tuple[Source, int]]:
    count = func.count(func.distinct(Citation.article_id))
    rows = session.execute(select(Source, count).outerjoin(Citation).outerjoin(Article)
                           .group_by(Source.id).order_by(Source.position)).all()
    return [(s, n) for s, n in rows]
