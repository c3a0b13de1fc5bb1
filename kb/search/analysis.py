"""Text analysis for Chinese search: normalisation, jieba word tokens with sequential positions, and character
n-grams. The Whoosh schema pickles these classes by name, so they keep no heavy state: jieba and OpenCC are
module-level singletons loaded on first use.

Normalisation (applied to documents and queries alike): NFKC (full-width ＶＩＰ → vip), traditional →
simplified (投訴 → 投诉), lower case. No stemming. Folding keeps the text's length, so token offsets are
offsets into the original.
"""
from __future__ import annotations

import logging
import re
import threading
import unicodedata
from pathlib import Path
from typing import Iterator

import jieba
import opencc
from whoosh.analysis import Token, Tokenizer

DATA_DIR = Path(__file__).resolve().parent / "data"
USER_DICT = DATA_DIR / "userdict.txt"

# Particles that carry no meaning for search. Dropped tokens still take a position, so phrases stay exact.
STOP_WORDS = frozenset("的 了 着 吗 呢 吧 啊 呀 嘛 哦 哈 么 之 地 得".split())
# Question words an agent types around the real terms (客户嫌太贵怎么办), and 客户 itself, which every article
# is about; ignored in queries that have other words.
QUERY_STOP_WORDS = STOP_WORDS | frozenset(
    "客户 顾客 用户 客人 很 非常 特别 怎么办 怎么 怎样 如何 怎么样 什么 咋办 咋 办 该 应该 要 想 请问 一下 总是 老是 就 都 也 还 又 是 有 在 我 我要 我们 你 你们 他 她 他们".split()
)

_WORD_CHAR = re.compile(r"\w")
# Letters, digits and everything else are separate tokens: iphone15 → iphone 15.
_SCRIPT_RUN = re.compile(r"[a-z]+|[0-9]+(?:\.[0-9]+)?|[^\sa-z0-9_]+", re.ASCII | re.IGNORECASE)
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")

_jieba_lock = threading.Lock()
_tokenizer: jieba.Tokenizer | None = None
_converter: opencc.OpenCC | None = None


def segmenter() -> jieba.Tokenizer:
    """The process-wide jieba tokenizer with the domain dictionary loaded."""
    global _tokenizer
    if _tokenizer is None:
        with _jieba_lock:
            if _tokenizer is None:
                jieba.setLogLevel(logging.WARNING)
                tk = jieba.Tokenizer()
                tk.initialize()
                with USER_DICT.open("rb") as fh:  # jieba leaves a path's file open; pass our own handle
                    tk.load_userdict(fh)
                _tokenizer = tk
    return _tokenizer


def _t2s() -> opencc.OpenCC:
    global _converter
    if _converter is None:
        _converter = opencc.OpenCC("t2s")
    return _converter


class _FoldTable(dict):
    """str.translate table filled on first sight of each character: its NFKC form, lower-cased, when that is
    a single character (ＶＩＰ → vip, ，→ ,); otherwise the character itself (… stays …), so folding never
    changes a text's length and offsets into the folded text are offsets into the original."""

    def __missing__(self, codepoint: int) -> str:
        ch = chr(codepoint)
        folded = unicodedata.normalize("NFKC", ch).lower()
        value = folded if len(folded) == 1 else ch
        self[codepoint] = value
        return value


_FOLD_TABLE = _FoldTable()


def normalize(text: str) -> str:
    """Fold a text for matching: NFKC, lower case, traditional → simplified; same length as the input."""
    folded = text.translate(_FOLD_TABLE)
    converted = _t2s().convert(folded)
    if len(converted) == len(folded):
        return converted
    # A phrase-level conversion changed the length: convert character by character instead.
    return "".join(c if len(s := _t2s().convert(c)) != 1 else s for c in folded)


def is_meaningful(word: str) -> bool:
    return bool(_WORD_CHAR.search(word)) and word != "_"


def words(text: str, *, query: bool = False) -> list[str]:
    """Word tokens of a text as the index sees them (query=True also drops question words)."""
    tokenizer = ChineseTokenizer()
    stop = QUERY_STOP_WORDS if query else STOP_WORDS
    return [t.text for t in tokenizer(text, mode="query") if t.text not in stop]


class _FoldingTokenizer(Tokenizer):
    """Whoosh's tokenizer protocol around a folded text: subclasses yield tokens from `_tokens`."""

    def __eq__(self, other: object) -> bool:
        return type(other) is type(self) and vars(other) == vars(self)

    def __call__(self, value: str, positions: bool = False, chars: bool = False, keeporiginal: bool = False,
                 removestops: bool = True, start_pos: int = 0, start_char: int = 0, tokenize: bool = True,
                 mode: str = "", **kwargs) -> Iterator[Token]:
        t = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        norm = normalize(value)
        if not tokenize:
            yield _fill(t, norm.strip(), start_pos, start_char, start_char + len(value), False)
            return
        yield from self._tokens(t, norm, start_pos, start_char, removestops, mode)

    def _tokens(self, t: Token, norm: str, start_pos: int, start_char: int, removestops: bool,
                mode: str) -> Iterator[Token]:
        raise NotImplementedError


class ChineseTokenizer(_FoldingTokenizer):
    """jieba words with sequential positions. At index time, dictionary sub-words of a long word (责任 in
    首问责任制) are added at the same position, so they match without breaking phrase queries."""

    def __init__(self, subwords: bool = True) -> None:
        self.subwords = subwords

    def _tokens(self, t, norm, start_pos, start_char, removestops, mode):
        seg = segmenter()
        add_subwords = self.subwords and mode == "index"
        pos = start_pos
        for word, start, _end in seg.tokenize(norm, HMM=True):
            for run in _SCRIPT_RUN.finditer(word):
                text = run.group(0)
                if not is_meaningful(text):
                    continue
                first = start_char + start + run.start()
                stopped = text in STOP_WORDS
                if not (stopped and removestops):
                    yield _fill(t, text, pos, first, first + len(text), stopped)
                if add_subwords and len(text) > 2 and not stopped:
                    for offset, sub in _dictionary_subwords(text, seg.FREQ):
                        yield _fill(t, sub, pos, first + offset, first + offset + len(sub), False)
                pos += 1


def _dictionary_subwords(word: str, freq: dict) -> Iterator[tuple[int, str]]:
    for size in (2, 3):
        for i in range(len(word) - size + 1):
            sub = word[i:i + size]
            if sub != word and freq.get(sub):
                yield i, sub


def _fill(t: Token, text: str, pos: int, startchar: int, endchar: int, stopped: bool) -> Token:
    """Set a reused Whoosh token (Whoosh reads only the attributes its caller asked for)."""
    t.text = t.original = text
    t.boost = 1.0
    t.stopped = stopped
    t.pos = pos
    t.startchar, t.endchar = startchar, endchar
    return t


def ngrams(text: str) -> list[str]:
    """Character unigrams and bigrams of the Chinese runs in a normalised text."""
    grams: list[str] = []
    for run in _CJK.finditer(text):
        chunk = run.group(0)
        grams.extend(chunk)
        grams.extend(chunk[i:i + 2] for i in range(len(chunk) - 1))
    return grams


class CharNgramTokenizer(_FoldingTokenizer):
    """Unigrams and bigrams of Chinese characters, for single characters and half-typed words."""

    def _tokens(self, t, norm, start_pos, start_char, removestops, mode):
        pos = start_pos
        for run in _CJK.finditer(norm):
            for size in (1, 2):
                for i in range(run.start(), run.end() - size + 1):
                    yield _fill(t, norm[i:i + size], pos, start_char + i, start_char + i + size, False)
                    pos += 1
