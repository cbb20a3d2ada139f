"""File downloads whose Content-Disposition is well formed for any file name (RFC 6266)."""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import quote

from flask import Response

# RFC 5987 attr-char: what may stand unescaped in `filename*`.
_ATTR_CHAR_SAFE = "!#$&+-.^_`|~"
_UNSAFE_FOR_FALLBACK = re.compile(r"[^A-Za-z0-9._-]+")
# Letters and digits of any script stay; quotes, separators, spaces and controls do not.
_UNSAFE_IN_NAME = re.compile(r"[^\w.-]+")


def safe_filename_part(text: str) -> str:
    """A piece of a file name: letters and digits of any script, dots, dashes, underscores."""
    return _UNSAFE_IN_NAME.sub("_", text).strip("._") or "_"


def ascii_fallback(filename: str) -> str:
    """The `filename=` value older clients read: letters, digits, dots, dashes, underscores."""
    folded = unicodedata.normalize("NFKD", filename).encode("ascii", "ignore").decode("ascii")
    return _UNSAFE_FOR_FALLBACK.sub("_", folded).strip("._") or "download"


def content_disposition(filename: str, disposition: str = "attachment") -> str:
    """`attachment; filename="ascii"; filename*=UTF-8''percent-encoded` for any file name."""
    encoded = quote(safe_filename_part(filename), safe=_ATTR_CHAR_SAFE, encoding="utf-8")
    return f"{disposition}; filename=\"{ascii_fallback(filename)}\"; filename*=UTF-8''{encoded}"


def download(body: str, mimetype: str, filename: str, disposition: str = "attachment") -> Response:
    """A response the browser saves (or shows, for `inline`) under this file name."""
    return Response(
        body,
        mimetype=mimetype,
        headers={"Content-Disposition": content_disposition(filename, disposition)},
    )
