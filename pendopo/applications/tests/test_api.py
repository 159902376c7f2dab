"""The JSON API: submit, read, act, list with filters, public tracking."""

from __future__ import annotations

import json

import pytest

from pendopo.applications.tests.conftest import NIK, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def payload(**overrides):
    data = {
        "region": "banyuwangi",
        "service": "KTP-EL",
        "applicant": {"name": "Siti Rahayu", "email": "siti@example.id", "nik": NIK, "phone": "081234567890", "notify_by": "sms"},
        "form": {"reason": "lost", "children": 1},
    }
    data.update(overrides)
    return data


def submit(client, **overrides):
    return client.post(
        "/api/v1/applications", {"payload": json.dumps(payload(**overrides)), "doc-1": upload("kk.pdf", pdf_bytes())}
    )


def test_submit_read_act_and_track(client, world, service):
    client.force_login(world.citizen)
    response = submit(client)
    assert response.status_code == 201, response.content
    body = response.json()
    code = body["code"]
    assert body["state"] == "submitted" and body["nik"] == "3510********0001" and body["phone"] == "081******890"
    assert body["form"] == {"reason": "lost", "children": 1}
    assert [d["slot"] for d in body["documents"]] == ["req-1"]
    assert [a["key"] for a in body["actions"]] == ["withdraw"]

    client.force_login(world.officer_a1)
    staff_view = client.get(f"/api/v1/applications/{code}").json()
    assert staff_view["nik"] == NIK  # in full for the agency's officer
    acted = client.post(
        f"/api/v1/applications/{code}/actions",
        data={"action": "receive", "version": body["version"]},
        content_type="application/json",
    )
    assert acted.status_code == 200 and acted.json()["state"] == "verification"
    stale = client.post(
        f"/api/v1/applications/{code}/actions",
        data={"action": "verify", "version": body["version"]},
        content_type="application/json",
    )
    assert stale.status_code == 409 and stale.json()["errors"][0]["code"] == "conflict"

    public = client.get(f"/api/v1/tracking/{code}").json()
    assert public["state"] == "Verifikasi berkas" and [s["seq"] for s in public["steps"]] == [1, 2]
    assert "Siti" not in json.dumps(public) and NIK not in json.dumps(public)


def test_list_with_filters_and_paging(client, world, service):
    client.force_login(world.citizen)
    codes = [submit(client).json()["code"] for _ in range(3)]
    client.force_login(world.officer_a1)
    client.post(
        f"/api/v1/applications/{codes[0]}/actions", data={"action": "receive", "version": 1}, content_type="application/json"
    )

    listed = client.get("/api/v1/applications", {"region": "banyuwangi", "state": "submitted", "page_size": 1}).json()
    assert listed["count"] == 2 and listed["page_size"] == 1 and len(listed["items"]) == 1
    assert client.get("/api/v1/applications", {"service": "NOPE"}).json()["count"] == 0
    assert client.get("/api/v1/applications", {"overdue": True}).json()["count"] == 0
    client.force_login(world.officer_b1)
    assert client.get("/api/v1/applications").json()["count"] == 0


def test_an_officer_registers_a_walk_in_through_the_api(client, world, service):
    client.force_login(world.counter_officer_a)
    response = submit(client, walk_in=True, service_point=world.counter_a.code)
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "counter"


def test_a_citizen_cannot_register_walk_ins(client, world, service):
    client.force_login(world.citizen)
    assert submit(client, walk_in=True).status_code == 403


def test_the_openapi_document_lists_the_endpoints(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {
        "/api/v1/applications",
        "/api/v1/applications/{code}",
        "/api/v1/applications/{code}/actions",
        "/api/v1/tracking/{code}",
    } <= set(paths)
