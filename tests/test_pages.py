"""Server-rendered pages on the real content: search page, article, category, tag, books, health, errors."""
from __future__ import annotations

import re


def text(response):
    return response.get_data(as_text=True)


def test_home_has_a_focused_search_box_and_categories(real_client):
    page = text(real_client.get("/"))
    assert re.search(r'<input id="q"[^>]*autofocus', page)
    assert "电话礼仪" in page and "异议应对话术" in page
    assert 'src="/static/js/search.js"' in page


def test_home_renders_results_without_javascript(real_client):
    page = text(real_client.get("/", query_string={"q": "客户不说话"}))
    assert 'href="/articles/customer-types/silent"' in page
    assert page.index("customer-types/silent") < page.index("<div id=\"browse\"")


def test_article_page(real_client):
    page = text(real_client.get("/articles/customer-types/silent"))
    assert "<h1>沉默型客户的应对</h1>" in page
    assert 'class="summary"' in page
    assert '<h2 id="话术示例">话术示例</h2>' in page
    assert "《企业客户服务管理》</a> · 第九章 · 如何为沉默型客户提供服务" in page
    assert 'href="/tags/' in page
    assert 'href="/articles/communication/read-the-customer"' in page  # related link
    assert "<script>" not in page.split("<main")[1].split("</main>")[0]


def test_partial_article_for_the_reading_pane(real_client):
    page = text(real_client.get("/articles/customer-types/silent?partial=1"))
    assert page.lstrip().startswith("<article") and "<html" not in page


def test_category_and_tag_pages(real_client):
    page = text(real_client.get("/categories/objections"))
    assert "异议应对话术" in page and 'href="/articles/objections/price-too-high"' in page
    page = text(real_client.get("/tags/沉默"))
    assert 'href="/articles/customer-types/silent"' in page


def test_sources_page_and_coverage_map(real_client):
    page = text(real_client.get("/sources"))
    for title in ["客服圣经", "企业客户服务管理", "客户服务导论与呼叫中心实务", "客户服务技能案例训练手册", "精细化服务"]:
        assert title in page
    coverage = text(real_client.get("/sources/liu-management"))
    assert "<h2>第九章</h2>" in coverage
    assert "如何为沉默型客户提供服务" in coverage and 'href="/articles/customer-types/silent"' in coverage
    assert coverage.index("第一章") < coverage.index("第九章")


def test_every_book_is_cited_by_at_least_ten_articles(real_client):
    page = text(real_client.get("/sources"))
    counts = [int(n) for n in re.findall(r"<p>(\d+) 篇文章引用</p>", page)]
    assert len(counts) == 5 and min(counts) >= 10, counts


def test_every_published_article_renders(real_app, real_client):
    from sqlalchemy import select

    from kb.models import Article
    from kb.web.state import resources

    with real_app.app_context(), resources().db.session() as session:
        slugs = list(session.scalars(select(Article.slug)))
    assert len(slugs) >= 117
    for slug in slugs:
        assert real_client.get(f"/articles/{slug}").status_code == 200, slug


def test_not_found_pages(real_client):
    for url in ["/articles/nope/nothing", "/categories/nope", "/tags/没有这个标签", "/sources/nope", "/nowhere"]:
        response = real_client.get(url)
        assert response.status_code == 404, url
        assert "没有找到" in text(response)
    assert real_client.get("/api/nowhere").get_json()["status"] == 404


def test_healthz(real_client):
    response = real_client.get("/healthz")
    data = response.get_json()
    assert response.status_code == 200 and data["status"] == "ok"
    assert data["database"]["published_articles"] >= 117 and data["database"]["published_guides"] >= 14
    assert data["index"]["documents"] == data["database"]["published_articles"] + data["database"]["published_guides"]
    assert data["index"]["in_step"] is True
