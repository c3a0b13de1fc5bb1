"""Query-time synonyms: an agent's everyday words (退钱, 找经理, 嫌贵) also find the book's terms.

`data/synonyms.txt` holds one group per line, words separated by spaces; every word of a group finds the others.
Multi-word entries (价格高) are segmented, and all their words must match.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from kb.search.analysis import DATA_DIR, normalize, words

SYNONYMS_FILE = DATA_DIR / "synonyms.txt"


class Synonyms:
    def __init__(self, groups: list[list[str]]) -> None:
        self._groups: dict[str, list[tuple[str, ...]]] = {}
        for group in groups:
            forms = [(normalize(w), tuple(words(w))) for w in group]
            for key, _tokens in forms:
                others = [tokens for other, tokens in forms if other != key and tokens]
                self._groups.setdefault(key, []).extend(o for o in others if o not in self._groups.get(key, []))

    def expand(self, term: str) -> list[tuple[str, ...]]:
        """The synonyms of a term, each as the words that must all match."""
        return self._groups.get(term, [])

    @classmethod
    def from_file(cls, path: Path) -> Synonyms:
        groups = []
        for line in path.read_text(encoding="utf-8").splitlines():
            line = line.split("#", 1)[0].strip()
            if line:
                groups.append(line.split())
        return cls(groups)


@lru_cache(maxsize=1)
def default_synonyms() -> Synonyms:
    return Synonyms.from_file(SYNONYMS_FILE)
