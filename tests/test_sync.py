"""`kb sync` through the CLI on a real database and index: idempotence, updates, archiving, bad files."""
from __future__ import annotations

from sqlalchemy import select

from kb.models import ARTICLE_ARCHIVED, ARTICLE_PUBLISHED, Article, Source
from kb.web.state import resources


def sync(runner):
    return runner.invoke(args=["sync"])


def search_slugs(client, q):
    return [r["slug"] for r in client.get("/api/search", query_string={"q": q}).get_json()["results"]]


def articles(app):
    with app.app_context():
        with resources().db.session() as session:
            return {a.slug: a for a in session.scalars(select(Article))}


def three_articles(write_article):
    write_article("customer-types/silent", related=["customer-types/talkative", "customer-types/timid"])
    write_article("customer-types/talkative", title="健谈型客户的应对", tags=["健谈型", "说个不停"],
                  summary="客户说个不停时，礼貌地把话题拉回来。",
                  related=["customer-types/silent", "customer-types/timid"])
    write_article("customer-types/timid", title="畏生型客户的应对", tags=["畏生型", "紧张"],
                  summary="客户紧张时放慢语速，多给肯定。",
                  related=["customer-types/silent", "customer-types/talkative"])


def test_first_sync_loads_everything_and_second_changes_nothing(app, runner, client, write_article):
    three_articles(write_article)
    first = sync(runner)
    assert first.exit_code == 0, first.output
    assert "新增 3，更新 0，归档 0，未变 0" in first.output
    before = {slug: (a.updated_at, a.content_hash) for slug, a in articles(app).items()}

    second = sync(runner)
    assert second.exit_code == 0
    assert "新增 0，更新 0，归档 0，未变 3" in second.output
    assert {slug: (a.updated_at, a.content_hash) for slug, a in articles(app).items()} == before
    assert search_slugs(client, "不说话")[0] == "customer-types/silent"


def test_sources_registry_is_loaded(app, runner, write_article):
    three_articles(write_article)
    sync(runner)
    with app.app_context(), resources().db.session() as session:
        ids = [s.id for s in session.scalars(select(Source).order_by(Source.position))]
    assert ids == ["timm-bible", "liu-management", "zhao-callcenter", "sun-casebook", "xue-subtle"]


def test_edited_file_updates_article_and_index(app, runner, client, write_article):
    three_articles(write_article)
    sync(runner)
    write_article("customer-types/timid", title="畏生型客户：别让他紧张", tags=["畏生型", "胆小"],
                  summary="客户胆小时放慢语速。", related=["customer-types/silent", "customer-types/talkative"],
                  body="全新的正文，讲的是胆小的客户怎样才能放心说话。" * 15)
    result = sync(runner)
    assert "新增 0，更新 1，归档 0，未变 2" in result.output
    assert articles(app)["customer-types/timid"].title == "畏生型客户：别让他紧张"
    assert search_slugs(client, "胆小")[0] == "customer-types/timid"
    page = client.get("/articles/customer-types/timid")
    assert "畏生型客户：别让他紧张" in page.get_data(as_text=True)


def test_removed_file_archives_the_article(app, runner, client, content_dir, write_article):
    three_articles(write_article)
    sync(runner)
    (content_dir / "articles" / "customer-types" / "timid.md").unlink()
    result = sync(runner)
    assert "归档 1" in result.output and "已归档：customer-types/timid" in result.output
    assert articles(app)["customer-types/timid"].status == ARTICLE_ARCHIVED  # kept, not deleted
    assert "customer-types/timid" not in search_slugs(client, "畏生型")
    assert client.get("/articles/customer-types/timid").status_code == 404

    write_article("customer-types/timid", title="畏生型客户的应对", tags=["畏生型", "紧张"],
                  summary="客户紧张时放慢语速，多给肯定。",
                  related=["customer-types/silent", "customer-types/talkative"])
    assert "更新 1" in sync(runner).output
    assert articles(app)["customer-types/timid"].status == ARTICLE_PUBLISHED
    assert search_slugs(client, "畏生型")[0] == "customer-types/timid"


def test_bad_files_are_reported_skipped_and_the_rest_load(app, runner, client, write_article):
    three_articles(write_article)
    write_article("phone/yaml", text="---\ntitle: [坏\n---\n正文")
    write_article("phone/category", category="sales")
    write_article("phone/book", sources=[{"book": "ghost", "chapter": "1", "section": "x"}])
    write_article("phone/dup", slug="customer-types/silent", category="customer-types")
    result = sync(runner)
    assert result.exit_code == 1
    out = result.output
    assert "content/articles/phone/yaml.md:2: YAML 格式错误" in out
    assert "content/articles/phone/category.md:" in out and "未知分类 “sales”" in out
    assert "content/articles/phone/book.md:" in out and "未知书目 ghost" in out
    assert "content/articles/phone/dup.md:1: slug “customer-types/silent”" in out
    assert "4 个文件有错误" in out
    assert "新增 3" in out
    assert set(articles(app)) == {"customer-types/silent", "customer-types/talkative", "customer-types/timid"}
    assert search_slugs(client, "不说话")[0] == "customer-types/silent"


def test_a_file_that_breaks_keeps_its_last_good_version(app, runner, client, write_article):
    three_articles(write_article)
    sync(runner)
    write_article("customer-types/timid", text="---\ntitle: 坏了\ncategory: [\n---\n")
    result = sync(runner)
    assert result.exit_code == 1
    assert articles(app)["customer-types/timid"].status == ARTICLE_PUBLISHED
    assert client.get("/articles/customer-types/timid").status_code == 200


def test_quality_warnings_do_not_block_loading(app, runner, write_article):
    write_article("phone/short", body="太短", related=["phone/nowhere"])
    result = sync(runner)
    assert result.exit_code == 0
    assert "提示 content/articles/phone/short.md" in result.output
    assert "phone/short" in articles(app)


def test_index_is_rebuilt_when_missing(app, runner, client, write_article, tmp_path):
    three_articles(write_article)
    sync(runner)
    with app.app_context():
        index = resources().index
        index.create()  # simulate a lost or fresh index directory
    result = sync(runner)
    assert "已重建索引" in result.output
    assert search_slugs(client, "不说话")[0] == "customer-types/silent"


def test_reindex_command(app, runner, client, write_article):
    three_articles(write_article)
    sync(runner)
    result = runner.invoke(args=["reindex"])
    assert result.exit_code == 0 and "索引已重建：3 篇" in result.output
    assert search_slugs(client, "说个不停")[0] == "customer-types/talkative"


def test_sync_refuses_an_unmigrated_database(tmp_path, content_dir):
    from kb import create_app

    app = create_app({"KB_DATABASE_URL": f"sqlite:///{tmp_path / 'empty.sqlite3'}",
                      "KB_INDEX_DIR": str(tmp_path / "ix"), "KB_CONTENT_DIR": str(content_dir),
                      "KB_SECRET_KEY": "x"})
    result = app.test_cli_runner().invoke(args=["sync"])
    assert result.exit_code != 0 and "kb db upgrade" in result.output
    with app.app_context():
        resources().db.dispose()
