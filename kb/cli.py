"""The `kb` command line: thin wrappers over the services (`kb sync`, `kb reindex`, `kb check`, `kb search`,
`kb serve`, `kb db upgrade`). Flask's own commands (`kb run`, `kb shell`, `kb routes`) come with it."""
from __future__ import annotations

import json
import sys
from contextlib import contextmanager
from dataclasses import asdict
from pathlib import Path

import click
from flask import current_app
from flask.cli import FlaskGroup, with_appcontext

from kb import create_app, migrate
from kb.content.bundle import load_bundle
from kb.content.sync import sync as sync_content
from kb.errors import NotFound
from kb.models import ROLES
from kb.web.state import resources


@click.group(cls=FlaskGroup, create_app=create_app, add_version_option=False, load_dotenv=False)
def main() -> None:
    """话术通 (kb): knowledge base and call guides for customer-service agents."""


def init_app(app) -> None:
    """Attach the commands to an app, so `kb` and `app.test_cli_runner()` both see them."""
    for command in (db, sync, export, reindex, check, search, serve, user):
        app.cli.add_command(command)


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
@click.option("--revision", default="head", show_default=True)
@with_appcontext
def db_upgrade(revision: str) -> None:
    """Apply schema migrations."""
    migrate.upgrade(current_app.config["KB_DATABASE_URL"], revision)
    click.echo("数据库结构已是最新。")


@db.command("downgrade")
@click.argument("revision")
@with_appcontext
def db_downgrade(revision: str) -> None:
    """Roll the schema back to REVISION."""
    migrate.downgrade(current_app.config["KB_DATABASE_URL"], revision)


def _require_schema() -> None:
    if migrate.pending(current_app.config["KB_DATABASE_URL"]):
        raise click.ClickException("数据库结构不是最新的，请先运行：kb db upgrade")


@click.command()
@with_appcontext
def sync() -> None:
    """Load content/ into the database and the search index (idempotent)."""
    _require_schema()
    res = resources()
    report = sync_content(res.db, res.index, Path(current_app.config["KB_CONTENT_DIR"]),
                          Path(current_app.config["KB_GUIDES_DIR"]))
    for problem in report.problems:
        click.echo(f"{'错误' if problem.severity == 'error' else '提示'} {problem}", err=True)
    click.echo(f"新增 {len(report.created)}，更新 {len(report.updated)}，归档 {len(report.archived)}，"
               f"未变 {report.unchanged}" + ("，已重建索引" if report.reindexed else ""))
    click.echo(f"通话指南：新增 {len(report.guides_created)}，更新 {len(report.guides_updated)}，"
               f"归档 {len(report.guides_archived)}，未变 {report.guides_unchanged}")
    click.echo(f"学习路径：载入 {report.paths_loaded}，归档 {len(report.paths_archived)}")
    for slug in report.archived + [f"guide:{g}" for g in report.guides_archived]:
        click.echo(f"  已归档：{slug}")
    if report.errors:
        click.echo(f"{len({p.path for p in report.errors})} 个文件有错误，未载入（其余文件已载入）。", err=True)
        sys.exit(1)


@click.command()
@click.option("--content-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Defaults to KB_CONTENT_DIR.")
@with_appcontext
def export(content_dir: Path | None) -> None:
    """Write published articles back to content/articles/ (byte-stable)."""
    from kb.content.export import export as export_articles

    _require_schema()
    report = export_articles(resources().db, content_dir or Path(current_app.config["KB_CONTENT_DIR"]))
    click.echo(f"写出 {len(report.written)}，未变 {report.unchanged}，删除 {len(report.removed)}")
    for slug in report.written:
        click.echo(f"  写出：{slug}")
    for slug in report.removed:
        click.echo(f"  删除（已归档）：{slug}")


@click.command()
@with_appcontext
def reindex() -> None:
    """Rebuild the search index from the database."""
    from kb.services.indexing import reindex as rebuild

    _require_schema()
    res = resources()
    with res.db.session() as session:
        count = rebuild(session, res.index)
    click.echo(f"索引已重建：{count} 篇。")


@click.command()
@click.option("--content-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Defaults to KB_CONTENT_DIR.")
@click.option("--guides-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Defaults to KB_GUIDES_DIR.")
@with_appcontext
def check(content_dir: Path | None, guides_dir: Path | None) -> None:
    """Check all content and guides against the rules without touching the database; exit 1 on any problem."""
    bundle = load_bundle(content_dir or Path(current_app.config["KB_CONTENT_DIR"]),
                         guides_dir or Path(current_app.config["KB_GUIDES_DIR"]))
    for problem in bundle.problems:
        click.echo(str(problem))
    counts = (f"{len(bundle.content.articles)} 篇文章，{len(bundle.content.sources)} 本书，"
              f"{len(bundle.guides.guides)} 个通话指南，{len(bundle.paths.paths)} 条学习路径")
    if bundle.problems:
        click.echo(f"发现 {len(bundle.problems)} 个问题（{counts}）。", err=True)
        sys.exit(1)
    click.echo(f"内容检查通过：{counts}。")


