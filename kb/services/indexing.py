"""What the search index holds for each database row, and the full rebuild from the database."""
from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from kb.guides.model import Guide
from kb.markdown_render import render
from kb.models import ARTICLE_PUBLISHED, GUIDE_PUBLISHED, Article, CallGuide
from kb.search import IndexDoc, SearchIndex

ARTICLE = "article"
GUIDE = "guide"
GUIDE_CATEGORY = "guides"


def article_url(slug: str) -> str:
    return f"/articles/{slug}"


def article_doc_id(slug: str) -> str:
    return f"{ARTICLE}:{slug}"


def article_index_doc(article: Article) -> IndexDoc:
    return IndexDoc(doc_id=article_doc_id(article.slug), type=ARTICLE, slug=article.slug, title=article.title,
                    category=article.category, tags=tuple(t.name for t in article.tags), summary=article.summary,
                    body=render(article.body).text, url=article_url(article.slug))


def guide_url(guide_id: str) -> str:
    return f"/guides/{guide_id}"


def guide_doc_id(guide_id: str) -> str:
    return f"{GUIDE}:{guide_id}"


def guide_index_doc(record: CallGuide) -> IndexDoc:
    """A guide is found by its title, tags, the situations it is for and everything the agent would say."""
    guide = Guide.from_dict(record.definition)
    parts = list(guide.situations)
    for node in guide.nodes.values():
        parts.append(node.title)
        parts.extend(node.say)
        parts.extend(b.label for b in node.choices())
    return IndexDoc(doc_id=guide_doc_id(guide.id), type=GUIDE, slug=guide.id, title=guide.title,
                    category=GUIDE_CATEGORY, tags=tuple(guide.tags), summary=guide.summary, body="\n".join(parts),
                    url=guide_url(guide.id))


def published_guides(session: Session) -> list[CallGuide]:
    return list(session.scalars(select(CallGuide).where(CallGuide.status == GUIDE_PUBLISHED).order_by(CallGuide.id)))


def published_articles(session: Session) -> list[Article]:
    return list(session.scalars(select(Article).where(Article.status == ARTICLE_PUBLISHED)
                                .options(selectinload(Article.tags)).order_by(Article.slug)))


def all_index_docs(session: Session) -> list[IndexDoc]:
    return ([article_index_doc(a) for a in published_articles(session)]
            + [guide_index_doc(g) for g in published_guides(session)])


def reindex(session: Session, index: SearchIndex) -> int:
    """Rebuild the whole index from the database; returns the number of documents indexed."""
    return index.rebuild(all_index_docs(session))


def index_in_sync(session: Session, index: SearchIndex) -> bool:
    """True when the index holds exactly the published articles and guides (compares ids, not contents)."""
    expected = ({article_doc_id(a.slug) for a in published_articles(session)}
                | {guide_doc_id(g.id) for g in published_guides(session)})
    return index.exists() and index.doc_ids() == expected
