"""The satisfaction index cannot be stuffed: the same answers again from one device are held for review."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from pendopo.surveys.models import SurveyResponse
from pendopo.surveys.tests.conftest import form_data

pytestmark = pytest.mark.django_db


def test_13_identical_answers_in_15_seconds_from_one_browser_count_once(client, world, services):
    url = reverse("surveys:answer", args=[world.region_a.slug]) + "?layanan=KTP-EL&tempat=MPP-01"
    start = dt.datetime(2026, 3, 2, 2, 0, tzinfo=dt.UTC)
    with time_machine.travel(start, tick=False) as clock:
        client.get(url)  # the page gives the browser its survey cookie
        for _ in range(13):
            assert client.post(url, form_data([4, 3, 4, 3, 4, 3, 4, 3, 2])).status_code == 302
            clock.shift(dt.timedelta(seconds=1.1))

    assert SurveyResponse.objects.count() == 1  # what every index reads
    assert SurveyResponse.with_held.exclude(held_at=None).count() == 12  # kept, held for review

    # The agency's report says how many were held.
    client.force_login(world.head_a1)
    with time_machine.travel(start, tick=False):
        report = client.get(
            reverse("surveys:report", args=[world.region_a.slug]) + f"?opd={world.agency_a1.code}&periode=2026-03",
            headers={"accept-language": "en"},
        ).content.decode()
    assert "12 answers were held for review" in report


def test_different_answers_from_one_device_and_the_same_answers_from_another_count(client, world, services):
    url = reverse("surveys:answer", args=[world.region_a.slug]) + "?layanan=KTP-EL&tempat=MPP-01"
    client.get(url)
    client.post(url, form_data([4, 3, 4, 3, 4, 3, 4, 3, 2]))
    client.post(url, form_data([3, 3, 4, 3, 4, 3, 4, 3, 2]))
    client.post(url, form_data([4, 3, 4, 3, 4, 3, 4, 3, 2]), REMOTE_ADDR="10.0.0.9")
    assert SurveyResponse.objects.count() == 3


def test_one_device_is_limited_per_hour_whatever_address_it_comes_from(client, world, services, settings):
    settings.PENDOPO_SURVEY_RATES = {"form": "2/h"}
    url = reverse("surveys:answer", args=[world.region_a.slug]) + "?layanan=KTP-EL"
    client.get(url)  # the survey cookie
    answers = ([4, 3, 4, 3, 4, 3, 4, 3, 2], [3, 3, 4, 3, 4, 3, 4, 3, 2], [2, 3, 4, 3, 4, 3, 4, 3, 2])
    statuses = [
        client.post(url, form_data(scores), REMOTE_ADDR=f"10.0.0.{n}").status_code for n, scores in enumerate(answers, start=1)
    ]
    assert statuses == [302, 302, 429]
