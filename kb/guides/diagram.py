"""Draw a guide as an SVG diagram, optionally with a run's path highlighted. Generated on the server from the
guide itself (positions from `kb.guides.layout`); the browser only displays it.

Forward edges run down through waypoints in the gaps between boxes, so they never cross a box; edges back to an
earlier step are dashed and drawn round the right-hand side. A node with several reactions numbers its edges
with the keys that choose them in the stepper.
"""
from __future__ import annotations

from html import escape

from kb.guides.layout import Layout, layout, node_of
from kb.guides.model import OUTCOMES, EndNode, Guide, GuideJumpNode

BOX_W, BOX_H = 140, 46
WAYPOINT_W = 14
GAP_X, GAP_Y = 22, 58
MARGIN = 24
CHARS_PER_LINE = 9
Point = tuple[float, float]


def render_svg(guide: Guide, path: list[str] | None = None, current: str | None = None,
               titles: dict[str, str] | None = None) -> str:
    """SVG markup for `guide`. `path`: node ids visited in this guide, in order, highlighted with their edges;
    `titles`: guide id → title, to name the guides that jump nodes lead into."""
    plan = layout(guide.nodes, guide.start)
    centre, width, height = _positions(plan)
    visited = set(path or [])
    walked = set(zip(path or [], (path or [])[1:]))
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="guide-diagram" viewBox="0 0 {width:.0f} {height:.0f}" '
             f'width="{width:.0f}" height="{height:.0f}" role="img" aria-label="{escape(guide.title)} 流程图">',
             '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
             'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker></defs>']
    badges: list[str] = []
    for (source, target), chain in plan.chains.items():
        d, badge_at = _forward_path([centre[item] for item in chain], chain)
        parts.append(_edge_markup(guide, source, target, d, "edge", walked))
        keys = _keys(guide, source, target)
        if keys:
            badges.append(_badge(badge_at, keys))
    row = plan.row_of()
    for source, target in plan.back_edges:
        d = _back_path(centre[source], centre[target], row[source] - row[target])
        parts.append(_edge_markup(guide, source, target, d, "edge back", walked))
    for item, at in centre.items():
        node_id = node_of(item)
        if node_id is not None:
            parts.append(_node_markup(node_id, guide.nodes[node_id], at, visited, current, titles or {}))
    parts.extend(badges)  # on top of the edges and boxes
    parts.append("</svg>")
    return "".join(parts)


def _positions(plan: Layout) -> tuple[dict[object, Point], float, float]:
    def item_width(item: object) -> float:
        return WAYPOINT_W if node_of(item) is None else BOX_W

    def row_width(row: list[object]) -> float:
        return sum(item_width(item) for item in row) + GAP_X * (len(row) - 1)

    width = MARGIN * 2 + max(row_width(row) for row in plan.rows) + 60  # room for the edges that loop back
    height = MARGIN * 2 + len(plan.rows) * BOX_H + (len(plan.rows) - 1) * GAP_Y
    centre: dict[object, Point] = {}
    for r, row in enumerate(plan.rows):
        x = (width - 60 - row_width(row)) / 2
        y = MARGIN + r * (BOX_H + GAP_Y) + BOX_H / 2
        for item in row:
            w = item_width(item)
            centre[item] = (x + w / 2, y)
            x += w + GAP_X
    return centre, width, height


def _forward_path(points: list[Point], chain: list[object]) -> tuple[str, Point]:
    """Bottom of the source box, straight down through each waypoint's band, into the top of the target box;
    also where the first curve is a third of the way along (for the key badge)."""
    half = BOX_H / 2
    x, y = points[0][0], points[0][1] + half
    d = [f"M{x:.0f},{y:.0f}"]
    badge_at = (x, y)
    for i, (nx, ny) in enumerate(points[1:], start=1):
        top = ny - half
        bend = (top - y) / 2
        d.append(f"C{x:.0f},{y + bend:.0f} {nx:.0f},{top - bend:.0f} {nx:.0f},{top:.0f}")
        if i == 1:
            badge_at = _cubic((x, y), (x, y + bend), (nx, top - bend), (nx, top), 0.5)
        x, y = nx, top
        if node_of(chain[i]) is None:  # a waypoint: pass straight through its row
            y = ny + half
            d.append(f"L{x:.0f},{y:.0f}")
    return " ".join(d), badge_at


