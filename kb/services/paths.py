"""Onboarding progress: which steps a user has read, answered and practised; percent complete; where to resume;
steps re-opened when their article changed substantively; and the team view for reviewers.

A step is done when its article was opened (or its guide practised to an end, in practice mode) and all its
check questions were answered right — and, for an article, it has not been republished with a substantive
change since (then it shows 内容已更新 and must be read and checked again).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kb.errors import NotFound
from kb.models import (ARTICLE_PUBLISHED, PATH_PUBLISHED, RUN_FINISHED, Article, CallGuide, CheckAttempt,
                       GuideRun, LearningPath, StepProgress, User)
from kb.paths.loader import LearningPathDef, Step

TODO, STARTED, DONE, UPDATED = "todo", "started", "done", "updated"
STATUS_LABELS = {TODO: "未开始", STARTED: "进行中", DONE: "已完成", UPDATED: "内容已更新"}


def list_paths(session: Session) -> list[LearningPathDef]:
    rows = session.scalars(select(LearningPath).where(LearningPath.status == PATH_PUBLISHED).order_by(LearningPath.id))
    return [LearningPathDef.from_dict(r.definition, r.source_path or "") for r in rows]


def get_path(session: Session, path_id: str) -> LearningPathDef:
    row = session.get(LearningPath, path_id)
    if row is None or row.status != PATH_PUBLISHED:
        raise NotFound(path_id)
    return LearningPathDef.from_dict(row.definition, row.source_path or "")


def get_step(learning_path: LearningPathDef, number: int) -> Step:
    if not 1 <= number <= len(learning_path.steps):
        raise NotFound(f"{learning_path.id}#{number}")
    return learning_path.step(number)


@dataclass
class StepState:
    number: int
    step: Step
    title: str
    status: str
    progress: StepProgress | None

    @property
    def label(self) -> str:
        return STATUS_LABELS[self.status]


@dataclass
class PathState:
    path: LearningPathDef
    steps: list[StepState]

    @property
    def done(self) -> int:
        return sum(1 for s in self.steps if s.status == DONE)

    @property
    def percent(self) -> int:
        return round(100 * self.done / len(self.steps)) if self.steps else 0

    @property
    def resume(self) -> StepState | None:
        """The first step not done (None when the path is complete)."""
        return next((s for s in self.steps if s.status != DONE), None)


def path_state(session: Session, user: User | None, learning_path: LearningPathDef) -> PathState:
    articles = _article_info(session, [s.target for s in learning_path.steps if s.kind == "article"])
    guides = dict(session.execute(select(CallGuide.id, CallGuide.title)).all())
    progress = {}
    if user is not None:
        progress = {p.step_key: p for p in session.scalars(
            select(StepProgress).where(StepProgress.user_id == user.id, StepProgress.path_id == learning_path.id))}
    states = []
    for number, step in enumerate(learning_path.steps, start=1):
        record = progress.get(step.key)
        if step.kind == "article":
            title, version = articles.get(step.target, (step.target, None))
        else:
            title, version = f"练习：{guides.get(step.target, step.target)}", None
        states.append(StepState(number, step, title, _status(record, version), record))
    return PathState(learning_path, states)


def _article_info(session: Session, slugs: list[str]) -> dict[str, tuple[str, int]]:
    rows = session.execute(select(Article.slug, Article.title, Article.content_version)
                           .where(Article.slug.in_(slugs), Article.status == ARTICLE_PUBLISHED))
    return {slug: (title, version) for slug, title, version in rows.all()}


def _status(record: StepProgress | None, version: int | None) -> str:
    if record is None or (record.viewed_at is None and record.passed_at is None):
        return TODO
    if record.passed_at is None:
        return STARTED
    if version is not None and record.content_version is not None and version > record.content_version:
        return UPDATED
    return DONE


def _record(session: Session, user: User, path_id: str, step: Step) -> StepProgress:
    record = session.scalar(select(StepProgress).where(StepProgress.user_id == user.id, StepProgress.path_id == path_id,
                                                       StepProgress.step_key == step.key))
    if record is None:
        record = StepProgress(user_id=user.id, path_id=path_id, step_key=step.key)
        session.add(record)
    return record


def mark_viewed(session: Session, user: User, learning_path: LearningPathDef, step: Step) -> str:
    """The user opened the step's article (or its guide page); returns the step's status before that."""
    record = _record(session, user, learning_path.id, step)
    state = _status(record, _version(session, step))
    record.viewed_at = datetime.now(timezone.utc)
    if state == UPDATED:
        record.passed_at = None  # re-read, then answer again
    session.commit()
    return state


def _version(session: Session, step: Step) -> int | None:
    if step.kind != "article":
        return None
    return session.scalar(select(Article.content_version).where(Article.slug == step.target))


@dataclass
class Answer:
    question: int
    chosen: set[int]
    correct: bool
    explanation: str


@dataclass
class CheckResult:
    answers: list[Answer]
    passed: bool  # the step is now done
    missing: str | None = None  # why a right set of answers did not complete it


def answer(session: Session, user: User, learning_path: LearningPathDef, step: Step,
           chosen: dict[int, set[int]]) -> CheckResult:
    """Record answers (question index → chosen option indexes) and complete the step when everything is right
    and the article was read (or the guide practised to an end)."""
    answers = []
    for index, question in enumerate(step.checks):
        picked = {i for i in chosen.get(index, set()) if 0 <= i < len(question.options)}
        correct = question.is_right(picked)
        answers.append(Answer(index, picked, correct, question.explanation))
        session.add(CheckAttempt(user_id=user.id, path_id=learning_path.id, step_key=step.key, question=index,
                                 question_text=question.text, chosen=sorted(picked), correct=correct))
    record = _record(session, user, learning_path.id, step)
    all_right = all(a.correct for a in answers)
    missing = None
    if all_right:
        if step.kind == "article" and record.viewed_at is None:
            missing = "先打开并读完这篇文章"
        elif step.kind == "guide":
            run = practice_run(session, user, step.target)
            if run is None:
                missing = "先在练习模式里把这个通话指南走到结束"
            else:
                record.practice_run_id = run.id
    passed = all_right and missing is None
    if passed:
        record.passed_at = datetime.now(timezone.utc)
        record.content_version = _version(session, step)
    session.commit()
    return CheckResult(answers=answers, passed=passed, missing=missing)


def practice_run(session: Session, user: User, guide_id: str) -> GuideRun | None:
    """The user's latest practice run of the guide that reached an end."""
    return session.scalar(select(GuideRun).where(GuideRun.user_id == user.id, GuideRun.guide_id == guide_id,
                                                 GuideRun.practice.is_(True), GuideRun.status == RUN_FINISHED)
                          .order_by(GuideRun.finished_at.desc()).limit(1))


