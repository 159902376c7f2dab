"""Withdrawing an application, and deleting a setup record, ask first and name the consequence: "no"
leaves it as it was."""

from __future__ import annotations

import pytest

from pendopo.applications import actions
from pendopo.applications.models import Application
from pendopo.applications.tests.conftest import form_data, service_standard, valid_form
from pendopo.catalog.tests.factories import make_service
from pendopo.regions.models import CalendarOverride

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


def test_deleting_a_setup_record_asks_first(page, log_in, world):
    import datetime as dt

    day_off = CalendarOverride.objects.create(
        region=world.region_a, date=dt.date(2026, 12, 24), kind=CalendarOverride.Kind.HOLIDAY, name="Cuti bersama Natal"
    )
    log_in("admin_a")
    page.goto(f"/r/{world.region_a.slug}/atur/hari-libur/{day_off.pk}/")
    delete = page.get_by_role("button", name="Hapus data ini")

    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.dismiss()))
    delete.click()
    page.wait_for_timeout(300)
    assert asked and "Cuti bersama Natal" in asked[0] and "tidak dapat dibatalkan" in asked[0]
    assert CalendarOverride.objects.filter(pk=day_off.pk).exists()

    page.once("dialog", lambda dialog: dialog.accept())
    delete.click()
    page.wait_for_url("**/atur/hari-libur/")
    assert not CalendarOverride.objects.filter(pk=day_off.pk).exists()