def _back_path(a: Point, b: Point, rows_up: int) -> str:
    """Out of the right side of `a`, round, into the right side of `b` (same or earlier row)."""
    x1, y1, x2, y2 = a[0] + BOX_W / 2, a[1], b[0] + BOX_W / 2, b[1]
    if a == b:  # a step that loops to itself ("say it again"): a small loop off its right side
        y1, y2 = y1 - BOX_H / 4, y2 + BOX_H / 4
    bulge = 30 + 10 * rows_up
    reach = max(x1, x2) + bulge
    return f"M{x1:.0f},{y1:.0f} C{reach:.0f},{y1:.0f} {reach:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"


def _cubic(p0: Point, p1: Point, p2: Point, p3: Point, t: float) -> Point:
    u = 1 - t
    return tuple(u ** 3 * a + 3 * u * u * t * b + 3 * u * t * t * c + t ** 3 * d  # type: ignore[return-value]
                 for a, b, c, d in zip(p0, p1, p2, p3))


def _keys(guide: Guide, source: str, target: str) -> str:
    """The stepper keys ("1", "2·3") that take `source` to `target`, when `source` offers a real choice."""
    choices = guide.nodes[source].choices()
    if len(choices) < 2:
        return ""
    return "·".join(str(i) for i, branch in enumerate(choices, start=1) if branch.next == target)


def _edge_markup(guide: Guide, source: str, target: str, d: str, cls: str, walked: set) -> str:
    on = " on-path" if (source, target) in walked else ""
    labels = "／".join(b.label for b in guide.nodes[source].choices() if b.next == target)
    return (f'<path class="{cls}{on}" d="{d}" marker-end="url(#arrow)">'
            f"<title>{escape(labels)}</title></path>")


def _badge(at: Point, keys: str) -> str:
    x, y = at
    w = 8 + 7 * len(keys)
    return (f'<g class="key-badge"><rect x="{x - w / 2:.0f}" y="{y - 8:.0f}" width="{w:.0f}" height="16" rx="8"/>'
            f'<text x="{x:.0f}" y="{y + 4:.0f}" text-anchor="middle">{escape(keys)}</text></g>')


def _node_markup(node_id: str, node, at: Point, visited: set, current: str | None, titles: dict[str, str]) -> str:
    x, y = at
    classes = ["node", node.type_name]
    if node_id in visited:
        classes.append("on-path")
    if node_id == current:
        classes.append("current")
    lines = _wrap(node.title)
    if isinstance(node, EndNode):
        outcome = OUTCOMES[node.outcome]
        lines = [f"【{outcome}】"] if node.title == outcome else lines[:1] + [f"【{outcome}】"]
    elif isinstance(node, GuideJumpNode):
        lines = ["转入指南", "↪ " + _clip(titles.get(node.guide, node.guide), CHARS_PER_LINE - 1)]
    out = [f'<g class="{" ".join(classes)}" data-node="{escape(node_id)}"><title>{escape(node.title)}</title>'
           f'<rect x="{x - BOX_W / 2:.0f}" y="{y - BOX_H / 2:.0f}" width="{BOX_W}" height="{BOX_H}" rx="8"/>']
    first = y - (len(lines) - 1) * 8 + 4
    for i, line in enumerate(lines):
        out.append(f'<text x="{x:.0f}" y="{first + i * 16:.0f}" text-anchor="middle">{escape(line)}</text>')
    out.append("</g>")
    return "".join(out)


def _wrap(text: str) -> list[str]:
    if len(text) <= CHARS_PER_LINE:
        return [text]
    return [text[:CHARS_PER_LINE], _clip(text[CHARS_PER_LINE:], CHARS_PER_LINE)]


def _clip(text: str, size: int) -> str:
    return text if len(text) <= size else text[: size - 1] + "…"
