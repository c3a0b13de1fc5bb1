"""Test fixtures: every app gets its own database (an SQLite file, or a fresh PostgreSQL schema when
KB_TEST_DATABASE_URL points at a server) and its own index directory under tmp_path.

Set KB_TEST_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/test to run the suite on PostgreSQL.
"""
from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path
from typing import Callable, Iterator

import pytest
import sqlalchemy as sa
import yaml

from kb import create_app, migrate
from kb.config import PROJECT_ROOT
from kb.web.state import resources

REAL_CONTENT = PROJECT_ROOT / "content"
REAL_GUIDES = PROJECT_ROOT / "scripts_library"
PG_URL = os.environ.get("KB_TEST_DATABASE_URL", "")


class TestDatabase:
    __test__ = False  # a helper, not a test class

    """A database for one test: created empty and migrated to head, dropped afterwards."""

    def __init__(self, base: Path) -> None:
        if PG_URL:
            self.schema = f"kbtest_{uuid.uuid4().hex[:12]}"
            engine = sa.create_engine(PG_URL)
            with engine.begin() as conn:
                conn.execute(sa.text(f'CREATE SCHEMA "{self.schema}"'))
            engine.dispose()
            sep = "&" if "?" in PG_URL else "?"
            self.url = f"{PG_URL}{sep}options=-csearch_path%3D{self.schema}"
        else:
            self.schema = None
            self.url = f"sqlite:///{base / 'kb.sqlite3'}"
        migrate.upgrade(self.url)

    def drop(self) -> None:
        if self.schema:
            engine = sa.create_engine(PG_URL)
            with engine.begin() as conn:
                conn.execute(sa.text(f'DROP SCHEMA "{self.schema}" CASCADE'))
            engine.dispose()


def _make_app(base: Path, database: TestDatabase, content_dir: Path, guides_dir: Path, **extra):
    config = {
        "TESTING": True,
        "KB_DATABASE_URL": database.url,
        "KB_INDEX_DIR": str(base / "index"),
        "KB_CONTENT_DIR": str(content_dir),
        "KB_GUIDES_DIR": str(guides_dir),
        "KB_SECRET_KEY": "test",
        **extra,
    }
    app = create_app(config)
    app.instance_path = str(base / "instance")
    return app


def _dispose(app) -> None:
    res = resources_of(app)
    res.index.close()
    res.db.dispose()


def resources_of(app):
    with app.app_context():
        return resources()


@pytest.fixture
def content_dir(tmp_path: Path) -> Path:
    """A small content tree: the real sources registry and no articles yet (add them with `write_article`)."""
    root = tmp_path / "content"
    (root / "articles").mkdir(parents=True)
    shutil.copy(REAL_CONTENT / "sources.yaml", root / "sources.yaml")
    return root


BODY = """客户在电话里一直不说话，只回答“嗯”“哦”，座席不知道对方是否听懂。先判断原因，再决定下一句。

## 应对步骤
1. 先问客户现在是否方便说话，不方便就约回电时间。
2. 把开放式问题改成选择题，让客户只需回答一个词。
3. 问完留出停顿，等三到五秒，不要自问自答。
4. 用确认代替追问：“我理解您是想……，对吗？”

## 话术示例

### 推荐说法
- “您现在方便说话吗？不方便的话我稍后再打给您。”
- “我就问两个简单的问题，您看是网速慢还是经常断线？”
- “不着急，您想一想，我在线上等您。”

### 避免说法
- “喂？您还在听吗？”——反复催问像在指责客户。
- “您不说话我也没法帮您。”——把责任推给客户。

## 要点
- 沉默不等于同意，先判断原因，关键结论一定要复述确认并写进工单。
"""


def article_text(**fields) -> str:
    """Markdown with front matter; `body=` sets the body, other keyword arguments override front matter."""
    body = fields.pop("body", BODY)
    front = {
        "title": "沉默型客户的应对",
        "category": "customer-types",
        "tags": ["沉默型", "不说话"],
        "summary": "客户不愿开口时，用封闭式提问和确认降低回答门槛。",
        "sources": [{"book": "liu-management", "chapter": "第九章", "section": "如何为沉默型客户提供服务"}],
        "related": ["customer-types/talkative", "customer-types/timid"],
        "level": "basic",
    }
    front.update(fields)
    front = {k: v for k, v in front.items() if v is not None}
    return "---\n" + yaml.safe_dump(front, allow_unicode=True, sort_keys=False) + "---\n\n" + body


