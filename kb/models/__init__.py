"""All models, importable from one place so Alembic and services see the whole metadata."""
from kb.models.accounts import ADMIN, AGENT, EDITOR, REVIEWER, ROLE_RANK, ROLES, AuditEntry, Setting, User
from kb.models.base import Base
from kb.models.content import ARTICLE_ARCHIVED, ARTICLE_PUBLISHED, ARTICLE_UNPUBLISHED, Article, Citation, Source, Tag, article_tag
from kb.models.editorial import (FEEDBACK_OUTDATED, FEEDBACK_VOTE, REV_DRAFT, REV_IN_REVIEW, REV_PUBLISHED,
                                 REV_RETURNED, REV_STATES, Draft, Feedback, Revision, SearchMiss)
from kb.models.learning import PATH_ARCHIVED, PATH_PUBLISHED, CheckAttempt, LearningPath, StepProgress
from kb.models.guides import (GUIDE_ARCHIVED, GUIDE_PUBLISHED, RUN_ACTIVE, RUN_FINISHED, CallGuide, GuideEvent,
                              GuideRun)

__all__ = [
    "PATH_ARCHIVED",
    "PATH_PUBLISHED",
    "CheckAttempt",
    "LearningPath",
    "StepProgress",
    "ADMIN",
    "AGENT",
    "EDITOR",
    "REVIEWER",
    "ROLE_RANK",
    "ROLES",
    "AuditEntry",
    "Setting",
    "User",
    "ARTICLE_UNPUBLISHED",
    "FEEDBACK_OUTDATED",
    "FEEDBACK_VOTE",
    "REV_DRAFT",
    "REV_IN_REVIEW",
    "REV_PUBLISHED",
    "REV_RETURNED",
    "REV_STATES",
    "Draft",
    "Feedback",
    "Revision",
    "SearchMiss",
    "CallGuide",
    "GUIDE_ARCHIVED",
    "GUIDE_PUBLISHED",
    "GuideEvent",
    "GuideRun",
    "RUN_ACTIVE",
    "RUN_FINISHED",
    "ARTICLE_ARCHIVED",
    "ARTICLE_PUBLISHED",
    "Article",
    "Base",
    "Citation",
    "Source",
    "Tag",
    "article_tag",
]
