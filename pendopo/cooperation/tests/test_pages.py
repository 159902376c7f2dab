"""The pages: the request form, the visit with its forms, agreements, the roadmap; bad input is a 400 in Indonesian."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from pendopo.cooperation import actions
from pendopo.cooperation.models import Commitment, Visit, VisitState

pytestmark = pytest.mark.django_db


def test_request_a_visit_through_the_form_once(client, world):
    client.force_login(world.admin_b)
    url = reverse("cooperation:visit_request", args=[world.region_b.slug])
    page = client.get(url)
    assert page.status_code == 200
    assert ":</label>" not in page.content.decode()  # "Daerah tuan rumah", not "Daerah tuan rumah:"
    token = page.context["form"].initial["token"]
    data = {
        "host": world.region_a.pk,
        "kind": "study",
        "purpose": "Belajar",
        "starts_on": "2022-03-08",
        "ends_on": "2022-03-09",
        "delegation": "Bupati",
        "topics": "MPP\nInovasi",
        "places": "MPP",
        "token": token,
    }
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double submit
    assert Visit.objects.count() == 1
    bad = client.post(url, {**data, "token": "other", "ends_on": "2022-03-01", "topics": ""})
    assert bad.status_code == 400
    assert "Hari terakhir" in bad.content.decode() or "sebelum" in bad.content.decode()
    assert Visit.objects.count() == 1


def test_visit_page_for_host_visitor_and_public(client, world, visit):
    url = visit.get_absolute_url()
    assert client.get(url).status_code == 404  # a request is not public
    client.force_login(world.admin_a)
    page = client.get(url)
    assert page.status_code == 200 and page.context["host_admin"]
    post = {
        "agenda-TOTAL_FORMS": "6",
        "agenda-INITIAL_FORMS": "0",
        "agenda-0-day": "2022-03-08",
        "agenda-0-starts_at": "09:00",
        "agenda-0-ends_at": "11:00",
        "agenda-0-title": "Mal Pelayanan Publik",
        "agenda-0-kind": "site",
        "agenda-0-service_point": world.counter_a.pk,
    }
    assert client.post(reverse("cooperation:visit_schedule", args=[world.region_a.slug, visit.code]), post).status_code == 302
    client.force_login(world.admin_b)
    assert client.post(reverse("cooperation:visit_held", args=[world.region_a.slug, visit.code])).status_code == 302
    response = client.post(
        reverse("cooperation:visit_lesson", args=[world.region_a.slug, visit.code]),
        {"title": "MPP satu atap", "learnt": "Semua layanan di satu gedung."},
    )
    assert response.status_code == 302
    response = client.post(
        reverse("cooperation:visit_lesson", args=[world.region_a.slug, visit.code]), {"title": "", "learnt": ""}
    )
    assert response.status_code == 400
    client.logout()
    page = client.get(url)
    assert page.status_code == 200 and "MPP satu atap" in page.content.decode()
    assert Visit.objects.get().state == VisitState.HELD
    home = client.get(reverse("cooperation:index", args=[world.region_a.slug]))
    assert home.context["received_held"] == 1


def test_agreement_pages(client, world, bkpsdm):
    client.force_login(bkpsdm.head_user)
    url = reverse("cooperation:agreement_create", args=[world.region_b.slug])
    form = client.get(url).context["form"]
    data = {
        "agency": bkpsdm.pk,
        "title": "Pengembangan SDM",
        "form": "ksdd",
        "nature": "voluntary",
        "partner_region": world.region_a.pk,
        "budgeted_this_year": "on",
        "token": form.initial["token"],
    }
    response = client.post(url, data)
    assert response.status_code == 302
    page = client.get(response["Location"])
    assert page.status_code == 200
    agreement = page.context["agreement"]
    doc_url = reverse("cooperation:agreement_document", args=[world.region_b.slug, agreement.code])
    bad = client.post(
        doc_url, {"kind": "offer", "number": "1", "signed_on": "2022-03-14", "signatory_name": "Askari", "capacity": "other"}
    )
    assert bad.status_code == 400 and "kepala daerah" in bad.content.decode()
    ok = client.post(
        doc_url,
        {"kind": "offer", "number": "1", "signed_on": "2022-03-14", "signatory_name": "Aras", "capacity": "regional_head"},
    )
    assert ok.status_code == 302
    stage = reverse("cooperation:agreement_stage", args=[world.region_b.slug, agreement.code])
    assert client.post(stage, {"action": "offer", "version": agreement.case.lock_version}).status_code == 302
    assert client.post(stage, {"action": "draft_pks", "version": 99}).status_code in (400, 409)
    client.logout()
    assert (
        client.get(reverse("cooperation:agreement", args=[world.region_b.slug, agreement.code])).status_code == 200
    )  # past preparation


def test_roadmap_pages(client, world, visit):
    client.force_login(world.admin_b)
    url = reverse("cooperation:commitment_create", args=[world.region_b.slug])
    token = client.get(url).context["form"].initial["token"]
    data = {
        "title": "Bangun MPP",
        "kind": "service",
        "owner": world.agency_b1.pk,
        "priority": 1,
        "stage": "2022-Q4",
        "due_on": "2022-12-31",
        "visit": visit.pk,
        "result_metric": "",
        "result_months": 6,
        "token": token,
    }
    assert client.post(url, data).status_code == 302
    bad = client.post(url, {**data, "token": "t2", "owner": ""})
    assert bad.status_code == 400 and "pemilik" in bad.content.decode().lower()
    commitment = Commitment.objects.get()
    move = reverse("cooperation:commitment_move", args=[world.region_b.slug, commitment.code])
    assert client.post(move, {"state": "planned"}).status_code == 302
    assert client.post(move, {"state": "dropped"}).status_code == 400  # no reason
    client.logout()
    page = client.get(reverse("cooperation:roadmap", args=[world.region_b.slug]))
    assert page.status_code == 200 and "Bangun MPP" in page.content.decode()
    assert actions.NEXT_STATES
    assert dt
