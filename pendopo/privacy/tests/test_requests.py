"""A citizen's copy of their data and their erasure request, carried out by a platform administrator."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.urls import reverse

from pendopo.applications.models import Application
from pendopo.applications.tests.conftest import NIK
from pendopo.complaints.models import Complaint, Privacy
from pendopo.notifications.models import Message
from pendopo.privacy import requests
from pendopo.privacy.models import ErasureRequest, RequestState
from pendopo.regions.models import User

pytestmark = pytest.mark.django_db


def login(client, user) -> None:
    user.set_password("password")
    user.save()
    assert client.login(request=HttpRequest(), username=user.username, password="password")


def test_the_export_holds_applications_and_identified_complaints_not_anonymous_ones(world, apply, complain):
    application = apply()
    identified = complain(user=world.citizen, reporter_name="Siti Rahayu")
    anonymous = complain(user=world.citizen, privacy=Privacy.ANONYMOUS, description="Rahasia sekali.")

    data = requests.export_for(world.citizen)

    assert [a["code"] for a in data["applications"]] == [application.case.code]
    assert data["applications"][0]["nik"] == NIK and data["applications"][0]["survey_answered"] is False
    assert [c["code"] for c in data["complaints"]] == [identified.case.code]
    assert anonymous.case.code not in json.dumps(data) and "Rahasia" not in json.dumps(data)


def test_the_download_is_the_citizens_own_and_needs_a_login(client, world, apply):
    apply()
    assert client.get(reverse("privacy:export")).status_code == 302
    login(client, world.officer_a1)
    assert json.loads(client.get(reverse("privacy:export")).content)["applications"] == []
    login(client, world.citizen)
    response = client.get(reverse("privacy:export"))
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    assert len(json.loads(response.content)["applications"]) == 1


def test_asking_needs_the_confirmation_and_only_one_request_waits(client, world):
    login(client, world.citizen)
    page = client.get(reverse("privacy:mine"))
    assert page.status_code == 200 and "Hapus data saya" in page.content.decode()
    assert client.post(reverse("privacy:erase"), {}).status_code == 400
    assert not ErasureRequest.objects.exists()

    assert client.post(reverse("privacy:erase"), {"confirm": "yes"}).status_code == 302
    assert ErasureRequest.objects.get().user == world.citizen
    client.post(reverse("privacy:erase"), {"confirm": "yes"})
    assert ErasureRequest.objects.count() == 1
    with pytest.raises(ValidationError):
        requests.request_erasure(world.citizen)


def test_carrying_out_erases_the_account_and_keeps_the_agencys_record(client, world, apply, complain):
    application = apply()
    complaint = complain(user=world.citizen, reporter_name="Siti Rahayu", reporter_phone="081234567890")
    assert Message.objects.filter(event_key__startswith=f"applications:{application.case.code}:").exists()
    request = requests.request_erasure(world.citizen, "pindah")

    login(client, world.platform_admin)
    changelist = reverse("admin:privacy_erasurerequest_changelist")
    response = client.post(changelist, {"action": "carry_out", "_selected_action": [request.pk]})
    assert response.status_code == 302

    request.refresh_from_db()
    assert (request.state, request.user, request.handled_by) == (RequestState.DONE, None, world.platform_admin)
    assert request.counts["applications_kept"] == 1 and request.counts["complaints"] == 1
    citizen = User.objects.get(pk=world.citizen.pk)
    assert not citizen.is_active and citizen.email == "" and citizen.nik_hash == "" and citizen.username.startswith("terhapus-")
    assert not citizen.has_usable_password()
    kept = Application.objects.get(pk=application.pk)
    assert kept.case.owner is None and kept.nik == NIK  # kept until the retention term (docs/privacy.md)
    gone = Complaint.objects.get(pk=complaint.pk)
    assert (gone.case.owner, gone.reporter_name, gone.reporter_phone_hash) == (None, "", "")
    assert not Message.objects.filter(event_key__contains=application.case.code).exists()
    # Handled once only.
    with pytest.raises(ValidationError):
        requests.carry_out(request, world.platform_admin)


def test_a_region_administrator_does_not_see_erasure_requests(client, world):
    requests.request_erasure(world.citizen)
    world.admin_a.is_staff = True
    world.admin_a.save()
    login(client, world.admin_a)
    response = client.get(reverse("admin:privacy_erasurerequest_changelist"))
    assert response.status_code in (302, 403)


def test_a_region_administrator_edits_their_regions_policy_only(client, world):
    from pendopo.privacy.models import RetentionPolicy

    mine = RetentionPolicy.objects.create(region=world.region_a)
    other = RetentionPolicy.objects.create(region=world.region_b)
    world.admin_a.is_staff = True
    world.admin_a.save()
    login(client, world.admin_a)
    assert client.get(reverse("admin:privacy_retentionpolicy_change", args=[mine.pk])).status_code == 200
    assert client.get(reverse("admin:privacy_retentionpolicy_change", args=[other.pk])).status_code in (302, 403, 404)
