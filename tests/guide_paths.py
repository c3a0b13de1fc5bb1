"""Find, with the engine itself, the choices that lead a run of a guide to each of its outcomes."""
from __future__ import annotations

from collections import deque

from kb.guides.engine import Engine


def choices_to_outcomes(engine: Engine, guide_id: str) -> dict[str, list[int]]:
    """outcome → shortest list of 0-based choices from the start that finishes the run with that outcome."""
    found: dict[str, list[int]] = {}
    start = engine.start(guide_id)
    queue = deque([(start, [])])
    seen = set()
    while queue:
        state, choices = queue.popleft()
        if state["finished"]:
            found.setdefault(state["outcome"], choices)
            continue
        step = state["path"][-1]
        key = (tuple(tuple(f) for f in step["stack"]), step["node"])
        if key in seen:
            continue
        seen.add(key)
        for i in range(len(engine.position(state).choices)):
            queue.append((engine.advance(state, i), choices + [i]))
    return found
