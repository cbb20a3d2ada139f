"""The whole topology as the tests drive it: the public side (https through nginx) and the
stack of nginx, two watched apps, PostgreSQL and Redis."""

from __future__ import annotations

import contextlib
import time
from pathlib import Path

import requests

from tests.deploy.topology import (
    APP_NAMES,
    SERVER_NAME,
    Nginx,
    WatchedApp,
    free_ports,
    make_certificate,
)
from tests.support.live_server import csrf_token, register_through_form


class Front:
    """The public side: https through nginx, as people reach Holdspace (self-signed, unverified).

    Offers what tests/support/live_room.py needs of a server (`url`, `_csrf`, `register`), so a
    circle and its session are set up through nginx too.
    """

    def __init__(self, https_port: int, http_port: int):
        self.url = f"https://127.0.0.1:{https_port}"
        self.http_url = f"http://127.0.0.1:{http_port}"
        self.named_url = f"https://{SERVER_NAME}:{https_port}"

    def session(self) -> requests.Session:
        """A requests session that accepts the self-signed certificate and, like a browser,
        sends a same-origin Referer (Flask-WTF insists on one for forms posted over https)."""
        http = requests.Session()
        http.trust_env = False  # or REQUESTS_CA_BUNDLE in the environment would undo verify=False
        http.verify = False
        http.headers["Referer"] = f"{self.url}/"
        return http

    def _csrf(self, http: requests.Session, path: str) -> str:
        return csrf_token(self.url, http, path)

    def register(self, username: str, password: str, display_name: str | None = None):
        """Register through the real form, over https through nginx; the logged-in session."""
        return register_through_form(self.url, self.session(), username, password, display_name)


class Stack:
    """nginx, two watched apps, a fresh PostgreSQL database and a Redis channel of their own."""

    def __init__(self, base: Path, database_url: str, redis_url: str, channel: str):
        self.base = base
        self.ports = free_ports()
        self.tls, self.tls_note = make_certificate(base / "tls")
        env = {
            "HOLDSPACE_ENV": "production",  # Secure cookies, HSTS: the compose settings
            # Production refuses to start without the public origin (compose: PUBLIC_URL).
            "PUBLIC_URL": f"https://{SERVER_NAME}:{self.ports.https}",
            "ALLOWED_ORIGINS": ",".join(
                f"https://{host}:{self.ports.https}"
                for host in (SERVER_NAME, "localhost", "127.0.0.1")
            ),
            "HOLDSPACE_TRUSTED_PROXIES": "1",
            "HOLDSPACE_SOCKET_CHANNEL": channel,
        }
        self.apps = {
            name: WatchedApp(
                name,
                base / name,
                database_url=database_url,
                redis_url=redis_url,
                extra_env=env,
                port=self.ports.apps[name],
            )
            for name in APP_NAMES
        }
        self.nginx = Nginx(base / "nginx", self.ports, self.tls)
        self.front = Front(self.ports.https, self.ports.http)

    def migrate(self) -> None:
        """The one-shot `holdspace db upgrade` that compose runs before the apps."""
        result = self.apps["app1"].cli("db", "upgrade")
        assert result.returncode == 0, result.stderr

    def start(self) -> Stack:
        """Migrate, start both apps, then nginx."""
        self.migrate()
        for app in self.apps.values():
            app.start()
        self.nginx.start()
        return self

    def stop(self) -> None:
        """nginx first, then the apps."""
        self.nginx.stop()
        for app in self.apps.values():
            app.resume_if_stopped()
            app.stop()

    def route_of(self, pin: str | None) -> str | None:
        """The app nginx gives a new Socket.IO connection carrying this pin (its Set-Cookie)."""
        http = self.front.session()
        headers = {"Cookie": f"holdspace_app={pin}"} if pin else {}
        with contextlib.suppress(requests.RequestException):
            response = http.get(
                f"{self.front.url}/socket.io/?EIO=4&transport=polling", headers=headers, timeout=10
            )
            cookie = response.headers.get("Set-Cookie", "")
            for name in APP_NAMES:
                if f"holdspace_app={name};" in cookie:
                    return name
        return None

    def settle(self, timeout: float = 40.0) -> None:
        """Both apps running, healthy and taken again by nginx (each pin reaches its own app)."""
        for app in self.apps.values():
            app.resume_if_stopped()
            if app.process is None or app.process.poll() is not None:
                app.start()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if all(self.route_of(name) == name for name in APP_NAMES):
                return
            time.sleep(0.25)
        raise AssertionError("nginx did not route each pin to its own app again")

    def logs(self) -> str:
        """Every log line of the run: nginx's and both apps' (their watchdogs' included)."""
        return "\n".join([self.nginx.logs(), *(app.log() for app in self.apps.values())])
