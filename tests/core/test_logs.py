"""The app's logs hold no Engine.IO / Socket.IO session ids and no request lines with tokens."""

from __future__ import annotations

import logging
import os
import subprocess
import sys

from app.core.logs import describe_wsgi_context

SID = "kQ3n-Zr8_aB0cD1eF2gH"  # the shape python-engineio makes: 20 URL-safe characters


def test_engineio_invalid_session_lines_lose_the_sid(app, caplog):
    with caplog.at_level(logging.ERROR, logger="engineio.server"):
        logging.getLogger("engineio.server").error(f"Invalid session {SID} (further occurrences)")
        logging.getLogger("socketio.server").error("%s is not connected to namespace /", SID)
    assert SID not in caplog.text
    assert "Invalid session [sid]" in caplog.text
    assert "[sid] is not connected" in caplog.text


def test_other_libraries_lines_are_left_alone(app, caplog):
    with caplog.at_level(logging.ERROR):
        logging.getLogger("app.anything").error("kept as it is: %s", SID)
    assert SID in caplog.text


def test_gevent_describes_a_failed_request_by_method_and_path_only():
    token = "T" * 43
    environ = {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": f"/week/calendar/{token}.ics",
        "QUERY_STRING": f"sid={SID}",
        "HTTP_COOKIE": "holdspace_session=secret",
    }
    assert describe_wsgi_context(environ) == "GET /week/calendar/[redacted].ics"
    assert describe_wsgi_context(("not", "a request")) == "('not', 'a request')"


def test_starting_the_server_prints_no_cryptography_deprecation_warnings():
    script = "import sys; sys.argv = ['holdspace', 'serve']; import app, eventlet.support.greendns"
    result = subprocess.run(
        [sys.executable, "-W", "default", "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "HOLDSPACE_ASYNC_MODE": "eventlet"},
    )
    assert result.returncode == 0, result.stderr
    assert "CryptographyDeprecationWarning" not in result.stderr
