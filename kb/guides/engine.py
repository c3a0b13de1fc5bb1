"""The call-guide engine: a plain-Python state machine over guides. It starts a run, advances by the branch the
agent picks, steps into another guide and back out, goes back any number of steps, restarts, and records the
path with a timestamp per step. State is a JSON-friendly dict, so the caller can store it anywhere.

State layout (all JSON types):
    {"guide": root guide id, "finished": bool, "outcome": str | None, "ended_at_node": bool,
     "path": [{"guide", "node", "stack": [[guide id, return node], ...], "at": ISO time, "choice": str | None}]}
The last path entry is where the agent is now; `stack` holds the guides entered by jumps, innermost last.
"""
from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Callable, Mapping

from kb.guides.model import OUTCOMES, ActionNode, Branch, EndNode, Guide, GuideJumpNode, Node, SayNode


class GuideError(Exception):
    """A request the run cannot honour (unknown guide, invalid choice, finished run ...); message is for users."""


@dataclass(frozen=True)
class Position:
    guide: Guide
    node: Node
    depth: int  # 0 in the root guide, 1 inside a guide it jumped into, ...
    trail: list[Guide]  # guides from the root to the current one

    @property
    def choices(self) -> list[Branch]:
        if isinstance(self.node, EndNode):
            if self.depth:
                return [Branch(f"返回“{self.trail[-2].title}”继续", "")]
            return []
        return self.node.choices()


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Engine:
    def __init__(self, guides: Mapping[str, Guide], clock: Callable[[], str] = _now) -> None:
        self.guides = guides
        self.clock = clock

    def guide(self, guide_id: str) -> Guide:
        try:
            return self.guides[guide_id]
        except KeyError:
            raise GuideError(f"找不到指南 “{guide_id}”") from None

    # --- transitions -----------------------------------------------------------------------------------------

    def start(self, guide_id: str) -> dict[str, Any]:
        guide = self.guide(guide_id)
        state = {"guide": guide.id, "finished": False, "outcome": None, "ended_at_node": False, "path": []}
        self._enter(state, guide.id, guide.start, [[guide.id, None]])
        return state

    def advance(self, state: dict[str, Any], choice: int) -> dict[str, Any]:
        """Take choice number `choice` (0-based) at the current node; returns the new state."""
        if state["finished"]:
            raise GuideError("这通电话的指南已经结束；可以返回上一步或重新开始")
        pos = self.position(state)
        choices = pos.choices
        if not 0 <= choice < len(choices):
            raise GuideError(f"没有第 {choice + 1} 个选项（本步共有 {len(choices)} 个）")
        new = deepcopy(state)
        current = new["path"][-1]
        current["choice"] = choices[choice].label
        stack = current["stack"]
        node = pos.node
        if isinstance(node, (SayNode, ActionNode)):
            self._enter(new, pos.guide.id, choices[choice].next, stack)
        elif isinstance(node, GuideJumpNode):
            inner = self.guide(node.guide)
            self._enter(new, inner.id, inner.start, stack + [[inner.id, node.next]])
        elif isinstance(node, EndNode):  # the end of a guide we jumped into: back to the caller
            _inner, return_to = stack[-1]
            outer = stack[-2][0]
            self._enter(new, outer, return_to, stack[:-1])
        return new

    def back(self, state: dict[str, Any], steps: int = 1) -> dict[str, Any]:
        """Undo the last `steps` moves (never past the first node)."""
        if steps < 1:
            raise GuideError("返回的步数至少为 1")
        new = deepcopy(state)
        keep = max(1, len(new["path"]) - steps)
        del new["path"][keep:]
        new["path"][-1]["choice"] = None
        new["finished"] = False
        new["outcome"] = None
        new["ended_at_node"] = False
        return new

    def restart(self, state: dict[str, Any]) -> dict[str, Any]:
        return self.start(state["guide"])

    def finish(self, state: dict[str, Any], outcome: str | None = None) -> dict[str, Any]:
        """End the call now. At a root end node its outcome is used; elsewhere `outcome` must be given (the call
        ended early: the customer hung up, the agent escalated off-script ...)."""
        pos = self.position(state)
        new = deepcopy(state)
        if isinstance(pos.node, EndNode) and pos.depth == 0:
            if outcome not in (None, pos.node.outcome):
                raise GuideError("已到结束节点，结果以该节点为准")
            outcome = pos.node.outcome
        elif outcome not in OUTCOMES:
            raise GuideError(f"请选择通话结果：{', '.join(f'{k}（{v}）' for k, v in OUTCOMES.items())}")
        new["finished"] = True
        new["outcome"] = outcome
        new["ended_at_node"] = isinstance(pos.node, EndNode) and pos.depth == 0
        return new

    # --- reading ---------------------------------------------------------------------------------------------

    def position(self, state: dict[str, Any]) -> Position:
        step = state["path"][-1]
        trail = [self.guide(gid) for gid, _ret in step["stack"]]
        guide = trail[-1]
        try:
            node = guide.node(step["node"])
        except KeyError:
            raise GuideError(f"指南 “{guide.title}” 已更新，节点 “{step['node']}” 不存在了；请重新开始") from None
        return Position(guide=guide, node=node, depth=len(trail) - 1, trail=trail)

    def _enter(self, state: dict[str, Any], guide_id: str, node_id: str, stack: list) -> None:
        state["path"].append({"guide": guide_id, "node": node_id, "stack": deepcopy(stack), "at": self.clock(),
                              "choice": None})
        node = self.guide(guide_id).node(node_id)
        if isinstance(node, EndNode) and len(stack) == 1:
            state["finished"] = True
            state["outcome"] = node.outcome
            state["ended_at_node"] = True


def summary_text(engine: Engine, state: dict[str, Any], notes: str, started: datetime,
                 ended: datetime | None) -> str:
    """The plain-text call summary an agent pastes into a CRM ticket."""
    root = engine.guide(state["guide"])
    end = ended or datetime.now(timezone.utc)
    seconds = max(0, int((end - started).total_seconds()))
    outcome = OUTCOMES.get(state.get("outcome") or "", "未结束")
    lines = [f"通话指南：{root.title}", f"结果：{outcome}", f"时长：{seconds // 60} 分 {seconds % 60:02d} 秒",
             f"开始：{started.astimezone().strftime('%Y-%m-%d %H:%M')}", "经过："]
    for i, step in enumerate(state["path"], start=1):
        guide = engine.guides.get(step["guide"])
        node = guide.nodes.get(step["node"]) if guide else None
        title = node.title if node else step["node"]
        prefix = "  " * (len(step["stack"]) - 1)
        line = f"{prefix}{i}. {title}"
        if step.get("choice"):
            line += f" → {step['choice']}"
        lines.append(line)
    lines.append("备注：" + (notes.strip() or "无"))
    return "\n".join(lines)
