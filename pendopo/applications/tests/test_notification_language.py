"""Messages built outside a request (worker, demo, sweep) speak the site's language, dates included."""

from __future__ import annotations

import pytest
from django.utils import translation
from django.utils.formats import date_format

from pendopo.applications import actions
from pendopo.notifications.models import Message

pytestmark = pytest.mark.django_db


def test_a_step_taken_with_no_active_language_is_announced_in_indonesian(world, apply):
    application = apply()
    with translation.override(None):  # as in a management command or the worker
        actions.take_action(application, "receive", world.officer_a1)
    application.case.refresh_from_db()
    message = Message.objects.get(event_key=f"applications:{application.code}:2:email")
    local = application.case.expected_completion.astimezone(world.region_a.calendar().tz)
    with translation.override("id"):
        expected = date_format(local, "j F Y H:i")
    with translation.override("en"):
        english = date_format(local, "j F Y H:i")
    assert f"Perkiraan selesai: {expected} WIB" in message.body_text
    if english != expected:
        assert english not in message.body_text
