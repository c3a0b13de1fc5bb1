"""The search index as a subsystem (no app, no database): lifecycle, ranking rules, odd input, searcher reuse."""
from __future__ import annotations

import gc
import os

import pytest

from kb.search import IndexDoc, SearchIndex


def doc(slug, title, body, tags=(), summary="", category="phone"):
    return IndexDoc(doc_id=f"article:{slug}", type="article", slug=slug, title=title, category=category,
                    tags=tuple(tags), summary=summary or title, body=body, url=f"/articles/{slug}")


DOCS = [
    doc("objections/price", "太贵了：价格异议", "客户说价格高、嫌贵时，先认同感受，再问比较对象，讲清价值。",
        tags=["太贵", "价格"], category="objections"),
    doc("objections/manager", "叫你们领导来", "客户要求找经理或主管时，先确认诉求，说明你能处理的范围。",
        tags=["找领导"], category="objections"),
    doc("customer-types/silent", "沉默型客户", "客户一直不说话，用封闭式提问降低回答门槛。",
        tags=["沉默型", "不说话"], category="customer-types"),
    doc("complaints/first-contact", "首问责任制", "谁接的电话谁负责到底，不让客户被推来推去。",
        tags=["首问"], category="complaints"),
    doc("phone/devices", "iPhone 15 来电无声", "客户的iPhone15 来电没有声音时，先检查静音开关。",
        tags=["iphone"], category="phone"),
    doc("service/vip", "VIP 客户服务", "VIP客户享有专属座席。", tags=["vip"], category="service"),
    doc("complaints/thanks", "感谢投诉的客户", "对投诉的客户说谢谢，投诉是改进的机会。", tags=["投诉"],
        category="complaints"),
    doc("phone/hold", "请客户稍候", "需要查询时，先征得同意再让客户稍候，并说明大约多久。", tags=["稍等"]),
]


@pytest.fixture
def index(tmp_path):
    ix = SearchIndex(tmp_path / "index")
    ix.rebuild(DOCS)
    try:
        yield ix
    finally:
        ix.close()


def slugs(results):
    return [hit.slug for hit in results.results]


def test_multiword_query_ranks_the_article_with_more_terms_first(index):
    assert slugs(index.search("客户嫌太贵怎么办"))[0] == "objections/price"


def test_terms_split_between_title_and_body_still_match(index):
    # 领导 is only in the title, 主管 only in the body.
    assert slugs(index.search("领导 主管"))[0] == "objections/manager"


def test_single_character_finds_the_word_containing_it(index):
    assert "objections/price" in slugs(index.search("贵"))


def test_half_typed_last_word_matches_as_prefix(index):
    assert slugs(index.search("首问责"))[0] == "complaints/first-contact"


def test_prefix_only_while_typing(index):
    assert slugs(index.search("iph", typing=True))[0] == "phone/devices"
    assert slugs(index.search("iph", typing=False)) == []


def test_domain_term_kept_whole_and_found_by_its_parts(index):
    assert slugs(index.search("首问责任制"))[0] == "complaints/first-contact"
    assert "complaints/first-contact" in slugs(index.search("责任", typing=False))


@pytest.mark.parametrize("query", ["iPhone15", "iPhone 15", "IPHONE 15"])
def test_letters_digits_and_case(index, query):
    assert slugs(index.search(query))[0] == "phone/devices"


def test_full_width_letters(index):
    assert slugs(index.search("ＶＩＰ"))[0] == "service/vip"


def test_traditional_characters(index):
    assert slugs(index.search("投訴"))[0] == "complaints/thanks"


def test_quoted_phrase_requires_adjacent_words(index):
    assert slugs(index.search("\u201c封闭式提问\u201d")) == ["customer-types/silent"]
    # Both words occur, but not next to each other in this order: no phrase match.
    assert slugs(index.search('"回答 封闭式"')) == []


def test_synonym_finds_the_book_term(index):
    # Nobody wrote 退钱 in DOCS; 经理 is a synonym of 领导 and appears in the body.
    assert slugs(index.search("找经理"))[0] == "objections/manager"


def test_a_word_and_its_synonyms_count_once_and_matching_more_words_wins(tmp_path):
    # 投诉 has synonyms 抱怨 and 不满: an article saying all three must not beat one that answers the whole
    # question (投诉 … 跟进 回访) by repeating one idea three ways.
    ix = SearchIndex(tmp_path / "index")
    ix.rebuild([
        doc("complaints/techniques", "处理客户抱怨的技巧", "客户不满、抱怨、投诉时，先处理情绪，再处理事情。",
            tags=["抱怨", "不满"], category="complaints"),
        doc("complaints/follow-up", "抱怨的跟踪管理", "投诉处理之后要跟进进度，按约定回访客户。",
            tags=["投诉", "跟进", "回访"], category="complaints"),
    ])
    try:
        assert slugs(ix.search("投诉处理完怎么跟进回访", typing=False))[0] == "complaints/follow-up"
        # One word alone still finds the article that says it best.
        assert slugs(ix.search("抱怨", typing=False))[0] == "complaints/techniques"
    finally:
        ix.close()


