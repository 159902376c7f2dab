"""The queue API: issue, status, book/cancel/check in, counter actions, the display feed; refusals and permissions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pendopo.lib import codes
from pendopo.queueing import actions
from pendopo.queueing.models import Booking, BookingSession, BookingState, Ticket, TicketEvent, TicketState

BASE = "/api/v1/queue/banyuwangi"
NIK = "3510014501900001"


def post(client, url, data=None, **headers):
    return client.post(url, data or {}, content_type="application/json", headers=headers)


@pytest.fixture
def session(mall):
    return BookingSession.objects.create(
        region=mall.pool_a.region,
        pool=mall.pool_a,
        service=mall.ktp,
        weekday=0,
        starts_at=dt.time(9),
        ends_at=dt.time(11),
        quota=1,
    )


def test_openapi_documents_the_queue(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in (
        "/tickets",
        "/tickets/{code}",
        "/bookings",
        "/bookings/{code}/check-in",
        "/counters/{counter}/actions",
        "/display",
    ):
        assert f"/api/v1/queue/{{region}}{path}" in paths
    assert "X-Queue-Device" in str(client.get("/api/v1/openapi.json").json()["components"])


def test_kiosk_issues_once_per_key_and_anyone_follows_the_ticket(client, mall, monday):
    kiosk = {"X-Queue-Device": mall.kiosk_token}
    data = {"pool": "A", "service": "KTP-EL", "priority_group": "elderly", "key": "tap-1"}
    first = post(client, f"{BASE}/tickets", data, **kiosk)
    again = post(client, f"{BASE}/tickets", data, **kiosk)
    assert first.status_code == 201 and again.status_code == 200
    body = first.json()
    assert (body["number"], body["state"], body["source"], body["service"]) == ("A-001", "waiting", "kiosk", "KTP-EL")
    assert again.json()["code"] == body["code"] and Ticket.objects.count() == 1
    status = client.get(f"{BASE}/tickets/{body['code']}").json()
    assert status["people_ahead"] == 0 and status["url"].endswith(f"/tiket/{body['code']}/")
    assert client.get(f"/api/v1/queue/mamuju-tengah/tickets/{body['code']}").status_code == 404


def test_issue_refusals_change_nothing(client, mall, monday, world):
    assert post(client, f"{BASE}/tickets", {"pool": "A"}).status_code == 401  # no device, no login
    assert post(client, f"{BASE}/tickets", {"pool": "A"}, **{"X-Queue-Device": "forged"}).status_code == 401
    display = post(client, f"{BASE}/tickets", {"pool": "A"}, **{"X-Queue-Device": mall.display_token})
    assert display.status_code == 403  # a display is not a kiosk
    kiosk = {"X-Queue-Device": mall.kiosk_token}
    wrong = post(client, f"{BASE}/tickets", {"pool": "A", "service": "SIP"}, **kiosk)
    assert wrong.status_code == 422 and wrong.json()["errors"][0]["code"] == "queue_error"
    with time_machine.travel(dt.datetime(2026, 12, 25, 3, 0, tzinfo=dt.UTC), tick=False):
        closed = post(client, f"{BASE}/tickets", {"pool": "A"}, **kiosk)
    assert closed.status_code == 409 and closed.json()["errors"][0]["code"] == "closed"
    assert "Senin, 28 Desember 2026 7.30" in closed.json()["detail"]
    client.force_login(world.officer_a2)  # the desk: another agency's officer may not issue in pool A
    assert post(client, f"{BASE}/tickets", {"pool": "A"}).status_code == 404
    assert not Ticket.objects.exists()
    client.force_login(world.officer_a1)
    desk = post(client, f"{BASE}/tickets", {"pool": "A"})
    assert desk.status_code == 201 and desk.json()["source"] == "desk"


def test_book_status_cancel_and_check_in(client, mall, session, monday, world):
    data = {"service": "KTP-EL", "date": "2026-12-07", "starts_at": "09:00", "nik": NIK, "name": "Siti"}
    made = post(client, f"{BASE}/bookings", data)
    assert made.status_code == 201
    body = made.json()
    assert body["state"] == "booked" and body["nik_last4"] == "0001" and NIK not in made.content.decode()
    assert body["check_in_opens"].startswith("2026-12-07T08:45") and body["check_in_closes"].startswith("2026-12-07T11:15")
    full = post(client, f"{BASE}/bookings", {**data, "nik": "3510014501900002"})
    assert full.status_code == 409 and full.json()["errors"][0]["code"] == "quota_full"
    twice = post(client, f"{BASE}/bookings", data)
    assert twice.status_code == 409 and twice.json()["errors"][0]["code"] == "already_booked"
    far = post(client, f"{BASE}/bookings", {**data, "date": "2026-12-21"})
    assert far.status_code == 422 and far.json()["errors"][0]["code"] == "booking_not_open"
    assert post(client, f"{BASE}/bookings", {**data, "nik": "123"}).status_code == 422
    assert Booking.objects.count() == 1
    slots = client.get(f"{BASE}/sessions?service=KTP-EL").json()
    assert slots["count"] == 2 and slots["items"][0]["left"] == 0  # today full, next Monday open
    code = body["code"]
    assert client.get(f"{BASE}/bookings/BWI-0000-0000").status_code == 404
    kiosk = {"X-Queue-Device": mall.kiosk_token}
    with time_machine.travel(dt.datetime(2026, 12, 7, 1, 44, 59, tzinfo=dt.UTC), tick=False):
        early = post(client, f"{BASE}/bookings/{code}/check-in", **kiosk)
    assert early.status_code == 409 and early.json()["errors"][0]["code"] == "outside_window"
    ticket = post(client, f"{BASE}/bookings/{code}/check-in", **kiosk)
    assert ticket.status_code == 200 and ticket.json()["source"] == "online"
    assert client.get(f"{BASE}/bookings/{code}").json()["ticket"] == ticket.json()["code"]
    assert post(client, f"{BASE}/bookings/{code}/cancel").status_code == 409  # checked in
    other = Booking.objects.create(
        region=session.region, session=session, service=mall.ktp, date=dt.date(2026, 12, 14), code=codes.new_code("BWI"),
        nik_hash="x", nik_last4="0002", name="Budi",
    )  # fmt: skip
    canceled = post(client, f"{BASE}/bookings/{other.code}/cancel")
    assert canceled.status_code == 200 and canceled.json()["state"] == BookingState.CANCELED


def test_counter_actions_and_permissions(client, mall, monday, world):
    first = actions.issue_ticket(mall.pool_a)
    second = actions.issue_ticket(mall.pool_a)
    url = f"{BASE}/counters/MPP-L01"
    assert post(client, f"{url}/actions", {"action": "call"}).status_code == 401
    client.force_login(world.officer_a2)  # another agency's counter: not found
    assert post(client, f"{url}/actions", {"action": "call"}).status_code == 404
    client.force_login(world.counter_officer_a)
    waiting = client.get(f"{url}/waiting").json()
    assert waiting["count"] == 2 and [t["number"] for t in waiting["items"]] == ["A-001", "A-002"]
    called = post(client, f"{url}/actions", {"action": "call"})
    assert called.status_code == 200 and called.json()["number"] == "A-001" and called.json()["counter"] == "1"
    busy = post(client, f"{url}/actions", {"action": "call"})
    assert busy.status_code == 409 and busy.json()["errors"][0]["code"] == "counter_busy"
    assert post(client, f"{url}/actions", {"action": "recall", "ticket": first.code}).status_code == 200
    assert post(client, f"{url}/actions", {"action": "start", "ticket": first.code}).json()["state"] == "serving"
    moved = post(client, f"{url}/actions", {"action": "transfer", "ticket": first.code, "to_counter": "MPP-L03"})
    assert moved.status_code == 200 and moved.json()["number"] == "A-001" and moved.json()["state"] == "waiting"
    client.force_login(world.officer_a1)  # at counter 3 the transferred ticket comes first, by its issue time
    third = post(client, f"{BASE}/counters/MPP-L03/actions", {"action": "call"})
    assert third.json()["number"] == "A-001"
    client.force_login(world.counter_officer_a)
    elsewhere = post(client, f"{url}/actions", {"action": "start", "ticket": first.code})
    assert elsewhere.status_code == 409 and elsewhere.json()["errors"][0]["code"] == "held_elsewhere"
    assert post(client, f"{url}/actions", {"action": "fly", "ticket": second.code}).status_code == 422
    assert post(client, f"{url}/actions", {"action": "start", "ticket": "BWI-0000-0000"}).status_code == 404
    client.force_login(world.officer_b1)  # another region's user
    assert post(client, f"{url}/actions", {"action": "call"}).status_code == 404


def test_display_feed_announces_each_call_once(client, mall, monday, world):
    display = {"X-Queue-Device": mall.display_token}
    assert client.get(f"{BASE}/display").status_code == 401
    assert client.get(f"{BASE}/display", headers={"X-Queue-Device": mall.kiosk_token}).status_code == 403
    start = client.get(f"{BASE}/display", headers=display).json()
    assert start["calls"] == []
    ticket = actions.issue_ticket(mall.pool_a)
    actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    feed = client.get(f"{BASE}/display?after={start['cursor']}", headers=display).json()
    assert [c["text"] for c in feed["calls"]] == ["Nomor antrian A satu, silakan menuju loket satu"]
    assert feed["serving"][0]["number"] == ticket.number
    assert client.get(f"{BASE}/display?after={feed['cursor']}", headers=display).json()["calls"] == []
    assert client.get(f"{BASE}/display?after=-1", headers=display).status_code == 422
    assert TicketEvent.objects.filter(kind="called").count() == 1
    assert Ticket.objects.get().state == TicketState.CALLED


def test_pools_are_public_and_paged(client, mall, monday):
    actions.issue_ticket(mall.pool_a)
    body = client.get(f"{BASE}/pools?page_size=1").json()
    assert body["count"] == 2 and len(body["items"]) == 1
    first = body["items"][0]
    assert (first["prefix"], first["waiting"], first["open"]) == ("A", 1, True)
    assert client.get("/api/v1/queue/nowhere/pools").status_code == 404


def test_bad_input_is_refused_in_the_callers_language_and_changes_nothing(client, mall, session, world):
    """The issue's "Bad input" list, each through the API: a clear message (id, en), a 4xx, nothing written."""
    kiosk = {"X-Queue-Device": mall.kiosk_token}
    data = {"service": "KTP-EL", "date": "2026-12-07", "starts_at": "09:00", "nik": NIK, "name": "Siti"}
    with time_machine.travel(dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC), tick=False):
        booked = post(client, f"{BASE}/bookings", data).json()["code"]
    before = (Ticket.objects.count(), TicketEvent.objects.count(), Booking.objects.count())
    # Christmas Day (Friday 25 December 2026, a national holiday), 09:00 WIB: no ticket.
    with time_machine.travel(dt.datetime(2026, 12, 25, 2, 0, tzinfo=dt.UTC), tick=False):
        holiday = post(client, f"{BASE}/tickets", {"pool": "A"}, **kiosk)
        holiday_en = post(client, f"{BASE}/tickets", {"pool": "A"}, **{"Accept-Language": "en"}, **kiosk)
    assert holiday.status_code == 409 and holiday.json()["errors"][0]["code"] == "closed"
    assert "libur" in holiday.json()["detail"].lower()
    assert "day off" in holiday_en.json()["detail"]
    # The booking expires at the end of its window (11:15 WIB); its code no longer checks in.
    Booking.objects.filter(code=booked).update(state=BookingState.EXPIRED)
    with time_machine.travel(dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC), tick=False):
        expired = post(client, f"{BASE}/bookings/{booked}/check-in", **kiosk)
        unknown = post(client, f"{BASE}/bookings/BWI-0000-0000/check-in", **kiosk)
        unregistered = post(client, f"{BASE}/bookings/{booked}/check-in", **{"X-Queue-Device": "forged"})
    assert expired.status_code == 409 and expired.json()["errors"][0]["code"] == "booking_closed"
    assert "kedaluwarsa" in expired.json()["detail"]
    assert unknown.status_code == 404
    assert unregistered.status_code in (401, 403, 404)
    assert (Ticket.objects.count(), TicketEvent.objects.count(), Booking.objects.count()) == before
    assert Booking.objects.get(code=booked).ticket_id is None
