"""Load every content file under a content directory and apply the cross-file rules: each cited book exists,
each slug is unique, each related link resolves. Plain Python: used by `kb sync`, `kb check` and tests."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from kb.content.articles import ArticleDoc, parse_article
from kb.content.problems import HasProblems, Problem, WARNING
from kb.content.sources import SourceData, load_sources

ARTICLES_DIR = "articles"
GUIDE_PREFIX = "guide:"


@dataclass
class ContentSet(HasProblems):
    sources: list[SourceData] = field(default_factory=list)
    articles: dict[str, ArticleDoc] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    related_lines: dict[str, int] = field(default_factory=dict)


def article_files(content_dir: Path) -> list[Path]:
    root = content_dir / ARTICLES_DIR
    return sorted(p for p in root.rglob("*.md") if p.is_file()) if root.is_dir() else []


def display_path(path: Path, base: Path) -> str:
    """Paths in messages are relative to the project (the content dir's parent) when possible."""
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)


def load_content(content_dir: Path, guide_ids: set[str] | None = None) -> ContentSet:
    """Parse and check all articles and the books registry. `guide_ids` are the call guides that `guide:`
    links may point to; None leaves those links unchecked (see `check_guide_links`)."""
    content_dir = Path(content_dir)
    base = content_dir.parent
    result = ContentSet()
    result.sources, result.problems = load_sources(content_dir)
    book_ids = {s.id for s in result.sources}
    articles_dir = content_dir / ARTICLES_DIR
    if not articles_dir.is_dir():
        result.problems.append(Problem(display_path(articles_dir, base), None, "找不到文章目录 articles/"))
        return result

    first_path: dict[str, str] = {}
    related_line: dict[str, int] = {}
    for path in article_files(content_dir):
        shown = display_path(path, base)
        parsed = parse_article(path, articles_dir, shown)
        result.problems.extend(parsed.problems)
        doc = parsed.doc
        if doc is None:
            continue
        unknown = [c.book for c in doc.sources if c.book not in book_ids]
        if unknown:
            line = parsed.front.line_of("sources") if parsed.front else None
            result.problems.append(Problem(shown, line, f"未知书目 {', '.join(unknown)}；可用：{', '.join(sorted(book_ids))}"))
            continue
        if doc.slug in first_path:
            result.problems.append(Problem(shown, 1, f"slug “{doc.slug}” 与 {first_path[doc.slug]} 重复，本文件未载入"))
            continue
        first_path[doc.slug] = shown
        related_line[doc.slug] = parsed.front.line_of("related") if parsed.front else 1
        result.articles[doc.slug] = doc

    result.related_lines = related_line
    _check_related(result, related_line, lambda t: t in result.articles)
    if guide_ids is not None:
        check_guide_links(result, guide_ids)
    return result


def check_guide_links(content: ContentSet, guide_ids: set[str]) -> None:
    """Report `related: [guide:<id>]` links to guides that do not exist (or failed to load)."""
    _check_related(content, content.related_lines, lambda t: t[len(GUIDE_PREFIX):] in guide_ids, guides=True)


def _check_related(result: ContentSet, related_line: dict[str, int], exists, guides: bool = False) -> None:
    for doc in result.articles.values():
        for target in doc.related:
            if target.startswith(GUIDE_PREFIX) != guides:
                continue
            if target == doc.slug or not exists(target):
                result.problems.append(Problem(doc.path, related_line[doc.slug],
                                               f"相关链接 “{target}” 找不到对应的文章或指南", WARNING))

