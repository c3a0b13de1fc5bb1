"""Turn what an agent types into a search plan. The text is never given to Whoosh's query parser, so query
syntax such as `title:(` is just text.

A plan is a weighted OR of its terms across title, tags, summary and body (a document matching more terms
scores higher), each term widened by its synonyms; quoted text must match as a phrase; while the agent is still
typing, an unfinished last word also matches as a prefix; single characters and words unknown to the index fall
back to the character n-gram fields, weighted below whole words. Words found in a large share of a big index
("common") only add to the score of documents found by rarer words: walking their long posting lists is what
would cost time, and they do not decide what is relevant.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field

from whoosh.query import Or, Phrase, Query

from kb.search import fields as F
from kb.search.analysis import QUERY_STOP_WORDS, ChineseTokenizer, ngrams, normalize, segmenter
from kb.search.synonyms import Synonyms

MAX_QUERY_CHARS = 100
MAX_TERMS = 24
SYNONYM_WEIGHT = 0.7
# A lone character (接, 拿, 说) is a weak signal beside real words; it counts half.
SINGLE_CHAR_WEIGHT = 0.5
PREFIX_WEIGHT = 0.5
COMMON_FRACTION = 0.3
COMMON_MIN_DOCS = 200
_QUOTED = re.compile(r"[\"“”「」『』]([^\"“”「」『』]+)[\"“”「」『』]")
_CJK_CHAR = re.compile(r"[\u3400-\u9fff]")


@dataclass(frozen=True)
class Clause:
    """Score documents containing `text` in `field` (every word starting with it, when `prefix`).

    `group` is the query word the clause stands for and `variant` which form of it (the word itself, a synonym,
    its prefix): a document scores the best variant of each word, so a word with many synonyms does not count
    several times over, and how many of the query's words a document matches is known."""

    field: str
    text: str
    boost: float
    prefix: bool = False
    group: int = 0
    variant: int = 0


@dataclass
class Plan:
    selective: list[Clause] = field(default_factory=list)  # find candidates and score them
    common: list[Clause] = field(default_factory=list)  # only add to candidates' scores
    phrases: list[Query] = field(default_factory=list)  # every result must match each of these

    @property
    def empty(self) -> bool:
        return not (self.selective or self.common or self.phrases)


