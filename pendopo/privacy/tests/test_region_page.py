"""The region administrator's retention page: the terms are set there, a run can be started there."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pendopo.applications.models import Application
from pendopo.privacy.models import DEFAULT_DAYS, Kind, RetentionPolicy, RetentionRun, Trigger
from pendopo.privacy.tests.conftest import close
from pendopo.privacy.views import MAX_DAYS

pytestmark = pytest.mark.django_db


def _terms(**changes: int) -> dict[str, int]:
    return {f"{kind.value}_days": DEFAULT_DAYS[kind] for kind in Kind} | {f"{k}_days": v for k, v in changes.items()}


def test_the_administrator_sets_the_regions_terms(client, world):
    client.force_login(world.admin_a)
    url = reverse("privacy:region", args=[world.region_a.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["bookings_days"].value() == DEFAULT_DAYS[Kind.BOOKINGS]

    response = client.post(url, _terms(applications=3650, bookings=30), follow=True)
    assert response.redirect_chain[-1][0] == url
    policy = RetentionPolicy.objects.get(region=world.region_a)
    assert (policy.applications_days, policy.bookings_days, policy.complaints_days) == (3650, 30, DEFAULT_DAYS[Kind.COMPLAINTS])
    assert "disimpan" in response.content.decode()
    assert not RetentionPolicy.objects.filter(region=world.region_b).exists()


@pytest.mark.parametrize("days", [-1, MAX_DAYS + 1, "abc", "²"])
def test_an_impossible_term_is_refused_and_nothing_is_saved(client, world, days):
    client.force_login(world.admin_a)
    client.cookies["django_language"] = "en"
    response = client.post(reverse("privacy:region", args=[world.region_a.slug]), {**_terms(), "outbox_days": days})
    assert response.status_code == 400
    assert response.context["form"].errors["outbox_days"]
    assert not RetentionPolicy.objects.exists()


def test_only_the_regions_administrator_sees_the_page(client, world):
    url = reverse("privacy:region", args=[world.region_a.slug])
    assert client.get(url).status_code == 302  # to the login page
    for user in (world.citizen, world.officer_a1, world.admin_b):
        client.force_login(user)
        assert client.get(url).status_code == 404, user
        assert client.post(reverse("privacy:region_run", args=[world.region_a.slug])).status_code == 404
    assert not RetentionRun.objects.exists()


def test_a_run_started_by_hand_applies_the_terms_and_is_recorded(client, world, apply, frozen):
    from pendopo.applications.tests.conftest import wib

    RetentionPolicy.objects.create(region=world.region_a, applications_days=0)
    application = apply()
    close(application.case, wib(2026, 2, 10, 14, 0))
    frozen(wib(2026, 2, 11, 9, 0))
    client.force_login(world.admin_a)
    response = client.post(reverse("privacy:region_run", args=[world.region_a.slug]), follow=True)
    assert response.status_code == 200
    run = RetentionRun.objects.get(region=world.region_a)
    assert run.trigger == Trigger.MANUAL and run.counts[Kind.APPLICATIONS] == 1
    assert Application.objects.get(pk=application.pk).nik_hash == ""
    page = response.content.decode()
    assert "Retensi selesai: 1 data dihapus atau dianonimkan." in page  # the message names what happened
    assert run.get_trigger_display() in page
