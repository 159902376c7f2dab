"""The secret key is short, readable and case-insensitive (Crockford base32 with a check symbol,
grouped); a wrong key shows the form again; /lacak/ finds complaints as well as applications."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pendopo.complaints import keys
from pendopo.complaints.models import Privacy
from pendopo.complaints.tests.conftest import file
from pendopo.lib.codes import ALPHABET, check_symbol

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def test_a_secret_key_is_four_groups_of_crockford_base32_with_a_check_symbol():
    secret = keys.new_secret()
    assert re.fullmatch(r"[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}", secret)
    symbols = secret.replace("-", "")
    assert all(c in ALPHABET for c in symbols) and check_symbol(symbols[:-1]) == symbols[-1]


def test_a_key_typed_in_lower_case_without_hyphens_and_with_o_for_zero_opens_the_complaint(client, world, setup):
    filed = file(world.region_a, setup.road_a, privacy=Privacy.CONFIDENTIAL)
    typed = filed.secret.lower().replace("-", " ").replace("0", "o").replace("1", "l")
    response = client.post(reverse("complaints:access", args=[world.region_a.slug, filed.complaint.code]), {"secret": typed})
    assert response.status_code == 302
    assert filed.complaint.description in client.get(response["Location"]).content.decode()


def test_a_wrong_key_shows_the_form_again_and_a_typo_is_named(client, world, setup):
    filed = file(world.region_a, setup.road_a, privacy=Privacy.CONFIDENTIAL)
    url = reverse("complaints:access", args=[world.region_a.slug, filed.complaint.code])
    symbols = filed.secret.replace("-", "")
    typo = symbols[:3] + ALPHABET[(ALPHABET.index(symbols[3]) + 1) % 32] + symbols[4:]

    wrong = client.post(url, {"secret": keys.new_secret()}, headers=EN)
    mistyped = client.post(url, {"secret": typo}, headers=EN)

    assert wrong.status_code == mistyped.status_code == 403
    assert 'id="key-form"' in wrong.content.decode() and "do not match" in wrong.content.decode()
    assert "typing error" in mistyped.content.decode()


def test_lacak_finds_a_public_complaint(client, world, setup):
    filed = file(world.region_a, setup.road_a)
    response = client.get(reverse("applications:track_search"), {"code": filed.complaint.code.lower()})
    assert response.status_code == 302 and response["Location"] == filed.complaint.get_absolute_url()


def test_lacak_asks_the_key_of_a_complaint_that_is_not_public(client, world, setup):
    filed = file(world.region_a, setup.road_a, privacy=Privacy.CONFIDENTIAL)
    page = client.get(reverse("applications:track_search"), {"code": filed.complaint.code}, headers=EN).content.decode()
    assert "is not public" in page and 'id="key-form"' in page
    assert filed.complaint.description not in page
    assert reverse("complaints:access", args=[world.region_a.slug, filed.complaint.code]) in page
