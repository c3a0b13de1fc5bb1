"""GET /api/search and `kb search` on the real content, through HTTP and the CLI."""
from __future__ import annotations

import json

import pytest


def api(client, **params):
    response = client.get("/api/search", query_string=params)
    return response.status_code, response.get_json()


def test_response_shape(real_client):
    status, data = api(real_client, q="客户不说话", type="article")
    assert status == 200
    assert set(data) == {"query", "total", "took_ms", "results"}
    assert data["query"] == "客户不说话" and data["total"] >= 1 and data["took_ms"] >= 0
    first = data["results"][0]
    assert set(first) == {"type", "slug", "title", "category", "summary", "snippet", "url", "score"}
    assert first == {**first, "type": "article", "slug": "customer-types/silent",
                     "url": "/articles/customer-types/silent", "category": "customer-types"}


def test_the_silent_customer_article_comes_first(real_client):
    _, data = api(real_client, q="客户不说话")
    assert data["results"][0]["slug"] == "customer-types/silent"
    assert any(r["type"] == "guide" and r["slug"] == "silent-caller" for r in data["results"][:3])


def test_guides_and_articles_are_both_found(real_client):
    _, data = api(real_client, q="客户要退款", limit=10)
    found = {(r["type"], r["slug"]) for r in data["results"]}
    assert ("guide", "refund-request") in found and ("article", "objections/refund-demand") in found
    guide = next(r for r in data["results"] if r["type"] == "guide")
    assert guide["url"] == f"/guides/{guide['slug']}" and guide["category"] == "guides"


def test_type_filter(real_client):
    _, data = api(real_client, q="太贵", type="guide")
    assert data["results"] and {r["type"] for r in data["results"]} == {"guide"}
    assert data["results"][0]["slug"] == "price-objection"


def test_snippet_is_highlighted(real_client):
    _, data = api(real_client, q="客户嫌太贵")
    assert data["results"][0]["slug"] == "objections/price-too-high"
    assert "<mark>太贵</mark>" in data["results"][0]["snippet"]


def test_mixed_chinese_and_english(real_client):
    _, data = api(real_client, q="VIP客户")
    assert data["results"], "VIP should find the key-account articles"
    assert data["results"][0]["slug"].startswith("key-accounts/")


def test_limit_and_category(real_client):
    _, data = api(real_client, q="客户", limit=3)
    assert len(data["results"]) == 3
    _, data = api(real_client, q="道歉", category="complaints", limit=50)
    assert data["results"] and {r["category"] for r in data["results"]} == {"complaints"}


def test_unknown_category_is_a_clear_400(real_client):
    status, data = api(real_client, q="道歉", category="nope")
    assert status == 400 and "未知分类" in data["error"]


@pytest.mark.parametrize("limit", ["-5", "0", "abc", "100000"])
def test_bad_limit_is_clamped(real_client, limit):
    status, data = api(real_client, q="客户", limit=limit)
    assert status == 200 and 1 <= len(data["results"]) <= 50


@pytest.mark.parametrize("query", [
    "", " ", "x" * 10_000, "\x00\x07\x1b", "。，！？……", "title:(", "body:[a TO", "*:*", "AND OR NOT (",
    "\"unclosed", "<script>alert(1)</script>", "%00", "\U0001f621\U0001f621",
])
def test_absurd_queries_get_a_clean_answer(real_client, query):
    status, data = api(real_client, q=query)
    assert status == 200
    assert isinstance(data["results"], list) and len(data["query"]) <= 100
    for hit in data["results"]:
        assert "<script>" not in hit["snippet"]


def test_empty_query_is_empty(real_client):
    _, data = api(real_client, q="   ")
    assert data["total"] == 0 and data["results"] == []


def test_cli_search_json_matches_the_api(real_app):
    result = real_app.test_cli_runner().invoke(args=["search", "客户要找经理", "--json", "--limit", "3",
                                                     "--type", "article"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) == {"query", "total", "took_ms", "results"}
    assert data["results"][0]["slug"] == "objections/want-a-manager"
    assert 1 <= len(data["results"]) <= 3


def test_cli_search_plain(real_app):
    result = real_app.test_cli_runner().invoke(args=["search", "首问责任制"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith(" 1. ") and "complaints/first-contact-responsibility" in result.output


def test_requests_reuse_one_searcher(real_app, real_client):
    from kb.web.state import resources

    with real_app.app_context():
        index = resources().index
    api(real_client, q="预热")
    opened = index.searcher_opens
    for query in ["太贵", "找领导", "稍等", "退款", "投诉", "沉默"] * 3:
        api(real_client, q=query)
    assert index.searcher_opens == opened == 1
