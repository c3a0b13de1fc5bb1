"""GET /healthz: is the database reachable and the index open and in step with it."""
from __future__ import annotations

from flask import Blueprint, jsonify
from sqlalchemy import func, select

from kb.models import ARTICLE_PUBLISHED, GUIDE_PUBLISHED, Article, CallGuide
from kb.web.state import db_session, resources

bp = Blueprint("health", __name__)


@bp.get("/healthz")
def healthz():
    """200 with details when healthy, 503 otherwise."""
    report: dict = {"database": {"ok": False}, "index": {"ok": False}}
    published = None
    try:
        session = db_session()
        articles = session.scalar(select(func.count()).select_from(Article).where(Article.status == ARTICLE_PUBLISHED))
        guides = session.scalar(select(func.count()).select_from(CallGuide).where(CallGuide.status == GUIDE_PUBLISHED))
        published = articles + guides
        report["database"] = {"ok": True, "published_articles": articles, "published_guides": guides}
    except Exception as exc:  # noqa: BLE001 - any failure is reported, not raised
        report["database"]["error"] = type(exc).__name__
    try:
        documents = resources().index.doc_count()
        report["index"] = {"ok": True, "documents": documents}
        if published is not None:
            report["index"]["in_step"] = documents == published
    except Exception as exc:  # noqa: BLE001
        report["index"]["error"] = type(exc).__name__
    ok = report["database"]["ok"] and report["index"]["ok"]
    report["status"] = "ok" if ok else "unavailable"
    return jsonify(report), 200 if ok else 503
