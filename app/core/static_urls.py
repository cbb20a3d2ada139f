"""Versioned static URLs: /static/v/<version>/<file>, where the version is a hash of static/.

Templates call `static_url("css/holdspace.css")`. A release that changes any file under static/
changes the version and so every URL, including the ES modules that room.js imports by relative
path; browsers and nginx may therefore keep a versioned file for a year (deploy/nginx.conf). The
app serves the same URLs itself, for development and for running without nginx.
"""

from __future__ import annotations

import hashlib
import os
import re
import time
from pathlib import Path
from stat import S_ISREG

from flask import Blueprint, current_app, g, send_from_directory, url_for

blueprint = Blueprint("static_files", __name__)

YEAR = 365 * 24 * 3600
VERSION_PATTERN = re.compile(r"^[0-9a-f]{1,64}$")

_cache: dict[str, tuple[tuple, str, float]] = {}  # folder: (stat signature, version, checked)


def _signature(folder: Path) -> tuple:
    """Names (in byte order), sizes and modification times of every file: cheap to read, and
    changed by any edit."""
    found = []
    for directory, _dirs, names in os.walk(folder):
        for name in names:
            path = os.path.join(directory, name)
            try:
                stat = os.stat(path)
            except FileNotFoundError:  # a dangling link (an editor's lock file), or just deleted
                continue
            if S_ISREG(stat.st_mode):
                found.append(
                    (Path(path).relative_to(folder).as_posix(), stat.st_size, stat.st_mtime_ns)
                )
    return tuple(sorted(found))


def _content_hash(folder: Path, signature: tuple) -> str:
    """SHA-256 over every file's name, a NUL and its bytes, shortened; nginx's image computes
    the same with deploy/nginx/static-version.sh."""
    digest = hashlib.sha256()
    for name, _size, _mtime in signature:
        digest.update(name.encode() + b"\0")
        digest.update((folder / name).read_bytes())
    return digest.hexdigest()[:12]


def static_version() -> str:
    """The current version of static/, hashed again only when a file changed. static/ is looked
    at once per STATIC_RECHECK_SECONDS at most, and a page never mixes two versions."""
    folder, seen = current_app.static_folder, g.setdefault("static_versions", {})
    if folder not in seen:
        cached, now = _cache.get(folder), time.monotonic()
        if cached is None or now - cached[2] >= current_app.config["STATIC_RECHECK_SECONDS"]:
            signature = _signature(Path(folder))
            same = cached is not None and cached[0] == signature
            version = cached[1] if same else _content_hash(Path(folder), signature)
            cached = _cache[folder] = (signature, version, now)
        seen[folder] = cached[1]
    return seen[folder]


@blueprint.app_template_global()
def static_url(filename: str) -> str:
    """The versioned URL of a file under static/."""
    return url_for("static_files.versioned", version=static_version(), filename=filename)


@blueprint.route("/static/v/<version>/<path:filename>")
def versioned(version: str, filename: str):
    """A static file under its versioned URL; kept for a year only when the version is current
    (a page from an older release asking for its own version gets today's file, not cached)."""
    current = VERSION_PATTERN.match(version) is not None and version == static_version()
    response = send_from_directory(
        current_app.static_folder, filename, max_age=YEAR if current else 0
    )
    response.cache_control.immutable = current
    return response
