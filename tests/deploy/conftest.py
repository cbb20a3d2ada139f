"""The deploy topology (tests/deploy/topology.py) for the tests in this folder."""

from __future__ import annotations

import os
import uuid
from pathlib import Path

import pytest

from tests.deploy.stack import Stack
from tests.deploy.topology import SERVER_NAME, missing
from tests.support.live_server import TemporaryPostgresDatabase


def pytest_collection_modifyitems(config, items):
    """Every test in this folder is a deploy test (run by `pytest -m deploy`, CI's deploy stage)."""
    for item in items:
        if "tests/deploy/" in str(item.fspath):
            item.add_marker(pytest.mark.deploy)
            # The self-signed certificate is the point; the Python clients do not verify it.
            item.add_marker(
                pytest.mark.filterwarnings("ignore::urllib3.exceptions.InsecureRequestWarning")
            )


@pytest.fixture(scope="module")
def stack(tmp_path_factory):
    """nginx with TLS in front of two apps on a fresh PostgreSQL database and Redis."""
    reason = missing()
    if reason and os.environ.get("HOLDSPACE_DEPLOY_REQUIRED"):
        pytest.fail(f"the deploy topology is required here: {reason}")
    if reason:
        pytest.skip(reason)
    database = TemporaryPostgresDatabase(os.environ["TEST_DATABASE_URL"])
    url = database.create()
    topology = Stack(
        tmp_path_factory.mktemp("stack"),
        url,
        os.environ["TEST_REDIS_URL"],
        f"hs-deploy-{uuid.uuid4().hex[:10]}",
    )
    try:
        yield topology.start()
    finally:
        topology.stop()
        database.drop()


@pytest.fixture(scope="module")
def browser():
    """Chromium that resolves holdspace.test to 127.0.0.1 (skipped without Chromium)."""
    sync_api = pytest.importorskip("playwright.sync_api")
    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    if not Path(CHROMIUM).exists():
        pytest.skip(f"no Chromium at {CHROMIUM}")
    rules = f"--host-resolver-rules=MAP {SERVER_NAME} 127.0.0.1"
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=[*CHROMIUM_ARGS, rules]
        )
        yield instance
        instance.close()
