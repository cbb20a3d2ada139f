"""Markdown to safe HTML: markdown-it renders without raw HTML, nh3 keeps only an allowlist."""

from __future__ import annotations

from functools import cache

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "em",
    "strong",
    "del",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


@cache
def _parser() -> MarkdownIt:
    """CommonMark without raw HTML or images (no tracking pixels, no data: URLs)."""
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False})
    return parser.enable("strikethrough").disable("image")


def sanitise(html: str) -> str:
    """Keep only allowlisted tags and attributes; links get rel="noopener noreferrer"."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags={"script", "style"},
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    )


def render_markdown(text: str) -> Markup:
    """Member-written Markdown as HTML that is safe to put in a page."""
    return Markup(sanitise(_parser().render(text or "")))  # noqa: S704 (sanitised just above)
