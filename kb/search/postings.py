"""Read a Whoosh posting list a block at a time, as the arrays of document numbers and term frequencies that the
codec stores, instead of four method calls per posting.

Search time at 10,000 articles was dominated by those calls (is_active, id, weight, next, skip_to). The block
arrays are attributes of the whoosh3 codec's leaf matcher, which is why Whoosh is pinned (whoosh-reloaded
2.7.5); any other matcher is read through its public API.
"""
from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator, Sequence


def blocks(matcher) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """(doc numbers, frequencies) of each remaining block, in order."""
    if not hasattr(matcher, "_read_ids"):
        while matcher.is_active():
            yield (matcher.id(),), (matcher.weight(),)
            matcher.next()
        return
    while matcher.is_active():
        yield _arrays(matcher)
        matcher._next_block()


def blocks_with(matcher, wanted: Sequence[int]) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """Like `blocks`, but only the blocks whose range holds one of `wanted` (sorted doc numbers); the others are
    passed over without being read."""
    if not hasattr(matcher, "_read_ids"):
        yield from blocks(matcher)
        return
    i, n = 0, len(wanted)
    while matcher.is_active() and i < n:
        last = matcher.block_max_id()
        if wanted[i] <= last:
            yield _arrays(matcher)
            i = bisect_right(wanted, last, i)
        matcher._next_block()


def _arrays(matcher) -> tuple[Sequence[int], Sequence[float]]:
    if matcher._ids is None:
        matcher._read_ids()
    if matcher._weights is None:
        matcher._read_weights()
    start = matcher._i
    if start:
        return matcher._ids[start:], matcher._weights[start:]
    return matcher._ids, matcher._weights
