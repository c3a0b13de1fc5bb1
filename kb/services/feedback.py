"""Agents' feedback on articles (有用/没用 votes, 内容过时 flags) and searches that found nothing; the queue
editors work through."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from kb.errors import NotFound
from kb.models import FEEDBACK_OUTDATED, FEEDBACK_VOTE, Article, Feedback, SearchMiss, User
from kb.search.query import clean

COMMENT_MAX = 2000


class FeedbackError(ValueError):
    """Feedback that cannot be recorded; the message is for users."""


def vote(session: Session, article: Article, helpful: bool, user: User | None) -> None:
    session.add(Feedback(article_id=article.id, user_id=user.id if user else None, kind=FEEDBACK_VOTE, helpful=helpful))
    session.commit()


def flag_outdated(session: Session, article: Article, comment: str, user: User | None) -> Feedback:
    comment = comment.strip()
    if not comment:
        raise FeedbackError("请写一句哪里过时了，编辑才能改")
    if len(comment) > COMMENT_MAX:
        raise FeedbackError(f"说明最多 {COMMENT_MAX} 字")
    flag = Feedback(article_id=article.id, user_id=user.id if user else None, kind=FEEDBACK_OUTDATED, comment=comment)
    session.add(flag)
    session.commit()
    return flag


def votes(session: Session, article_id: int) -> tuple[int, int]:
    rows = dict(session.execute(select(Feedback.helpful, func.count())
                                .where(Feedback.article_id == article_id, Feedback.kind == FEEDBACK_VOTE)
                                .group_by(Feedback.helpful)).all())
    return rows.get(True, 0), rows.get(False, 0)


def record_miss(session: Session, query: str) -> None:
    """Count a search that found nothing (the query as cleaned for searching)."""
    text = clean(query)
    if not text:
        return
    now = datetime.now(timezone.utc)
    miss = session.scalar(select(SearchMiss).where(SearchMiss.query == text))
    if miss is None:
        session.add(SearchMiss(query=text, count=1, first_seen=now, last_seen=now))
    else:
        miss.count += 1
        miss.last_seen = now
        miss.resolved_at = None  # asked again: back in the queue
    session.commit()


@dataclass
class Queue:
    flags: list[tuple[Feedback, Article, User | None]]
    misses: list[SearchMiss]
    least_helpful: list[tuple[Article, int, int]]  # article, 有用, 没用


def queue(session: Session) -> Queue:
    flags = session.execute(select(Feedback, Article, User).join(Article, Feedback.article_id == Article.id)
                            .outerjoin(User, Feedback.user_id == User.id)
                            .where(Feedback.kind == FEEDBACK_OUTDATED, Feedback.resolved_at.is_(None))
                            .order_by(Feedback.created_at)).all()
    misses = list(session.scalars(select(SearchMiss).where(SearchMiss.resolved_at.is_(None))
                                  .order_by(SearchMiss.count.desc(), SearchMiss.last_seen.desc()).limit(100)))
    rows = session.execute(select(Article, Feedback.helpful, func.count()).join(Article, Feedback.article_id == Article.id)
                           .where(Feedback.kind == FEEDBACK_VOTE).group_by(Article.id, Feedback.helpful)).all()
    tally: dict[int, list] = {}
    for article, is_helpful, n in rows:
        entry = tally.setdefault(article.id, [article, 0, 0])
        entry[1 if is_helpful else 2] += n
    least = sorted((tuple(v) for v in tally.values() if v[2]), key=lambda v: (v[1] - v[2], v[0].slug))[:20]
    return Queue(flags=[(f, a, u) for f, a, u in flags], misses=misses, least_helpful=least)


def resolve_flag(session: Session, feedback_id: int, user: User) -> None:
    flag = session.get(Feedback, feedback_id)
    if flag is None:
        raise NotFound(str(feedback_id))
    flag.resolved_at, flag.resolved_by_id = datetime.now(timezone.utc), user.id
    session.commit()


def resolve_miss(session: Session, miss_id: int) -> None:
    miss = session.get(SearchMiss, miss_id)
    if miss is None:
        raise NotFound(str(miss_id))
    miss.resolved_at = datetime.now(timezone.utc)
    session.commit()
