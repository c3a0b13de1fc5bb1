"""JSON API for call guides and runs (documented in the README).

GET  /api/guides                      list
GET  /api/guides/<id>                 one guide with all its nodes
POST /api/guides/<id>/runs            start a run: {"practice": false}
GET  /api/runs/<id>                   where a run is
POST /api/runs/<id>/advance           {"choice": 1}   (the option number as shown, 1–9)
POST /api/runs/<id>/back              {"steps": 1}
POST /api/runs/<id>/restart
PUT  /api/runs/<id>/notes             {"notes": "..."}
POST /api/runs/<id>/finish            {"outcome": "hung-up"}   (optional at an end node)
"""
from __future__ import annotations

from flask import Blueprint, jsonify, request

from kb.guides.engine import GuideError
from kb.guides.model import OUTCOMES
from kb.services import guides as guide_service
from kb.services import paths as path_service
from kb.web.api import require_json_body
from kb.web.auth import current_row
from kb.web.state import db_session, guide_engine

bp = Blueprint("guides_api", __name__, url_prefix="/api")
bp.before_request(require_json_body)


def _body() -> dict:
    data = request.get_json(silent=True)
    return data if isinstance(data, dict) else {}


def _run_json(run, status: int = 200):
    user = current_row()
    if user is not None and run.practice and run.status == "finished":
        path_service.complete_guide_step_if_ready(db_session(), user, run.guide_id)
    return jsonify(guide_service.run_view(guide_engine(), run).to_dict()), status


@bp.errorhandler(GuideError)
def guide_error(exc: GuideError):
    db_session().rollback()
    return jsonify({"error": str(exc), "status": 400}), 400


@bp.get("/guides")
def list_guides():
    """Every published guide, without its nodes."""
    return jsonify({"guides": [{"id": g.id, "title": g.title, "summary": g.summary, "tags": g.tags,
                                "situations": g.situations, "nodes": len(g.nodes),
                                "outcomes": {o: OUTCOMES[o] for o in g.outcomes()}, "url": f"/guides/{g.id}"}
                               for g in guide_service.list_guides(guide_engine())]})


@bp.get("/guides/<guide_id>")
def get_guide(guide_id: str):
    """One guide with all its nodes."""
    return jsonify(guide_service.get_guide(guide_engine(), guide_id).to_dict())


@bp.post("/guides/<guide_id>/runs")
def start_run(guide_id: str):
    """Start a run; 201 with the run."""
    user = current_row()
    run = guide_service.start_run(db_session(), guide_engine(), guide_id, practice=bool(_body().get("practice")),
                                  user_id=user.id if user else None)
    return _run_json(run, 201)


@bp.get("/runs/<int:run_id>")
def get_run(run_id: int):
    """The run's current node, choices, path, notes and summary."""
    return _run_json(guide_service.get_run(db_session(), run_id))


@bp.post("/runs/<int:run_id>/advance")
def advance(run_id: int):
    """Take option `choice` (1-based)."""
    choice = _body().get("choice")
    if not isinstance(choice, int) or isinstance(choice, bool):
        raise GuideError("choice 应为选项编号（从 1 开始的整数）")
    return _run_json(guide_service.advance(db_session(), guide_engine(), run_id, choice - 1))


@bp.post("/runs/<int:run_id>/back")
def back(run_id: int):
    """Go back `steps` steps (default 1)."""
    steps = _body().get("steps", 1)
    if not isinstance(steps, int) or isinstance(steps, bool):
        raise GuideError("steps 应为整数")
    return _run_json(guide_service.back(db_session(), guide_engine(), run_id, steps))


@bp.post("/runs/<int:run_id>/restart")
def restart(run_id: int):
    """Start the same guide again in this run."""
    return _run_json(guide_service.restart(db_session(), guide_engine(), run_id))


@bp.put("/runs/<int:run_id>/notes")
def notes(run_id: int):
    """Replace the run's notes."""
    text = _body().get("notes", "")
    if not isinstance(text, str):
        raise GuideError("notes 应为文字")
    return _run_json(guide_service.save_notes(db_session(), run_id, text))


@bp.post("/runs/<int:run_id>/finish")
def finish(run_id: int):
    """End the run, with `outcome` unless it stands at an end node."""
    return _run_json(guide_service.finish(db_session(), guide_engine(), run_id, _body().get("outcome")))
