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


def test_every_worded_error_type_is_translated_and_names_its_bound():
    """Each error type listed in the table reads in both languages, and a bounded one quotes pydantic's `ctx` bound."""
    from django.utils import translation

    from pendopo.lib.apierrors import _SCHEMA_MESSAGES, schema_message

    for kind, (message, bound) in _SCHEMA_MESSAGES.items():
        error = {"type": kind, "msg": "pydantic's English", "ctx": {bound: "7"} if bound else {}}
        with translation.override("en"):
            english, msgid = schema_message(error), str(message)
        with translation.override("id"):
            indonesian = schema_message(error)
        assert english == msgid.replace("%(n)s", "7").replace("%(choices)s", "7"), kind
        assert indonesian != english, f"{kind} is not translated"
        if bound:
            assert "7" in indonesian, kind
    choices = {"type": "literal_error", "ctx": {"expected": "'working_days' or 'minutes'"}}
    with translation.override("en"):
        assert schema_message(choices) == "Send one of: 'working_days', 'minutes'."
        assert schema_message({"type": "greater_than", "ctx": {"gt": 0}}) == "Send a number greater than 0."
        assert schema_message({"type": "unlisted_type", "msg": "pydantic's English"}) == "pydantic's English"
