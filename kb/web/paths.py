"""Onboarding paths for new hires: the list, a path with the user's progress, a step (read or practise, then
answer its checks), and the team view for reviewers."""
from __future__ import annotations

from flask import Blueprint, redirect, render_template, request, url_for
from flask_login import current_user

from kb.content.categories import CATEGORIES
from kb.errors import NotFound
from kb.markdown_render import render
from kb.services import articles as article_service
from kb.services import guides as guide_service
from kb.services import paths as path_service
from kb.web.auth import current_row, role_required
from kb.web.state import db_session, guide_engine

bp = Blueprint("paths", __name__)


@bp.get("/paths")
def index():
    """Every path: what it covers, how long, how far the user is."""
    session = db_session()
    user = current_row()
    states = [path_service.path_state(session, user, p) for p in path_service.list_paths(session)]
    return render_template("paths/index.html", states=states)


@bp.get("/paths/team")
@role_required("reviewer")
def team():
    """Each person's progress per path, and the questions most often missed."""
    paths, rows, missed = path_service.team(db_session())
    return render_template("paths/team.html", paths=paths, rows=rows, missed=missed)


@bp.get("/paths/<path_id>")
def path(path_id: str):
    """A path's steps with the user's state on each; 继续 resumes where they left off."""
    session = db_session()
    state = path_service.path_state(session, current_row(), path_service.get_path(session, path_id))
    return render_template("paths/path.html", state=state)


@bp.get("/paths/<path_id>/steps/<int:number>")
def step(path_id: str, number: int):
    """A step: the article to read (or the guide to practise) and its check questions."""
    return _render_step(path_id, number, result=None)


@bp.post("/paths/<path_id>/steps/<int:number>/check")
@role_required("agent")
def check(path_id: str, number: int):
    """Answer the step's questions; wrong answers show why, and may be tried again."""
    session = db_session()
    learning_path = path_service.get_path(session, path_id)
    item = path_service.get_step(learning_path, number)
    chosen = {i: {int(v) for v in request.form.getlist(f"q{i}") if v.isdigit()} for i in range(len(item.checks))}
    result = path_service.answer(session, current_row(), learning_path, item, chosen)
    return _render_step(path_id, number, result=result, status=200 if result.passed else 422)


@bp.post("/paths/<path_id>/steps/<int:number>/practice")
@role_required("agent")
def practice(path_id: str, number: int):
    """Start the step's guide in practice mode (kept out of the live analytics)."""
    session = db_session()
    learning_path = path_service.get_path(session, path_id)
    item = path_service.get_step(learning_path, number)
    if item.kind != "guide":
        raise NotFound(item.key)
    run = guide_service.start_run(session, guide_engine(), item.target, practice=True, user_id=current_row().id)
    return redirect(url_for("guides.run", run_id=run.id, path=path_id, step=number))


def _render_step(path_id: str, number: int, *, result, status: int = 200):
    session = db_session()
    user = current_row()
    learning_path = path_service.get_path(session, path_id)
    item = path_service.get_step(learning_path, number)
    article = rendered = guide = None
    if item.kind == "article":
        article = article_service.get_article(session, item.target)
        rendered = render(article.body)
    else:
        guide = guide_service.get_guide(guide_engine(), item.target)
    before = None
    if user is not None and request.method == "GET":
        before = path_service.mark_viewed(session, user, learning_path, item)
    state = path_service.path_state(session, user, learning_path)
    practised = path_service.practice_run(session, user, item.target) if user and guide else None
    return render_template("paths/step.html", state=state, current=state.steps[number - 1], step=item, before=before,
                           article=article, rendered=rendered, guide=guide, result=result, practised=practised,
                           categories=CATEGORIES, logged_in=current_user.is_authenticated), status
