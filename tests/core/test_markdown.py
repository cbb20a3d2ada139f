"""render_markdown: the formatting people need, and nothing a browser could run."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from app.core.markdown import is_external_link, is_safe_link, render_markdown
from tests.resources.html_safety import XSS_CORPUS, assert_safe_html, unsafe_parts


def test_the_checker_itself_catches_what_it_should():
    assert unsafe_parts('<a href="javascript:alert(1)">x</a>')
    assert unsafe_parts('<a href="jav&#x09;ascript:alert(1)">x</a>')
    assert unsafe_parts('<p onclick="x">x</p>')
    assert unsafe_parts("<svg></svg>")
    assert unsafe_parts('<p style="x">x</p>')
    assert unsafe_parts('<a href="/ok">x</a>') == []


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_hostile_markdown_renders_to_nothing_runnable(source):
    assert_safe_html(render_markdown(source))


@pytest.mark.parametrize("source", XSS_CORPUS)
def test_hostile_markdown_inside_ordinary_text_is_still_safe(source):
    assert_safe_html(render_markdown(f"# Hello\n\nSome *text* before.\n\n{source}\n\nAfter."))


def test_raw_html_is_shown_as_text_not_interpreted():
    html = render_markdown("<b>bold</b> <script>alert(1)</script>")
    assert "&lt;b&gt;bold&lt;/b&gt;" in html
    assert "<script" not in html


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("## Heading", "<h2>Heading</h2>"),
        ("### Smaller", "<h3>Smaller</h3>"),
        ("*soft* and **strong**", "<em>soft</em> and <strong>strong</strong>"),
        ("- one\n- two", "<li>one</li>"),
        ("1. first\n2. second", "<ol>"),
        ("> held", "<blockquote>"),
        ("`breathe`", "<code>breathe</code>"),
        ("```\nin\n```", "<pre><code>in"),
        ("above\n\n---\n\nbelow", "<hr>"),
        ("line  \nbreak", "<br>"),
    ],
)
def test_everyday_formatting_survives(source, expected):
    assert expected in render_markdown(source)


def test_a_top_level_heading_steps_down_because_the_page_owns_h1():
    html = render_markdown("# Title")
    assert "<h2>Title</h2>" in html
    assert "<h1" not in html


def test_external_links_are_marked_and_open_safely():
    html = render_markdown("[a site](https://example.org/page)")
    assert 'href="https://example.org/page"' in html
    assert 'class="external"' in html
    assert 'rel="noopener noreferrer"' in html
    assert "target=" not in html


@pytest.mark.parametrize("href", ["/help/crisis", "#section", "other-article", "?q=breath"])
def test_internal_links_are_kept_without_the_external_mark(href):
    html = render_markdown(f"[inside]({href})")
    assert f'href="{href}"' in html
    assert "external" not in html
    assert "rel=" not in html


def test_protocol_relative_links_count_as_external():
    html = render_markdown("[x](//example.org)")
    assert 'class="external"' in html and 'rel="noopener noreferrer"' in html


def test_mailto_links_are_kept():
    assert 'href="mailto:care@example.org"' in render_markdown("[write](mailto:care@example.org)")


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        " javascript:alert(1)",
        "JAVASCRIPT:alert(1)",
        "java\tscript:alert(1)",
        "java&#x73;cript:alert(1)",
        "%6a%61%76%61script:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "file:///etc/passwd",
        "/\\evil.example",
    ],
)
def test_link_policy_refuses_dangerous_urls(url):
    assert not is_safe_link(url)


@pytest.mark.parametrize(
    "url", ["https://example.org", "http://example.org", "mailto:a@b.c", "/x", "#y", "z"]
)
def test_link_policy_accepts_ordinary_urls(url):
    assert is_safe_link(url)


def test_only_absolute_web_links_are_external():
    assert is_external_link("https://example.org")
    assert not is_external_link("/resources")
    assert not is_external_link("mailto:a@b.c")


def test_images_become_their_description_and_never_load():
    html = render_markdown("![a quiet lake](https://example.org/lake.jpg)")
    assert "a quiet lake" in html
    assert "<img" not in html and "lake.jpg" not in html


def test_image_description_is_escaped():
    html = render_markdown("![<script>alert(1)</script>](x.png)")
    assert "<script" not in html


@pytest.mark.parametrize("empty", [None, "", Markup("")])
def test_nothing_renders_to_nothing(empty):
    assert render_markdown(empty) == ""


def test_result_is_markup_so_jinja_does_not_escape_it_twice():
    assert isinstance(render_markdown("*x*"), Markup)


PATHOLOGICAL = [
    "> " * 5000 + "deep",
    "*" * 20_000,
    "[" * 20_000,
    "- " * 5000 + "x",
    "\x00" * 100,
    "a" * 300_000,
]
MARKUP_PIECES = [
    *"<>\"'=&#;:/()[]!*`-_ \n\tabcjsvrpitonlxe",
    *["script", "javascript:", "data:", "onerror=", "<svg", "&#58;", "](", "%3A"],
]


@pytest.mark.parametrize("source", PATHOLOGICAL)
def test_pathological_input_renders_without_crashing(source):
    assert_safe_html(render_markdown(source))


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.sampled_from(MARKUP_PIECES),
        max_size=80,
    ).map("".join)
)
def test_any_mixture_of_markup_characters_stays_safe(source):
    assert_safe_html(render_markdown(source))
