"""Agents' feedback on an article (有用/没用, 内容过时) and the editors' queue of flags and failed searches."""
from __future__ import annotations

from flask import Blueprint, flash, jsonify, redirect, render_template, request, url_for

from kb.services import articles as article_service
from kb.services import feedback as feedback_service
from kb.web.auth import current_row, role_required
from kb.web.state import db_session

bp = Blueprint("feedback", __name__)


@bp.post("/articles/<path:slug>/vote")
def vote(slug: str):
    """有用 / 没用."""
    session = db_session()
    article = article_service.get_article(session, slug)
    feedback_service.vote(session, article, request.form.get("helpful") == "1", current_row())
    flash("谢谢你的反馈。")
    return redirect(url_for("articles.article", slug=slug))


@bp.post("/articles/<path:slug>/flag")
def flag(slug: str):
    """内容过时, with a comment."""
    session = db_session()
    article = article_service.get_article(session, slug)
    try:
        feedback_service.flag_outdated(session, article, request.form.get("comment", ""), current_row())
        flash("已通知编辑，谢谢。")
    except feedback_service.FeedbackError as exc:
        session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("articles.article", slug=slug))


@bp.post("/api/search/miss")
def miss():
    """The search page reports a query the agent stopped at without results."""
    if not request.is_json:
        return jsonify({"error": "请求体应为 JSON"}), 415
    data = request.get_json(silent=True) or {}
    query = data.get("q")
    if not isinstance(query, str):
        return jsonify({"error": "q 应为文字"}), 400
    feedback_service.record_miss(db_session(), query)
    return jsonify({"recorded": True})


@bp.get("/feedback")
@role_required("editor")
def queue():
    """Flags to resolve, searches that found nothing, least helpful articles."""
    return render_template("feedback/queue.html", queue=feedback_service.queue(db_session()))


@bp.post("/feedback/flags/<int:feedback_id>/resolve")
@role_required("editor")
def resolve_flag(feedback_id: int):
    """Mark a 内容过时 flag as handled."""
    feedback_service.resolve_flag(db_session(), feedback_id, current_row())
    return redirect(url_for("feedback.queue"))


@bp.post("/feedback/misses/<int:miss_id>/resolve")
@role_required("editor")
def resolve_miss(miss_id: int):
    """Mark a failed search as handled (an article or synonym now covers it)."""
    feedback_service.resolve_miss(db_session(), miss_id)
    return redirect(url_for("feedback.queue"))
