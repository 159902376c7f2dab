"""Fixtures of the notification tests: test templates, senders and task backends without network."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from pendopo.notifications import senders
from pendopo.notifications.tests import helpers

IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
DUMMY = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


@pytest.fixture(autouse=True)
def _notification_settings(settings, tmp_path):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["DIRS"] = [*templates[0]["DIRS"], Path(__file__).parent / "templates"]
    settings.TEMPLATES = templates
    settings.PENDOPO_OUTBOX_DIR = tmp_path / "outbox"
    settings.PENDOPO_SMS_BACKEND = "pendopo.notifications.senders.LocmemSender"
    settings.PENDOPO_WHATSAPP_BACKEND = "pendopo.notifications.senders.LocmemSender"
    settings.TASKS = DUMMY
    senders.sent.clear()
    helpers.calls.clear()
    yield
    senders.sent.clear()
    helpers.calls.clear()


@pytest.fixture
def immediate_tasks(settings):
    """Enqueued tasks run at once, in the enqueuing thread (the worker, without the wait)."""
    settings.TASKS = IMMEDIATE


@pytest.fixture
def enqueued():
    """The DummyBackend's record of enqueued tasks."""
    from django_tasks import default_task_backend

    return default_task_backend.results


PHONE = "0812-3456-7890"
PHONE_DIGITS = "081234567890"
