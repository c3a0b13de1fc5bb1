"""Read a Whoosh posting list a block at a time, as the arrays of document numbers and term frequencies that the
codec stores, instead of four method calls per posting; and keep the most used lists decoded.

Search time at 10,000 articles was dominated by those calls (is_active, id, weight, next, skip_to). The block
arrays are attributes of the whoosh3 codec's leaf matcher, which is why Whoosh is pinned (whoosh-reloaded
2.7.5); any other matcher is read through its public API.
"""
from __future__ import annotations

from array import array
from collections import OrderedDict
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


class PostingCache:
    """Decoded posting lists (doc numbers, frequencies) of one searcher, the most recently used kept, up to
    `max_postings` postings in all (8 bytes each). Words agents type come back all day; decoding a list costs
    far more than walking it. Clear it whenever the searcher is replaced."""

    def __init__(self, max_postings: int = 2_000_000) -> None:
        self.max_postings = max_postings
        self._lists: OrderedDict[tuple, tuple[array, array]] = OrderedDict()
        self._size = 0

    def clear(self) -> None:
        self._lists.clear()
        self._size = 0

    def get(self, reader, leaf: int, field: str, text: str) -> tuple[array, array]:
        """The whole posting list of `text` in `field` of the leaf reader numbered `leaf`."""
        key = (leaf, field, text)
        found = self._lists.get(key)
        if found is not None:
            self._lists.move_to_end(key)
            return found
        ids, tfs = array("I"), array("f")
        for block_ids, block_tfs in blocks(reader.postings(field, text)):
            ids.extend(iter(block_ids))  # iter(): a block may be an array of another item size
            tfs.extend(iter(block_tfs))
        entry = self._lists[key] = (ids, tfs)
        self._size += len(ids)
        while self._size > self.max_postings and len(self._lists) > 1:
            _key, (old, _tfs) = self._lists.popitem(last=False)
            self._size -= len(old)
        return entry


def _arrays(matcher) -> tuple[Sequence[int], Sequence[float]]:
    if matcher._ids is None:
        matcher._read_ids()
    if matcher._weights is None:
        matcher._read_weights()
    start = matcher._i
    if start:
        return matcher._ids[start:], matcher._weights[start:]
    return matcher._ids, matcher._weights
