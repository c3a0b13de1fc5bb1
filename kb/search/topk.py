"""Evaluate a search plan over Whoosh's postings with score accumulators and return the top documents.

Whoosh's own matcher tree makes several Python calls per posting per level of the query; for the wide ORs that
agents' queries become (each word × four fields × synonyms) that dominated search time. Here each posting list
is decoded once into arrays and kept (kb.search.postings), then walked straight into a dict of scores per query
word and form; common words only add to the candidates the selective words found. Each word then counts once,
by its best form, and the total is scaled by the share of the query's words a document matches. Scoring is BM25
with B = 0 (see kb.search.scoring); phrases are matched by Whoosh's Phrase queries.
"""
from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter

from whoosh.searching import Searcher

from kb.search import postings
from kb.search.query import Clause, Plan

K1 = 1.2
MAX_PREFIX_EXPANSION = 50
PHRASE_BONUS = 2.0  # added per matched phrase, on top of its words' scores
COORD_POWER = 0.5  # score × (share of the query's words matched) ** this


@dataclass
class TopDocs:
    hits: list[tuple[int, float]]  # (docnum, score), best first
    total: int


def evaluate(searcher: Searcher, plan: Plan, limit: int, allowed: frozenset[int] | None = None,
             weights: dict[int, float] | None = None, cache: postings.PostingCache | None = None) -> TopDocs:
    """The `limit` best documents for `plan`, restricted to `allowed` docnums when given; `weights` scales the
    scores of particular documents (docnum → factor); `cache` keeps decoded posting lists for this searcher."""
    leaves = searcher.leaf_searchers()
    cache = cache if cache is not None else postings.PostingCache()
    by_variant: dict[tuple[int, int], dict[int, float]] = {}
    selective = plan.selective or (plan.common if not plan.phrases else [])
    for clause in selective:
        _accumulate(searcher, leaves, clause, by_variant.setdefault((clause.group, clause.variant), defaultdict(float)),
                    None, cache)
    required: set[int] | None = None
    for phrase in plan.phrases:
        docs = set(searcher.docs_for_query(phrase))
        required = docs if required is None else required & docs
    candidates = frozenset().union(*by_variant.values())
    if required is not None:
        candidates = candidates & required if plan.selective else frozenset(required)
    if plan.common and (plan.selective or plan.phrases):
        for clause in plan.common:
            _accumulate(searcher, leaves, clause,
                        by_variant.setdefault((clause.group, clause.variant), defaultdict(float)), candidates, cache)
    scores = _combine(by_variant, len({c.group for c in plan.selective + plan.common}))
    if required is not None:
        if plan.selective:
            scores = defaultdict(float, {d: s for d, s in scores.items() if d in required})
        for doc in required:
            scores[doc] += PHRASE_BONUS * len(plan.phrases)

    if allowed is not None:
        scores = {d: s for d, s in scores.items() if d in allowed}
    for doc, factor in (weights or {}).items():
        if doc in scores:
            scores[doc] *= factor
    top = heapq.nlargest(limit, scores.items(), key=itemgetter(1))
    return TopDocs(hits=top, total=len(scores))


def _combine(by_variant: dict[tuple[int, int], dict[int, float]], groups: int) -> dict[int, float]:
    """Each document's score: for every query word, its best variant (the word, a synonym, its prefix), summed;
    then scaled by the share of the query's words it matches, so that matching more of what the agent said wins
    over matching one word (or its synonyms) very well."""
    forms: dict[int, list[dict[int, float]]] = defaultdict(list)
    for (group, _variant), scores in by_variant.items():
        forms[group].append(scores)
    total: dict[int, float] = defaultdict(float)
    matched: dict[int, int] = defaultdict(int)
    for variants in forms.values():
        best = variants[0]
        if len(variants) > 1:
            best = dict(best)
            for scores in variants[1:]:
                for doc, score in scores.items():
                    if score > best.get(doc, 0.0):
                        best[doc] = score
        for doc, score in best.items():
            total[doc] += score
            matched[doc] += 1
    if groups > 1 and COORD_POWER:
        share = [(n / groups) ** COORD_POWER for n in range(groups + 1)]
        for doc, n in matched.items():
            total[doc] *= share[n]
    return total


def _accumulate(searcher: Searcher, leaves, clause: Clause, scores: dict[int, float],
                only: frozenset[int] | None, cache: postings.PostingCache) -> None:
    """Add the clause's BM25 score to `scores`, for every document or only for the documents in `only`."""
    k1 = K1
    for text in _texts(searcher, clause):
        idf = searcher.idf(clause.field, text)
        weight = clause.boost * idf * (k1 + 1)
        for leaf, (sub, offset) in enumerate(leaves):
            reader = sub.reader()
            if (clause.field, text) not in reader:
                continue
            ids, tfs = cache.get(reader, leaf, clause.field, text)
            if only is None:
                for doc, tf in zip(ids, tfs):
                    scores[doc + offset] += weight * tf / (tf + k1)
            else:
                for doc, tf in zip(ids, tfs):
                    if doc + offset in only:
                        scores[doc + offset] += weight * tf / (tf + k1)


def _texts(searcher: Searcher, clause: Clause) -> list[str]:
    if not clause.prefix:
        return [clause.text]
    reader = searcher.reader()
    field = searcher.schema[clause.field]
    return [field.from_bytes(b) for b in islice(reader.expand_prefix(clause.field, clause.text), MAX_PREFIX_EXPANSION)]
