"""`kb sync`: bring the database and the search index in line with the content files (articles, books, call
guides).

Idempotent: an unchanged file touches nothing (compared by content hash); an edited file updates its row;
a file that disappeared archives its article or guide (never deletes it). Files with errors are reported and
skipped, and the rest still load. The index is updated only after the database commit succeeds.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from kb.content.articles import ArticleDoc
from kb.content.bundle import load_bundle
from kb.content.loader import ContentSet
from kb.content.problems import HasProblems, Problem, WARNING
from kb.content.sources import SourceData
from kb.db import Database
from kb.guides.loader import GuideSet
from kb.paths.loader import PathSet
from kb.models import (ARTICLE_ARCHIVED, ARTICLE_PUBLISHED, ARTICLE_UNPUBLISHED, GUIDE_ARCHIVED, GUIDE_PUBLISHED,
                       PATH_ARCHIVED, PATH_PUBLISHED, REV_PUBLISHED, Article, CallGuide, LearningPath, Revision,
                       Source)
from kb.search import SearchIndex
from kb.services.editorial import publish_revision
from kb.services.indexing import (article_doc_id, article_index_doc, guide_doc_id, guide_index_doc, index_in_sync,
                                  reindex)


@dataclass
class SyncReport(HasProblems):
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    unchanged: int = 0
    guides_created: list[str] = field(default_factory=list)
    guides_updated: list[str] = field(default_factory=list)
    guides_archived: list[str] = field(default_factory=list)
    guides_unchanged: int = 0
    paths_loaded: int = 0
    paths_archived: list[str] = field(default_factory=list)
    reindexed: bool = False
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.archived)


def sync(db: Database, index: SearchIndex, content_dir: Path, guides_dir: Path) -> SyncReport:
    bundle = load_bundle(Path(content_dir), Path(guides_dir))
    report = SyncReport(problems=bundle.problems)
    with db.transaction() as session:
        _sync_sources(session, bundle.content.sources)
        session.flush()
        changed = _sync_articles(session, bundle.content, report)
        changed_guides = _sync_guides(session, bundle.guides, report)
        _sync_paths(session, bundle.paths, report)
        session.flush()
        to_index = [article_index_doc(a) for a in changed] + [guide_index_doc(g) for g in changed_guides]
        to_delete = ([article_doc_id(slug) for slug in report.archived]
                     + [guide_doc_id(gid) for gid in report.guides_archived])
    # The index follows the committed database; if it had drifted (deleted, built by another version), rebuild.
    index.update(to_index, delete=to_delete)
    with db.session() as session:
        if not index_in_sync(session, index):
            reindex(session, index)
            report.reindexed = True
    return report


def _sync_sources(session: Session, sources: list[SourceData]) -> None:
    existing = {s.id: s for s in session.scalars(select(Source))}
    for data in sources:
        row = existing.get(data.id) or Source(id=data.id)
        for attr in ("title", "author", "publisher", "year", "isbn", "position"):
            if getattr(row, attr, None) != getattr(data, attr):
                setattr(row, attr, getattr(data, attr))
        session.add(row)


def _sync_articles(session: Session, content: ContentSet, report: SyncReport) -> list[Article]:
    existing = {a.slug: a for a in session.scalars(
        select(Article).options(selectinload(Article.tags), selectinload(Article.citations)))}
    failed_paths = {p.path for p in content.errors}
    changed: list[Article] = []
    for slug, doc in content.articles.items():
        article = existing.get(slug)
        digest = doc.content_hash()
        action = _plan(article, digest)
        if action == "conflict":
            report.problems.append(Problem(doc.path, 1, "文件和应用内发布的版本都改过，未用文件覆盖：先运行 kb export "
                                                        "导出应用内的版本，合并后再同步", WARNING))
            continue
        if action in ("unchanged", "adopt"):
            article.file_hash, article.source_path = digest, doc.path
            if article.published_revision_id is None and article.content_hash == digest:
                _publish_from_file(session, article, doc)  # databases from before revisions existed
            report.unchanged += 1
            continue
        if article is None:
            article = Article(slug=slug, title=doc.title, category=doc.category, summary=doc.summary, body=doc.body,
                              related=list(doc.related))
            session.add(article)
            session.flush()
            report.created.append(slug)
        else:
            report.updated.append(slug)
        _publish_from_file(session, article, doc)
        article.file_hash, article.source_path = digest, doc.path
        changed.append(article)

    for slug, article in existing.items():
        if slug in content.articles or article.status != ARTICLE_PUBLISHED or not article.source_path:
            continue
        # A file that still exists but failed to load keeps its last good version online.
        if article.source_path in failed_paths:
            continue
        article.status = ARTICLE_ARCHIVED
        article.file_hash = ""  # its file is gone: if it comes back, it is published again
        report.archived.append(slug)
    return changed


def _plan(article: Article | None, digest: str) -> str:
    """What a file means for its article: create, update, unchanged, adopt (the file caught up with what the
    app published, e.g. after `kb export`), or conflict (both the file and the app changed it)."""
    if article is None:
        return "create"
    if article.status == ARTICLE_ARCHIVED and not article.file_hash:
        return "update"  # archived because its file had disappeared; the file is back
    if digest == article.file_hash:
        return "unchanged"  # the file has not changed since it was last synced or exported
    if digest == article.content_hash and article.status == ARTICLE_PUBLISHED:
        return "adopt"
    if article.file_hash in ("", article.content_hash) or article.status == ARTICLE_UNPUBLISHED:
        return "update"  # only the file changed
    return "conflict"


def _publish_from_file(session: Session, article: Article, doc: ArticleDoc) -> None:
    """Record the file's content as a published revision (author: none, i.e. the file) and publish it."""
    latest = session.scalar(select(func.max(Revision.number)).where(Revision.article_id == article.id)) or 0
    rev = Revision(article_id=article.id, number=latest + 1, author_id=None, state=REV_PUBLISHED,
                   message=f"从文件同步：{doc.path}", title=doc.title, category=doc.category, tags=list(doc.tags),
                   summary=doc.summary, sources=[{"book": c.book, "chapter": c.chapter, "section": c.section}
                                                for c in doc.sources],
                   related=list(doc.related), level=doc.level, body=doc.body)
    session.add(rev)
    session.flush()
    publish_revision(session, article, rev)


