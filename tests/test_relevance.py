"""Searching the way agents talk: for each everyday phrasing, the intended article is among the first three
results of the default search (articles and call guides together).

The hit rate over the whole table is printed (run with -s) and must stay at 100%.
"""
from __future__ import annotations

import pytest

PHRASINGS = [
    ("客户一直不说话", "customer-types/silent"),
    ("客户不吭声怎么办", "customer-types/silent"),
    ("客户嫌太贵", "objections/price-too-high"),
    ("客户说价格太高了", "objections/price-too-high"),
    ("能不能便宜点", "objections/price-too-high"),
    ("客户说别家更便宜", "objections/competitor-cheaper"),
    ("客户拿竞争对手的价格比", "objections/competitor-cheaper"),
    ("客户要找经理", "objections/want-a-manager"),
    ("叫你们领导来", "objections/want-a-manager"),
    ("客户说要曝光我们", "objections/threat-to-complain"),
    ("客户说要打12315", "objections/threat-to-complain"),
    ("客户说要投诉我", "objections/threat-to-complain"),
    ("怎么让客户稍等", "phone/hold-and-transfer"),
    ("转接电话", "phone/hold-and-transfer"),
    ("客户要退钱", "objections/refund-demand"),
    ("客户坚持退货", "objections/refund-demand"),
    ("客户说我再考虑考虑", "objections/think-it-over"),
    ("上次答应的没做到", "objections/broken-promise"),
    ("你们说话不算数", "objections/broken-promise"),
    ("客户说个不停", "customer-types/talkative"),
    ("客户老跑题", "customer-types/talkative"),
    ("客户冷嘲热讽", "customer-types/sarcastic"),
    ("客户阴阳怪气", "customer-types/sarcastic"),
    ("客户说以后再买", "customer-types/buy-later"),
    ("客户什么都要问到底", "customer-types/inquisitive"),
    ("客户很冷淡", "customer-types/iceberg"),
    ("客户很紧张不敢说", "customer-types/timid"),
    ("客户很骄傲看不起人", "customer-types/proud"),
    ("客户骂人", "complaints/difficult-customers"),
    ("客户很生气一直发火", "complaints/first-response|complaints/anger-list"),  # either answers it
    ("客户一打进来就发火第一句怎么接", "complaints/first-response"),
    ("怎么给客户道歉", "complaints/apologize"),
    ("要不要和客户争辩", "complaints/dont-argue"),
    ("客户说你们永远是对的吗", "complaints/is-customer-always-right"),
    ("首问责任制", "complaints/first-contact-responsibility"),
    ("客户被踢皮球推来推去", "complaints/first-contact-responsibility"),
    ("服务出错了怎么补救", "complaints/service-recovery"),
    ("投诉处理完怎么跟进回访", "complaints/follow-up"),
    ("客户写邮件投诉", "complaints/written-complaints"),
    ("客户吵起来我很慌", "complaints/stay-calm"),
    ("接电话第一句话怎么说", "phone/opening-greeting"),
    ("电话响几声接", "phone/answering-the-call"),
    ("怎么挂电话", "phone/closing-the-call"),
    ("同事不在帮忙留言", "phone/taking-messages"),
    ("承诺给客户回电", "phone/voicemail-and-callback"),
    ("说话不要用专业术语", "phone/speaking-clearly"),
    ("声音听起来没精神", "phone/voice-and-tone"),
    ("打回访电话", "phone/outbound-follow-up"),
    ("九准九不准", "service/nine-dos-nine-donts"),
    ("记不住客户名字", "communication/remember-names"),
    ("听出客户情绪变了", "communication/read-the-customer"),
    ("怎么赞美客户", "communication/praise"),
    ("客户流失了怎么挽回", "loyalty/churn-and-win-back"),
    ("客户期望太高", "loyalty/expectation-management"),
    ("保护客户隐私", "professionalism/respect-and-privacy"),
    ("大客户怎么分级", "key-accounts/value-segmentation"),
    ("让客户等太久", "service/virtual-waiting"),
]


@pytest.fixture(scope="module")
def ranks(real_app):
    client = real_app.test_client()
    out = {}
    for query, slug in PHRASINGS:
        data = client.get("/api/search", query_string={"q": query, "limit": 10}).get_json()
        found = [r["slug"] for r in data["results"]]
        ranks = [found.index(s) + 1 for s in slug.split("|") if s in found]
        out[query] = min(ranks) if ranks else None
    hits = sum(1 for rank in out.values() if rank and rank <= 3)
    print(f"\nrelevance: {hits}/{len(PHRASINGS)} phrasings have the intended article in the top 3 "
          f"({hits / len(PHRASINGS):.0%}); first place: {sum(1 for r in out.values() if r == 1)}")
    return out


def test_there_are_at_least_forty_phrasings():
    assert len(PHRASINGS) >= 40
    assert len({q for q, _ in PHRASINGS}) == len(PHRASINGS)


@pytest.mark.parametrize("query,slug", PHRASINGS)
def test_intended_article_in_top_three(ranks, query, slug):
    assert ranks[query] is not None and ranks[query] <= 3, f"{query!r} → {slug} ranked {ranks[query]}"
