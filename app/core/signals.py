"""Signals between parts of the app where an import would otherwise run both ways (blinker).

Senders never import their receivers: the live room announces that a message was stored, and
the care code listens; the journal asks for an excerpt to be posted, and the room answers.
Receivers are connected once at start (`connect_receivers` in each listening package).
"""

from __future__ import annotations

from blinker import Namespace

_signals = Namespace()

# A member said something in a room: a message stored and broadcast (also when a retry
# re-announces it), or one the room's rules refused. Keyword arguments: author_id, standing (the
# author's app.live.access.Standing), text, source ("message" | "refused_message") and
# message_id (None when refused). The care code reads every such text.
text_said = _signals.signal("text-said")

# A member asks for an excerpt of their journal to be posted in a session's room. Keyword
# arguments: user_id, session_id, text, client_id. A receiver returns None when it was posted,
# or the warm words saying why the room could not take it.
excerpt_shared = _signals.signal("excerpt-shared")

# Someone's standing changed outside the room: they left or were declined, a circle changed its
# visibility, a role changed, an account went. Keyword arguments: user_id (None: everyone in the
# circle's rooms) and circle_id (None: every room the person is in). The room re-reads the
# standing of the people concerned and takes out at once those who may no longer be there.
standing_changed = _signals.signal("standing-changed")
