"""On a phone, a tracking code stays on one line (it is read and typed symbol by symbol)."""

from __future__ import annotations

import pytest

from pendopo.applications import actions
from pendopo.applications.tests.conftest import form_data, service_standard, valid_form
from pendopo.catalog.tests.factories import make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_tracking_code_is_never_broken_on_a_narrow_phone(page, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    service = make_service(world.head_a1, world.agency_a1, standard=service_standard(), channels=["online"], effective_from=None)
    application = actions.submit_application(world.citizen, service, valid_form(service, data=form_data()).to_input())
    page.set_viewport_size({"width": 280, "height": 640})
    page.goto(f"/lacak/{application.code}/")
    lines = page.evaluate("document.querySelector('h1 .code').getClientRects().length")
    assert lines == 1
