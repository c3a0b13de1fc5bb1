"""Call guides as data: a guide is a graph of nodes; node types are registered by name (`NODE_TYPES`), each
knowing how to read itself from YAML and where it can lead. No Flask, no database.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

OUTCOMES: dict[str, str] = {
    "resolved": "已解决",
    "escalated": "升级处理",
    "callback": "约定回电",
    "hung-up": "客户挂断",
    "transferred": "已转接",
    "message-taken": "已留言",
    "declined": "客户暂不接受",
    "follow-up": "已建工单待跟进",
}


class NodeError(ValueError):
    """A node definition that cannot be read; `field` names the offending key."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


@dataclass(frozen=True)
class Branch:
    label: str  # what the customer says or does
    next: str


@dataclass
class Node:
    """Common parts: what to say, tips, linked articles. Subclasses add where the node leads."""

    type_name: ClassVar[str] = ""
    label: ClassVar[str] = ""

    id: str
    title: str
    say: list[str] = field(default_factory=list)
    tips: list[str] = field(default_factory=list)
    articles: list[str] = field(default_factory=list)

    @classmethod
    def from_data(cls, node_id: str, data: dict[str, Any]) -> Node:
        common = dict(id=node_id, title=_text(data, "title", required=True), say=_lines(data, "say"),
                      tips=_lines(data, "tips"), articles=_lines(data, "articles"))
        return cls(**common, **cls.specific(data))

    @classmethod
    def specific(cls, data: dict[str, Any]) -> dict[str, Any]:
        return {}

    @classmethod
    def allowed_keys(cls) -> set[str]:
        return {"type", "title", "say", "tips", "articles"}

    def targets(self) -> list[str]:
        """Ids of the nodes this node can lead to within its guide."""
        return []

    def choices(self) -> list[Branch]:
        """What the agent can pick at this node (branch buttons)."""
        return []

    def to_dict(self) -> dict[str, Any]:
        data: dict[str, Any] = {"id": self.id, "type": self.type_name, "title": self.title, "say": self.say,
                                "tips": self.tips, "articles": self.articles}
        return data


@dataclass
class SayNode(Node):
    """The agent says something; the customer's possible reactions are the branches."""

    type_name: ClassVar[str] = "say"
    label: ClassVar[str] = "话术"
    branches: list[Branch] = field(default_factory=list)

    @classmethod
    def specific(cls, data):
        raw = data.get("branches")
        if not isinstance(raw, list) or not raw:
            raise NodeError("say 节点需要 branches：客户可能的反应，每项 {label, next}", "branches")
        branches = []
        for item in raw:
            if not isinstance(item, dict) or not str(item.get("label") or "").strip() or not item.get("next"):
                raise NodeError(f"分支 {item!r} 应写成 {{label: 客户的反应, next: 节点编号}}", "branches")
            branches.append(Branch(str(item["label"]).strip(), str(item["next"])))
        if len(branches) > 9:
            raise NodeError("一个节点最多 9 个分支（对应数字键 1–9）", "branches")
        if not data.get("say"):
            raise NodeError("say 节点需要 say：要说的话", "say")
        return {"branches": branches}

    @classmethod
    def allowed_keys(cls):
        return super().allowed_keys() | {"branches"}

    def targets(self):
        return [b.next for b in self.branches]

    def choices(self):
        return self.branches

    def to_dict(self):
        return {**super().to_dict(), "branches": [{"label": b.label, "next": b.next} for b in self.branches]}


@dataclass
class ActionNode(Node):
    """A checklist the agent works through (核实身份, 记录工单 ...), then one way on."""

    type_name: ClassVar[str] = "action"
    label: ClassVar[str] = "操作"
    checklist: list[str] = field(default_factory=list)
    next: str = ""

    @classmethod
    def specific(cls, data):
        checklist = _lines(data, "checklist")
        if not checklist:
            raise NodeError("action 节点需要 checklist：要做的事项", "checklist")
        return {"checklist": checklist, "next": _text(data, "next", required=True)}

    @classmethod
    def allowed_keys(cls):
        return super().allowed_keys() | {"checklist", "next"}

    def targets(self):
        return [self.next]

    def choices(self):
        return [Branch("已完成，继续", self.next)]

    def to_dict(self):
        return {**super().to_dict(), "checklist": self.checklist, "next": self.next}


