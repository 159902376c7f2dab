"""Unverified complaints are not public until the region's administration verifies them (SP4N-LAPOR!):
the public list, map, JSON API, Open311 and the public counts follow the same rule; the complainant
still sees their own complaint, marked as waiting; verify, reject, permissions, double submits."""

from __future__ import annotations

import importlib

import pytest
from django.apps import apps
from django.test import Client
from django.urls import reverse

from pendopo.complaints import actions
from pendopo.complaints.models import Complaint, Verification
from pendopo.complaints.tests.conftest import file
from pendopo.workflow.models import CaseEvent

pytestmark = pytest.mark.django_db


def _everywhere_public(client, world, complaint) -> dict[str, bool]:
    """Where anyone (not logged in) finds the complaint."""
    slug, code = world.region_a.slug, complaint.code
    open311 = client.get("/open311/v2/requests.json", {"jurisdiction_id": world.region_a.code})
    one = client.get(f"/open311/v2/requests/{code}.json", {"jurisdiction_id": world.region_a.code})
    stats = client.get(reverse("complaints:stats", args=[slug])).context["rows"]
    return {
        "list": code in client.get(reverse("complaints:list", args=[slug])).content.decode(),
        "map": code in client.get(reverse("complaints:map", args=[slug])).content.decode(),
        "api": code in client.get("/api/v1/regions/35.10/complaints").content.decode(),
        "open311": code in [item["service_request_id"] for item in open311.json()],
        "open311_one": one.status_code == 200,
        "detail": client.get(complaint.get_absolute_url()).status_code == 200,
        "counted": sum(row.received for row in stats) == 1,
    }


def test_a_new_complaint_waits_hidden_and_verifying_makes_it_public(client, world, setup, frozen):
    filed = file(world.region_a, setup.road_a, latitude="-8.2", longitude="114.3", verified=False)
    complaint = filed.complaint
    assert complaint.verification == Verification.PENDING

    visitor = Client()
    assert _everywhere_public(visitor, world, complaint) == dict.fromkeys(
        ("list", "map", "api", "open311", "open311_one", "detail", "counted"), False
    )
    assert visitor.get(f"/open311/v2/requests/{complaint.code}.json", {"jurisdiction_id": "35.10"}).status_code == 404

    # The complainant with the code and key sees their own, marked as waiting (in Indonesian, the default).
    complainant = Client()
    assert (
        complainant.post(
            reverse("complaints:access", args=[world.region_a.slug, complaint.code]), {"secret": filed.secret}
        ).status_code
        == 302
    )
    page = complainant.get(complaint.get_absolute_url())
    assert page.status_code == 200 and "menunggu verifikasi" in page.content.decode()
    assert 'id="reject-form"' not in page.content.decode()  # nothing to verify for them

    admin = Client()
    admin.force_login(world.admin_a)
    response = admin.post(reverse("complaints:verify", args=[world.region_a.slug, complaint.code]))
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.verification == Verification.VERIFIED and complaint.verified_by == world.admin_a
    assert _everywhere_public(visitor, world, complaint) == dict.fromkeys(
        ("list", "map", "api", "open311", "open311_one", "detail", "counted"), True
    )
    # Verifying a new report is the workflow's "verify and forward" step, in the case's history with who did it.
    event = CaseEvent.objects.get(case=complaint.case, action="verify")
    assert event.actor == world.admin_a and (event.from_state, event.to_state) == ("new", "follow_up")
    assert complaint.case.state == "follow_up"


def test_a_postponed_report_is_verified_without_a_step(client, world, setup):
    complaint = file(world.region_a, setup.road_a, verified=False).complaint
    actions.take_action(complaint, "postpone", world.admin_a, "Mohon sebutkan nama jalannya.")
    client.force_login(world.admin_a)
    assert client.post(reverse("complaints:verify", args=[world.region_a.slug, complaint.code])).status_code == 302
    complaint.refresh_from_db()
    assert complaint.verification == Verification.VERIFIED and complaint.case.state == "postponed"
    event = CaseEvent.objects.get(case=complaint.case, action=actions.VERIFIED_EVENT)
    assert event.actor == world.admin_a and event.from_state == event.to_state == "postponed"


def test_verifying_twice_writes_one_event(client, world, setup):
    complaint = file(world.region_a, setup.road_a, verified=False).complaint
    client.force_login(world.admin_a)
    url = reverse("complaints:verify", args=[world.region_a.slug, complaint.code])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # the double click: nothing more happens
    assert CaseEvent.objects.filter(case=complaint.case, action__in=["verify", actions.VERIFIED_EVENT]).count() == 1


