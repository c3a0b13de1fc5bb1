"""`kb export`: write the published articles back to content/articles/ as Markdown with front matter, in the
canonical form of kb.content.frontmatter_writer. Byte-stable: exporting twice changes nothing, and a sync of an
export changes nothing. Files of articles archived in the app are removed (the database keeps every revision)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from kb.content.frontmatter_writer import article_markdown
from kb.content.loader import ARTICLES_DIR, display_path
from kb.db import Database
from kb.models import ARTICLE_ARCHIVED, ARTICLE_PUBLISHED, Article, Revision
from kb.services.editorial import revision_doc


@dataclass
class ExportReport:
    written: list[str] = field(default_factory=list)
    unchanged: int = 0
    removed: list[str] = field(default_factory=list)


def export(db: Database, content_dir: Path) -> ExportReport:
    report = ExportReport()
    articles_dir = Path(content_dir) / ARTICLES_DIR
    with db.transaction() as session:
        for article in session.scalars(select(Article).order_by(Article.slug)):
            path = articles_dir / f"{article.slug}.md"
            if article.status == ARTICLE_ARCHIVED:
                if path.exists() and article.file_hash:
                    path.unlink()
                    article.file_hash = ""
                    report.removed.append(article.slug)
                continue
            if article.status != ARTICLE_PUBLISHED or article.published_revision_id is None:
                continue
            doc = revision_doc(article.slug, session.get(Revision, article.published_revision_id))
            text = article_markdown(doc)
            if path.exists() and path.read_bytes() == text.encode("utf-8"):
                report.unchanged += 1
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                path.write_bytes(text.encode("utf-8"))
                report.written.append(article.slug)
            article.file_hash = doc.content_hash()
            article.source_path = display_path(path, Path(content_dir).parent)
    return report
