"""The shipped compose file gives every app what production refuses to start without."""

from __future__ import annotations

from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]


def test_every_app_gets_a_public_url_so_production_starts():
    """Production refuses to start with neither PUBLIC_URL nor ALLOWED_ORIGINS (red-team item
    10); the compose file once left both empty, so its apps could never have started."""
    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    for name in ("app1", "app2"):
        environment = compose["services"][name]["environment"]
        assert environment["HOLDSPACE_ENV"] == "production"
        assert environment["PUBLIC_URL"].startswith("https://")
