"""Withdrawing an application asks first and names the consequence: "no" leaves it as it was."""

from __future__ import annotations

import pytest

from pendopo.applications import actions
from pendopo.applications.models import Application
from pendopo.applications.tests.conftest import form_data, service_standard, valid_form
from pendopo.catalog.tests.factories import make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_withdrawing_asks_first(page, log_in, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    service = make_service(world.head_a1, world.agency_a1, standard=service_standard(), channels=["online"], effective_from=None)
    application = actions.submit_application(world.citizen, service, valid_form(service, data=form_data()).to_input())
    log_in("warga")
    page.goto(application.get_absolute_url())
    withdraw = page.locator("#case-actions").get_by_label("Batalkan permohonan")
    assert not withdraw.is_checked()  # never chosen beforehand
    withdraw.check()

    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    page.locator("#case-actions button[type=submit]").first.click()
    page.wait_for_timeout(300)
    assert asked and "tidak dapat dibuka kembali" in asked[0]
    assert Application.objects.get().case.state == "submitted"

    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#case-actions button[type=submit]").first.click()
    page.locator("#current-step", has_text="Dibatalkan pemohon").wait_for()
    assert Application.objects.get().case.outcome == "withdrawn"
