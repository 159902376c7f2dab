"""A create form sent twice (a double click, a resend) creates one application and shows it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pendopo.applications import actions
from pendopo.applications.models import Application, Document
from pendopo.applications.tests.conftest import files, form_data

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def _token(page: str) -> str:
    match = re.search(r'name="idempotency_token" value="([^"]+)"', page)
    assert match, "the form carries an idempotency token"
    return match.group(1)


def test_the_same_application_form_twice_creates_one_application(client, world, service):
    client.force_login(world.citizen)
    url = reverse("applications:apply", args=["banyuwangi", service.code])
    token = _token(client.get(url).content.decode())

    first = client.post(url, {**form_data(), **files(), "idempotency_token": token})
    second = client.post(url, {**form_data(), **files(), "idempotency_token": token})

    application = Application.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == application.get_absolute_url()
    assert Document.objects.filter(application=application).count() == 1
    # A new visit to the form is a new application.
    assert _token(client.get(url).content.decode()) != token


def test_a_form_shown_again_with_errors_keeps_its_token(client, world, service):
    client.force_login(world.citizen)
    url = reverse("applications:apply", args=["banyuwangi", service.code])
    token = _token(client.get(url).content.decode())
    page = client.post(url, {**form_data(nik="123"), **files(), "idempotency_token": token})
    assert page.status_code == 422 and _token(page.content.decode()) == token


def test_a_walk_in_registered_twice_is_one_application(client, world, service):
    client.force_login(world.counter_officer_a)
    url = reverse("applications:walk_in", args=["banyuwangi", service.code])
    token = _token(client.get(url).content.decode())
    data = {**form_data(), "applicant-place": str(world.counter_a.pk), "idempotency_token": token}

    first = client.post(url, {**data, **files()})
    second = client.post(url, {**data, **files()})

    application = Application.objects.get()
    assert first["Location"] == second["Location"] == application.get_absolute_url()


def test_another_user_cannot_reach_an_application_through_its_token(world, service):
    from django.core.exceptions import ValidationError

    from pendopo.applications.tests.conftest import valid_form

    form = valid_form(service)
    actions.submit_application(world.citizen, service, form.to_input(), token="t" * 32)
    other = world.officer_a1
    with pytest.raises(ValidationError):
        actions.submit_application(other, service, valid_form(service).to_input(), token="t" * 32)
    assert Application.objects.count() == 1
