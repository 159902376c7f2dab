"""The inbox writes deadlines as the rest of Pendopo does: `1 Desember 2026 15:30`, month in full."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

pytestmark = pytest.mark.django_db


def test_inbox_deadlines_have_the_month_in_full(client, world, apply):
    application = apply()
    client.force_login(world.officer_a1)
    response = client.get(reverse("applications:inbox", args=[world.region_a.slug]), HTTP_ACCEPT_LANGUAGE="id")
    assert response.status_code == 200
    due = application.case.state_due_at.astimezone(world.region_a.calendar().tz)
    with translation.override("id"):
        expected = date_format(due, "j F Y H:i")
    assert expected in response.content.decode()
