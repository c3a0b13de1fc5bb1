"""Per-app resources (database, search index) and the per-request database session."""
from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, current_app, g
from sqlalchemy.orm import Session

from kb.db import Database
from kb.search import SearchIndex
from kb.services.guides import GuideCatalog

EXTENSION = "kb"


@dataclass
class Resources:
    db: Database
    index: SearchIndex
    guides: GuideCatalog


def init_app(app: Flask) -> None:
    app.extensions[EXTENSION] = Resources(db=Database(app.config["KB_DATABASE_URL"]),
                                          index=SearchIndex(app.config["KB_INDEX_DIR"]), guides=GuideCatalog())
    app.teardown_appcontext(_close_session)


def resources() -> Resources:
    return current_app.extensions[EXTENSION]


def db_session() -> Session:
    """The request's session, opened on first use and closed when the request ends."""
    if "db_session" not in g:
        g.db_session = resources().db.session()
    return g.db_session


def _close_session(_exc: BaseException | None) -> None:
    session = g.pop("db_session", None)
    if session is not None:
        session.close()


def guide_engine():
    """The published guides for this request."""
    return resources().guides.engine(db_session())
