"""Article files: parse one Markdown file with front matter into an `ArticleDoc`, and check it against the
content rules. Parsing needs only the file; the cross-file rules (known books, duplicate slugs, related links)
are applied by `kb.content.loader`.
"""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from kb.content.categories import CATEGORIES, LEVELS
from kb.content.frontmatter import FrontMatter, FrontMatterError, split
from kb.content.problems import ERROR, WARNING, Problem

SLUG_RE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*(?:/[a-z0-9]+(?:-[a-z0-9]+)*)+")
KNOWN_FIELDS = {"title", "category", "tags", "summary", "sources", "related", "level", "slug"}
TITLE_MAX = 60
SUMMARY_MAX = 80
TAG_MAX = 20
TAGS_MAX = 12
BODY_MIN, BODY_MAX = 300, 4000
RELATED_MIN, RELATED_MAX = 2, 5
SCRIPTS_HEADING = "话术示例"


@dataclass(frozen=True)
class CitationData:
    book: str
    chapter: str
    section: str


@dataclass(frozen=True)
class ArticleDoc:
    slug: str
    path: str
    title: str
    category: str
    tags: tuple[str, ...]
    summary: str
    sources: tuple[CitationData, ...]
    related: tuple[str, ...]
    level: str
    body: str

    def content_hash(self) -> str:
        data = asdict(self)
        data.pop("path")
        return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


@dataclass
class ParsedArticle:
    """A parsed file: the document (None when it cannot be loaded) and the problems found in it alone."""

    doc: ArticleDoc | None
    problems: list[Problem]
    front: FrontMatter | None = None


def slug_for(path: Path, articles_dir: Path) -> str:
    return path.relative_to(articles_dir).with_suffix("").as_posix()


def parse_article(path: Path, articles_dir: Path, shown_path: str | None = None) -> ParsedArticle:
    """Read and check one article file. Never raises for bad content: problems are returned."""
    shown = shown_path or str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        return ParsedArticle(None, [Problem(shown, None, "文件不是 UTF-8 编码")])
    except OSError as exc:
        return ParsedArticle(None, [Problem(shown, None, f"无法读取文件：{exc.strerror}")])
    return parse_article_text(text, slug_for(path, articles_dir), shown)


def parse_article_text(text: str, default_slug: str, shown: str) -> ParsedArticle:
    try:
        front = split(text)
    except FrontMatterError as exc:
        return ParsedArticle(None, [Problem(shown, exc.line, exc.message)])
    checker = _Checker(front, shown)
    doc = checker.build(default_slug)
    return ParsedArticle(doc, checker.problems, front)


def check_fields(data: dict[str, Any], body: str, slug: str, shown: str = "编辑器") -> ParsedArticle:
    """The same rules as a file, applied to fields from the editor's form (messages name the fields)."""
    front = FrontMatter(data=data, body=body, body_line=0, key_lines={})
    checker = _Checker(front, shown)
    doc = checker.build(slug)
    return ParsedArticle(doc, checker.problems, front)


