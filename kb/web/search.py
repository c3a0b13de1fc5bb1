"""The agents' search page: a box that answers as they type (static/js/search.js), with a no-JS fallback."""
from __future__ import annotations

from flask import Blueprint, render_template, request

from kb.content.categories import CATEGORIES
from kb.services import articles as article_service
from kb.services import feedback as feedback_service
from kb.web.state import db_session, resources

bp = Blueprint("search", __name__)


@bp.get("/")
def home():
    """Search box with focus, plus categories and tags to browse."""
    query = request.args.get("q", "")
    category = request.args.get("category") or None
    if category not in CATEGORIES:
        category = None
    results = resources().index.search(query, limit=20, category=category, typing=False) if query.strip() else None
    session = db_session()
    if results is not None and not results.total:
        feedback_service.record_miss(session, query)
    return render_template("search/home.html", query=query, category=category, results=results,
                           categories=CATEGORIES, counts=article_service.category_counts(session),
                           tags=article_service.popular_tags(session, limit=30))
