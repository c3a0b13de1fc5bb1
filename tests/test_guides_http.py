"""Call guides through HTTP on the real guides: list, detail, runs via the JSON API and via the stepper's forms,
persistence across app instances, every guide to every outcome, analytics."""
from __future__ import annotations

import pytest

from kb.guides.engine import Engine
from kb.web.state import guide_engine

from conftest import form_post
from guide_paths import choices_to_outcomes


def post(client, url, json=None):
    return client.post(url, json=json if json is not None else {})


def start(client, guide_id="price-objection", practice=False):
    response = post(client, f"/api/guides/{guide_id}/runs", {"practice": practice})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_list_and_get(real_client):
    guides = real_client.get("/api/guides").get_json()["guides"]
    assert len(guides) >= 14 and {"id", "title", "summary", "situations", "outcomes", "nodes", "url"} <= set(guides[0])
    detail = real_client.get("/api/guides/refund-request").get_json()
    assert detail["nodes"][detail["start"]]["say"]
    assert real_client.get("/api/guides/nope").status_code == 404


def test_run_through_the_api(real_client):
    run = start(real_client)
    assert run["status"] == "active" and run["current"]["node"]["id"] == "acknowledge"
    labels = [c["label"] for c in run["current"]["choices"]]
    assert [c["number"] for c in run["current"]["choices"]] == list(range(1, len(labels) + 1))
    run = post(real_client, f"/api/runs/{run['id']}/advance", {"choice": 2}).get_json()
    assert run["path"][0]["choice"] == labels[1] and len(run["path"]) == 2
    run = post(real_client, f"/api/runs/{run['id']}/back").get_json()
    assert len(run["path"]) == 1 and run["path"][0]["choice"] is None
    run = post(real_client, f"/api/runs/{run['id']}/advance", {"choice": 1}).get_json()
    run = post(real_client, f"/api/runs/{run['id']}/restart").get_json()
    assert len(run["path"]) == 1


def test_bad_requests_are_clear(real_client):
    run = start(real_client)
    for body in ({"choice": 0}, {"choice": 99}, {"choice": "1"}, {}, {"choice": True}):
        response = post(real_client, f"/api/runs/{run['id']}/advance", body)
        assert response.status_code == 400 and response.get_json()["error"]
    assert post(real_client, f"/api/runs/{run['id']}/finish", {"outcome": "party"}).status_code == 400
    assert real_client.get("/api/runs/999999").status_code == 404
    assert post(real_client, "/api/guides/nope/runs").status_code == 404
    response = real_client.put(f"/api/runs/{run['id']}/notes", json={"notes": "x" * 20_001})
    assert response.status_code == 400


def test_finish_early_and_the_summary(real_client):
    run = start(real_client, "silent-caller")
    real_client.put(f"/api/runs/{run['id']}/notes", json={"notes": "客户在开会，约下午回电"})
    run = post(real_client, f"/api/runs/{run['id']}/finish", {"outcome": "callback"}).get_json()
    assert run["status"] == "finished" and run["outcome"] == "callback" and run["outcome_label"] == "约定回电"
    assert "结果：约定回电" in run["summary"] and run["summary"].endswith("备注：客户在开会，约下午回电")
    response = post(real_client, f"/api/runs/{run['id']}/advance", {"choice": 1})
    assert response.status_code == 400 and "已经结束" in response.get_json()["error"]


@pytest.fixture(scope="module")
def outcome_paths(real_app):
    with real_app.test_request_context():
        engine: Engine = guide_engine()
        return {gid: choices_to_outcomes(engine, gid) for gid in engine.guides}


def test_every_guide_reaches_each_outcome_through_the_api(real_client, outcome_paths):
    assert len(outcome_paths) >= 14
    for guide_id, paths in outcome_paths.items():
        assert len(paths) >= 2, guide_id
        for outcome, choices in paths.items():
            run = start(real_client, guide_id)
            for choice in choices:
                run = post(real_client, f"/api/runs/{run['id']}/advance", {"choice": choice + 1}).get_json()
            assert run["status"] == "finished" and run["outcome"] == outcome, (guide_id, outcome)


def test_a_run_and_its_notes_survive_a_new_app_instance(app, runner, client, install_guides):
    from kb import create_app

    install_guides("silent-caller", "escalation-request")
    result = runner.invoke(args=["sync"])
    assert "通话指南：新增 2" in result.output, result.output
    run = start(client, "silent-caller")
    run = post(client, f"/api/runs/{run['id']}/advance", {"choice": 1}).get_json()
    client.put(f"/api/runs/{run['id']}/notes", json={"notes": "订单 A-1001"})

    second = create_app(dict(app.config))
    try:
        again = second.test_client().get(f"/api/runs/{run['id']}").get_json()
    finally:
        from conftest import _dispose
        _dispose(second)
    assert again["notes"] == "订单 A-1001"
    assert again["current"]["node"]["id"] == run["current"]["node"]["id"] and len(again["path"]) == 2


