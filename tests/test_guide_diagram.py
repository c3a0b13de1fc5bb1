"""The guide diagram's layout on the real guides: edges run downwards, long edges pass through waypoints, shared
ends are drawn under each step, crossings are reduced; and the SVG numbers the reactions as the stepper keys."""
from __future__ import annotations

import re
from dataclasses import dataclass

import pytest

from kb.content.bundle import load_bundle
from kb.guides import layout as layout_module
from kb.guides.diagram import render_svg
from kb.guides.layout import layout, node_of

from conftest import REAL_CONTENT, REAL_GUIDES

GUIDES = load_bundle(REAL_CONTENT, REAL_GUIDES).guides.guides


@pytest.mark.parametrize("guide_id", sorted(GUIDES))
def test_every_edge_but_a_cycle_runs_down_through_each_layer(guide_id):
    guide = GUIDES[guide_id]
    plan = layout(guide.nodes, guide.start)
    row = plan.row_of()
    placed = {node_of(item) for r in plan.rows for item in r} - {None}
    assert placed == set(guide.nodes)  # every node (all are reachable in a valid guide)
    for (source, target), chain in plan.chains.items():
        assert chain[0] == source and node_of(chain[-1]) == target
        assert [row[item] for item in chain] == list(range(row[source], row[source] + len(chain)))
    for source, target in plan.back_edges:
        assert row[target] < row[source] or source == target  # up to an earlier step, or "say it again"


@dataclass
class Step:
    next: list[str]

    def targets(self) -> list[str]:
        return self.next


def test_an_end_many_steps_lead_to_is_drawn_under_each():
    nodes = {"s": Step(["a", "b", "c"]), "a": Step(["hang", "ok"]), "b": Step(["hang"]), "c": Step(["hang"]),
             "ok": Step([]), "hang": Step([])}
    plan = layout(nodes, "s")
    copies = [item for r in plan.rows for item in r if node_of(item) == "hang"]
    assert len(copies) == 3 and plan.row_of()[copies[0]] == 2
    assert sum(1 for r in plan.rows for item in r if node_of(item) == "ok") == 1


def test_crossings_are_never_worse_than_the_first_guess(monkeypatch):
    reduced = {gid: layout(g.nodes, g.start).crossings() for gid, g in GUIDES.items()}
    monkeypatch.setattr(layout_module, "SWEEPS", 0)
    first_guess = {gid: layout(g.nodes, g.start).crossings() for gid, g in GUIDES.items()}
    assert all(reduced[gid] <= first_guess[gid] for gid in GUIDES)
    assert sum(reduced.values()) < sum(first_guess.values())


def test_reactions_carry_their_stepper_keys():
    guide = GUIDES["price-objection"]
    svg = render_svg(guide)
    first = guide.nodes[guide.start]
    keys = re.findall(r'<g class="key-badge">.*?<text[^>]*>([^<]+)</text>', svg)
    assert {str(i) for i in range(1, len(first.choices()) + 1)} <= set("·".join(keys).split("·"))
    assert svg.count('class="edge back') == len(layout(guide.nodes, guide.start).back_edges)
