"""Evaluate a search plan over Whoosh's postings with score accumulators and return the top documents.

Whoosh's own matcher tree makes several Python calls per posting per level of the query; for the wide ORs that
agents' queries become (each word × four fields × synonyms) that dominated search time. Here each posting list
is read once, straight into a dict of scores — a few Python operations per posting — and common words only
look up the candidates the selective words found. Scoring is BM25 with B = 0 (see kb.search.scoring); phrases
are matched by Whoosh's Phrase queries.
"""
from __future__ import annotations

import heapq
from collections import defaultdict
from dataclasses import dataclass
from itertools import islice
from operator import itemgetter

from whoosh.searching import Searcher

from kb.search.query import Clause, Plan

K1 = 1.2
MAX_PREFIX_EXPANSION = 50
PHRASE_BONUS = 2.0  # added per matched phrase, on top of its words' scores


@dataclass
class TopDocs:
    hits: list[tuple[int, float]]  # (docnum, score), best first
    total: int


def evaluate(searcher: Searcher, plan: Plan, limit: int, allowed: frozenset[int] | None = None,
             weights: dict[int, float] | None = None) -> TopDocs:
    """The `limit` best documents for `plan`, restricted to `allowed` docnums when given; `weights` scales the
    scores of particular documents (docnum → factor)."""
    scores: dict[int, float] = defaultdict(float)
    leaves = searcher.leaf_searchers()
    selective = plan.selective or (plan.common if not plan.phrases else [])
    for clause in selective:
        _accumulate(searcher, leaves, clause, scores, only=None)

    if plan.phrases:
        required: set[int] | None = None
        for phrase in plan.phrases:
            docs = set(searcher.docs_for_query(phrase))
            required = docs if required is None else required & docs
        required = required or set()
        if plan.selective:
            scores = defaultdict(float, {d: s for d, s in scores.items() if d in required})
        for doc in required:
            scores[doc] += PHRASE_BONUS * len(plan.phrases)

    if plan.common and (plan.selective or plan.phrases):
        candidates = frozenset(scores)
        for clause in plan.common:
            _accumulate(searcher, leaves, clause, scores, only=candidates)

    if allowed is not None:
        scores = {d: s for d, s in scores.items() if d in allowed}
    for doc, factor in (weights or {}).items():
        if doc in scores:
            scores[doc] *= factor
    top = heapq.nlargest(limit, scores.items(), key=itemgetter(1))
    return TopDocs(hits=top, total=len(scores))


def _accumulate(searcher: Searcher, leaves, clause: Clause, scores: dict[int, float],
                only: frozenset[int] | None) -> None:
    for text in _texts(searcher, clause):
        idf = searcher.idf(clause.field, text)
        weight = clause.boost * idf * (K1 + 1)
        for leaf, offset in leaves:
            reader = leaf.reader()
            if (clause.field, text) not in reader:
                continue
            matcher = reader.postings(clause.field, text)
            if only is None:
                while matcher.is_active():
                    tf = matcher.weight()
                    scores[matcher.id() + offset] += weight * tf / (tf + K1)
                    matcher.next()
            else:
                _accumulate_candidates(matcher, offset, only, weight, scores)


def _accumulate_candidates(matcher, offset: int, only: frozenset[int], weight: float,
                           scores: dict[int, float]) -> None:
    """Add to candidates only: skip through the postings to each candidate rather than read them all."""
    for doc in sorted(d - offset for d in only if d >= offset):
        if not matcher.is_active():
            return
        matcher.skip_to(doc)
        if matcher.is_active() and matcher.id() == doc:
            tf = matcher.weight()
            scores[doc + offset] += weight * tf / (tf + K1)


def _texts(searcher: Searcher, clause: Clause) -> list[str]:
    if not clause.prefix:
        return [clause.text]
    reader = searcher.reader()
    field = searcher.schema[clause.field]
    return [field.from_bytes(b) for b in islice(reader.expand_prefix(clause.field, clause.text), MAX_PREFIX_EXPANSION)]