def complete_guide_step_if_ready(session: Session, user: User, guide_id: str) -> None:
    """After a practice run ends: guide steps without questions are done right away."""
    for learning_path in list_paths(session):
        for step in learning_path.steps:
            if step.kind == "guide" and step.target == guide_id and not step.checks:
                answer(session, user, learning_path, step, {})


@dataclass
class TeamRow:
    user: User
    percents: dict[str, int]  # path id → percent complete
    updated: int  # steps re-opened by content changes


@dataclass
class MissedQuestion:
    path_id: str
    step_key: str
    text: str
    wrong: int
    attempts: int


def team(session: Session, limit: int = 15) -> tuple[list[LearningPathDef], list[TeamRow], list[MissedQuestion]]:
    """Every user with any progress: percent per path; and the questions most often answered wrong."""
    paths = list_paths(session)
    user_ids = set(session.scalars(select(StepProgress.user_id).distinct()))
    rows = []
    for user in session.scalars(select(User).where(User.id.in_(user_ids)).order_by(User.username)):
        states = [path_state(session, user, p) for p in paths]
        rows.append(TeamRow(user, {s.path.id: s.percent for s in states},
                            sum(1 for s in states for step in s.steps if step.status == UPDATED)))
    missed_rows = session.execute(
        select(CheckAttempt.path_id, CheckAttempt.step_key, CheckAttempt.question_text,
               func.count().filter(CheckAttempt.correct.is_(False)), func.count())
        .group_by(CheckAttempt.path_id, CheckAttempt.step_key, CheckAttempt.question, CheckAttempt.question_text)).all()
    missed = sorted((MissedQuestion(p, k, t, w, n) for p, k, t, w, n in missed_rows if w),
                    key=lambda m: (-m.wrong, -m.attempts, m.text))[:limit]
    return paths, rows, missed
