"""Markdown to safe HTML: markdown-it without raw HTML, then an nh3 allowlist as a second wall."""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

import nh3
from markdown_it import MarkdownIt
from markupsafe import Markup, escape

# What the rendered HTML may contain. Anything else is dropped (tags) or emptied (script/style).
ALLOWED_TAGS = {
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "p",
    "br",
    "em",
    "strong",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
    "hr",
    "a",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}}
ALLOWED_CLASSES = {"a": {"external"}}
# `rel` may only ever carry the value we set ourselves on external links.
EXTERNAL_REL = "noopener noreferrer"
TAG_ATTRIBUTE_VALUES = {"a": {"rel": {EXTERNAL_REL}}}
CLEAN_CONTENT_TAGS = {"script", "style", "iframe", "object", "embed", "svg", "math", "template"}
URL_SCHEMES = {"http", "https", "mailto"}
EXTERNAL_SCHEMES = ("http", "https")
# Longest Markdown source we render; longer text is cut (forms enforce their own, smaller caps).
MAX_SOURCE_CHARS = 100_000

_INVISIBLE = re.compile(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")


def _squeezed(url: str) -> str:
    """A URL read generously: entities and %-escapes decoded, invisible characters dropped."""
    return _INVISIBLE.sub("", html.unescape(unquote(url)))


def link_scheme(url: str) -> str | None:
    """The lower-cased scheme of a URL, or None when it is relative."""
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", _squeezed(url))
    return match.group(1).lower() if match else None


def is_safe_link(url: str) -> bool:
    """http, https and mailto links, and same-site relative links; nothing else."""
    squeezed = _squeezed(url)
    if "\\" in squeezed:
        return False
    if squeezed.startswith("//"):
        return True  # protocol-relative: some other site over http(s); marked as external
    scheme = link_scheme(url)
    return scheme is None or scheme in URL_SCHEMES


def is_external_link(url: str) -> bool:
    """Links that leave the site: absolute http(s) and protocol-relative."""
    return _squeezed(url).startswith("//") or link_scheme(url) in EXTERNAL_SCHEMES


def _render_link_open(self, tokens, idx, options, env):
    """Mark external links and make them open safely."""
    token = tokens[idx]
    href = token.attrGet("href") or ""
    if is_external_link(href):
        token.attrSet("class", "external")
        token.attrSet("rel", EXTERNAL_REL)
    return self.renderToken(tokens, idx, options, env)


def _render_image(self, tokens, idx, options, env):
    """Images are not shown (they could track readers); their description is kept as text."""
    alt = self.renderInlineAsText(tokens[idx].children or [], options, env)
    return str(escape(alt))


def _render_heading_open(self, tokens, idx, options, env):
    """The page owns <h1>, so a Markdown `#` heading becomes <h2>; deeper levels stay as written."""
    token = tokens[idx]
    if token.tag == "h1":
        token.tag = "h2"
    return self.renderToken(tokens, idx, options, env)


_render_heading_close = _render_heading_open


def _build_parser() -> MarkdownIt:
    """CommonMark with raw HTML off, our link policy and our renderer rules."""
    parser = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
    parser.validateLink = is_safe_link
    parser.add_render_rule("link_open", _render_link_open)
    parser.add_render_rule("image", _render_image)
    parser.add_render_rule("heading_open", _render_heading_open)
    parser.add_render_rule("heading_close", _render_heading_close)
    return parser


_PARSER = _build_parser()


def sanitise_html(html: str) -> str:
    """The allowlist pass: only our tags, attributes, classes and URL schemes survive."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=CLEAN_CONTENT_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        tag_attribute_values=TAG_ATTRIBUTE_VALUES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
        strip_comments=True,
    )


def render_markdown(text: str | None) -> Markup:
    """Render untrusted Markdown to HTML that is safe to put in a page as it is."""
    if not text:
        return Markup("")
    source = str(text)[:MAX_SOURCE_CHARS]
    # Safe by construction: raw HTML is off in the parser and nh3 allowlists the output.
    return Markup(sanitise_html(_PARSER.render(source)))  # noqa: S704
