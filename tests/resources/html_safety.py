"""A structural check that HTML holds nothing a browser could run, and the XSS corpus we feed it."""

from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import unquote

FORBIDDEN_TAGS = {
    "script",
    "style",
    "iframe",
    "frame",
    "object",
    "embed",
    "svg",
    "math",
    "img",
    "base",
    "meta",
    "link",
    "template",
    "details",
}
URL_ATTRIBUTES = {"href", "src", "action", "formaction", "xlink:href", "data", "poster"}
SAFE_SCHEMES = {"http", "https", "mailto"}

XSS_CORPUS = [
    "<script>alert(1)</script>",
    "<SCRIPT SRC=//evil.example/x.js></SCRIPT>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "<svg><script>alert(1)</script></svg>",
    '<iframe src="javascript:alert(1)"></iframe>',
    '<a href="javascript:alert(1)">x</a>',
    "[x](javascript:alert(1))",
    "[x](JaVaScRiPt:alert(1))",
    "[x](javascript&#58;alert(1))",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;&#x61;&#x76;&#x61;script:alert(1))",
    "[x](jav&#x09;ascript:alert(1))",
    "[x](jav&#10;ascript:alert(1))",
    "[x](<java script:alert(1)>)",
    "[x](%6A%61vascript:alert(1))",
    "[x](java%0ascript:alert(1))",
    "[x](\x00javascript:alert(1))",
    "[x](java\u200bscript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "[x](DATA:text/html,<script>alert(1)</script>)",
    "[x](vbscript:msgbox(1))",
    "[x](VBScript:msgbox(1))",
    "[x](file:///etc/passwd)",
    "[x](/\\evil.example)",
    "<javascript:alert(1)>",
    "<vbscript:alert(1)>",
    "[x][r]\n\n[r]: javascript:alert(1)",
    "![x](javascript:alert(1))",
    "![tracker](http://evil.example/pixel.png)",
    '<div style="background:url(javascript:alert(1))">x</div>',
    '[x](http://ok.example "t\\" onmouseover=\\"alert(1)")',
    '[x](http://ok.example" onmouseover="alert(1))',
    "<style>body{display:none}</style>",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
    "<<script>script>alert(1)<</script>/script>",
    "<scr<script>ipt>alert(1)</script>",
    "<!-- <script>alert(1)</script> -->",
    "<a href='x' onclick='alert(1)'",
    "```\n<script>alert(1)</script>\n```",
    "`<img src=x onerror=alert(1)>`",
    "<object data=javascript:alert(1)>",
    "<embed src=javascript:alert(1)>",
    "<form action=javascript:alert(1)><button>x</button></form>",
    "<meta http-equiv=refresh content=0;url=javascript:alert(1)>",
    "<base href=javascript:/>",
    "<details open ontoggle=alert(1)>",
    '<p onmouseover="alert(1)">hover</p>',
    "**<b onclick=alert(1)>bold</b>**",
    "> <script>alert(1)</script>",
    "- [x](javascript:alert(1))\n- <img src=x onerror=alert(1)>",
    "</p></div><script>alert(1)</script>",
    '"><script>alert(1)</script>',
    "'><svg onload=alert(1)>",
    "\u202e<script>alert(1)</script>",
]


class _Collector(HTMLParser):
    """Collects every start tag and its attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag, attrs):
        """Remember the tag and its attributes."""
        self.tags.append((tag, attrs))

    handle_startendtag = handle_starttag


def _scheme(url: str) -> str | None:
    """The scheme a browser might see, read generously."""
    squeezed = re.sub(r"[\x00-\x20\x7f-\x9f\u200b-\u200f\u2028-\u202e\ufeff]", "", url)
    squeezed = html.unescape(unquote(squeezed))
    match = re.match(r"^([a-zA-Z][a-zA-Z0-9+.\-]*):", squeezed)
    return match.group(1).lower() if match else None


def unsafe_parts(markup: str) -> list[str]:
    """Everything in the markup a browser could run or load; empty when it is safe."""
    collector = _Collector()
    collector.feed(str(markup))
    collector.close()
    problems = []
    for tag, attrs in collector.tags:
        if tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs:
            if name.startswith("on") or name in ("style", "srcdoc"):
                problems.append(f"{tag}[{name}]")
            if name in URL_ATTRIBUTES and value is not None:
                scheme = _scheme(value)
                if scheme is not None and scheme not in SAFE_SCHEMES:
                    problems.append(f"{tag}[{name}={value!r}]")
    return problems


OWN_MODULE = re.compile(
    r'<script type="module" src="/static/(?:v/[A-Za-z0-9]+/)?js/[A-Za-z0-9_./-]+\.js"></script>'
)


def assert_safe_page(page: str) -> None:
    """A whole page: no script but our own static modules, and the main content passes the strict
    check."""
    assert "<script" not in OWN_MODULE.sub("", page).lower()
    start, end = page.index("<main"), page.index("</main>")
    assert_safe_html(page[start : end + len("</main>")])


def assert_safe_html(markup: str) -> None:
    """Fail with the offending parts when the markup is not safe."""
    problems = unsafe_parts(markup)
    assert problems == [], problems
