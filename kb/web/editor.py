"""Editors and reviewers: the Markdown editor (live preview, checks, autosave), saving and submitting, conflicts,
the review queue with diffs, publishing, history, compare, restore, archive."""
from __future__ import annotations

import re

from flask import Blueprint, abort, flash, jsonify, redirect, render_template, request, url_for
from sqlalchemy import select

from kb.content.categories import CATEGORIES, LEVELS
from kb.content.problems import Problem
from kb.diffing import side_by_side
from kb.errors import NotFound
from kb.markdown_render import render
from kb.models import ARTICLE_PUBLISHED, REV_STATES, Article, Revision, Source, User
from kb.services import editorial
from kb.services.editorial import ArticleForm, EditorialError
from kb.web.auth import current_row, role_required
from kb.web.state import db_session, resources

bp = Blueprint("editor", __name__)
EDITOR, REVIEWER = "editor", "reviewer"
_SPLIT = re.compile(r"[,，、\n]+")


def _list(value: str) -> list[str]:
    return [part.strip() for part in _SPLIT.split(value or "") if part.strip()]


def _sources(text: str) -> tuple[list[dict[str, str]], list[str]]:
    sources, errors = [], []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        parts = [p.strip() for p in re.split(r"[|｜]", line)]
        if len(parts) != 3 or not all(parts):
            errors.append(f"出处第 {number} 行应写成：书目编号 | 章 | 节")
            continue
        sources.append({"book": parts[0], "chapter": parts[1], "section": parts[2]})
    return sources, errors


def _form_from_request(slug: str, data) -> tuple[ArticleForm, list[str]]:
    sources, errors = _sources(data.get("sources", ""))
    base = data.get("base_revision_id") or ""
    form = ArticleForm(slug=slug, title=data.get("title", ""), category=data.get("category", ""),
                       tags=_list(data.get("tags", "")), summary=data.get("summary", ""), sources=sources,
                       related=_list(data.get("related", "")), level=data.get("level", "basic"),
                       body=data.get("body", ""), message=data.get("message", ""),
                       base_revision_id=int(base) if str(base).isdigit() else None)
    return form, errors


def _render_editor(form: ArticleForm, *, new: bool, article: Article | None = None, problems=(), conflict=None,
                   notice: str | None = None, status: int = 200):
    books = list(db_session().scalars(select(Source).order_by(Source.position)))
    rendered = render(form.body)
    # After a POST, show the sources exactly as typed (a malformed line must not vanish from the form).
    sources_text = request.form.get("sources") if request.method == "POST" and not conflict else None
    return render_template("editor/edit.html", form=form, new=new, article=article, problems=list(problems),
                           sources_text=sources_text,
                           conflict=conflict, notice=notice, categories=CATEGORIES, levels=LEVELS, books=books,
                           preview=rendered.html,
                           conflict_rows=side_by_side(conflict.base.body if conflict and conflict.base else "",
                                                      conflict.theirs.body) if conflict else None), status


@bp.get("/edit/new")
@role_required(EDITOR)
def new():
    """A blank editor for a new article (slug = category/name)."""
    category = request.args.get("category", "phone")
    form = ArticleForm(slug=f"{category}/", category=category)
    draft = editorial.get_draft(db_session(), current_row(), request.args.get("slug", ""), new=True) \
        if request.args.get("slug") else None
    if draft is not None:
        form = ArticleForm.from_dict(draft.data)
    return _render_editor(form, new=True)[0]


@bp.post("/edit/new")
@role_required(EDITOR)
def create():
    """Save a new article as its first revision."""
    form, errors = _form_from_request(request.form.get("slug", "").strip(), request.form)
    return _save(form, errors, new=True)


@bp.get("/edit/<path:slug>")
@role_required(EDITOR)
def edit(slug: str):
    """The editor, on the article's latest revision (or this user's newer autosaved draft)."""
    session = db_session()
    article = editorial.get_article_any(session, slug)
    latest = editorial.latest_revision(session, article)
    if latest is None:
        raise NotFound(slug)
    form = ArticleForm.from_revision(slug, latest)
    notice = None
    draft = editorial.get_draft(session, current_row(), slug)
    if draft is not None:
        form = ArticleForm.from_dict(draft.data)
        notice = f"已恢复你 {draft.updated_at:%m-%d %H:%M} 自动保存的草稿（尚未保存为版本）。"
    return _render_editor(form, new=False, article=article, notice=notice)[0]


