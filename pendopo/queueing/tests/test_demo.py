"""The queue's `pendopo demo` step: Banyuwangi's MPP with six agencies' pools, a morning in every state, bookings."""

from __future__ import annotations

import time_machine
from django.urls import reverse

from pendopo.queueing.demo import demo_device_token, load_demo_queue
from pendopo.queueing.models import Booking, BookingState, Device, QueuePool, Ticket, TicketEvent, TicketState
from pendopo.queueing.selectors import DEVICE_COOKIE
from pendopo.regions.models import Region, ServicePoint


def test_demo_queue(demo, client):
    assert "queue: Kabupaten Banyuwangi 6 pools" in demo
    region = Region.objects.get(slug="banyuwangi")
    mall = ServicePoint.objects.get(region=region, code="MPP")
    pools = list(QueuePool.objects.filter(service_point=mall).order_by("prefix"))
    assert [p.prefix for p in pools] == ["A", "B", "C", "D", "E", "F"]
    assert len({p.agency_id for p in pools}) == 6
    assert ServicePoint.objects.filter(parent=mall, kind=ServicePoint.Kind.COUNTER).count() == 8
    assert all(p.counters.get().agency_id == p.agency_id for p in pools)
    assert set(Device.objects.filter(service_point=mall).values_list("kind", flat=True)) == {"kiosk", "display"}
    states = set(Ticket.objects.filter(region=region).values_list("state", flat=True))
    assert states == set(TicketState.values)  # a morning in every state
    moved = Ticket.objects.get(region=region, requests__seq=2)
    assert moved.number.startswith("A-") and moved.pool.prefix == "E" and moved.state == TicketState.WAITING
    assert list(moved.requests.values_list("outcome", flat=True)) == ["transferred", ""]
    for pool in pools:  # one active ticket per counter at most
        assert Ticket.objects.filter(pool=pool, state__in=["called", "serving"]).count() <= 1
    assert TicketEvent.objects.filter(region=region, kind="issued").count() == Ticket.objects.filter(region=region).count()
    booked = Booking.objects.filter(region=region, state=BookingState.BOOKED)
    assert booked.count() >= 10 and len(set(booked.values_list("date", flat=True))) == 1
    assert QueuePool.objects.filter(region__slug="mamuju-tengah").count() == 3
    # The registered kiosk and display work from the printed links; the step runs twice without adding anything.
    client.cookies[DEVICE_COOKIE] = demo_device_token(region, "display")
    # Read at the demo's last event: the snapshot is built once per test run, which may pass local midnight.
    with time_machine.travel(TicketEvent.objects.latest("at").at, tick=False):
        feed = client.get(reverse("queueing:display_feed", args=["banyuwangi"])).json()
    serving = Ticket.objects.filter(region=region, pool__service_point=mall, state__in=["called", "serving"])
    assert sorted(t["number"] for t in feed["serving"]) == sorted(serving.values_list("number", flat=True))
    assert feed["serving"]
    before = Ticket.objects.count()
    assert "+0 tickets" in load_demo_queue() and Ticket.objects.count() == before
