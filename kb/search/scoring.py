"""Ranking: BM25 with a cheaper scorer where length normalisation is switched off (B = 0).

Whoosh's BM25F scorer reads each matching document's field length from a column, which is most of the cost of
scoring a posting in pure Python. Titles, tags and summaries are short and of similar length, so for them (and,
by default, for the body too: articles are all 300–4,000 characters) term-frequency saturation alone ranks as
well, at about half the cost per posting.
"""
from __future__ import annotations

from whoosh.scoring import BaseScorer, BM25F


class SaturatedTfScorer(BaseScorer):
    """idf · tf·(K1+1) / (tf+K1): BM25 with B = 0, without the per-document field length lookup."""

    def __init__(self, idf: float, k1: float, max_weight: float) -> None:
        self.idf = idf
        self.k1 = k1
        self._max = self._score(max_weight)

    def _score(self, weight: float) -> float:
        return self.idf * (weight * (self.k1 + 1)) / (weight + self.k1)

    def supports_block_quality(self) -> bool:
        return True

    def score(self, matcher) -> float:
        return self._score(matcher.weight())

    def max_quality(self) -> float:
        return self._max

    def block_quality(self, matcher) -> float:
        return self._score(matcher.block_max_weight())


class KbWeighting(BM25F):
    def scorer(self, searcher, fieldname, text, qf=1):
        b = self._field_B.get(fieldname, self.B)
        if b or not searcher.schema[fieldname].scorable:
            return super().scorer(searcher, fieldname, text, qf=qf)
        parent = searcher.get_parent()
        return SaturatedTfScorer(parent.idf(fieldname, text), self.K1,
                                 searcher.term_info(fieldname, text).max_weight())


def weighting() -> KbWeighting:
    return KbWeighting(B=0.0, K1=1.2)
