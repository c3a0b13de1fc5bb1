"""Layered layout of a guide's graph for its diagram (the Sugiyama recipe, kept small): cycles set aside, layers
by longest path from the start, a waypoint in every layer a long edge passes, and an order within each layer that
reduces crossings.

Plain data in, plain data out; the SVG drawing is `kb.guides.diagram`.
"""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

SWEEPS = 12  # down-and-up passes of the barycentre heuristic; guides have at most a few dozen nodes
SHARED_END_MAX = 2  # an end reached from more steps than this is drawn under each of them


@dataclass
class Layout:
    """`rows`: each layer's items left to right: node ids, copies of a shared end ("=", end id, source), and
    waypoints ("~", source, target, layer).
    `chains`: each forward edge (source, target) → the items it passes through, both ends included.
    `back_edges`: edges that close a cycle (they go back up to an earlier layer), drawn apart."""

    rows: list[list[object]]
    chains: dict[tuple[str, str], list[object]] = field(default_factory=dict)
    back_edges: list[tuple[str, str]] = field(default_factory=list)

    def row_of(self) -> dict[object, int]:
        return {item: r for r, row in enumerate(self.rows) for item in row}

    def crossings(self) -> int:
        row = self.row_of()
        links: list[list[tuple[object, object]]] = [[] for _ in self.rows]
        for chain in self.chains.values():
            for a, b in zip(chain, chain[1:]):
                links[row[a]].append((a, b))
        return sum(_crossings(self.rows[r], self.rows[r + 1], links[r]) for r in range(len(self.rows) - 1))


def edges_of(nodes: dict, start: str) -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
    """The distinct edges among the nodes reachable from `start`, in depth-first reading order, and which of them
    close a cycle (they lead back to a step still open on the depth-first path: a retry, a "say it again")."""
    edges: list[tuple[str, str]] = []
    back: set[tuple[str, str]] = set()
    open_now, done = {start}, set()
    stack = [(start, iter(nodes[start].targets()))]
    while stack:
        node_id, targets = stack[-1]
        target = next(targets, None)
        if target is None:
            stack.pop()
            open_now.discard(node_id)
            done.add(node_id)
            continue
        if target not in nodes or (node_id, target) in edges:
            continue
        edges.append((node_id, target))
        if target in open_now:
            back.add((node_id, target))
        elif target not in done:
            open_now.add(target)
            stack.append((target, iter(nodes[target].targets())))
    return edges, back


def layout(nodes: dict, start: str) -> Layout:
    """`nodes`: id → object with `targets()`; only nodes reachable from `start` are placed. Each node sits one
    layer below the deepest step that leads to it (longest path), so every edge but a cycle's runs downwards.
    An end that many steps lead to (客户挂断 from anywhere) is drawn once under each of them instead of pulling
    long edges across the whole picture."""
    edges, back = edges_of(nodes, start)
    forward = [e for e in edges if e not in back]
    incoming: dict[str, int] = {}
    for _, target in forward:
        incoming[target] = incoming.get(target, 0) + 1

    def item_for(source: str, target: str) -> object:
        shared = incoming[target] > SHARED_END_MAX and not nodes[target].targets()
        return ("=", target, source) if shared else target

    links = [(source, item_for(source, target)) for source, target in forward]
    following: dict[object, list[object]] = {}
    waiting: dict[object, int] = {}
    for source, item in links:
        following.setdefault(source, []).append(item)
        waiting[item] = waiting.get(item, 0) + 1
    depth: dict[object, int] = {start: 0}
    ready = deque([start])
    while ready:  # topological order over the forward edges
        item = ready.popleft()
        for target in following.get(item, []):
            depth[target] = max(depth.get(target, 0), depth[item] + 1)
            waiting[target] -= 1
            if not waiting[target]:
                ready.append(target)
    rows: list[list[object]] = [[] for _ in range(max(depth.values()) + 1)]
    for item in dict.fromkeys([start] + [target for _, target in links]):
        rows[depth[item]].append(item)  # depth-first discovery order: a fair first guess within each layer
    result = Layout(rows=rows, back_edges=[e for e in edges if e in back])
    for (source, target), (_, item) in zip(forward, links):
        chain: list[object] = [source]
        for r in range(depth[source] + 1, depth[item]):
            waypoint = ("~", source, target, r)
            rows[r].append(waypoint)
            chain.append(waypoint)
        chain.append(item)
        result.chains[(source, target)] = chain
    _reduce_crossings(result)
    return result


def node_of(item: object) -> str | None:
    """The guide node an item stands for (itself, or the end it is a copy of); None for a waypoint."""
    if isinstance(item, str):
        return item
    return item[1] if item[0] == "=" else None  # type: ignore[index]


def _reduce_crossings(result: Layout) -> None:
    up: dict[object, list[object]] = {}
    down: dict[object, list[object]] = {}
    for chain in result.chains.values():
        for a, b in zip(chain, chain[1:]):
            down.setdefault(a, []).append(b)
            up.setdefault(b, []).append(a)
    best, best_count = [list(row) for row in result.rows], result.crossings()
    for sweep in range(SWEEPS):
        downward = sweep % 2 == 0
        order = range(1, len(result.rows)) if downward else range(len(result.rows) - 2, -1, -1)
        for r in order:
            fixed = result.rows[r - 1] if downward else result.rows[r + 1]
            where = {item: i for i, item in enumerate(fixed)}
            neighbours = up if downward else down
            current = {item: i for i, item in enumerate(result.rows[r])}

            def barycentre(item: object) -> float:
                near = [where[n] for n in neighbours.get(item, []) if n in where]
                return sum(near) / len(near) if near else current[item]

            result.rows[r].sort(key=lambda item: (barycentre(item), current[item]))
        count = result.crossings()
        if count < best_count:
            best, best_count = [list(row) for row in result.rows], count
    result.rows = best


def _crossings(upper: list[object], lower: list[object], links: list[tuple[object, object]]) -> int:
    top = {item: i for i, item in enumerate(upper)}
    bottom = {item: i for i, item in enumerate(lower)}
    pairs = sorted((top[a], bottom[b]) for a, b in links if a in top and b in bottom)
    return sum(1 for i, (a1, b1) in enumerate(pairs) for a2, b2 in pairs[i + 1:] if a2 > a1 and b2 < b1)
