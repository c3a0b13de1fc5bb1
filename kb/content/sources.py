"""The registry of source books, read from `content/sources.yaml`."""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from kb.content.problems import ERROR, Problem

REQUIRED = ("id", "title", "author", "publisher", "year", "isbn")
SOURCES_FILE = "sources.yaml"


@dataclass(frozen=True)
class SourceData:
    id: str
    title: str
    author: str
    publisher: str
    year: int
    isbn: str
    position: int


def load_sources(content_dir: Path) -> tuple[list[SourceData], list[Problem]]:
    path = content_dir / SOURCES_FILE
    shown = str(path)
    if not path.exists():
        return [], [Problem(shown, None, "找不到书目文件 sources.yaml")]
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.MarkedYAMLError as exc:
        line = exc.problem_mark.line + 1 if exc.problem_mark else None
        return [], [Problem(shown, line, f"YAML 格式错误：{exc.problem}")]
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        return [], [Problem(shown, None, f"无法读取：{exc}")]
    if not isinstance(raw, list):
        return [], [Problem(shown, 1, "sources.yaml 应是一个书目列表")]

    sources: list[SourceData] = []
    problems: list[Problem] = []
    seen: set[str] = set()
    for position, entry in enumerate(raw):
        where = f"第 {position + 1} 条"
        if not isinstance(entry, dict):
            problems.append(Problem(shown, None, f"{where}：应为“字段: 值”的映射"))
            continue
        missing = [k for k in REQUIRED if not entry.get(k)]
        if missing:
            problems.append(Problem(shown, None, f"{where}：缺少字段 {', '.join(missing)}"))
            continue
        book_id = str(entry["id"])
        if not re.fullmatch(r"[a-z0-9][a-z0-9-]*", book_id):
            problems.append(Problem(shown, None, f"{where}：书目 id “{book_id}” 只能用小写字母、数字和连字符"))
            continue
        if book_id in seen:
            problems.append(Problem(shown, None, f"{where}：书目 id “{book_id}” 重复"))
            continue
        try:
            year = int(entry["year"])
        except (TypeError, ValueError):
            problems.append(Problem(shown, None, f"{where}：year 应为年份数字", ERROR))
            continue
        seen.add(book_id)
        sources.append(SourceData(book_id, str(entry["title"]), str(entry["author"]), str(entry["publisher"]),
                                  year, str(entry["isbn"]), position))
    return sources, problems
