"""The hostile-input tests borrow the apps' own fixtures (a complaint category with a question, survey services)."""

from __future__ import annotations

import pytest

from pendopo.complaints.tests.conftest import setup  # noqa: F401 -- a fixture
from pendopo.surveys.tests.conftest import services  # noqa: F401 -- a fixture


@pytest.fixture(autouse=True)
def _isolated(settings, tmp_path):
    from django.core.cache import cache

    settings.MEDIA_ROOT = tmp_path / "media"
    cache.clear()  # rate limits live in the cache: each test starts with a clean allowance
    yield
    cache.clear()
