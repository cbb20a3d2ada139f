"""The JSON codec of Socket.IO packets: nesting deeper than anyone needs is refused unparsed.

python-socketio decodes every packet with the standard library's recursive parser, which a
packet of a few thousand nested brackets (well under the size limit) drives into RecursionError:
two tracebacks in the log and no answer. Handed to Socket.IO as its `json` module (a documented
option), `loads` measures the nesting first, with a quick count and, only for packets with many
brackets, one pass over the text; too deep, the event keeps its name but none of its arguments,
so its handler answers `invalid`, and the log gets one line a minute at most.
"""

from __future__ import annotations

import json
import logging
import re
import threading
import time

log = logging.getLogger(__name__)

MAX_NESTING = 32
NOTE_EVERY_SECONDS = 60.0
REFUSED = {"refused": "nested too deeply"}
_EVENT_NAME = re.compile(r'\s*\[\s*"((?:[^"\\]|\\.){1,100})"')
_refusals = {"count": 0, "noted_at": 0.0}
_lock = threading.Lock()


def nesting(text: str) -> int:
    """The deepest nesting of arrays and objects in a JSON text (strings skipped)."""
    depth = deepest = 0
    in_string = escaped = False
    for char in text:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            deepest = max(deepest, depth)
        elif char in "]}":
            depth -= 1
    return deepest


def _note_refusal() -> None:
    """One log line a minute at most, with how many packets were refused."""
    with _lock:
        _refusals["count"] += 1
        now = time.monotonic()
        if now - _refusals["noted_at"] < NOTE_EVERY_SECONDS:
            return
        count, _refusals["count"], _refusals["noted_at"] = _refusals["count"], 0, now
    log.warning("socket packets refused, nested deeper than %d levels: %d", MAX_NESTING, count)


class PacketJSON:
    """A `json`-like module for Socket.IO: the standard one, with the nesting guard."""

    @staticmethod
    def dumps(*args, **kwargs) -> str:
        """As json.dumps."""
        return json.dumps(*args, **kwargs)

    @staticmethod
    def loads(text, *args, **kwargs):
        """As json.loads, except for arrays and objects nested deeper than MAX_NESTING."""
        if isinstance(text, bytes | bytearray):
            text = text.decode("utf-8")
        if (
            text[:1] in "[{"
            and text.count("[") + text.count("{") > MAX_NESTING
            and nesting(text) > MAX_NESTING
        ):
            _note_refusal()
            name = _EVENT_NAME.match(text)
            return [json.loads(f'"{name.group(1)}"'), REFUSED] if name else ["refused"]
        return json.loads(text, *args, **kwargs)