def test_the_stepper_forms_work_without_javascript(real_client):
    response = form_post(real_client, "/guides/refund-request/runs")
    assert response.status_code == 302
    url = response.headers["Location"]
    page = real_client.get(url).get_data(as_text=True)
    assert '<kbd>1</kbd>' in page and 'id="notes"' in page and 'id="timer"' in page
    run_id = int(url.rsplit("/", 1)[1])
    assert form_post(real_client, f"/runs/{run_id}/advance", {"choice": "1"}).status_code == 302
    partial = form_post(real_client, f"/runs/{run_id}/back", headers={"X-Partial": "1"})
    assert partial.status_code == 200 and "<html" not in partial.get_data(as_text=True)
    bad = form_post(real_client, f"/runs/{run_id}/advance", {"choice": "42"}, headers={"X-Partial": "1"})
    assert bad.status_code == 400 and "没有第 42 个选项" in bad.get_data(as_text=True)
    assert form_post(real_client, f"/runs/{run_id}/dance").status_code == 404
    assert real_client.post(f"/runs/{run_id}/advance", data={"choice": "1"}).status_code == 400  # no CSRF token


def test_guide_pages_and_diagram(real_client):
    page = real_client.get("/guides").get_data(as_text=True)
    assert "客户嫌贵：价格异议" in page and "开始通话" in page
    run = start(real_client, "price-objection")
    post(real_client, f"/api/runs/{run['id']}/advance", {"choice": 1})
    detail = real_client.get(f"/guides/price-objection?run={run['id']}").get_data(as_text=True)
    assert "<svg" in detail and 'class="node say on-path"' in detail and 'class="edge on-path"' in detail
    assert "<script" not in detail.split("<svg", 1)[1].split("</svg>", 1)[0]


def test_a_guide_preview_shows_its_first_step_and_starts_a_call(real_client):
    from kb.web.state import guide_engine

    with real_client.application.test_request_context():
        guide = guide_engine().guides["price-objection"]
    first = guide.nodes[guide.start]
    page = real_client.get("/guides/price-objection?partial=1").get_data(as_text=True)
    assert "<html" not in page and "<svg" not in page
    assert first.say[0] in page and all(b.label in page for b in first.choices())
    assert 'action="/guides/price-objection/runs"' in page and "csrf_token" in page


def test_article_pages_link_their_guides(real_client):
    page = real_client.get("/articles/objections/refund-demand").get_data(as_text=True)
    assert 'href="/guides/refund-request"' in page


def test_search_finds_the_guide_beside_the_article(real_client):
    results = real_client.get("/api/search?q=客户要退款").get_json()["results"]
    assert {"refund-request", "objections/refund-demand"} <= {r["slug"] for r in results}


def test_analytics_counts_live_runs_only(app, client, runner, install_guides):
    install_guides("escalation-request")
    result = runner.invoke(args=["sync"])
    assert result.exit_code == 0, result.output
    runs = [start(client, "escalation-request") for _ in range(3)]
    practice = start(client, "escalation-request", practice=True)
    post(client, f"/api/runs/{practice['id']}/finish", {"outcome": "resolved"})
    first_choice = runs[0]["current"]["choices"][0]["label"]
    post(client, f"/api/runs/{runs[0]['id']}/advance", {"choice": 1})
    post(client, f"/api/runs/{runs[0]['id']}/back")
    post(client, f"/api/runs/{runs[1]['id']}/finish", {"outcome": "escalated"})
    post(client, f"/api/runs/{runs[2]['id']}/finish", {"outcome": "escalated"})

    page = client.get("/guides/analytics").get_data(as_text=True)
    row = page.split('href="/guides/escalation-request"', 1)[1].split("</tr>", 1)[0]
    cells = [c.split("</td>")[0].strip() for c in row.split("<td")[1:]]
    assert cells[0].endswith(">3") and cells[1].endswith(">2") and cells[2].endswith(">67%")
    assert "升级处理 2" in cells[3]
    start_title = runs[0]["current"]["node"]["title"]
    assert f"{start_title}（1）" in cells[4]  # one live run stopped at the first node
    assert first_choice  # the run went forward once and back once from the next node
    assert "（1）" in cells[5]