def _sync_guides(session: Session, guides: GuideSet, report: SyncReport) -> list[CallGuide]:
    existing = {g.id: g for g in session.scalars(select(CallGuide))}
    failed_paths = {p.path for p in guides.errors}
    changed: list[CallGuide] = []
    for guide_id, guide in guides.guides.items():
        definition = guide.to_dict()
        digest = hashlib.sha256(json.dumps(definition, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        record = existing.get(guide_id)
        if record is not None and record.content_hash == digest and record.status == GUIDE_PUBLISHED:
            report.guides_unchanged += 1
            continue
        if record is None:
            record = CallGuide(id=guide_id)
            session.add(record)
            report.guides_created.append(guide_id)
        else:
            report.guides_updated.append(guide_id)
        record.title, record.summary, record.tags = guide.title, guide.summary, list(guide.tags)
        record.definition, record.content_hash = definition, digest
        record.status, record.source_path = GUIDE_PUBLISHED, guide.path
        changed.append(record)
    for guide_id, record in existing.items():
        if guide_id in guides.guides or record.status != GUIDE_PUBLISHED or record.source_path in failed_paths:
            continue
        record.status = GUIDE_ARCHIVED
        report.guides_archived.append(guide_id)
    return changed


def _sync_paths(session: Session, paths: PathSet, report: SyncReport) -> None:
    existing = {p.id: p for p in session.scalars(select(LearningPath))}
    failed = {p.path for p in paths.errors}
    for path_id, learning_path in paths.paths.items():
        definition = learning_path.to_dict()
        digest = hashlib.sha256(json.dumps(definition, ensure_ascii=False, sort_keys=True).encode()).hexdigest()
        row = existing.get(path_id) or LearningPath(id=path_id)
        if row.content_hash != digest or row.status != PATH_PUBLISHED:
            row.title, row.definition, row.content_hash = learning_path.title, definition, digest
            row.status, row.source_path = PATH_PUBLISHED, learning_path.path
            session.add(row)
        report.paths_loaded += 1
    for path_id, row in existing.items():
        if path_id not in paths.paths and row.status == PATH_PUBLISHED and row.source_path not in failed:
            row.status = PATH_ARCHIVED
            report.paths_archived.append(path_id)
