"""Hostile Markdown is neutralised; ordinary Markdown renders."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from app.core.markdown import render_markdown
from tests.journal.conftest import write_entry

HOSTILE = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JAVASCRIPT:alert(1))",
    "[click](java\tscript:alert(1))",
    "[data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![pixel](data:image/png;base64,AAAA)",
    "![tracker](https://example.invalid/p.gif)",
    '<a href="https://example.invalid" onclick="alert(1)">x</a>',
    "<svg onload=alert(1)><circle r=5 /></svg>",
    '<iframe src="https://example.invalid"></iframe>',
    "<style>body{display:none}</style>",
    '<div style="position:fixed">x</div>',
    "[vb](vbscript:msgbox(1))",
    '<form action="/auth/logout" method="post"><button>x</button></form>',
]
SAFE_TAGS = {
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
SAFE_SCHEMES = ("http:", "https:", "mailto:")


class LiveMarkup(HTMLParser):
    """Collects every real element and attribute (escaped text is not markup)."""

    def __init__(self):
        super().__init__()
        self.elements: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))


def assert_harmless(html: str) -> None:
    """Only allowlisted tags, no event handlers or styles, links only to safe schemes."""
    parser = LiveMarkup()
    parser.feed(html)
    for tag, attrs in parser.elements:
        assert tag in SAFE_TAGS, (tag, html)
        for name, value in attrs.items():
            assert not name.startswith("on") and name != "style", (tag, name, html)
            if name in ("href", "src"):
                assert (value or "").lower().startswith(SAFE_SCHEMES), (value, html)


@pytest.mark.parametrize("source", HOSTILE)
def test_hostile_markdown_is_neutralised(source):
    assert_harmless(str(render_markdown(source)))


def test_ordinary_markdown_renders_and_links_are_safe():
    html = str(
        render_markdown(
            "# Title\n\n*soft* **strong**\n\n- one\n- two\n\n> quote\n\n"
            "[a link](https://example.org/page)"
        )
    )
    assert "<h2>Title</h2>" in html  # the page owns the <h1>
    assert "<em>soft</em>" in html and "<strong>strong</strong>" in html
    assert "<li>one</li>" in html and "<blockquote>" in html
    assert (
        '<a href="https://example.org/page" class="external" rel="noopener noreferrer">a link</a>'
        in html
    )


def test_hostile_entry_page_holds_no_live_markup(make_user, logged_in_client):
    http = logged_in_client(make_user("hostile"))
    entry_id = write_entry(http, title="<b>bold?</b>", body="\n\n".join(HOSTILE))
    html = http.get(f"/journal/{entry_id}").get_data(as_text=True)
    body = html.split('class="journal-body">', 1)[1].split("</div>", 1)[0]
    assert_harmless(body)
    assert "&lt;b&gt;bold?&lt;/b&gt;" in html  # titles are escaped text
