"""Highlighted snippets: the window of a text that holds the most query terms, HTML-escaped, terms in <mark>.

Works on the stored plain text by substring search on the normalised form, so it needs no re-segmentation and
also marks single characters matched through the n-gram field.
"""
from __future__ import annotations

from functools import lru_cache
from html import escape

from kb.search.analysis import normalize

ELLIPSIS = "…"


def make_snippet(text: str, terms: list[str], width: int = 110) -> str:
    """An HTML snippet of about `width` characters from `text` with `terms` marked; the opening of the text
    when no term occurs."""
    text, folded = _prepared(text)
    if not text:
        return ""
    spans = _find(folded, terms)
    if not spans:
        return escape(text[:width]) + (ELLIPSIS if len(text) > width else "")
    start, end = _best_window(folded, spans, width, len(text))
    chosen = [(s, e) for s, e in spans if s >= start and e <= end]
    out: list[str] = [ELLIPSIS] if start > 0 else []
    cursor = start
    for s, e in chosen:
        out.append(escape(text[cursor:s]))
        out.append(f"<mark>{escape(text[s:e])}</mark>")
        cursor = e
    out.append(escape(text[cursor:end]))
    if end < len(text):
        out.append(ELLIPSIS)
    return "".join(out)


@lru_cache(maxsize=512)
def _prepared(text: str) -> tuple[str, str]:
    """The text with white space collapsed, and its normalised form (same length, so spans index both).
    Cached: the same articles come back query after query, and folding a 4,000-character body each time was a
    quarter of the search time."""
    text = " ".join(text.split())
    return text, normalize(text)


def _find(norm: str, terms: list[str]) -> list[tuple[int, int]]:
    """Non-overlapping spans of term occurrences, longer terms first."""
    taken = bytearray(len(norm))
    spans: list[tuple[int, int]] = []
    for term in sorted({t for t in terms if t}, key=len, reverse=True):
        pos = norm.find(term)
        while pos != -1:
            end = pos + len(term)
            if not any(taken[pos:end]):
                taken[pos:end] = b"\x01" * len(term)
                spans.append((pos, end))
            pos = norm.find(term, end)
    return sorted(spans)


def _best_window(text: str, spans: list[tuple[int, int]], width: int, length: int) -> tuple[int, int]:
    """The window of `width` characters whose matches cover the most distinct terms (longer terms count more),
    starting a little before its first match."""
    best_start, best_score = spans[0][0], -1
    for i, (s, _e) in enumerate(spans):
        seen: set[str] = set()
        for s2, e2 in spans[i:]:
            if e2 > s + width:
                break
            seen.add(text[s2:e2])
        score = sum(len(term) + 1 for term in seen)
        if score > best_score:
            best_start, best_score = s, score
    start = max(0, best_start - width // 5)
    end = min(length, start + width)
    start = max(0, min(start, end - width))
    return start, end