@bp.post("/edit/<path:slug>")
@role_required(EDITOR)
def save(slug: str):
    """Save the form as a revision (submit too when the 提交审核 button was used)."""
    form, errors = _form_from_request(slug, request.form)
    return _save(form, errors, new=False)


def _save(form: ArticleForm, errors: list[str], *, new: bool):
    session = db_session()
    user = current_row()
    article = session.scalar(select(Article).where(Article.slug == form.slug))
    if errors:
        problems = [Problem("编辑器", None, e) for e in errors]
        return _render_editor(form, new=new, article=article, problems=problems, status=400)
    result = editorial.save(session, user, form, submit=request.form.get("action") == "submit", new=new)
    if result.conflict is not None:
        session.rollback()
        editorial.autosave(session, user, form, new=new)  # the editor's own version is kept, whatever happens
        return _render_editor(result.conflict.merged, new=False, article=article, conflict=result.conflict,
                              status=409)
    if not result.saved:
        session.rollback()
        return _render_editor(form, new=new, article=article, problems=result.problems, status=400)
    state = "已提交审核" if result.revision.state == "in_review" else "已保存为草稿"
    flash(f"第 {result.revision.number} 版{state}。")
    return redirect(url_for("editor.history", slug=form.slug))


@bp.post("/edit/preview")
@role_required(EDITOR)
def preview():
    """Live preview: the same renderer as the article page, and the same checks as `kb check`."""
    data = request.get_json(silent=True) or {}
    form, errors = _form_from_request(str(data.get("slug", "")), data)
    problems = editorial.check_form(db_session(), form, new=bool(data.get("new")))
    return jsonify({"html": render(form.body).html,
                    "problems": errors + [p.message for p in problems if p.severity == "error"],
                    "warnings": [p.message for p in problems if p.severity == "warning"]})


@bp.post("/edit/autosave")
@role_required(EDITOR)
def autosave():
    """Keep the editor's form as a draft (called every few seconds while typing)."""
    data = request.get_json(silent=True) or {}
    form, _errors = _form_from_request(str(data.get("slug", "")), data)
    try:
        draft = editorial.autosave(db_session(), current_row(), form, new=bool(data.get("new")))
    except EditorialError as exc:
        return jsonify({"error": str(exc)}), 400
    return jsonify({"saved_at": draft.updated_at.isoformat(timespec="seconds")})


@bp.post("/edit/<path:slug>/discard-draft")
@role_required(EDITOR)
def discard_draft(slug: str):
    """Throw away this user's autosaved draft and reload the latest revision."""
    editorial.discard_draft(db_session(), current_row(), slug)
    return redirect(url_for("editor.edit", slug=slug))


@bp.post("/articles/<path:slug>/submit")
@role_required(EDITOR)
def submit(slug: str):
    """Submit the latest draft for review."""
    try:
        editorial.submit(db_session(), current_row(), slug)
        flash("已提交审核。")
    except EditorialError as exc:
        db_session().rollback()
        flash(str(exc), "error")
    return redirect(url_for("editor.history", slug=slug))


@bp.get("/articles/<path:slug>/history")
@role_required(EDITOR)
def history(slug: str):
    """Every revision: who, when, message, state; pick two to compare."""
    session = db_session()
    article = editorial.get_article_any(session, slug)
    return render_template("editor/history.html", article=article, revisions=editorial.history(session, article),
                           states=REV_STATES)


