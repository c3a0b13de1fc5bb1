"""Side-by-side diffs of Chinese text: lines are paired with difflib, and inside a changed pair the changed words
are marked. Chinese has no spaces, so "words" are jieba tokens (with punctuation and spaces as their own
tokens), never whitespace-separated chunks."""
from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from html import escape

from kb.search.analysis import segmenter

_PIECES = re.compile(r"\s+|[^\w\s]|\w+", re.UNICODE)


def tokens(text: str) -> list[str]:
    """Words of a line, keeping every character (joining the tokens gives the line back)."""
    out: list[str] = []
    for piece in _PIECES.findall(text):
        if re.fullmatch(r"\w+", piece) and re.search(r"[\u3400-\u9fff]", piece):
            out.extend(word for word, _s, _e in segmenter().tokenize(piece))
        else:
            out.append(piece)
    return out


@dataclass(frozen=True)
class Row:
    kind: str  # "same" | "changed" | "added" | "removed"
    left: str  # HTML
    right: str  # HTML
    left_no: int | None
    right_no: int | None


def side_by_side(old: str, new: str, context: int | None = 3) -> list[Row]:
    """Rows of a side-by-side diff; `context` unchanged lines around changes (None: all lines)."""
    a, b = old.splitlines(), new.splitlines()
    rows: list[Row] = []
    matcher = difflib.SequenceMatcher(a=a, b=b, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            for k in range(i2 - i1):
                rows.append(Row("same", escape(a[i1 + k]), escape(b[j1 + k]), i1 + k + 1, j1 + k + 1))
            continue
        pairs = max(i2 - i1, j2 - j1)
        for k in range(pairs):
            left = a[i1 + k] if i1 + k < i2 else None
            right = b[j1 + k] if j1 + k < j2 else None
            if left is not None and right is not None:
                lhtml, rhtml = mark_words(left, right)
                rows.append(Row("changed", lhtml, rhtml, i1 + k + 1, j1 + k + 1))
            elif left is not None:
                rows.append(Row("removed", f"<del>{escape(left)}</del>", "", i1 + k + 1, None))
            else:
                rows.append(Row("added", "", f"<ins>{escape(right)}</ins>", None, j1 + k + 1))
    return rows if context is None else _trim(rows, context)


def mark_words(old: str, new: str) -> tuple[str, str]:
    """Both lines as HTML, removed words in <del> on the left, added words in <ins> on the right."""
    a, b = tokens(old), tokens(new)
    left, right = [], []
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(a=a, b=b, autojunk=False).get_opcodes():
        old_part, new_part = escape("".join(a[i1:i2])), escape("".join(b[j1:j2]))
        if tag == "equal":
            left.append(old_part)
            right.append(new_part)
        else:
            if old_part:
                left.append(f"<del>{old_part}</del>")
            if new_part:
                right.append(f"<ins>{new_part}</ins>")
    return "".join(left), "".join(right)


def _trim(rows: list[Row], context: int) -> list[Row]:
    keep = [False] * len(rows)
    for i, row in enumerate(rows):
        if row.kind != "same":
            for j in range(max(0, i - context), min(len(rows), i + context + 1)):
                keep[j] = True
    out: list[Row] = []
    skipped = 0
    for row, wanted in zip(rows, keep):
        if wanted:
            if skipped:
                out.append(Row("skip", f"… {skipped} 行未变 …", f"… {skipped} 行未变 …", None, None))
                skipped = 0
            out.append(row)
        else:
            skipped += 1
    if skipped and out:
        out.append(Row("skip", f"… {skipped} 行未变 …", f"… {skipped} 行未变 …", None, None))
    return out
