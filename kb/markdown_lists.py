"""A Python-Markdown extension that lets a list start right under a paragraph line, as CommonMark and GitHub do.

Python-Markdown needs a blank line before a list; without one, "**客户：……**" followed by "- “……”" lines renders
as one paragraph with literal dashes. Editors write the CommonMark way, so a blank line is inserted before such a
list item (outside fenced code), and the rest of Markdown's behaviour is unchanged.
"""
from __future__ import annotations

import re

from markdown import Extension
from markdown.preprocessors import Preprocessor

# Like CommonMark: any bullet may interrupt a paragraph, an ordered list only when it starts at 1.
_ITEM = re.compile(r"^ {0,3}(?:[-*+]|1[.)])[ \t]+\S")
_ANY_ITEM = re.compile(r"^\s*(?:[-*+]|\d+[.)])[ \t]+\S")
_FENCE = re.compile(r"^ {0,3}(```|~~~)")
_NOT_PARAGRAPH = re.compile(r"^ {0,3}(?:#|>|\||<)")


class ListAfterParagraph(Preprocessor):
    def run(self, lines: list[str]) -> list[str]:
        out: list[str] = []
        fence: str | None = None
        in_list = False
        for line in lines:
            match = _FENCE.match(line)
            if match:
                fence = None if fence == match.group(1) else (fence or match.group(1))
            elif fence is None:
                prev = out[-1] if out else ""
                if not line.strip():
                    pass
                elif _ANY_ITEM.match(line):
                    if (_ITEM.match(line) and not in_list and prev.strip() and not _NOT_PARAGRAPH.match(prev)):
                        out.append("")
                    in_list = True
                elif not prev.strip() and not line.startswith((" ", "\t")):
                    in_list = False  # an unindented line after a blank one ends the list
            out.append(line)
        return out


class ListAfterParagraphExtension(Extension):
    def extendMarkdown(self, md) -> None:  # noqa: N802 (Python-Markdown's API name)
        # After normalize_whitespace (30) and before fenced_code (25) takes code blocks out of the text.
        md.preprocessors.register(ListAfterParagraph(md), "list_after_paragraph", 27)
