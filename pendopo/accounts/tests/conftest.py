"""Fixtures of the account tests: messages stay in the outbox table (no task runs), time is frozen."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.cache import cache

NOW = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)  # Monday 09:00 WIB


@pytest.fixture(autouse=True)
def _accounts_settings(settings):
    settings.PENDOPO_SMS_BACKEND = "pendopo.notifications.senders.LocmemSender"
    settings.PENDOPO_WHATSAPP_BACKEND = "pendopo.notifications.senders.LocmemSender"
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    cache.clear()  # the per-client code allowance lives in the cache
    yield
    cache.clear()


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
