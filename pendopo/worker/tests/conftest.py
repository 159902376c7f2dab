"""Fixtures of the worker's tests."""

from __future__ import annotations

import pytest
from django_tasks_db.management.commands import db_worker

from pendopo.worker import periodic
from pendopo.worker.tests import tasks

# The jobs registered while Django started (conftest modules are imported after django.setup()).
STARTUP_JOBS = periodic.registered()


@pytest.fixture(autouse=True)
def _isolated(monkeypatch):
    """Each test starts with no periodic job registered and no task calls recorded."""
    monkeypatch.setattr(periodic, "_REGISTRY", {})
    tasks.CALLS.clear()
    yield
    tasks.CALLS.clear()


@pytest.fixture
def worker_db(db, monkeypatch):
    """The test database for running the worker inside the test's transaction.

    Between tasks the worker closes connections that are not in autocommit mode, as Django does
    after each request; inside a test's transaction that would close the test's own connection.
    Django's test client switches that off during tests, and so does this fixture. Tests with
    threads (the scheduler thread, concurrent schedulers) use transactional_db instead.
    """
    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)
