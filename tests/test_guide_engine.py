"""The call-guide engine on its own (no app, no database): moves, jumps, back, restart, finish, and every real
guide driven to each of its outcomes."""
from __future__ import annotations

import pytest

from kb.content.bundle import load_bundle
from kb.guides.engine import Engine, GuideError, summary_text
from kb.guides.model import Guide

from conftest import REAL_CONTENT, REAL_GUIDES
from guide_paths import choices_to_outcomes


def guide(gid, nodes, start="a"):
    return Guide.from_dict({"id": gid, "title": gid.upper(), "summary": "", "tags": [], "situations": [],
                            "sources": [], "articles": [], "start": start, "nodes": nodes})


def say(*branches, title="说"):
    return {"type": "say", "title": title, "say": ["您好"], "branches": [{"label": l, "next": n} for l, n in branches]}


def end(outcome, title="结束"):
    return {"type": "end", "title": title, "outcome": outcome}


@pytest.fixture
def engine():
    main = guide("main", {
        "a": say(("要退款", "b"), ("找领导", "jump"), ("挂了", "gone")),
        "b": {"type": "action", "title": "记录工单", "checklist": ["记下订单号"], "next": "done"},
        "jump": {"type": "guide", "title": "转入升级", "guide": "esc", "next": "after"},
        "after": say(("满意", "done")),
        "done": end("resolved"),
        "gone": end("hung-up"),
    })
    esc = guide("esc", {"a": say(("主管接手", "x"), ("不用了", "y")), "x": end("escalated"), "y": end("resolved")})
    ticks = iter(f"2026-01-01T00:00:{i:02d}+00:00" for i in range(60))
    return Engine({"main": main, "esc": esc}, clock=lambda: next(ticks))


def test_advance_records_path_with_timestamps_and_choices(engine):
    state = engine.advance(engine.start("main"), 0)
    assert [(s["node"], s["choice"]) for s in state["path"]] == [("a", "要退款"), ("b", None)]
    assert [s["at"] for s in state["path"]] == ["2026-01-01T00:00:00+00:00", "2026-01-01T00:00:01+00:00"]
    state = engine.advance(state, 0)
    assert state["finished"] and state["outcome"] == "resolved"


def test_jump_into_another_guide_and_back(engine):
    state = engine.advance(engine.start("main"), 1)  # 找领导 → the jump node
    state = engine.advance(state, 0)  # enter esc
    pos = engine.position(state)
    assert pos.guide.id == "esc" and pos.depth == 1 and [g.id for g in pos.trail] == ["main", "esc"]
    state = engine.advance(state, 0)  # 主管接手 → esc's end: not the end of the call
    assert not state["finished"]
    assert engine.position(state).choices[0].label == "返回“MAIN”继续"
    state = engine.advance(state, 0)  # back in main, at `after`
    pos = engine.position(state)
    assert pos.guide.id == "main" and pos.node.id == "after" and pos.depth == 0
    state = engine.advance(state, 0)
    assert state["outcome"] == "resolved"


def test_back_any_number_of_steps_and_through_a_jump(engine):
    state = engine.start("main")
    for choice in (1, 0, 0, 0):
        state = engine.advance(state, choice)
    assert engine.position(state).node.id == "after"
    state = engine.back(state)
    assert engine.position(state).guide.id == "esc" and engine.position(state).node.id == "x"
    state = engine.back(state, 3)
    assert engine.position(state).node.id == "a" and state["path"][-1]["choice"] is None
    assert engine.back(state, 10)["path"] == state["path"]  # never past the first node


def test_back_from_a_finished_call_reopens_it(engine):
    state = engine.advance(engine.start("main"), 2)
    assert state["outcome"] == "hung-up"
    state = engine.back(state)
    assert not state["finished"] and state["outcome"] is None


def test_restart(engine):
    state = engine.advance(engine.start("main"), 0)
    state = engine.restart(state)
    assert [s["node"] for s in state["path"]] == ["a"]


def test_invalid_moves(engine):
    state = engine.start("main")
    with pytest.raises(GuideError):
        engine.advance(state, 7)
    with pytest.raises(GuideError):
        engine.advance(state, -1)
    done = engine.advance(state, 2)
    with pytest.raises(GuideError):
        engine.advance(done, 0)
    with pytest.raises(GuideError):
        engine.start("nope")
    with pytest.raises(GuideError):
        engine.back(state, 0)


def test_finish_early_needs_an_outcome(engine):
    state = engine.start("main")
    with pytest.raises(GuideError):
        engine.finish(state)
    assert engine.finish(state, "hung-up")["outcome"] == "hung-up"
    at_end = engine.advance(state, 2)
    assert engine.finish(at_end)["outcome"] == "hung-up"


def test_state_survives_a_guide_edit_with_a_clear_error(engine):
    state = engine.advance(engine.start("main"), 0)
    state["path"][-1]["node"] = "removed"
    with pytest.raises(GuideError, match="已更新"):
        engine.position(state)


def test_summary_text(engine):
    from datetime import datetime, timezone

    state = engine.advance(engine.advance(engine.start("main"), 0), 0)
    text = summary_text(engine, state, "订单 123", datetime(2026, 1, 1, tzinfo=timezone.utc),
                        datetime(2026, 1, 1, 0, 3, 5, tzinfo=timezone.utc))
    assert text.splitlines()[:3] == ["通话指南：MAIN", "结果：已解决", "时长：3 分 05 秒"]
    assert "1. 说 → 要退款" in text and text.endswith("备注：订单 123")


REAL = load_bundle(REAL_CONTENT, REAL_GUIDES)


def test_every_guide_in_the_repository_validates():
    assert [str(p) for p in REAL.guides.problems] == []
    assert len(REAL.guides.guides) >= 14


@pytest.mark.parametrize("guide_id", sorted(REAL.guides.guides))
def test_every_outcome_of_every_guide_is_reachable(guide_id):
    engine = Engine(REAL.guides.guides)
    guide_ = REAL.guides.guides[guide_id]
    assert 6 <= len(guide_.nodes) <= 25
    paths = choices_to_outcomes(engine, guide_id)
    assert set(paths) == set(guide_.outcomes()), f"unreachable outcomes: {set(guide_.outcomes()) - set(paths)}"
    for outcome, choices in paths.items():
        state = engine.start(guide_id)
        for choice in choices:
            state = engine.advance(state, choice)
        assert state["finished"] and state["outcome"] == outcome
