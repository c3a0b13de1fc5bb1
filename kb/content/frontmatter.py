"""Split a Markdown file into YAML front matter and body, keeping line numbers for error messages."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from kb.content import yaml_nodes


class FrontMatterError(ValueError):
    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass
class FrontMatter:
    data: dict[str, Any]
    body: str
    body_line: int  # 1-based line where the body starts
    key_lines: dict[str, int] = field(default_factory=dict)  # 1-based line of each top-level key

    def line_of(self, key: str) -> int:
        return self.key_lines.get(key, 1)


def split(text: str) -> FrontMatter:
    """Parse `---\\n<yaml>\\n---\\n<body>`. Raises FrontMatterError with a 1-based line where known."""
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if not lines or lines[0].strip() != "---":
        raise FrontMatterError("文件开头缺少 YAML 前置信息（第一行应为 ---）", 1)
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "---")
    except StopIteration:
        raise FrontMatterError("YAML 前置信息没有结束标记 ---", 1) from None
    yaml_text = "\n".join(lines[1:end])
    try:
        node = yaml.compose(yaml_text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(yaml_text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 2 if mark is not None else None
        raise FrontMatterError(f"YAML 格式错误：{exc.problem or exc}", line) from None
    except yaml.YAMLError as exc:
        raise FrontMatterError(f"YAML 格式错误：{exc}", 2) from None
    if not isinstance(data, dict):
        raise FrontMatterError("YAML 前置信息必须是“字段: 值”的映射", 2)
    # +2: PyYAML counts from 0 inside the front matter, which starts on the file's second line.
    return FrontMatter(data=data, body="\n".join(lines[end + 1:]), body_line=end + 2,
                       key_lines=yaml_nodes.key_lines(node, offset=2))
