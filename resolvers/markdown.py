"""Markdown rendered and sanitised on the server, so clients can trust `bodyHtml`."""

from __future__ import annotations

import re

import nh3
from markdown_it import MarkdownIt

# Raw HTML in the source is escaped, not passed through; nh3 then removes
# anything dangerous that markdown itself can produce (javascript: links).
_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False}).enable("table").enable("strikethrough")
_ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "a",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "img",
}
_ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "img": {"src", "alt", "title"}, "ol": {"start"}}


def render_markdown(source: str) -> str:
    return nh3.clean(
        _markdown.render(source),
        tags=_ALLOWED_TAGS,
        attributes=_ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener noreferrer",
    )


MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~&])")  # & too: "&amp;" is shown as typed


def escape_markdown(text: str) -> str:
    """User text placed inside markdown we write, shown as typed."""
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)