def clean(text: str) -> str:
    """Drop control and format characters, collapse white space, cut to a sane length."""
    text = "".join(" " if unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") else ch for ch in text[:10 * MAX_QUERY_CHARS])
    return " ".join(text.split())[:MAX_QUERY_CHARS]


@dataclass
class ParsedQuery:
    text: str
    phrases: list[list[tuple[str, int]]] = field(default_factory=list)  # tokens with positions
    terms: list[str] = field(default_factory=list)
    prefix: str | None = None

    @property
    def empty(self) -> bool:
        return not (self.phrases or self.terms or self.prefix)


def parse(raw: str, *, typing: bool = True) -> ParsedQuery:
    """Split cleaned input into phrases, terms and, while typing, a last-word prefix."""
    text = clean(raw)
    parsed = ParsedQuery(text=text)
    tokenizer = ChineseTokenizer()
    for match in _QUOTED.finditer(text):
        tokens = [(t.text, t.pos) for t in tokenizer(match.group(1), positions=True, mode="query")]
        if len(tokens) > 1:
            parsed.phrases.append(tokens)
        elif tokens:
            parsed.terms.append(tokens[0][0])
    rest = _QUOTED.sub(" ", text)
    tokens = [t.text for t in tokenizer(rest, mode="query")]
    meaningful = [t for t in tokens if t not in QUERY_STOP_WORDS]
    # A query of nothing but question words (just 客户, say) is still searched for them.
    for token in meaningful or ([] if parsed.phrases else tokens):
        if token not in parsed.terms:
            parsed.terms.append(token)
    del parsed.terms[MAX_TERMS:]
    ends_mid_word = bool(rest.strip()) and bool(re.search(r"\w$", rest))
    if typing and ends_mid_word and tokens:
        last = tokens[-1]
        if _CJK_CHAR.search(last) or len(last) >= 2:
            parsed.prefix = last
    return parsed


def build(parsed: ParsedQuery, synonyms: Synonyms, reader=None) -> Plan:
    """The plan for a parsed input. `reader` (optional) tells how common each word is and which words the index
    knows; without it every word counts as selective and unknown."""
    plan = Plan(phrases=[_phrase_query(tokens) for tokens in parsed.phrases])
    doc_count = reader.doc_count() if reader is not None else 0
    single = len(parsed.terms) == 1 and not parsed.phrases
    for group, term in enumerate(parsed.terms):
        weight = 1.0 if single or len(term) > 1 else SINGLE_CHAR_WEIGHT
        clauses = _word_clauses(term, weight, group, 0)
        variants = [term]
        for synonym in synonyms.expand(term):
            if len(synonym) == 1:  # tests keep every synonym a single word of the dictionary
                clauses.extend(_word_clauses(synonym[0], SYNONYM_WEIGHT * weight, group, len(variants)))
                variants.append(synonym[0])
        if _needs_ngrams(term, reader):
            clauses.extend(_ngram_clauses(term, weight, group, 0))  # adds to the word itself
        is_common = len(term) == 1 and not single or _is_common(variants, reader, doc_count)
        (plan.common if is_common else plan.selective).extend(clauses)
    if parsed.prefix in parsed.terms and (single or _maybe_unfinished(parsed.prefix)):
        # While typing, the last word may be unfinished (投 → 投诉, iph → iphone). A word the dictionary knows
        # is taken as finished: its prefix expansion would cost time and add noise.
        group = parsed.terms.index(parsed.prefix)
        prefix = [Clause(f, parsed.prefix, b * PREFIX_WEIGHT, prefix=True, group=group, variant=-1)
                  for f, b in F.WORD_FIELD_BOOSTS.items()]
        is_common = len(parsed.prefix) == 1 and not single or _is_common([parsed.prefix], reader, doc_count)
        (plan.common if is_common else plan.selective).extend(prefix)
    return plan


def _maybe_unfinished(word: str) -> bool:
    if not _CJK_CHAR.search(word):
        return len(word) >= 2
    return len(word) > 1 and not segmenter().FREQ.get(word)


def _is_common(variants: list[str], reader, doc_count: int) -> bool:
    """A word (or any of its synonyms) found in more than COMMON_FRACTION of a sizeable index."""
    if reader is None or doc_count < COMMON_MIN_DOCS:
        return False
    limit = COMMON_FRACTION * doc_count
    return any(reader.doc_frequency(F.BODY, v) > limit for v in variants)


def highlight_terms(parsed: ParsedQuery, synonyms: Synonyms) -> list[str]:
    """Strings to mark in snippets."""
    terms = list(parsed.terms)
    for term in parsed.terms:
        # A synonym is marked whole: its single-character parts (不 of 不开口) would light up everything.
        terms.extend("".join(syn) for syn in synonyms.expand(term))
    for tokens in parsed.phrases:
        terms.extend(t for t, _pos in tokens)
    if parsed.prefix:
        terms.append(parsed.prefix)
    return [normalize(t) for t in terms]


def _word_clauses(word: str, weight: float = 1.0, group: int = 0, variant: int = 0) -> list[Clause]:
    return [Clause(f, word, b * weight, group=group, variant=variant) for f, b in F.WORD_FIELD_BOOSTS.items()]


def _needs_ngrams(term: str, reader) -> bool:
    """Single characters (响 inside 响铃) and words the index does not know as words."""
    if not _CJK_CHAR.search(term):
        return False
    if len(term) == 1 or reader is None:
        return True
    return all(reader.doc_frequency(f, term) == 0 for f in (F.TITLE, F.BODY, F.TAGS))


def _ngram_clauses(word: str, weight: float = 1.0, group: int = 0, variant: int = 0) -> list[Clause]:
    grams = [g for g in ngrams(word) if len(g) == 2] or ngrams(word)
    return [Clause(f, g, b * weight, group=group, variant=variant) for g in grams for f, b in F.NGRAM_FIELD_BOOSTS.items()]


def _phrase_query(tokens: list[tuple[str, int]]) -> Query:
    words = [t for t, _pos in tokens]
    # Stop words removed between two words leave a gap in positions; allow exactly that gap.
    slop = max((b[1] - a[1] for a, b in zip(tokens, tokens[1:])), default=1)
    return Or([Phrase(f, words, slop=slop, boost=b) for f, b in F.WORD_FIELD_BOOSTS.items() if f != F.TAGS])
