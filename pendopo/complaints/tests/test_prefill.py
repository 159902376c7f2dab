"""A citizen's profile (pendopo/accounts) fills in who is filing a complaint; an officer's does not."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_profile_prefills_the_reporter(client, world, setup):
    world.citizen.full_name = "Budi Santoso"
    world.citizen.set_phone("0812 3456 7890")
    world.citizen.save()
    client.force_login(world.citizen)
    url = reverse("complaints:file", args=[world.region_a.slug]) + f"?kategori={setup.road_a.code}"
    page = client.get(url).content.decode()
    assert 'value="Budi Santoso"' in page and f'value="{world.citizen.email}"' in page and 'value="081234567890"' in page


def test_anonymous_visitor_gets_an_empty_form(client, world, setup):
    url = reverse("complaints:file", args=[world.region_a.slug]) + f"?kategori={setup.road_a.code}"
    page = client.get(url).content.decode()
    assert 'name="reporter_name"' in page and 'name="reporter_name" value=' not in page
