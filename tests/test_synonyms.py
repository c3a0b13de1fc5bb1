"""The synonym table and the dictionary stay consistent."""
from kb.search.analysis import words
from kb.search.synonyms import SYNONYMS_FILE, default_synonyms


def synonym_words():
    for line in SYNONYMS_FILE.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        yield from line.split()


def test_every_synonym_is_one_token():
    # A synonym that splits into several words becomes an AND of common words: slow, and a worse match.
    split = [w for w in synonym_words() if len(words(w)) != 1]
    assert split == [], f"add these to kb/search/data/userdict.txt: {split}"


def test_groups_are_symmetric():
    syn = default_synonyms()
    assert ("退款",) in syn.expand("退钱") and ("退钱",) in syn.expand("退款")
    assert ("领导",) in syn.expand("经理")


# Every term that names a technique or a customer type in the catalogue stays one token, so an agent who types
# it finds the articles that use it, and a quoted search for it works.
DOMAIN_TERMS = """沉默型 健谈型 畏生型 骄傲型 重视舆论型 忠厚老实型 打破砂锅问到底 怪僻型 挖苦型 冰山型 以后再买
不愿做听众 女性客户 男性客户 首问责任制 九准九不准 十种好习惯 话术 愤怒清单 十宗罪 魔鬼客户 虚拟等待 一站式服务
顾问式服务 体验式服务 个性化服务 标准化服务 即时服务 增值服务 超值服务 人性化服务 硬服务 软服务 口碑 社会资本
内部客户 价值感知 期望值管理 客户流失 大客户 客户档案 服务补救 察言观色 第一印象 微笑服务 肢体语言 情绪管理
一碗水端平 抱怨渠道 抱怨档案 喋喋不休 电子客服""".split()


def test_domain_terms_are_whole_words():
    assert [t for t in DOMAIN_TERMS if words(t) != [t]] == []
