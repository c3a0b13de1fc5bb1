"""Call guides for agents: the list, a guide's overview and diagram, the live stepper, and analytics.

The stepper's buttons are plain forms (it works without JavaScript); static/js/stepper.js sends the same forms
with `X-Partial: 1` and swaps in the returned panel, so a step takes one request and no page reload.
"""
from __future__ import annotations

from flask import Blueprint, abort, redirect, render_template, request, url_for

from kb.guides.diagram import render_svg
from kb.guides.engine import GuideError
from kb.guides.model import OUTCOMES
from kb.services import articles as article_service
from kb.services import guides as guide_service
from kb.services import paths as path_service
from kb.web.auth import current_row
from kb.web.state import db_session, guide_engine

bp = Blueprint("guides", __name__)


@bp.get("/guides")
def index():
    """All guides, with the situations each is for."""
    return render_template("guides/index.html", guides=guide_service.list_guides(guide_engine()))


@bp.get("/guides/<guide_id>")
def guide(guide_id: str):
    """A guide's overview and its diagram; `?run=N` highlights that run's path; `?partial=1` returns a short
    preview (what to say first, how the customer may react) for the search page's reading pane."""
    engine = guide_engine()
    item = guide_service.get_guide(engine, guide_id)
    if request.args.get("partial"):
        return render_template("guides/_peek.html", guide=item, first=item.nodes[item.start], outcomes=OUTCOMES)
    path, run = None, None
    if request.args.get("run", "").isdigit():
        run = guide_service.get_run(db_session(), int(request.args["run"]))
        path = [s["node"] for s in run.state["path"] if s["guide"] == guide_id]
    titles = {g.id: g.title for g in engine.guides.values()}
    return render_template("guides/guide.html", guide=item, run=run, outcomes=OUTCOMES,
                           diagram=render_svg(item, path=path, titles=titles),
                           article_titles=article_service.titles_for(db_session(), item.all_articles()))


@bp.post("/guides/<guide_id>/runs")
def start(guide_id: str):
    """Start a run (a call, or practice) and open the stepper."""
    user = current_row()
    run = guide_service.start_run(db_session(), guide_engine(), guide_id, practice=request.form.get("practice") == "1",
                                  user_id=user.id if user else None)
    return redirect(url_for("guides.run", run_id=run.id))


@bp.get("/runs/<int:run_id>")
def run(run_id: int):
    """The live stepper."""
    return _render_run(run_id, partial=False)


@bp.post("/runs/<int:run_id>/<action>")
def act(run_id: int, action: str):
    """advance (choice = 1–9), back, restart, finish (outcome) — then show the new step."""
    engine, session = guide_engine(), db_session()
    error = None
    try:
        if action == "advance":
            guide_service.advance(session, engine, run_id, _int(request.form.get("choice"), 0) - 1)
        elif action == "back":
            guide_service.back(session, engine, run_id, max(1, _int(request.form.get("steps"), 1)))
        elif action == "restart":
            guide_service.restart(session, engine, run_id)
        elif action == "finish":
            guide_service.finish(session, engine, run_id, request.form.get("outcome") or None)
        elif action == "notes":
            guide_service.save_notes(session, run_id, request.form.get("notes", ""))
        else:
            abort(404)
    except GuideError as exc:
        session.rollback()
        error = str(exc)
    run_row = guide_service.get_run(session, run_id)
    user = current_row()
    if user is not None and run_row.practice and run_row.status == "finished":
        path_service.complete_guide_step_if_ready(session, user, run_row.guide_id)
    if request.headers.get("X-Partial") == "1":
        return _render_run(run_id, partial=True, error=error), (400 if error else 200)
    if error:
        return _render_run(run_id, partial=False, error=error), 400
    return redirect(url_for("guides.run", run_id=run_id))


@bp.get("/guides/analytics")
def analytics():
    """Per guide: runs started and finished, outcomes, where runs stop or go back (live runs only)."""
    engine = guide_engine()
    return render_template("guides/analytics.html", stats=guide_service.analytics(db_session(), engine),
                           outcomes=OUTCOMES)


def _render_run(run_id: int, *, partial: bool, error: str | None = None):
    engine = guide_engine()
    item = guide_service.get_run(db_session(), run_id)
    try:
        view = guide_service.run_view(engine, item)
    except GuideError as exc:
        return render_template("error.html", code=409, message=str(exc)), 409
    template = "guides/_stepper.html" if partial else "guides/run.html"
    titles = article_service.titles_for(db_session(), view.position.node.articles)
    return render_template(template, view=view, pos=view.position, run=item, outcomes=OUTCOMES, error=error,
                           article_titles=titles)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default
