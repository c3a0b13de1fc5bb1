"""Read call guides from `scripts_library/*.yaml` and validate them: node types, targets, reachability, a way
to an end from every node, duplicate ids, article links, jumps into other guides (and jump cycles).

Every problem names the file, the line and the node id. A guide with an error is refused; the others load.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kb.content import yaml_nodes
from kb.content.problems import ERROR, HasProblems, Problem, WARNING
from kb.guides.model import NODE_TYPES, Citation, EndNode, Guide, Node, NodeError

ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
GUIDE_FIELDS = {"id", "title", "summary", "tags", "situations", "sources", "articles", "start", "nodes"}
SUMMARY_MAX = 80
NODES_MIN, NODES_MAX = 2, 60


@dataclass
class GuideSet(HasProblems):
    guides: dict[str, Guide] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)


class _UniqueKeyLoader(yaml.SafeLoader):
    """SafeLoader that refuses duplicate mapping keys (plain YAML silently keeps the last one)."""

    def construct_mapping(self, node, deep=False):
        seen: dict[Any, Any] = {}
        for key_node, _value in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise yaml.constructor.ConstructorError(
                    None, None, f"重复的键 “{key}”（第 {seen[key].start_mark.line + 1} 行已有）", key_node.start_mark)
            seen[key] = key_node
        return super().construct_mapping(node, deep=deep)


def guide_files(guides_dir: Path) -> list[Path]:
    if not guides_dir.is_dir():
        return []
    return sorted(p for p in guides_dir.iterdir() if p.suffix in (".yaml", ".yml") and p.is_file())


def load_guides(guides_dir: Path, article_slugs: set[str] | None = None) -> GuideSet:
    """Parse and check every guide. `article_slugs`: the articles links may point to (None: not checked)."""
    guides_dir = Path(guides_dir)
    base = guides_dir.parent
    result = GuideSet()
    lines: dict[str, dict[str, int]] = {}
    for path in guide_files(guides_dir):
        shown = _shown(path, base)
        guide, node_lines, problems = parse_guide(path, shown)
        result.problems.extend(problems)
        if guide is None:
            continue
        if article_slugs is not None:
            bad = _check_articles(guide, article_slugs, node_lines)
            result.problems.extend(bad)
            if any(p.severity == ERROR for p in bad):
                continue
        if guide.id in result.guides:
            result.problems.append(Problem(shown, 1, f"指南编号 “{guide.id}” 与 {result.guides[guide.id].path} 重复"))
            continue
        result.guides[guide.id] = guide
        lines[guide.id] = node_lines
    _check_jumps(result, lines)
    return result


def parse_guide(path: Path, shown: str) -> tuple[Guide | None, dict[str, int], list[Problem]]:
    """One file on its own: its guide (None when it has errors), the line of each node, and its problems."""
    problems: list[Problem] = []

    def error(line: int | None, message: str, severity: str = ERROR) -> None:
        problems.append(Problem(shown, line, message, severity))

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        error(None, f"无法读取文件（需要 UTF-8）：{exc}")
        return None, {}, problems
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.load(text, Loader=_UniqueKeyLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        error(mark.line + 1 if mark else None, f"YAML 格式错误：{exc.problem or exc}")
        return None, {}, problems
    if not isinstance(data, dict):
        error(1, "指南文件应是“字段: 值”的映射")
        return None, {}, problems

    key_lines = yaml_nodes.key_lines(root)
    node_lines = yaml_nodes.key_lines(yaml_nodes.child(root, "nodes"))
    for key in data:
        if key not in GUIDE_FIELDS:
            error(key_lines.get(str(key)), f"未知字段 {key}", WARNING)
    for key in ("id", "title", "summary", "start", "nodes"):
        if not data.get(key):
            error(1, f"缺少字段 {key}")
    guide_id = str(data.get("id") or "")
    if guide_id and (not ID_RE.fullmatch(guide_id) or guide_id != path.stem):
        error(key_lines.get("id"), f"指南编号 “{guide_id}” 应与文件名 {path.stem} 相同，且只用小写字母、数字和连字符")
    summary = str(data.get("summary") or "")
    if len(summary) > SUMMARY_MAX:
        error(key_lines.get("summary"), f"summary 有 {len(summary)} 个字符，超过上限 {SUMMARY_MAX}", WARNING)

    raw_nodes = data.get("nodes")
    nodes: dict[str, Node] = {}
    if raw_nodes is not None and not isinstance(raw_nodes, dict):
        error(key_lines.get("nodes"), "nodes 应为“节点编号: 节点内容”的映射")
        raw_nodes = {}
    for node_id, raw in (raw_nodes or {}).items():
        node_id = str(node_id)
        line = node_lines.get(node_id)
        where = f"节点 {node_id}"
        if not ID_RE.fullmatch(node_id):
            error(line, f"{where}：编号只能用小写字母、数字、连字符和下划线")
            continue
        if not isinstance(raw, dict):
            error(line, f"{where}：应为“字段: 值”的映射")
            continue
        node_type = raw.get("type")
        cls = NODE_TYPES.get(node_type)
        if cls is None:
            error(line, f"{where}：未知节点类型 “{node_type}”，可用：{', '.join(NODE_TYPES)}")
            continue
        for key in raw:
            if key not in cls.allowed_keys():
                error(line, f"{where}：未知字段 {key}", WARNING)
        try:
            nodes[node_id] = cls.from_data(node_id, raw)
        except NodeError as exc:
            error(line, f"{where}：{exc.message}")

    start = str(data.get("start") or "")
    if nodes and start and start not in nodes:
        error(key_lines.get("start"), f"起始节点 “{start}” 不存在")
    for node in nodes.values():
        for target in node.targets():
            if target not in nodes:
                error(node_lines.get(node.id), f"节点 {node.id}：下一步 “{target}” 不存在")
    if nodes and not any(isinstance(n, EndNode) for n in nodes.values()):
        error(key_lines.get("nodes"), "没有任何 end 结束节点")
    if raw_nodes and not NODES_MIN <= len(raw_nodes) <= NODES_MAX:
        error(key_lines.get("nodes"), f"节点数 {len(raw_nodes)} 超出 {NODES_MIN}–{NODES_MAX} 的范围")
    if any(p.severity == ERROR for p in problems):
        return None, node_lines, problems

    for node_id in sorted(set(nodes) - _reachable(nodes, start), key=list(nodes).index):
        error(node_lines.get(node_id), f"节点 {node_id}：从起始节点走不到（多余的节点）")
    can_end = _can_reach_end(nodes)
    for node_id in nodes:
        if node_id not in can_end:
            error(node_lines.get(node_id), f"节点 {node_id}：走不到任何结束节点（可能是没有出口的循环）")
    if any(p.severity == ERROR for p in problems):
        return None, node_lines, problems

    try:
        guide = Guide(id=guide_id, title=str(data["title"]).strip(), summary=summary.strip(),
                      tags=_str_list(data.get("tags")), situations=_str_list(data.get("situations")),
                      sources=_citations(data.get("sources")), articles=_str_list(data.get("articles")),
                      start=start, nodes=nodes, path=shown)
    except ValueError as exc:
        error(1, str(exc))
        return None, node_lines, problems
    return guide, node_lines, problems


def _reachable(nodes: dict[str, Node], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        node_id = stack.pop()
        if node_id in seen or node_id not in nodes:
            continue
        seen.add(node_id)
        stack.extend(nodes[node_id].targets())
    return seen


def _can_reach_end(nodes: dict[str, Node]) -> set[str]:
    done = {nid for nid, n in nodes.items() if isinstance(n, EndNode)}
    changed = True
    while changed:
        changed = False
        for nid, node in nodes.items():
            if nid not in done and any(t in done for t in node.targets()):
                done.add(nid)
                changed = True
    return done


def _check_articles(guide: Guide, slugs: set[str], node_lines: dict[str, int]) -> list[Problem]:
    problems = [Problem(guide.path, 1, f"文章链接 “{a}” 找不到") for a in guide.articles if a not in slugs]
    for node in guide.nodes.values():
        problems.extend(Problem(guide.path, node_lines.get(node.id), f"节点 {node.id}：文章链接 “{a}” 找不到")
                        for a in node.articles if a not in slugs)
    return problems


def _check_jumps(result: GuideSet, lines: dict[str, dict[str, int]]) -> None:
    """Refuse guides that jump to a missing guide or into a cycle of jumps, until what remains is consistent."""
    while True:
        refused: dict[str, Problem] = {}
        for guide in result.guides.values():
            for jump in guide.jumps():
                line = lines[guide.id].get(jump.id)
                if jump.guide not in result.guides:
                    refused[guide.id] = Problem(guide.path, line, f"节点 {jump.id}：要转入的指南 “{jump.guide}” 不存在或无法载入")
                elif jump.guide == guide.id or guide.id in _jump_closure(result.guides, jump.guide):
                    refused[guide.id] = Problem(guide.path, line, f"节点 {jump.id}：转入 “{jump.guide}” 会形成指南之间的循环跳转")
        if not refused:
            return
        for guide_id, problem in refused.items():
            result.problems.append(problem)
            del result.guides[guide_id]


def _jump_closure(guides: dict[str, Guide], start: str) -> set[str]:
    seen: set[str] = set()
    stack = [start]
    while stack:
        gid = stack.pop()
        if gid in seen or gid not in guides:
            continue
        seen.add(gid)
        stack.extend(j.guide for j in guides[gid].jumps())
    return seen


def _str_list(value) -> list[str]:
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if not isinstance(value, list):
        raise ValueError(f"应为列表：{value!r}")
    return [str(v).strip() for v in value if str(v).strip()]


def _citations(value) -> list[Citation]:
    out = []
    for entry in value or []:
        if not isinstance(entry, dict) or not all(entry.get(k) for k in ("book", "chapter", "section")):
            raise ValueError(f"出处 {entry!r} 应写成 {{book, chapter, section}}")
        out.append(Citation(str(entry["book"]), str(entry["chapter"]), str(entry["section"])))
    return out


def _shown(path: Path, base: Path) -> str:
    try:
        return path.relative_to(base).as_posix()
    except ValueError:
        return str(path)
