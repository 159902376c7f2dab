"""A counter officer sees and registers only the services of the counter's agency (when the counter has one)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pendopo.applications import actions
from pendopo.applications.tests.conftest import service_standard
from pendopo.catalog.tests.factories import make_service

pytestmark = pytest.mark.django_db


def test_an_agency_counter_offers_only_its_agencys_services(client, world, service):
    other = make_service(
        world.admin_a, world.agency_a2, "VAKSIN", standard=service_standard(), channels=["service_mall"], effective_from=None
    )
    assert actions.may_register_walk_ins(world.counter_officer_a, other)  # a shared counter: every agency's

    world.counter_a.agency = world.agency_a1
    world.counter_a.save()
    officer = type(world.counter_officer_a).objects.get(pk=world.counter_officer_a.pk)

    assert actions.may_register_walk_ins(officer, service)
    assert not actions.may_register_walk_ins(officer, other)
    client.force_login(officer)
    page = client.get(reverse("applications:walk_in_services", args=[world.region_a.slug])).content.decode()
    assert f"/loket/{service.code}/" in page and f"/loket/{other.code}/" not in page
