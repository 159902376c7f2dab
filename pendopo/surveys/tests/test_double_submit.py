"""A questionnaire sent twice (a double click, a resend) is one answer."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pendopo.surveys.models import SurveyResponse
from pendopo.surveys.tests.conftest import form_data

pytestmark = pytest.mark.django_db


def test_the_same_questionnaire_twice_is_one_answer(client, world, services):
    url = reverse("surveys:answer", args=[world.region_a.slug]) + "?layanan=KTP-EL&tempat=MPP-01"
    token = re.search(r'name="idempotency_token" value="([^"]+)"', client.get(url).content.decode()).group(1)
    data = {**form_data([4, 3, 4, 3, 4, 3, 4, 3, 2]), "idempotency_token": token}

    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302

    assert SurveyResponse.objects.count() == 1
