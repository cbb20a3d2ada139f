"""Socket handlers of the care events: pacer, clock sync, check-ins, support, alerts, console."""

from __future__ import annotations

from app.live import schemas
from app.live.care import followup, services, support
from app.live.care import schemas as cs
from app.live.handlers import room_event


@room_event("breath:start", cs.BreathStart)
def on_breath_start(caller, payload):
    """A facilitator starts the shared breathing pacer."""
    return services.start_breath(
        caller.id,
        payload.session_id,
        payload.inhale_s,
        payload.hold_s,
        payload.exhale_s,
        payload.rounds,
    )


@room_event("breath:stop", schemas.SessionRef)
def on_breath_stop(caller, payload):
    """A facilitator stops the pacer."""
    services.stop_breath(caller.id, payload.session_id)


@room_event("time:sync", cs.TimeSync)
def on_time_sync(caller, payload):
    """Answer with the server clock so the client can estimate its offset."""
    return services.time_sync(payload.client_ms)


@room_event("checkin:submit", cs.CheckinSubmit, limit="checkin:submit")
def on_checkin(caller, payload):
    """An arrival or closing check-in, kept in the member's own journal."""
    services.submit_checkin(
        caller.id,
        caller.login_id,
        payload.session_id,
        payload.moment,
        payload.score,
        payload.feelings,
    )


@room_event("support:request", cs.SupportRequest, limit="support:request")
def on_support(caller, payload):
    """ "I need support": a private alert to the facilitators, help for the member at once."""
    return support.request_support(caller.id, payload.session_id, payload.note)


@room_event("safety:dismiss", cs.SafetyDismiss)
def on_safety_dismiss(caller, payload):
    """A facilitator closes an alert (a risk alert: marks a false positive)."""
    return support.dismiss_alert(caller.id, payload.message_id, payload.alert_id)


@room_event("care:state", schemas.SessionRef)
def on_care_state(caller, payload):
    """The facilitator console's catch-up: open alerts and check-in summaries."""
    return services.console_state(caller.id, payload.session_id)


@room_event("alert:update", cs.AlertUpdate)
def on_alert_update(caller, payload):
    """A keeper moves an alert: reached out, resolved, a false alarm, or open again."""
    return support.update_alert(caller.id, payload.alert_id, payload.state)


@room_event("followup:open", cs.FollowupOpen)
def on_followup_open(caller, payload):
    """A keeper opens a private conversation with one member of the session."""
    return followup.open_thread(caller.id, payload.session_id, payload.user_id, payload.alert_id)


@room_event("followup:send", cs.FollowupSend, limit="followup")
def on_followup_send(caller, payload):
    """A line in a private follow-up, by its member or a keeper."""
    return followup.send(caller.id, payload.thread_id, payload.client_id, payload.body)


@room_event("followup:history", cs.ThreadRef)
def on_followup_history(caller, payload):
    """A follow-up's lines so far."""
    return followup.history(caller.id, payload.thread_id)


@room_event("followup:mine", schemas.SessionRef)
def on_followup_mine(caller, payload):
    """The member's own follow-ups in a session (to show the panel again after a reload)."""
    return {"threads": followup.threads_of_member(caller.id, payload.session_id)}
