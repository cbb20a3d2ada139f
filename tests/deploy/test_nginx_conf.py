"""deploy/nginx.conf as shipped, and as docs/operations.md changes it behind a TLS terminator."""

from __future__ import annotations

import shutil

import pytest

from app.core import static_urls
from tests.deploy.topology import (
    ROOT,
    Nginx,
    free_ports,
    make_certificate,
    nginx_binary,
    static_version,
)

pytestmark = pytest.mark.skipif(
    nginx_binary() is None or shutil.which("openssl") is None,
    reason="nginx or openssl is not installed",
)

# docs/operations.md, "Behind another TLS terminator": the edits, exactly as written there.
BEHIND_A_TERMINATOR = [
    ("default $remote_addr;", "default $proxy_add_x_forwarded_for;"),
    ("default $scheme;", 'default "$http_x_forwarded_proto, $scheme";'),
    ("default $http_host;", 'default "$http_x_forwarded_host, $http_host";'),
    ("# set_real_ip_from 10.0.0.2;", "set_real_ip_from 10.0.0.2;"),
    ("# real_ip_header X-Forwarded-For;", "real_ip_header X-Forwarded-For;"),
]


@pytest.fixture
def rendered(tmp_path):
    """nginx for this machine, not started."""
    tls, _ = make_certificate(tmp_path / "tls")
    return Nginx(tmp_path / "nginx", free_ports(), tls)


def test_the_shipped_config_passes_nginx_test(rendered):
    result = rendered.check()
    assert result.returncode == 0, result.stderr
    assert "[warn]" not in result.stderr, result.stderr


def test_the_behind_a_terminator_edits_still_pass_nginx_test(rendered):
    text = rendered.conf.read_text()
    for old, new in BEHIND_A_TERMINATOR:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    rendered.conf.write_text(text)
    result = rendered.check()
    assert result.returncode == 0, result.stderr


def test_nginx_and_the_apps_agree_on_the_static_version(app):
    with app.test_request_context():
        assert static_version(ROOT / "static") == static_urls.static_version()
