"""Markdown → safe HTML for article pages, previews and the search index.

Python-Markdown renders (tables, fenced code, heading anchors, table of contents); nh3 then removes anything
executable, so no script, event handler or `javascript:` URL from content can reach a page.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass

import markdown
import nh3
from markdown.extensions.toc import slugify_unicode

from kb.markdown_lists import ListAfterParagraphExtension

ALLOWED_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "caption", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2", "h3",
    "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "mark", "ol", "p", "pre", "s", "span", "strong", "sub", "sup",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "u", "ul",
}
ALLOWED_ATTRIBUTES = {
    "*": {"id", "title"},
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "code": {"class"},
    "div": {"class"},
    "span": {"class"},
    "th": {"align", "colspan", "rowspan"},
    "td": {"align", "colspan", "rowspan"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
_BLOCK_END = re.compile(r"</(p|li|h[1-6]|tr|blockquote|pre|div|dd|dt)>|<br\s*/?>", re.I)
_BLANKS = re.compile(r"\n\s*\n+")


@dataclass(frozen=True)
class Rendered:
    html: str
    toc_html: str
    headings: list[dict]  # [{"level", "id", "name"}], top-level sections first
    text: str  # plain text, for the search index and snippets


def _markdown() -> markdown.Markdown:
    # A fresh instance per call: Markdown objects keep state and are not safe to share between threads.
    return markdown.Markdown(
        extensions=["tables", "fenced_code", "sane_lists", "toc", ListAfterParagraphExtension()],
        extension_configs={"toc": {"slugify": slugify_unicode, "toc_depth": "2-3"}},
        output_format="html",
    )


def sanitize(raw_html: str) -> str:
    return nh3.clean(raw_html, tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel="noopener noreferrer")


def to_text(safe_html: str) -> str:
    """Visible text of already-sanitised HTML, one block per line."""
    marked = _BLOCK_END.sub(lambda m: m.group(0) + "\n", safe_html)
    text = html.unescape(nh3.clean(marked, tags=set()))
    return _BLANKS.sub("\n", text).strip()


def render(body: str) -> Rendered:
    md = _markdown()
    safe = sanitize(md.convert(body))
    headings = [{"level": t["level"], "id": t["id"], "name": html.unescape(t["name"])} for t in _flatten(md.toc_tokens)]
    return Rendered(html=safe, toc_html=sanitize(md.toc), headings=headings, text=to_text(safe))


def _flatten(tokens: list[dict]) -> list[dict]:
    out: list[dict] = []
    for token in tokens:
        out.append(token)
        out.extend(_flatten(token.get("children", [])))
    return out
