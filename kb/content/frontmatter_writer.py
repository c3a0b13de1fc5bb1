"""Write an article back to Markdown with front matter in one canonical form, so that exporting twice, or
syncing an export, changes nothing (byte-stable)."""
from __future__ import annotations

import re

import yaml

from kb.content.articles import ArticleDoc

_PLAIN = re.compile(r"[^\s\[\]{},:#&*!|>'\"%@`?-][^\[\]{},:#]*")


def scalar(value: str) -> str:
    """A YAML scalar that is valid inside flow collections too: plain when safe, otherwise quoted by PyYAML."""
    text = str(value)
    if _PLAIN.fullmatch(text) and text == text.strip() and yaml.safe_load(text) == text:
        return text
    dumped = yaml.safe_dump([text], default_flow_style=True, allow_unicode=True, width=1_000_000)
    return dumped.strip()[1:-1]


def flow_list(values) -> str:
    return "[" + ", ".join(scalar(v) for v in values) + "]"


def article_markdown(doc: ArticleDoc) -> str:
    lines = ["---", f"title: {scalar(doc.title)}", f"category: {scalar(doc.category)}",
             f"tags: {flow_list(doc.tags)}", f"summary: {scalar(doc.summary)}", "sources:"]
    for c in doc.sources:
        lines.append(f"  - {{book: {scalar(c.book)}, chapter: {scalar(c.chapter)}, section: {scalar(c.section)}}}")
    if not doc.sources:
        lines[-1] = "sources: []"
    lines += [f"related: {flow_list(doc.related)}", f"level: {scalar(doc.level)}", "---", ""]
    return "\n".join(lines) + "\n" + doc.body.strip("\n") + "\n"