@dataclass
class GuideJumpNode(Node):
    """Step into another guide; when it reaches an end, come back and continue at `next`."""

    type_name: ClassVar[str] = "guide"
    label: ClassVar[str] = "转入指南"
    guide: str = ""
    next: str = ""

    @classmethod
    def specific(cls, data):
        return {"guide": _text(data, "guide", required=True), "next": _text(data, "next", required=True)}

    @classmethod
    def allowed_keys(cls):
        return super().allowed_keys() | {"guide", "next"}

    def targets(self):
        return [self.next]

    def choices(self):
        return [Branch("进入该指南", self.next)]

    def to_dict(self):
        return {**super().to_dict(), "guide": self.guide, "next": self.next}


@dataclass
class EndNode(Node):
    """The call's outcome."""

    type_name: ClassVar[str] = "end"
    label: ClassVar[str] = "结束"
    outcome: str = ""

    @classmethod
    def specific(cls, data):
        outcome = _text(data, "outcome", required=True)
        if outcome not in OUTCOMES:
            raise NodeError(f"未知结果 “{outcome}”，可用：{', '.join(OUTCOMES)}", "outcome")
        return {"outcome": outcome}

    @classmethod
    def allowed_keys(cls):
        return super().allowed_keys() | {"outcome"}

    def to_dict(self):
        return {**super().to_dict(), "outcome": self.outcome, "outcome_label": OUTCOMES[self.outcome]}


NODE_TYPES: dict[str, type[Node]] = {cls.type_name: cls for cls in (SayNode, ActionNode, GuideJumpNode, EndNode)}


@dataclass
class Citation:
    book: str
    chapter: str
    section: str


@dataclass
class Guide:
    id: str
    title: str
    summary: str
    tags: list[str]
    situations: list[str]
    sources: list[Citation]
    articles: list[str]
    start: str
    nodes: dict[str, Node]
    path: str = ""

    def node(self, node_id: str) -> Node:
        return self.nodes[node_id]

    def ends(self) -> list[EndNode]:
        return [n for n in self.nodes.values() if isinstance(n, EndNode)]

    def outcomes(self) -> list[str]:
        return sorted({n.outcome for n in self.ends()}, key=list(OUTCOMES).index)

    def jumps(self) -> list[GuideJumpNode]:
        return [n for n in self.nodes.values() if isinstance(n, GuideJumpNode)]

    def all_articles(self) -> list[str]:
        seen = dict.fromkeys(self.articles)
        for node in self.nodes.values():
            seen.update(dict.fromkeys(node.articles))
        return list(seen)

    @classmethod
    def from_dict(cls, data: dict[str, Any], path: str = "") -> Guide:
        """Rebuild a guide from `to_dict()` output (how the database stores a validated guide)."""
        nodes = {nid: NODE_TYPES[n["type"]].from_data(nid, n) for nid, n in data["nodes"].items()}
        return cls(id=data["id"], title=data["title"], summary=data["summary"], tags=list(data["tags"]),
                   situations=list(data["situations"]), sources=[Citation(**c) for c in data["sources"]],
                   articles=list(data["articles"]), start=data["start"], nodes=nodes, path=path)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "title": self.title, "summary": self.summary, "tags": self.tags,
                "situations": self.situations, "articles": self.articles, "start": self.start,
                "outcomes": {o: OUTCOMES[o] for o in self.outcomes()},
                "sources": [{"book": c.book, "chapter": c.chapter, "section": c.section} for c in self.sources],
                "nodes": {nid: node.to_dict() for nid, node in self.nodes.items()}}


def _text(data: dict[str, Any], key: str, *, required: bool = False) -> str:
    value = data.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        if required:
            raise NodeError(f"缺少字段 {key}", key)
        return ""
    if isinstance(value, (list, dict)):
        raise NodeError(f"字段 {key} 应为一行文字", key)
    return str(value).strip()


def _lines(data: dict[str, Any], key: str) -> list[str]:
    value = data.get(key)
    if value is None:
        return []
    if isinstance(value, str):
        return [value.strip()] if value.strip() else []
    if not isinstance(value, list) or any(isinstance(v, (list, dict)) for v in value):
        raise NodeError(f"字段 {key} 应为文字列表", key)
    return [str(v).strip() for v in value if str(v).strip()]
