"""Every text a member sends in a room is read for risk and for seek-help signs, sent or not.

Messages (stored, or refused by the room's rules), support-request notes, check-in words and
follow-up replies all come here. Risk language brings the author, alone, a few crisis resources
(`safety:resources`) and the keepers a private alert; a seek-help sign (crying for hours,
numbness, panic, feeling flooded) brings the author a gentler nudge (`safety:nudge`) and, when the
circle wants it, an alert too. Nothing is shown to the room. The author's last few texts in the
session are read together with the new one, so risk spread over two messages is noticed.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import defaultdict, deque

from app.circles.models import Circle
from app.core.signals import text_said
from app.extensions import db
from app.live.access import Standing
from app.live.audience import emit_to_people, keepers_of
from app.safety import alerts
from app.safety.services import (
    check_message_for_risk,
    chosen_country,
    nudge_payload,
    safety_payload_for_author,
)

log = logging.getLogger(__name__)

RECENT_TEXTS = 3
RECENT_SECONDS = 15 * 60
PANEL_EVERY_SECONDS = 60.0  # the author's panel is offered again at most this often


class RecentTexts:
    """Each author's last few texts in each session, kept in this process's memory only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._texts: dict[tuple[int, int], deque] = defaultdict(lambda: deque(maxlen=RECENT_TEXTS))
        self._offered: dict[tuple[int, int, str], float] = {}

    def remember(self, session_id: int, user_id: int, text: str) -> list[str]:
        """The texts before this one (oldest first, from the last quarter hour), then keep it."""
        now = time.monotonic()
        with self._lock:
            texts = self._texts[(session_id, user_id)]
            earlier = [said for at, said in texts if now - at < RECENT_SECONDS]
            texts.append((now, text))
            return earlier

    def offer_due(self, session_id: int, user_id: int, level: str) -> bool:
        """Should the author see the panel (or the nudge) now? Not again within a minute."""
        now = time.monotonic()
        key = (session_id, user_id, level)
        with self._lock:
            if now - self._offered.get(key, -PANEL_EVERY_SECONDS) < PANEL_EVERY_SECONDS:
                return False
            self._offered[key] = now
            return True

    def clear(self) -> None:
        """Forget everything (a new app starts afresh)."""
        with self._lock:
            self._texts.clear()
            self._offered.clear()


recent = RecentTexts()


def notice(
    standing: Standing,
    text: str,
    *,
    source: str,
    message_id: int | None = None,
    raise_alert: bool = True,
) -> str:
    """Read one text of a member; the level found ("risk", "concern" or "none"). Without
    `raise_alert` the author is still answered, and the caller folds the level into its own
    alert (a support request's note)."""
    if standing.may_moderate or not text:
        return "none"  # the keepers speak about the topic; their words are not screened
    previous = recent.remember(standing.session.id, standing.user_id, text)
    level = check_message_for_risk(text, previous).level
    return _answer(standing, level, source, message_id, raise_alert)


# Check-in words come from the journal's fixed list, not free text: the model, trained on
# sentences, reads a lone "relieved" or "lighter" as risk. None of the words can say someone is
# unsafe; two are seek-help signs (numbness, feeling flooded) and bring the gentler nudge.
CHECKIN_CONCERN_WORDS = frozenset({"numb", "overwhelmed"})


def notice_checkin(standing: Standing, feelings: list[str]) -> str:
    """A check-in's chosen words: "concern" for a seek-help sign among them, else "none"."""
    if standing.may_moderate or not CHECKIN_CONCERN_WORDS.intersection(feelings):
        return "none"
    return _answer(standing, "concern", "checkin", None, True)


def _answer(
    standing: Standing, level: str, source: str, message_id: int | None, raise_alert: bool
) -> str:
    """The author's private panel or nudge, and (unless the caller folds it) the keepers' alert."""
    if level == "none":
        return "none"
    session = standing.session
    kind = alerts.RISK_LANGUAGE if level == "risk" else alerts.CONCERN
    _offer_to_author(standing, level)
    if not raise_alert or (
        kind == alerts.CONCERN and not _circle_hears_concerns(session.circle_id)
    ):
        return level
    alert = _open_alert(session.id, standing.user_id, kind)
    if alert is None:
        alert = alerts.add_alert(
            session.id, standing.user_id, kind, message_id=message_id, source=source
        )
        db.session.commit()
        emit_to_people("support:alert", alerts.alert_dict(alert), _keepers(standing))
    return level


def _keepers(standing: Standing) -> list[int]:
    return keepers_of(standing.session, exclude=standing.user_id)


def _offer_to_author(standing: Standing, level: str) -> None:
    """The private panel (risk) or nudge (concern), with their own country's lines first."""
    if not recent.offer_due(standing.session.id, standing.user_id, level):
        return
    country = country_of(standing.user_id)
    if level == "risk":
        emit_to_people("safety:resources", safety_payload_for_author(country), [standing.user_id])
    else:
        emit_to_people("safety:nudge", nudge_payload(country), [standing.user_id])


country_of = chosen_country  # the country the person chose for their crisis lines, if any


def _circle_hears_concerns(circle_id: int) -> bool:
    circle = db.session.get(Circle, circle_id)
    return circle is None or circle.alert_on_concern


def _open_alert(session_id: int, user_id: int, kind: str):
    """The person's open alert of this kind in this session: repeated words fold into it."""
    return next(
        (
            alert
            for alert in alerts.open_alerts(session_id)
            if alert.user_id == user_id and alert.kind == kind
        ),
        None,
    )


def on_text_said(sender, *, standing: Standing, text: str, source: str, message_id=None, **extra):
    """The room said a member spoke (`text_said`); never raises into the send."""
    try:
        notice(standing, text, source=source, message_id=message_id)
    except Exception as exc:
        db.session.rollback()
        log.error("reading a text for care failed: %s", type(exc).__name__)


def connect_receivers() -> None:
    """Read every text the room reports (blinker keeps one connection per receiver)."""
    text_said.connect(on_text_said)
