"""Draw a guide as an SVG tree: nodes in layers by their distance from the start, edges as curves, optionally
with a run's path highlighted. Generated on the server from the guide itself; the browser only displays it."""
from __future__ import annotations

from collections import deque
from html import escape

from kb.guides.model import OUTCOMES, EndNode, Guide, GuideJumpNode

BOX_W, BOX_H = 140, 46
GAP_X, GAP_Y = 22, 58
MARGIN = 24
CHARS_PER_LINE = 9


def layers(guide: Guide) -> list[list[str]]:
    """Node ids by breadth-first distance from the start, each layer ordered near its parents."""
    depth = {guide.start: 0}
    queue = deque([guide.start])
    order: list[str] = []
    while queue:
        node_id = queue.popleft()
        order.append(node_id)
        for target in guide.nodes[node_id].targets():
            if target not in depth:
                depth[target] = depth[node_id] + 1
                queue.append(target)
    grouped: list[list[str]] = [[] for _ in range(max(depth.values()) + 1)]
    for node_id in order:
        grouped[depth[node_id]].append(node_id)
    # One barycentre pass: place each node under the mean position of the nodes that lead to it.
    position = {nid: i for layer in grouped for i, nid in enumerate(layer)}
    parents: dict[str, list[str]] = {}
    for nid in order:
        for target in guide.nodes[nid].targets():
            if depth.get(target, 0) == depth[nid] + 1:
                parents.setdefault(target, []).append(nid)
    for layer in grouped[1:]:
        layer.sort(key=lambda nid: sum(position[p] for p in parents.get(nid, [nid])) / len(parents.get(nid, [nid])))
        for i, nid in enumerate(layer):
            position[nid] = i
    return grouped


def render_svg(guide: Guide, path: list[str] | None = None, current: str | None = None,
               titles: dict[str, str] | None = None) -> str:
    """SVG markup for `guide`. `path`: node ids visited in this guide, in order, highlighted with their edges;
    `titles`: guide id → title, to name the guides that jump nodes lead into."""
    grouped = layers(guide)
    widest = max(len(layer) for layer in grouped)
    width = MARGIN * 2 + widest * BOX_W + (widest - 1) * GAP_X
    height = MARGIN * 2 + len(grouped) * BOX_H + (len(grouped) - 1) * GAP_Y
    centre: dict[str, tuple[float, float]] = {}
    for row, layer in enumerate(grouped):
        row_width = len(layer) * BOX_W + (len(layer) - 1) * GAP_X
        left = (width - row_width) / 2
        for i, node_id in enumerate(layer):
            centre[node_id] = (left + i * (BOX_W + GAP_X) + BOX_W / 2, MARGIN + row * (BOX_H + GAP_Y) + BOX_H / 2)
    row_of = {nid: row for row, layer in enumerate(grouped) for nid in layer}

    visited = set(path or [])
    walked = set(zip(path or [], (path or [])[1:]))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="guide-diagram" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(guide.title)} 流程图">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>']
    for node_id, node in guide.nodes.items():
        if node_id not in centre:
            continue
        labels = {b.next: b.label for b in node.choices()}
        for target in node.targets():
            if target in centre:
                on = " on-path" if (node_id, target) in walked else ""
                parts.append(f'<path class="edge{on}" d="{_edge(centre[node_id], centre[target], row_of[node_id], row_of[target])}" '
                             f'marker-end="url(#arrow)"><title>{escape(labels.get(target, ""))}</title></path>')
    for node_id, node in guide.nodes.items():
        if node_id not in centre:
            continue
        x, y = centre[node_id]
        classes = ["node", node.type_name]
        if node_id in visited:
            classes.append("on-path")
        if node_id == current:
            classes.append("current")
        lines = _wrap(node.title)
        if isinstance(node, EndNode):
            lines = lines[:1] + [f"【{OUTCOMES[node.outcome]}】"]
        elif isinstance(node, GuideJumpNode):
            lines = lines[:1] + ["↪ " + _clip((titles or {}).get(node.guide, node.guide), CHARS_PER_LINE - 1)]
        parts.append(f'<g class="{" ".join(classes)}" data-node="{escape(node_id)}"><title>{escape(node.title)}</title>'
                     f'<rect x="{x - BOX_W / 2:.0f}" y="{y - BOX_H / 2:.0f}" width="{BOX_W}" height="{BOX_H}" rx="8"/>')
        first = y - (len(lines) - 1) * 8 + 4
        for i, line in enumerate(lines):
            parts.append(f'<text x="{x:.0f}" y="{first + i * 16:.0f}" text-anchor="middle">{escape(line)}</text>')
        parts.append("</g>")
    parts.append("</svg>")
    return "".join(parts)


def _edge(a: tuple[float, float], b: tuple[float, float], row_a: int, row_b: int) -> str:
    (x1, y1), (x2, y2) = a, b
    if row_b > row_a:  # downwards: bottom of a to top of b
        y1, y2 = y1 + BOX_H / 2, y2 - BOX_H / 2
        bend = (y2 - y1) / 2
        return f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 + bend:.0f} {x2:.0f},{y2 - bend:.0f} {x2:.0f},{y2:.0f}"
    # back to an earlier (or the same) layer: out of the right side, around, into the right side
    x1, x2 = x1 + BOX_W / 2, x2 + BOX_W / 2
    bulge = 40 + 12 * abs(row_a - row_b)
    return f"M{x1:.0f},{y1:.0f} C{x1 + bulge:.0f},{y1:.0f} {x2 + bulge:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"


def _wrap(text: str) -> list[str]:
    if len(text) <= CHARS_PER_LINE:
        return [text]
    return [text[:CHARS_PER_LINE], _clip(text[CHARS_PER_LINE:], CHARS_PER_LINE)]


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
