"""The API's error body, as a client without a browser meets it."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_write_without_the_csrf_token_is_a_403_saying_what_to_send(world):
    client = Client(enforce_csrf_checks=True)  # the test client skips the check unless asked
    client.force_login(world.admin_a)
    response = client.post("/api/v1/regions/35.10/services", {"code": "X-1"}, content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert body["detail"] == ("Pemeriksaan CSRF gagal: kirim nilai cookie csrftoken di header X-CSRFToken.")
    assert body["errors"] == [{"field": "", "code": "csrf", "message": body["detail"]}]
