"""Cooperative-concurrency setup that must run before anything imports `socket`.

`holdspace serve` runs under eventlet (or gevent when HOLDSPACE_ASYNC_MODE=gevent). The
monkey-patch has to happen before Flask, SQLAlchemy or redis import the standard library's
networking modules, so `app/__init__.py` imports this module first and it patches only when the
process was started as the real server.
"""

from __future__ import annotations

import os
import sys
import warnings

ASYNC_MODES = ("eventlet", "gevent", "threading")


def async_mode() -> str:
    """The async mode chosen by HOLDSPACE_ASYNC_MODE (default eventlet)."""
    mode = os.environ.get("HOLDSPACE_ASYNC_MODE", "eventlet").strip().lower()
    return mode if mode in ASYNC_MODES else "eventlet"


def started_as_server(argv: list[str] | None = None) -> bool:
    """True when this process is `holdspace serve ...`."""
    argv = sys.argv if argv is None else argv
    return os.path.basename(argv[0]) == "holdspace" and "serve" in argv[1:2]


def quiet_dnspython_dsa_warnings() -> None:
    """Silence the CryptographyDeprecationWarning lines dnspython causes, and only those.

    eventlet imports dnspython (twice: once patched), whose DNSSEC module names cryptography's
    deprecated DSA classes in type annotations; each import printed four warnings at every
    start. Holdspace never uses DSA. The filter matches that category raised from dnspython's
    own modules, so a deprecation in code we call still shows.
    """
    try:
        from cryptography.utils import CryptographyDeprecationWarning
    except ImportError:  # pragma: no cover - cryptography is a dependency
        return
    warnings.filterwarnings(
        "ignore", category=CryptographyDeprecationWarning, module=r"dns\.dnssecalgs\."
    )


def patch(mode: str) -> None:
    """Monkey-patch the standard library for the chosen green runtime."""
    if mode == "eventlet":
        with warnings.catch_warnings():
            warnings.filterwarnings("ignore", message=r"\s*Eventlet is deprecated")
            import eventlet

            eventlet.monkey_patch()
    elif mode == "gevent":
        # A failed request is described by method and path, not by its whole environ: gevent's
        # documented setting, given through its environment variable before gevent reads it.
        os.environ.setdefault("GEVENT_FORMAT_CONTEXT", "app.core.logs.describe_wsgi_context")
        from gevent import monkey

        monkey.patch_all()
        from psycogreen.gevent import patch_psycopg

        patch_psycopg()


quiet_dnspython_dsa_warnings()
PATCHED_MODE: str | None = None
if started_as_server() and async_mode() != "threading":
    PATCHED_MODE = async_mode()
    patch(PATCHED_MODE)
