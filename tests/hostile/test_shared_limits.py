"""Rate limits hold across processes without Redis: the "limits" cache is the database's."""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.cache import caches
from django.db import connection

pytestmark = pytest.mark.django_db


def test_without_redis_the_limits_live_in_the_database():
    assert settings.CACHES["limits"]["BACKEND"] == "django.core.cache.backends.db.DatabaseCache"
    caches["limits"].set("pendopo:probe", 7)
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pendopo_cache")
        assert cursor.fetchone()[0] == 1  # a row another worker process reads too


def test_the_survey_allowance_is_counted_in_the_shared_store(client, world, services, settings):
    settings.PENDOPO_SURVEY_RATES = {"form": "30/h", "kiosk": "600/h", "api": "2/h"}
    body = {"service": "KTP-EL", "scores": {f"U{n}": 4 for n in range(1, 10)}}
    url = "/api/v1/regions/35.10/skm/responses"
    statuses = [client.post(url, body, content_type="application/json").status_code for _ in range(3)]
    assert statuses == [201, 201, 429]
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM pendopo_cache WHERE cache_key LIKE %s", ["%pendopo:skm:api:%"])
        assert cursor.fetchone()[0] == 1