@bp.get("/articles/<path:slug>/compare")
@role_required(EDITOR)
def compare(slug: str):
    """Two revisions side by side with changed words marked (?a=N&b=M)."""
    session = db_session()
    article = editorial.get_article_any(session, slug)
    revs = editorial.history(session, article)
    try:
        a = editorial.get_revision(session, article, int(request.args.get("a", revs[-1].number)))
        b = editorial.get_revision(session, article, int(request.args.get("b", revs[0].number)))
    except ValueError:
        abort(400)
    return render_template("editor/compare.html", article=article, a=a, b=b, rows=_revision_rows(a, b), states=REV_STATES)


def _revision_rows(a: Revision, b: Revision):
    """Front matter lines then the body, diffed together."""
    def text(rev: Revision) -> str:
        head = [f"标题：{rev.title}", f"分类：{rev.category}", f"标签：{'、'.join(rev.tags)}", f"摘要：{rev.summary}",
                *[f"出处：{s['book']} · {s['chapter']} · {s['section']}" for s in rev.sources],
                f"相关：{'、'.join(rev.related)}", f"级别：{rev.level}", ""]
        return "\n".join(head) + rev.body
    return side_by_side(text(a), text(b), context=None)


@bp.post("/articles/<path:slug>/revisions/<int:number>/restore")
@role_required(EDITOR)
def restore(slug: str, number: int):
    """Restore an old revision as a new draft revision."""
    rev = editorial.restore(db_session(), current_row(), slug, number)
    flash(f"已把第 {number} 版恢复为第 {rev.number} 版（草稿），提交审核后发布。")
    return redirect(url_for("editor.history", slug=slug))


@bp.get("/review")
@role_required(REVIEWER)
def queue():
    """Revisions waiting for review."""
    return render_template("editor/queue.html", items=editorial.review_queue(db_session()))


@bp.get("/review/<int:revision_id>")
@role_required(REVIEWER)
def review(revision_id: int):
    """A revision against the published version, with approve and send-back forms."""
    session = db_session()
    rev = session.get(Revision, revision_id)
    if rev is None:
        raise NotFound(str(revision_id))
    article = session.get(Article, rev.article_id)
    published = session.get(Revision, article.published_revision_id) if article.published_revision_id else None
    empty = Revision(title="", category="", tags=[], summary="", sources=[], related=[], level="", body="", number=0)
    rows = _revision_rows(published or empty, rev)
    problems = editorial.check_form(session, ArticleForm.from_revision(article.slug, rev))
    return render_template("editor/review.html", rev=rev, article=article, published=published, rows=rows,
                           problems=problems, states=REV_STATES, author=session.get(User, rev.author_id) if rev.author_id else None)


@bp.post("/review/<int:revision_id>/approve")
@role_required(REVIEWER)
def approve(revision_id: int):
    """Approve and publish: the article and the search index change at once."""
    session = db_session()
    try:
        rev = editorial.approve(session, resources().index, current_row(), revision_id, request.form.get("comment", ""))
    except EditorialError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("editor.review", revision_id=revision_id))
    flash(f"已发布第 {rev.number} 版。")
    return redirect(url_for("editor.queue"))


@bp.post("/review/<int:revision_id>/return")
@role_required(REVIEWER)
def send_back(revision_id: int):
    """Send back to the editor with a comment."""
    session = db_session()
    try:
        editorial.send_back(session, current_row(), revision_id, request.form.get("comment", ""))
    except EditorialError as exc:
        session.rollback()
        flash(str(exc), "error")
        return redirect(url_for("editor.review", revision_id=revision_id))
    flash("已退回编辑。")
    return redirect(url_for("editor.queue"))


@bp.post("/articles/<path:slug>/archive")
@role_required(REVIEWER)
def archive(slug: str):
    """Archive a published article (kept with all its revisions, gone from search)."""
    session = db_session()
    try:
        editorial.archive(session, resources().index, current_row(), slug)
        flash("已归档。")
    except EditorialError as exc:
        session.rollback()
        flash(str(exc), "error")
    return redirect(url_for("editor.history", slug=slug))


@bp.get("/my")
@role_required(EDITOR)
def my_work():
    """This editor's unpublished revisions."""
    session = db_session()
    return render_template("editor/my.html", items=editorial.my_work(session, current_row()), states=REV_STATES,
                           published=ARTICLE_PUBLISHED)
