"""Call guides and runs: the catalogue of published guides, and starting, advancing, going back, restarting,
noting and finishing runs, each stored in the database (so a reload, a second tab or a restart keeps the
agent's place) with an event per step for analytics."""
from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kb.errors import NotFound
from kb.guides.engine import Engine, GuideError, Position, summary_text
from kb.guides.model import OUTCOMES, EndNode, Guide
from kb.models import GUIDE_PUBLISHED, RUN_ACTIVE, RUN_FINISHED, CallGuide, GuideEvent, GuideRun

NOTES_MAX = 20_000


class GuideCatalog:
    """The published guides as an Engine, rebuilt only when the guide table changes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._version: tuple | None = None
        self._engine: Engine | None = None

    def engine(self, session: Session) -> Engine:
        version = tuple(session.execute(select(func.count(), func.max(CallGuide.updated_at))
                                        .where(CallGuide.status == GUIDE_PUBLISHED)).one())
        with self._lock:
            if self._engine is None or version != self._version:
                rows = session.scalars(select(CallGuide).where(CallGuide.status == GUIDE_PUBLISHED))
                guides = {row.id: Guide.from_dict(row.definition, row.source_path or "") for row in rows}
                self._engine, self._version = Engine(guides), version
            return self._engine


def list_guides(engine: Engine) -> list[Guide]:
    return sorted(engine.guides.values(), key=lambda g: g.title)


def guides_for_article(engine: Engine, slug: str) -> list[Guide]:
    """The guides built on an article (it is in their `articles` or linked from one of their nodes)."""
    return [g for g in list_guides(engine) if slug in g.all_articles()]


def get_guide(engine: Engine, guide_id: str) -> Guide:
    guide = engine.guides.get(guide_id)
    if guide is None:
        raise NotFound(guide_id)
    return guide


def get_run(session: Session, run_id: int) -> GuideRun:
    run = session.get(GuideRun, run_id)
    if run is None:
        raise NotFound(str(run_id))
    return run


def start_run(session: Session, engine: Engine, guide_id: str, *, practice: bool = False,
              user_id: int | None = None) -> GuideRun:
    get_guide(engine, guide_id)
    state = engine.start(guide_id)
    run = GuideRun(guide_id=guide_id, practice=practice, state=state, notes="", user_id=user_id)
    session.add(run)
    session.flush()
    _event(session, run, "start")
    _apply_finish(run, state)
    session.commit()
    return run


def advance(session: Session, engine: Engine, run_id: int, choice: int) -> GuideRun:
    """`choice` is 0-based."""
    run = get_run(session, run_id)
    run.state = engine.advance(run.state, choice)
    _event(session, run, "advance")
    _apply_finish(run, run.state)
    session.commit()
    return run


def back(session: Session, engine: Engine, run_id: int, steps: int = 1) -> GuideRun:
    run = get_run(session, run_id)
    _event(session, run, "back")  # recorded at the node the agent backed out of
    run.state = engine.back(run.state, steps)
    run.status, run.outcome, run.finished_at = RUN_ACTIVE, None, None
    session.commit()
    return run


def restart(session: Session, engine: Engine, run_id: int) -> GuideRun:
    run = get_run(session, run_id)
    _event(session, run, "restart")
    run.state = engine.restart(run.state)
    run.status, run.outcome, run.finished_at = RUN_ACTIVE, None, None
    _apply_finish(run, run.state)
    session.commit()
    return run


def save_notes(session: Session, run_id: int, notes: str) -> GuideRun:
    if len(notes) > NOTES_MAX:
        raise GuideError(f"备注太长（{len(notes)} 字），上限 {NOTES_MAX} 字")
    run = get_run(session, run_id)
    run.notes = notes
    session.commit()
    return run


def finish(session: Session, engine: Engine, run_id: int, outcome: str | None = None) -> GuideRun:
    run = get_run(session, run_id)
    run.state = engine.finish(run.state, outcome)
    _apply_finish(run, run.state)
    _event(session, run, "finish")
    session.commit()
    return run


def _apply_finish(run: GuideRun, state: dict[str, Any]) -> None:
    if state["finished"] and run.status != RUN_FINISHED:
        run.status, run.outcome, run.finished_at = RUN_FINISHED, state["outcome"], datetime.now(timezone.utc)
    elif not state["finished"]:
        run.status, run.outcome, run.finished_at = RUN_ACTIVE, None, None


def _event(session: Session, run: GuideRun, kind: str) -> None:
    step = run.state["path"][-1]
    session.add(GuideEvent(run_id=run.id, guide_id=step["guide"], node_id=step["node"], kind=kind))


@dataclass
class RunView:
    """Everything the stepper page and the API show for a run."""

    run: GuideRun
    position: Position
    path: list[dict[str, Any]]  # [{"guide", "guide_title", "node", "title", "choice", "at", "depth"}]
    summary: str

    @property
    def finished(self) -> bool:
        return self.run.status == RUN_FINISHED

    def to_dict(self) -> dict[str, Any]:
        pos, run = self.position, self.run
        node = pos.node.to_dict()
        return {
            "id": run.id, "guide": run.guide_id, "practice": run.practice, "status": run.status,
            "outcome": run.outcome, "outcome_label": OUTCOMES.get(run.outcome or ""),
            "started_at": _iso(run.started_at), "finished_at": _iso(run.finished_at),
            "current": {"guide": pos.guide.id, "guide_title": pos.guide.title, "depth": pos.depth, "node": node,
                        "choices": [{"number": i + 1, "label": b.label} for i, b in enumerate(pos.choices)]},
            "path": self.path, "notes": run.notes, "summary": self.summary,
        }


def run_view(engine: Engine, run: GuideRun) -> RunView:
    position = engine.position(run.state)
    path = []
    for step in run.state["path"]:
        guide = engine.guides.get(step["guide"])
        node = guide.nodes.get(step["node"]) if guide else None
        path.append({"guide": step["guide"], "guide_title": guide.title if guide else step["guide"],
                     "node": step["node"], "title": node.title if node else step["node"],
                     "end": isinstance(node, EndNode), "choice": step.get("choice"), "at": step["at"],
                     "depth": len(step["stack"]) - 1})
    summary = summary_text(engine, run.state, run.notes, _aware(run.started_at), _aware(run.finished_at))
    return RunView(run=run, position=position, path=path, summary=summary)


def _aware(value: datetime | None) -> datetime | None:
    # SQLite returns naive datetimes for timezone-aware columns; they were stored in UTC.
    if value is not None and value.tzinfo is None:
        return value.replace(tzinfo=timezone.utc)
    return value


def _iso(value: datetime | None) -> str | None:
    value = _aware(value)
    return value.isoformat(timespec="seconds") if value else None


@dataclass
class GuideStats:
    guide: Guide
    started: int
    finished: int
    outcomes: dict[str, int]
    stops: list[tuple[str, int]]  # (node title, unfinished runs whose last node it is)
    backs: list[tuple[str, int]]  # (node title, times agents went back from it)

    @property
    def finish_rate(self) -> float:
        return self.finished / self.started if self.started else 0.0


def analytics(session: Session, engine: Engine, top: int = 3) -> list[GuideStats]:
    """Per guide, over live (non-practice) runs: started, finished, outcomes, where runs stop or go back."""
    live = GuideRun.practice.is_(False)
    started = dict(session.execute(select(GuideRun.guide_id, func.count()).where(live).group_by(GuideRun.guide_id)).all())
    finished = dict(session.execute(select(GuideRun.guide_id, func.count())
                                    .where(live, GuideRun.status == RUN_FINISHED).group_by(GuideRun.guide_id)).all())
    outcomes: dict[str, dict[str, int]] = {}
    for guide_id, outcome, n in session.execute(select(GuideRun.guide_id, GuideRun.outcome, func.count())
                                                .where(live, GuideRun.status == RUN_FINISHED)
                                                .group_by(GuideRun.guide_id, GuideRun.outcome)):
        outcomes.setdefault(guide_id, {})[outcome] = n
    stops: dict[str, dict[str, int]] = {}
    for run in session.scalars(select(GuideRun).where(live, GuideRun.status == RUN_ACTIVE)):
        step = run.state["path"][-1]
        bucket = stops.setdefault(step["guide"], {})
        bucket[step["node"]] = bucket.get(step["node"], 0) + 1
    backs: dict[str, dict[str, int]] = {}
    for guide_id, node_id, n in session.execute(
            select(GuideEvent.guide_id, GuideEvent.node_id, func.count()).join(GuideRun)
            .where(live, GuideEvent.kind == "back").group_by(GuideEvent.guide_id, GuideEvent.node_id)):
        backs.setdefault(guide_id, {})[node_id] = n

    def titled(guide: Guide, counts: dict[str, int]) -> list[tuple[str, int]]:
        ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[:top]
        return [(guide.nodes[nid].title if nid in guide.nodes else nid, n) for nid, n in ranked]

    return [GuideStats(guide=g, started=started.get(g.id, 0), finished=finished.get(g.id, 0),
                       outcomes=outcomes.get(g.id, {}), stops=titled(g, stops.get(g.id, {})),
                       backs=titled(g, backs.get(g.id, {})))
            for g in list_guides(engine)]
