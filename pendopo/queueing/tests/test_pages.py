"""The kiosk, the ticket slip and page, the counter page and the display feed, with their permissions."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from pendopo.queueing import actions
from pendopo.queueing.models import Ticket, TicketState
from pendopo.queueing.selectors import DEVICE_COOKIE
from pendopo.queueing.tests.conftest import MONDAY_9_WIB


def _kiosk(client, mall, token=None):
    if token is not False:
        client.cookies[DEVICE_COOKIE] = token or mall.kiosk_token
    return reverse("queueing:kiosk", args=["banyuwangi"])


def test_unregistered_device_gets_a_clear_403(client, mall, monday):
    for name in ("queueing:kiosk", "queueing:display"):
        response = client.get(reverse(name, args=["banyuwangi"]))
        assert response.status_code == 403
        assert "belum terdaftar" in response.content.decode() or "not registered" in response.content.decode()
    client.cookies[DEVICE_COOKIE] = mall.display_token  # a display is not a kiosk
    assert client.get(reverse("queueing:kiosk", args=["banyuwangi"])).status_code == 403
    assert client.get(reverse("queueing:display_feed", args=["banyuwangi"])).status_code == 200
    client.cookies[DEVICE_COOKIE] = mall.kiosk_token  # nor in another region
    assert client.get(reverse("queueing:kiosk", args=["mamuju-tengah"])).status_code == 403


def test_registration_link_sets_the_cookie(client, mall):
    response = client.get(reverse("queueing:device", args=["banyuwangi", mall.kiosk_token]))
    assert response.status_code == 302 and response.url == reverse("queueing:kiosk", args=["banyuwangi"])
    assert response.cookies[DEVICE_COOKIE].value == mall.kiosk_token and response.cookies[DEVICE_COOKIE]["httponly"]
    assert client.get(reverse("queueing:device", args=["banyuwangi", "forged"])).status_code == 403


def test_kiosk_issues_once_per_tap_and_prints(client, mall, monday):
    url = _kiosk(client, mall)
    page = client.get(url).content.decode()
    assert 'value="A:KTP-EL"' in page and "Lansia" in page
    data = {"choice": "A:KTP-EL", "priority_group": "elderly", "once": "tap-1"}
    first = client.post(url, data)
    second = client.post(url, data)  # a double tap
    assert first.status_code == 302 and first.url == second.url
    ticket = Ticket.objects.get()
    assert (ticket.number, ticket.priority, ticket.service, ticket.source) == ("A-001", 1, mall.ktp, "kiosk")
    slip = client.get(first.url)
    text = slip.content.decode()
    assert "A-001" in text and "Kartu Tanda Penduduk Elektronik" in text and "<svg" in text
    assert "slip-80.css" in text and 'data-print="1"' in text
    assert "slip-58.css" in client.get(reverse("queueing:print", args=["banyuwangi", ticket.code]) + "?lebar=58").content.decode()


def test_kiosk_bad_choice_and_closed_queue(client, mall, monday):
    url = _kiosk(client, mall)
    assert client.post(url, {"choice": "A:SIP", "once": "x"}).status_code == 422
    assert client.post(url, {"choice": "Z:", "once": "y"}).status_code == 422
    assert not Ticket.objects.exists()
    with time_machine.travel(dt.datetime(2026, 12, 25, 3, 0, tzinfo=dt.UTC), tick=False):
        page = client.get(url).content.decode()
        assert "hari libur" in page.lower() and "Senin, 28 Desember 2026 7.30" in page
        assert client.post(url, {"choice": "A:KTP-EL", "once": "z"}).status_code == 409
    assert not Ticket.objects.exists()


def test_ticket_page_shows_people_ahead_and_wait(client, mall, monday):
    actions.issue_ticket(mall.pool_a)
    actions.issue_ticket(mall.pool_a)
    mine = actions.issue_ticket(mall.pool_a, service=mall.kk)
    response = client.get(reverse("queueing:ticket", args=["banyuwangi", mine.code]))
    text = response.content.decode()
    assert response.status_code == 200 and "A-003" in text and "data-ahead>2<" in text
    assert "sekitar 5 menit" in text  # 2 ahead × 5 min default ÷ 2 counters
    first_in_line = client.get(reverse("queueing:ticket", args=["banyuwangi", Ticket.objects.get(number="A-001").code]))
    assert "kurang dari semenit" in first_in_line.content.decode() and "sekitar 0 menit" not in first_in_line.content.decode()
    assert client.get(reverse("queueing:ticket", args=["mamuju-tengah", mine.code])).status_code == 404
    first = Ticket.objects.get(number="A-001")
    Ticket.objects.filter(pk=first.pk).update(state=TicketState.FINISHED)
    done = client.get(reverse("queueing:ticket", args=["banyuwangi", first.code])).content.decode()
    assert "data-ahead" not in done and "sekitar" not in done  # no estimate for a finished visit


def test_counter_page_permissions(client, mall, world, monday):
    url = reverse("queueing:counter", args=["banyuwangi", "MPP-L01"])
    assert client.get(url).status_code == 302  # to the login page
    for intruder in (world.officer_a2, world.officer_b1, world.admin_b, world.citizen):
        client.force_login(intruder)
        assert client.get(url).status_code == 404
        assert client.post(url + "aksi/", {"action": "call"}).status_code == 404
    for allowed in (world.counter_officer_a, world.officer_a1, world.admin_a):
        client.force_login(allowed)
        assert client.get(url).status_code == 200


def test_officer_serves_from_the_counter_page(client, mall, world, monday):
    ticket = actions.issue_ticket(mall.pool_a, service=mall.ktp)
    client.force_login(world.counter_officer_a)
    page = reverse("queueing:counter", args=["banyuwangi", "MPP-L01"])
    post = page + "aksi/"
    assert "A-001" in client.get(page).content.decode()
    assert client.post(post, {"action": "call"}).status_code == 302
    client.post(post, {"action": "start", "ticket": ticket.code})
    client.post(post, {"action": "transfer", "ticket": ticket.code, "to": "counter:MPP-L03"})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.WAITING and ticket.target_counter.code == "MPP-L03" and ticket.service == mall.ktp
    response = client.post(post, {"action": "call"}, follow=True)
    assert "Tidak ada yang menunggu" in response.content.decode()
    client.force_login(world.officer_a1)
    other = reverse("queueing:counter_action", args=["banyuwangi", "MPP-L03"])
    client.post(other, {"action": "call"})
    client.post(other, {"action": "start", "ticket": ticket.code})
    client.post(other, {"action": "finish", "ticket": ticket.code})
    ticket.refresh_from_db()
    assert ticket.state == TicketState.FINISHED and ticket.number == "A-001"
    assert "/skm/isi/a/" in client.get(reverse("queueing:ticket", args=["banyuwangi", ticket.code])).content.decode()


def test_each_counter_action_says_what_happened_to_the_number(client, mall, world, monday):
    first = actions.issue_ticket(mall.pool_a, service=mall.ktp)
    second = actions.issue_ticket(mall.pool_a, service=mall.ktp)
    client.force_login(world.counter_officer_a)
    post = reverse("queueing:counter_action", args=["banyuwangi", "MPP-L01"])

    def said(action, ticket=None):
        data = {"action": action} | ({"ticket": ticket.code} if ticket else {})
        response = client.post(post, data, follow=True)
        return [str(m) for m in response.context["messages"]]

    assert said("call") == ["A-001 dipanggil."]
    assert said("recall", first) == ["A-001 dipanggil ulang."]
    assert said("start", first) == ["Melayani A-001."]
    assert said("hold", first) == ["A-001 ditunda."]
    assert said("return", first) == ["A-001 kembali ke antrian."]
    called = said("call")
    now_called = Ticket.objects.get(state=TicketState.CALLED)
    assert called == [f"{now_called.number} dipanggil."]
    assert said("skip", now_called) == [f"{now_called.number} ditandai tidak hadir."]
    other = Ticket.objects.get(state=TicketState.WAITING)
    said("call")
    said("start", other)
    assert said("finish", other) == [f"{other.number} selesai."]
    first.refresh_from_db()
    second.refresh_from_db()
    assert {first.state, second.state} == {TicketState.NO_SHOW, TicketState.FINISHED}


def test_display_feed_announces_calls_after_the_cursor(client, mall, world, monday, django_assert_max_num_queries):
    client.cookies[DEVICE_COOKIE] = mall.display_token
    feed = reverse("queueing:display_feed", args=["banyuwangi"])
    start = client.get(feed).json()
    assert start["calls"] == [] and start["cursor"] == 0
    for _ in range(12):
        actions.issue_ticket(mall.pool_a)
    called = actions.call_next_ticket(mall.counter_a3, world.officer_a1)
    with django_assert_max_num_queries(7):  # region, device, pools, calls, counters, next numbers, last call
        data = client.get(feed + "?after=0").json()
    assert [c["text"] for c in data["calls"]] == ["Nomor antrian A satu, silakan menuju loket tiga"]
    assert data["serving"] == [{"number": "A-001", "counter": "3", "counter_name": "Loket 3 Dispendukcapil", "state": "called"}]
    assert data["next"][0] == "A-002"
    cursor = data["cursor"]
    assert client.get(feed + f"?after={cursor}").json()["calls"] == []
    actions.recall_ticket(called, mall.counter_a3, world.officer_a1)
    again = client.get(feed + f"?after={cursor}").json()["calls"]
    assert len(again) == 1 and again[0]["recall"] is True
    assert client.get(feed + "?after=abc").status_code == 400


def test_display_off_overnight_does_not_announce_yesterdays_calls(client, mall, world, monday):
    client.cookies[DEVICE_COOKIE] = mall.display_token
    feed = reverse("queueing:display_feed", args=["banyuwangi"])
    cursor = client.get(feed).json()["cursor"]
    for _ in range(3):
        actions.issue_ticket(mall.pool_a)
    actions.call_next_ticket(mall.counter_a, world.officer_a1)  # Monday's call, while the board is off
    monday.move_to(MONDAY_9_WIB + dt.timedelta(days=1))
    actions.issue_ticket(mall.pool_a)
    actions.call_next_ticket(mall.counter_a3, world.officer_a1)  # Tuesday's first call
    data = client.get(feed + f"?after={cursor}").json()
    assert [c["number"] for c in data["calls"]] == ["A-001"]
    assert data["calls"][0]["counter"] == "3"
    assert data["serving"] == [{"number": "A-001", "counter": "3", "counter_name": "Loket 3 Dispendukcapil", "state": "called"}]


@pytest.mark.parametrize("name", ["queueing:index"])
def test_public_overview(client, mall, monday, name):
    actions.issue_ticket(mall.pool_a)
    text = client.get(reverse(name, args=["banyuwangi"])).content.decode()
    assert "Mal Pelayanan Publik Banyuwangi" in text and "Kependudukan" in text


def test_register_device_command_prints_a_working_link(client, mall):
    from io import StringIO

    from django.core.management import call_command

    out = StringIO()
    call_command("queue", "register-device", "banyuwangi", "MPP", "display", "Layar Lantai 2", stdout=out)
    link = out.getvalue().strip()
    assert "/r/banyuwangi/antrian/perangkat/" in link
    response = client.get(link.split("127.0.0.1:8000", 1)[-1])
    assert response.status_code == 302 and response.url.endswith("/antrian/layar/")