class _Checker:
    """Field-by-field validation of one front matter; collects problems instead of stopping at the first."""

    def __init__(self, front: FrontMatter, shown: str) -> None:
        self.front = front
        self.data = front.data
        self.shown = shown
        self.problems: list[Problem] = []

    def problem(self, key: str | None, message: str, severity: str = ERROR, line: int | None = None) -> None:
        if line is None:
            line = self.front.line_of(key) if key else self.front.body_line
        self.problems.append(Problem(self.shown, line, message, severity))

    def text_field(self, key: str, max_len: int, *, required: bool = True) -> str:
        value = self.data.get(key)
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                self.problem(key, f"缺少字段 {key}")
            return ""
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.problem(key, f"字段 {key} 应为一行文字")
            return ""
        value = str(value).strip()
        if "\n" in value:
            self.problem(key, f"字段 {key} 应为一行文字，不能换行")
        if len(value) > max_len:
            severity = WARNING if key == "summary" else ERROR
            self.problem(key, f"字段 {key} 有 {len(value)} 个字符，超过上限 {max_len}", severity)
        return value

    def list_field(self, key: str) -> list[Any]:
        value = self.data.get(key)
        if value is None:
            return []
        if not isinstance(value, list):
            self.problem(key, f"字段 {key} 应为列表，例如 [a, b]")
            return []
        return value

    def build(self, default_slug: str) -> ArticleDoc | None:
        for key in self.data:
            if str(key) not in KNOWN_FIELDS:
                self.problem(str(key), f"未知字段 {key}", WARNING)

        slug = self.data.get("slug", default_slug)
        if not isinstance(slug, str) or not SLUG_RE.fullmatch(slug):
            key = "slug" if "slug" in self.data else None
            self.problem(key, f"slug “{slug}” 无效：应为 分类/名称，只用小写字母、数字和连字符", line=None if key else 1)
            slug = None

        title = self.text_field("title", TITLE_MAX)
        summary = self.text_field("summary", SUMMARY_MAX)

        category = self.data.get("category")
        if category is None:
            self.problem(None, "缺少字段 category", line=1)
        elif category not in CATEGORIES:
            self.problem("category", f"未知分类 “{category}”，可用：{', '.join(CATEGORIES)}")
            category = None
        elif slug and not slug.startswith(f"{category}/"):
            self.problem("category", f"分类 “{category}” 与文件所在目录 “{slug.split('/')[0]}” 不一致")

        tags = self._tags()
        sources = self._sources()
        related = self._related()

        level = self.data.get("level", "basic")
        if "level" not in self.data:
            self.problem(None, "缺少字段 level（basic 或 advanced）", WARNING, line=1)
        elif level not in LEVELS:
            self.problem("level", f"level 应为 {' 或 '.join(LEVELS)}，而不是 “{level}”")
            level = "basic"

        body = self.front.body.strip()
        self._check_body(body, category)

        if any(p.severity == ERROR for p in self.problems) or not (slug and title and summary and category):
            return None
        return ArticleDoc(slug=slug, path=self.shown, title=title, category=category, tags=tuple(tags),
                          summary=summary, sources=tuple(sources), related=tuple(related), level=level,
                          body=self.front.body.strip("\n") + "\n")

    def _tags(self) -> list[str]:
        tags: list[str] = []
        for tag in self.list_field("tags"):
            if not isinstance(tag, (str, int)) or isinstance(tag, bool) or not str(tag).strip():
                self.problem("tags", f"标签 “{tag}” 应为文字")
                continue
            tag = str(tag).strip()
            if len(tag) > TAG_MAX:
                self.problem("tags", f"标签 “{tag}” 超过 {TAG_MAX} 个字符")
            elif tag not in tags:
                tags.append(tag)
        if len(tags) > TAGS_MAX:
            self.problem("tags", f"标签最多 {TAGS_MAX} 个，现有 {len(tags)} 个", WARNING)
        return tags

    def _sources(self) -> list[CitationData]:
        if "sources" not in self.data:
            self.problem(None, "缺少字段 sources：每篇文章都要注明出处（书、章、节）", line=1)
            return []
        citations: list[CitationData] = []
        for entry in self.list_field("sources"):
            if not isinstance(entry, dict):
                self.problem("sources", f"出处 “{entry}” 应写成 {{book: ..., chapter: ..., section: ...}}")
                continue
            missing = [k for k in ("book", "chapter", "section") if not str(entry.get(k) or "").strip()]
            if missing:
                self.problem("sources", f"出处缺少 {', '.join(missing)}：{entry}")
                continue
            citations.append(CitationData(str(entry["book"]).strip(), str(entry["chapter"]).strip(),
                                          str(entry["section"]).strip()))
        if "sources" in self.data and not citations and not any(p.severity == ERROR for p in self.problems):
            self.problem("sources", "sources 为空：至少注明一处出处")
        return citations

    def _related(self) -> list[str]:
        related: list[str] = []
        for target in self.list_field("related"):
            if not isinstance(target, str) or not target.strip():
                self.problem("related", f"相关链接 “{target}” 应为文章 slug 或 guide:编号")
                continue
            related.append(target.strip())
        if "related" in self.data and not RELATED_MIN <= len(related) <= RELATED_MAX:
            self.problem("related", f"related 应列出 {RELATED_MIN}–{RELATED_MAX} 个链接，现有 {len(related)} 个", WARNING)
        elif "related" not in self.data:
            self.problem(None, f"缺少字段 related（{RELATED_MIN}–{RELATED_MAX} 个相关文章或指南）", WARNING, line=1)
        return related

    def _check_body(self, body: str, category: str | None) -> None:
        if not BODY_MIN <= len(body) <= BODY_MAX:
            self.problem(None, f"正文有 {len(body)} 个字符，应在 {BODY_MIN}–{BODY_MAX} 之间", WARNING)
        if category and CATEGORIES[category].needs_scripts:
            self._check_scripts_section()

    def _check_scripts_section(self) -> None:
        lines = self.front.body.split("\n")
        start = next((i for i, line in enumerate(lines) if re.match(rf"##\s*{SCRIPTS_HEADING}\s*$", line)), None)
        if start is None:
            self.problem(None, f"缺少 “## {SCRIPTS_HEADING}” 一节（本分类要求给出推荐说法和避免说法）", WARNING)
            return
        end = next((i for i in range(start + 1, len(lines)) if re.match(r"##\s", lines[i])), len(lines))
        section = lines[start + 1:end]
        line = self.front.body_line + start
        for label in ("推荐说法", "避免说法"):
            at = next((i for i, text in enumerate(section) if label in text), None)
            if at is None:
                self.problem(None, f"“## {SCRIPTS_HEADING}” 缺少 “{label}”", WARNING, line=line)
                continue
            following = section[at + 1:]
            stop = next((i for i, text in enumerate(following) if text.startswith("#")), len(following))
            if not any(re.match(r"\s*([-*+]|\d+[.、)]|>)\s*\S", text) for text in following[:stop]):
                self.problem(None, f"“{label}” 下没有列出任何说法", WARNING, line=line + at + 1)
