"""The deploy topology (tests/deploy/topology.py) for the tests in this folder."""

from __future__ import annotations

import os
import uuid

import pytest

from tests.deploy.topology import Stack, missing
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