def test_decoded_postings_are_kept_within_their_bound_and_dropped_after_a_write(index):
    from kb.search.postings import PostingCache

    cache = PostingCache(max_postings=2)
    reader = index.searcher().reader()
    first = cache.get(reader, 0, "body", "客户")
    assert cache.get(reader, 0, "body", "客户") is first  # decoded once
    second = cache.get(reader, 0, "body", "投诉")
    assert len(first[0]) + len(second[0]) > 2
    assert cache.get(reader, 0, "body", "投诉") is second and cache.get(reader, 0, "body", "客户") is not first

    assert slugs(index.search("首问责任制"))[0] == "complaints/first-contact"
    index.update([doc("complaints/first-contact", "首问", "改写后的正文不再提那个词。", category="complaints")])
    assert "complaints/first-contact" not in slugs(index.search("首问责任制"))  # no stale postings


def test_snippet_marks_matches_and_escapes_html(tmp_path):
    ix = SearchIndex(tmp_path / "ix")
    ix.rebuild([doc("x/a", "标题", "前文<script>alert(1)</script> 客户嫌太贵，先认同感受。")])
    try:
        snippet = ix.search("太贵").results[0].snippet
        assert "<mark>太贵</mark>" in snippet
        assert "<script>" not in snippet and "&lt;script&gt;" in snippet
    finally:
        ix.close()


@pytest.mark.parametrize("query", [
    "", "   ", "x" * 10_000, "客户" * 5_000, "\x00\x01\x1b[31m", "！？。，、；：", "title:(", "body:[a TO",
    "*", "?", "AND OR NOT", '"', "\u201c\u201d", "((((", "客户\u202e嫌贵", "\ud800"[:0] + "\U0001f600",
])
def test_odd_queries_never_raise(index, query):
    results = index.search(query)
    assert results.total >= 0
    assert len(results.query) <= 100


def test_category_filter(index):
    found = index.search("客户", category="complaints")
    assert found.results and all(hit.category == "complaints" for hit in found.results)


def test_update_replaces_and_delete_removes(index):
    index.update([doc("phone/hold", "请客户稍候", "改写后的正文：静音前先告知客户。")])
    assert slugs(index.search("静音前先告知"))[0] == "phone/hold"
    assert index.doc_count() == len(DOCS)
    index.update(delete=["article:phone/hold"])
    assert "phone/hold" not in slugs(index.search("稍候"))
    assert index.doc_count() == len(DOCS) - 1


def test_searcher_is_opened_once_and_refreshed_after_a_write(index):
    for query in ["太贵", "领导", "沉默", "投诉"] * 5:
        index.search(query)
    assert index.searcher_opens == 1
    index.update([doc("new/one", "新文章", "全新的内容")])
    assert slugs(index.search("全新"))[0] == "new/one"
    assert index.searcher_opens == 1
    assert index.searcher_refreshes == 1


def test_a_second_instance_sees_writes_of_the_first(tmp_path):
    writer, reader = SearchIndex(tmp_path / "shared"), SearchIndex(tmp_path / "shared")
    try:
        writer.rebuild(DOCS[:2])
        assert reader.doc_count() == 2
        writer.update([doc("late/doc", "后来的文章", "后来才写入的内容")])
        assert slugs(reader.search("后来"))[0] == "late/doc"
    finally:
        writer.close()
        reader.close()


def test_rebuild_after_schema_version_change(tmp_path):
    ix = SearchIndex(tmp_path / "v")
    ix.rebuild(DOCS)
    ix.close()
    (tmp_path / "v" / "kb_schema_version").write_text("0")
    again = SearchIndex(tmp_path / "v")
    try:
        assert not again.exists()
        assert again.doc_count() == 0  # opened as a fresh, empty index, ready for a rebuild
    finally:
        again.close()


def test_close_leaves_no_open_files(tmp_path):
    fd_dir = "/proc/self/fd"
    if not os.path.isdir(fd_dir):
        pytest.skip("needs /proc")

    def open_index_files():
        names = []
        for fd in os.listdir(fd_dir):
            try:
                names.append(os.readlink(os.path.join(fd_dir, fd)))
            except OSError:
                pass
        return [n for n in names if str(tmp_path) in n]

    ix = SearchIndex(tmp_path / "files")
    ix.rebuild(DOCS)
    ix.search("太贵")
    ix.update([doc("a/b", "标题", "正文")])
    ix.search("正文")
    ix.close()
    # Whoosh's writer keeps its reader in a reference cycle; collecting it is enough to release the file.
    gc.collect()
    assert open_index_files() == []
