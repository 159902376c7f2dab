"""A citizen's profile (pendopo/accounts) fills in the applicant block of the application form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pendopo.applications.forms import application_form_class
from pendopo.applications.tests.conftest import NIK


@pytest.fixture
def profiled(world):
    citizen = world.citizen
    citizen.full_name = "Siti Rahayu"
    citizen.set_phone("+62 812 3456 7890")
    citizen.set_nik(NIK)
    citizen.save()
    return citizen


def test_profile_prefills_name_email_phone_and_nik(service, profiled):
    form = application_form_class(service.published_standard)(user=profiled)
    initial = {name: field.initial for name, field in form.fields.items()}
    assert initial["applicant-name"] == "Siti Rahayu"
    assert initial["applicant-email"] == profiled.email
    # This service asks NIK and phone in its own form (keys `nik` and `phone`): those are filled in.
    assert initial["nik"] == NIK and initial["phone"] == "081234567890"


def test_apply_page_shows_the_profile(client, world, service, profiled):
    client.force_login(profiled)
    page = client.get(reverse("applications:apply", args=[world.region_a.slug, service.code])).content.decode()
    assert 'value="Siti Rahayu"' in page and 'value="081234567890"' in page and f'value="{NIK}"' in page


def test_an_officer_registering_a_walk_in_gets_no_prefill_of_their_own(service, world):
    form = application_form_class(service.published_standard)(user=None)
    assert not form.fields["applicant-name"].initial