@click.command()
@click.argument("query")
@click.option("--limit", default=10, show_default=True)
@click.option("--category", default=None)
@click.option("--type", "doc_type", type=click.Choice(["article", "guide"]), default=None)
@click.option("--json", "as_json", is_flag=True, help="Print the same JSON as /api/search.")
@with_appcontext
def search(query: str, limit: int, category: str | None, doc_type: str | None, as_json: bool) -> None:
    """Search the index from the command line."""
    found = resources().index.search(query, limit=limit, category=category, doc_type=doc_type, typing=False)
    if as_json:
        click.echo(json.dumps({"query": found.query, "total": found.total, "took_ms": found.took_ms,
                               "results": [asdict(h) for h in found.results]}, ensure_ascii=False, indent=2))
        return
    if not found.results:
        click.echo("没有找到相关内容。")
    for rank, hit in enumerate(found.results, start=1):
        click.echo(f"{rank:>2}. {hit.title}  [{hit.slug}]  {hit.score:.2f}")
        click.echo(f"    {hit.summary}")


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, envvar="KB_HOST")
@click.option("--port", default=8000, show_default=True, envvar="KB_PORT")
@click.option("--workers", default=2, show_default=True, envvar="KB_WORKERS")
def serve(host: str, port: int, workers: int) -> None:
    """Serve the app with gunicorn."""
    from kb.serve import run

    run(host=host, port=port, workers=workers)


@click.group()
def user() -> None:
    """Accounts: add, set-role, disable, enable, password, list."""


@contextmanager
def _accounts():
    """The accounts service and a session; a missing user or a refused change becomes a clean CLI error."""
    from kb.services import accounts

    _require_schema()
    with resources().db.session() as session:
        try:
            yield accounts, session
        except NotFound as exc:
            raise click.ClickException(f"没有用户 {exc}") from None
        except accounts.AccountError as exc:
            raise click.ClickException(str(exc)) from None


@user.command("add")
@click.argument("username")
@click.option("--role", type=click.Choice(list(ROLES)), default="agent", show_default=True)
@click.option("--name", "display_name", default="", help="Display name.")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True,
              help="Prompted when not given; or set KB_NEW_PASSWORD.", envvar="KB_NEW_PASSWORD")
@with_appcontext
def user_add(username: str, role: str, display_name: str, password: str) -> None:
    """Create a user."""
    with _accounts() as (accounts, session):
        accounts.add_user(session, username, password, role, display_name)
    click.echo(f"已创建用户 {username}（{ROLES[role]}）。")


@user.command("set-role")
@click.argument("username")
@click.argument("role", type=click.Choice(list(ROLES)))
@with_appcontext
def user_set_role(username: str, role: str) -> None:
    """Change a user's role."""
    with _accounts() as (accounts, session):
        accounts.set_role(session, username, role)
    click.echo(f"{username} 的角色已改为 {ROLES[role]}。")


@user.command("disable")
@click.argument("username")
@with_appcontext
def user_disable(username: str) -> None:
    """Disable a user (they can no longer log in)."""
    _set_active(username, False)


@user.command("enable")
@click.argument("username")
@with_appcontext
def user_enable(username: str) -> None:
    """Enable a disabled user."""
    _set_active(username, True)


def _set_active(username: str, active: bool) -> None:
    with _accounts() as (accounts, session):
        accounts.set_active(session, username, active)
    click.echo(f"{username} 已{'启用' if active else '停用'}。")


@user.command("password")
@click.argument("username")
@click.option("--password", prompt=True, hide_input=True, confirmation_prompt=True, envvar="KB_NEW_PASSWORD")
@with_appcontext
def user_password(username: str, password: str) -> None:
    """Set a user's password."""
    with _accounts() as (accounts, session):
        accounts.set_password(session, username, password)
    click.echo("密码已更新。")


@user.command("list")
@with_appcontext
def user_list() -> None:
    """List users."""
    with _accounts() as (accounts, session):
        for u in accounts.list_users(session):
            click.echo(f"{u.username:<20} {ROLES.get(u.role, u.role):<6} {'启用' if u.active else '停用'}  {u.display_name}")