@pytest.fixture
def write_article(content_dir: Path) -> Callable[..., Path]:
    """Write an article file: write_article("customer-types/silent", title=..., body=...) or raw text=..."""

    def write(slug: str, /, text: str | None = None, **fields) -> Path:
        path = content_dir / "articles" / f"{slug}.md"
        path.parent.mkdir(parents=True, exist_ok=True)
        if text is None:
            fields.setdefault("category", slug.split("/")[0])
            text = article_text(**fields)
        path.write_text(text, encoding="utf-8")
        return path

    return write


@pytest.fixture
def guides_dir(tmp_path: Path) -> Path:
    """An empty guides folder (add files with `write_guide`)."""
    path = tmp_path / "scripts_library"
    path.mkdir()
    return path


@pytest.fixture
def database(tmp_path: Path) -> Iterator[TestDatabase]:
    db = TestDatabase(tmp_path)
    try:
        yield db
    finally:
        db.drop()


@pytest.fixture
def app(tmp_path: Path, database: TestDatabase, content_dir: Path, guides_dir: Path):
    """An app on an empty migrated database and a small content tree (see `write_article`)."""
    from kb.web.auth import limiter

    application = _make_app(tmp_path, database, content_dir, guides_dir)
    limiter.reset()  # the limiter's memory storage outlives apps; each test starts with no attempts counted
    try:
        yield application
    finally:
        _dispose(application)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture(scope="session")
def real_app(tmp_path_factory):
    """One app with the real content synced, shared by read-only tests (search relevance, pages)."""
    base = tmp_path_factory.mktemp("real")
    db = TestDatabase(base)
    application = _make_app(base, db, REAL_CONTENT, REAL_GUIDES)
    result = application.test_cli_runner().invoke(args=["sync"])
    assert result.exit_code == 0, result.output
    try:
        yield application
    finally:
        _dispose(application)
        db.drop()


@pytest.fixture
def real_client(real_app):
    return real_app.test_client()


@pytest.fixture
def install_guides(guides_dir: Path, write_article):
    """Copy real guides into the test's guides folder, with a stub article for every article they link."""

    def install(*guide_ids: str) -> None:
        slugs: set[str] = set()
        for guide_id in guide_ids:
            source = REAL_GUIDES / f"{guide_id}.yaml"
            shutil.copy(source, guides_dir / source.name)
            data = yaml.safe_load(source.read_text(encoding="utf-8"))
            slugs.update(data.get("articles") or [])
            for node in data["nodes"].values():
                slugs.update(node.get("articles") or [])
        ordered = sorted(slugs)
        for i, slug in enumerate(ordered):
            others = [s for s in ordered if s != slug][:2] or ordered[:1]
            write_article(slug, title=f"文章{i}", related=others if len(others) >= 2 else others * 2)

    return install


def csrf_token(client, url: str = "/") -> str:
    """The CSRF token of the client's session, read from a page as a browser would."""
    page = client.get(url).get_data(as_text=True)
    return page.split('name="csrf-token" content="', 1)[1].split('"', 1)[0]


def form_post(client, url: str, data: dict | None = None, **kwargs):
    """POST a form the way the page would: with the session's CSRF token."""
    return client.post(url, data={**(data or {}), "csrf_token": csrf_token(client)}, **kwargs)


PASSWORD = "correct-horse-42"


@pytest.fixture
def make_user(app):
    """Create a user with a role: make_user("ed", "editor")."""
    from kb.services import accounts

    def make(username: str, role: str = "agent", password: str = PASSWORD):
        with app.app_context():
            with resources().db.session() as session:
                accounts.add_user(session, username, password, role, display_name=username.upper())
        return username

    return make


def login(client, username: str, password: str = PASSWORD):
    response = form_post(client, "/login", {"username": username, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    return response


@pytest.fixture
def another_client(app):
    """A client of a second app instance on the same database and index (another worker, another browser)."""
    second = create_app(dict(app.config))
    try:
        yield second.test_client()
    finally:
        _dispose(second)
