"""The analyzer on its own: normalisation, segmentation, positions, n-grams (no app, no index)."""
from kb.search.analysis import CharNgramTokenizer, ChineseTokenizer, normalize, words


def tokens(text, mode="index"):
    return [(t.text, t.pos) for t in ChineseTokenizer()(text, positions=True, mode=mode)]


def test_fold_full_width_case_and_traditional_keeps_length():
    text = "ＶＩＰ客户投訴與經理"
    folded = normalize(text)
    assert folded == "vip客户投诉与经理"
    assert len(folded) == len(text)


def test_ellipsis_is_not_expanded_so_offsets_stay_aligned():
    text = "客户说……我再想想"
    assert len(normalize(text)) == len(text)


def test_domain_terms_stay_whole():
    for term in ["首问责任制", "九准九不准", "沉默型", "以后再买", "话术"]:
        assert term in words(f"关于{term}的说明"), term


def test_subwords_share_the_position_of_their_word():
    toks = tokens("首问责任制很重要")
    assert ("首问责任制", 0) in toks
    assert ("责任", 0) in toks
    assert all(pos in (0, 1, 2) for _t, pos in toks)


def test_subwords_only_at_index_time():
    assert [t for t, _p in tokens("首问责任制", mode="query")] == ["首问责任制"]


def test_positions_are_sequential_words_not_character_offsets():
    toks = tokens("客户嫌太贵", mode="query")
    assert [p for _t, p in toks] == list(range(len(toks)))


def test_letters_and_digits_split_the_same_with_or_without_space():
    assert words("iPhone15") == words("iPhone 15") == ["iphone", "15"]


def test_no_stemming_of_english():
    assert words("services running") == ["services", "running"]


def test_punctuation_and_particles_are_dropped():
    assert words("好的！！") == ["好"]
    assert words("……，。？") == []


def test_query_drops_question_words_but_keeps_content():
    assert words("客户嫌太贵怎么办", query=True) == ["嫌", "太贵"]


def test_char_offsets_point_into_the_original_text():
    text = "ＶＩＰ客户投訴"
    for tok in ChineseTokenizer()(text, chars=True, mode="query"):
        assert normalize(text[tok.startchar:tok.endchar]) == tok.text


def test_ngrams_are_unigrams_and_bigrams_of_chinese_runs():
    grams = [t.text for t in CharNgramTokenizer()("太贵了 ok")]
    assert grams == ["太", "贵", "了", "太贵", "贵了"]
