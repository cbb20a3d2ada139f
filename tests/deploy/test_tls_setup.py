"""deploy/nginx/tls-setup.sh: the certificate nginx starts with."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.topology import TLS_SETUP

pytestmark = pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl is not installed")


def run_setup(tmp_path: Path, **env: str) -> subprocess.CompletedProcess:
    """The script with its directories under tmp_path and the given variables."""
    return subprocess.run(
        ["sh", str(TLS_SETUP)],
        env={
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOLDSPACE_TLS_LINK_DIR": str(tmp_path / "links"),
            "HOLDSPACE_TLS_GENERATED_DIR": str(tmp_path / "generated"),
            **env,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def certificate_text(path: Path) -> str:
    """`openssl x509 -text` of a certificate."""
    return subprocess.run(
        ["openssl", "x509", "-in", str(path), "-noout", "-text"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_without_a_certificate_a_self_signed_pair_is_made_once_and_announced(tmp_path):
    first = run_setup(tmp_path, HOLDSPACE_SERVER_NAME="circle.example.org")
    assert first.returncode == 0, first.stderr
    assert "HOLDSPACE IS USING A SELF-SIGNED TLS CERTIFICATE" in first.stderr
    assert "HOLDSPACE_TLS_CERT" in first.stderr
    link = tmp_path / "links" / "holdspace.crt"
    assert link.resolve() == tmp_path / "generated" / "self-signed.crt"
    assert (tmp_path / "links" / "holdspace.key").resolve().stat().st_mode & 0o077 == 0
    assert "DNS:circle.example.org" in certificate_text(link)
    made = link.read_bytes()

    again = run_setup(tmp_path, HOLDSPACE_SERVER_NAME="circle.example.org")
    assert again.returncode == 0
    assert "generated" not in again.stderr  # kept, so browsers' exceptions stay valid
    assert "SELF-SIGNED" in again.stderr  # and still announced on every start
    assert link.read_bytes() == made


def test_an_address_as_the_server_name_becomes_an_ip_alternative_name(tmp_path):
    result = run_setup(tmp_path, HOLDSPACE_SERVER_NAME="192.0.2.10")
    assert result.returncode == 0, result.stderr
    assert "IP Address:192.0.2.10" in certificate_text(tmp_path / "links" / "holdspace.crt")


def test_a_given_certificate_is_used_quietly(tmp_path):
    made = run_setup(tmp_path / "made", HOLDSPACE_SERVER_NAME="real.example.org")
    assert made.returncode == 0
    cert = tmp_path / "made" / "generated" / "self-signed.crt"
    key = tmp_path / "made" / "generated" / "self-signed.key"

    result = run_setup(tmp_path, HOLDSPACE_TLS_CERT=str(cert), HOLDSPACE_TLS_KEY=str(key))
    assert result.returncode == 0, result.stderr
    assert "SELF-SIGNED" not in result.stderr
    assert (tmp_path / "links" / "holdspace.crt").resolve() == cert
    assert (tmp_path / "links" / "holdspace.key").resolve() == key
    assert not (tmp_path / "generated").exists()


@pytest.mark.parametrize(
    ("given", "says"),
    [
        ({"HOLDSPACE_TLS_CERT": "/etc/hosts"}, "set both HOLDSPACE_TLS_CERT and HOLDSPACE_TLS_KEY"),
        (
            {"HOLDSPACE_TLS_CERT": "/nonexistent/cert.pem", "HOLDSPACE_TLS_KEY": "/etc/hosts"},
            "cannot read /nonexistent/cert.pem",
        ),
    ],
)
def test_a_half_given_or_unreadable_certificate_stops_nginx_from_starting(tmp_path, given, says):
    result = run_setup(tmp_path, **given)
    assert result.returncode == 1
    assert says in result.stderr
    assert not (tmp_path / "links").exists()
