"""Reading: an article, a category, a tag, the source books and what cites them."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from kb.content.categories import CATEGORIES, LEVELS
from kb.markdown_render import render
from kb.services import articles as article_service
from kb.services import guides as guide_service
from kb.web.state import db_session, guide_engine

bp = Blueprint("articles", __name__)


@bp.get("/articles/<path:slug>")
def article(slug: str):
    """One article; `?partial=1` returns just the article for the search page's reading pane."""
    session = db_session()
    item = article_service.get_article(session, slug)
    rendered = render(item.body)
    template = "articles/_article.html" if request.args.get("partial") else "articles/article.html"
    return render_template(template, article=item, rendered=rendered, category=CATEGORIES[item.category],
                           levels=LEVELS, related=article_service.related_links(session, item),
                           guides=guide_service.guides_for_article(guide_engine(), slug))


@bp.get("/categories/<category>")
def category(category: str):
    """All articles of one category."""
    items = article_service.articles_in_category(db_session(), category)
    return render_template("articles/list.html", heading=CATEGORIES[category].label,
                           description=CATEGORIES[category].description, articles=items, categories=CATEGORIES)


@bp.get("/tags/<tag>")
def tag(tag: str):
    """All articles with one tag."""
    items = article_service.articles_with_tag(db_session(), tag)
    return render_template("articles/list.html", heading=f"标签：{tag}", description="", articles=items,
                           categories=CATEGORIES)


@bp.get("/sources")
def sources():
    """The five books and how many articles cite each."""
    return render_template("articles/sources.html", sources=article_service.sources_with_counts(db_session()))


@bp.get("/sources/<book>")
def source(book: str):
    """One book's coverage map: the articles citing it, by chapter and section."""
    item, chapters, cited_by = article_service.source_coverage(db_session(), book)
    return render_template("articles/source.html", source=item, chapters=chapters, cited_by=cited_by,
                           categories=CATEGORIES)
