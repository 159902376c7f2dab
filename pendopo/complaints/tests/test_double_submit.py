"""A complaint form sent twice (a double click, a resend) files one complaint and shows it."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from pendopo.complaints.models import Complaint

pytestmark = pytest.mark.django_db


def test_the_same_complaint_form_twice_files_one_complaint(client, world, setup):
    url = reverse("complaints:file", args=[world.region_a.slug])
    page = client.get(url, {"kategori": setup.road_a.code}).content.decode()
    token = re.search(r'name="idempotency_token" value="([^"]+)"', page).group(1)
    data = {
        "kategori": setup.road_a.code,
        "classification": "complaint",
        "description": "Jalan rusak parah di dekat jembatan.",
        "privacy": "anonymous",
        "attr_KERUSAKAN": "berat",
        "idempotency_token": token,
    }

    first = client.post(url, data)
    second = client.post(url, data)

    complaint = Complaint.objects.get()
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"] == complaint.get_absolute_url()
    # The visitor who sent it twice still sees their complaint (the first POST's access holds).
    assert complaint.code in client.get(second["Location"]).content.decode()