def test_reject_as_spam_archives_it_and_keeps_it_private(client, world, setup):
    complaint = file(world.region_a, setup.road_a, verified=False).complaint
    client.force_login(world.admin_a)
    url = reverse("complaints:reject", args=[world.region_a.slug, complaint.code])

    # No reason: refused with a message beside it, nothing changed.
    response = client.post(url, {"kind": "spam", "reason": ""})
    assert response.status_code == 400
    complaint.refresh_from_db()
    assert complaint.verification == Verification.PENDING and not complaint.case.is_closed

    assert client.post(url, {"kind": "spam", "reason": "Iklan pinjaman online."}).status_code == 302
    assert client.post(url, {"kind": "spam", "reason": "Iklan pinjaman online."}).status_code == 302  # once only
    complaint.refresh_from_db()
    assert complaint.verification == Verification.REJECTED
    assert (complaint.rejection_kind, complaint.rejection_reason) == ("spam", "Iklan pinjaman online.")
    assert complaint.case.state == "archived" and complaint.case.is_closed
    assert CaseEvent.objects.filter(case=complaint.case, action=actions.REJECTED_EVENT).count() == 1
    assert Client().get(complaint.get_absolute_url()).status_code == 404
    # A rejected report cannot be verified afterwards.
    assert client.post(reverse("complaints:verify", args=[world.region_a.slug, complaint.code])).status_code == 409
    complaint.refresh_from_db()
    assert complaint.verification == Verification.REJECTED


def test_a_verified_complaint_cannot_be_rejected(client, world, setup):
    complaint = file(world.region_a, setup.road_a).complaint
    client.force_login(world.admin_a)
    response = client.post(
        reverse("complaints:reject", args=[world.region_a.slug, complaint.code]), {"kind": "spam", "reason": "Iklan."}
    )
    assert response.status_code == 409
    complaint.refresh_from_db()
    assert complaint.verification == Verification.VERIFIED and not complaint.case.is_closed


@pytest.mark.parametrize("persona", ["admin_b", "officer_b1", "citizen", "officer_a1"])
def test_only_the_regions_administrator_verifies_or_rejects(client, world, setup, persona):
    filed = file(world.region_a, setup.road_a, verified=False, user=world.citizen)
    complaint = filed.complaint
    client.force_login(getattr(world, persona))
    verify = client.post(reverse("complaints:verify", args=[world.region_a.slug, complaint.code]))
    reject = client.post(
        reverse("complaints:reject", args=[world.region_a.slug, complaint.code]), {"kind": "spam", "reason": "Iklan."}
    )
    assert verify.status_code == 404 and reject.status_code == 404
    complaint.refresh_from_db()
    assert complaint.verification == Verification.PENDING
    assert list(CaseEvent.objects.filter(case=complaint.case).values_list("action", flat=True)) == ["start"]


def test_the_workflows_verify_and_forward_step_also_verifies(world, setup):
    complaint = file(world.region_a, setup.road_a, verified=False).complaint
    actions.take_action(complaint, "verify", world.admin_a)
    complaint.refresh_from_db()
    assert complaint.verification == Verification.VERIFIED and complaint.case.state == "follow_up"


def test_open311_post_files_an_unverified_complaint_and_answers_its_id(client, world, setup):
    _client, key = actions.issue_api_key(world.region_a, "Aplikasi Warga")
    response = client.post(
        "/open311/v2/requests.json",
        {
            "jurisdiction_id": "35.10",
            "api_key": key,
            "service_code": "JALAN-RUSAK",
            "attribute[KERUSAKAN]": "berat",
            "address_string": "Pasar",
        },
    )
    assert response.status_code == 200
    item = response.json()[0]
    complaint = Complaint.objects.get()
    assert item["service_request_id"] == complaint.code and complaint.verification == Verification.PENDING
    assert client.get(f"/open311/v2/requests/{complaint.code}.json", {"jurisdiction_id": "35.10"}).status_code == 404
    actions.verify_complaint(complaint, world.admin_a)
    assert client.get(f"/open311/v2/requests/{complaint.code}.json", {"jurisdiction_id": "35.10"}).status_code == 200


def test_the_staff_page_shows_the_verify_confirmation(client, world, setup):
    complaint = file(world.region_a, setup.road_a, verified=False).complaint
    client.force_login(world.admin_a)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert reverse("complaints:verify", args=[world.region_a.slug, complaint.code]) in page
    assert "data-confirm=" in page and 'id="reject-form"' in page
    assert 'name="action" value="verify"' not in page  # one way to verify: the box, not also the step button


def test_complaints_filed_before_verification_existed_stay_public(world, setup):
    complaint = file(world.region_a, setup.road_a, verified=False).complaint
    migration = importlib.import_module("pendopo.complaints.migrations.0004_verification")
    migration.verify_existing(apps, None)
    complaint.refresh_from_db()
    assert complaint.verification == Verification.VERIFIED
