"""Files and folders only the account running Holdspace may read: keys and the SQLite database."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path

log = logging.getLogger(__name__)

PRIVATE_FILE = 0o600
PRIVATE_FOLDER = 0o700


def ensure_private_folder(path: Path) -> None:
    """Create the folder 0700 when it is missing; an existing one keeps the mode its owner chose."""
    if path.is_dir():
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        path.mkdir(mode=PRIVATE_FOLDER)
    except FileExistsError:
        return  # another process made it first
    path.chmod(PRIVATE_FOLDER)


def create_private_file(path: Path, content: bytes = b"") -> bool:
    """Create the file 0600 from its first byte (never readable by others, not even for a
    moment); False when it already exists, which is then left as it is."""
    try:
        descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, PRIVATE_FILE)
    except FileExistsError:
        return False
    with os.fdopen(descriptor, "wb") as file:
        file.write(content)
    return True


def tighten(path: Path) -> None:
    """Take group and other access off an existing file of ours (made before this rule held)."""
    try:
        info = path.stat()
    except FileNotFoundError:
        return
    if info.st_uid != os.getuid() or not stat.S_IMODE(info.st_mode) & 0o077:
        return
    path.chmod(PRIVATE_FILE)
    log.info("took group and other access off %s", path.name)
