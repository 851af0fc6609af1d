"""pytest fixtures for the shared store: a real PostgreSQL server per test worker, a fresh database per test.

A server that cannot start is a test error naming the cause (never a skip): CI installs PostgreSQL."""

from __future__ import annotations

import pytest
from pg_server import PgServer, ServerError, start_server


@pytest.fixture(scope="session")
def pg_server(tmp_path_factory):
    """One server for this test worker, removed (stopped, its folder deleted) after the session."""
    try:
        server = start_server()
    except ServerError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.remove()


@pytest.fixture
def pg_url(pg_server: PgServer) -> str:
    """The URL of a new, empty database on the worker's server."""
    return pg_server.create_database()


@pytest.fixture
def own_pg_server():
    """A server of this test's own, to stop and start again (the others' tests keep theirs)."""
    try:
        server = start_server()
    except ServerError as exc:
        pytest.fail(str(exc), pytrace=False)
    yield server
    server.remove()
