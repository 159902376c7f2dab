"""Calling order, the priority cap, the counter's actions, transfer history (reference §4, §5, §11)."""

from __future__ import annotations

import datetime as dt

import pytest

from pendopo.queueing import actions
from pendopo.queueing.errors import CounterBusy, HeldElsewhere, NobodyWaiting, NotAllowed, WrongState
from pendopo.queueing.models import EventKind, ServiceRequest, TicketState


def _at(hour, minute):
    return dt.datetime(2026, 12, 7, hour - 7, minute, tzinfo=dt.UTC)  # WIB


def _serve(ticket, counter, officer):
    actions.start_service(ticket, counter, officer)
    actions.finish_service(ticket, counter, officer)


def test_worked_example_priority_then_issue_time(mall, world, monday):
    c1 = actions.issue_ticket(mall.pool_a, at=_at(9, 0))
    c2 = actions.issue_ticket(mall.pool_a, at=_at(9, 5), priority_group="pregnant")
    c3 = actions.issue_ticket(mall.pool_a, at=_at(8, 55))
    order = []
    for _ in range(3):
        called = actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
        order.append(called.pk)
        _serve(called, mall.counter_a, world.counter_officer_a)
    assert order == [c2.pk, c3.pk, c1.pk]


def test_priority_cap_lets_one_regular_through(mall, world, monday):
    mall.pool_a.priority_cap = 2
    mall.pool_a.save()
    regular = [actions.issue_ticket(mall.pool_a) for _ in range(2)]
    priority = [actions.issue_ticket(mall.pool_a, priority_group="elderly") for _ in range(4)]
    calls = []
    for _ in range(6):
        ticket = actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
        calls.append(ticket.pk)
        _serve(ticket, mall.counter_a, world.counter_officer_a)
    assert calls == [priority[0].pk, priority[1].pk, regular[0].pk, priority[2].pk, priority[3].pk, regular[1].pk]


def test_one_active_ticket_per_counter_and_nobody_waiting(mall, world, monday):
    actions.issue_ticket(mall.pool_a)
    ticket = actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    with pytest.raises(CounterBusy):
        actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    actions.skip_ticket(ticket, mall.counter_a, world.counter_officer_a)
    ticket.refresh_from_db()
    assert ticket.state == TicketState.NO_SHOW and ticket.canceled_at and ticket.called_at
    with pytest.raises(NobodyWaiting):
        actions.call_next_ticket(mall.counter_a, world.counter_officer_a)


def test_recall_keeps_first_call_time(mall, world, monday):
    actions.issue_ticket(mall.pool_a)
    ticket = actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    first = ticket.called_at
    monday.shift(dt.timedelta(minutes=2))
    actions.recall_ticket(ticket, mall.counter_a, world.counter_officer_a)
    ticket.refresh_from_db()
    assert ticket.called_at == first
    assert list(ticket.events.values_list("kind", flat=True)) == ["issued", "called", "recalled"]


def test_another_counter_cannot_act_on_a_ticket_it_does_not_hold(mall, world, monday):
    actions.issue_ticket(mall.pool_a)
    ticket = actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    with pytest.raises(HeldElsewhere):
        actions.start_service(ticket, mall.counter_a3, world.officer_a1)
    with pytest.raises(WrongState):
        actions.finish_service(ticket, mall.counter_a, world.counter_officer_a)


def test_officer_of_another_agency_or_region_cannot_call(mall, world, monday):
    actions.issue_ticket(mall.pool_a)
    for intruder in (world.officer_a2, world.officer_b1, world.admin_b, world.citizen):
        with pytest.raises(NotAllowed):
            actions.call_next_ticket(mall.counter_a, intruder)
    # Agency A2's counter never calls agency A1's pool, even if assigned to it by mistake.
    mall.pool_a.counters.add(mall.counter_a2)
    with pytest.raises(NobodyWaiting):
        actions.call_next_ticket(mall.counter_a2, world.officer_a2)
    assert actions.call_next_ticket(mall.counter_a, world.officer_a1).number == "A-001"


def test_transfer_keeps_number_history_and_place(mall, world, monday):
    first = actions.issue_ticket(mall.pool_a, service=mall.ktp, at=_at(8, 0))
    ticket = actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    assert ticket.pk == first.pk
    actions.start_service(ticket, mall.counter_a, world.counter_officer_a)
    later = actions.issue_ticket(mall.pool_b, at=_at(8, 30))
    actions.transfer_ticket(ticket, mall.counter_a, world.counter_officer_a, pool=mall.pool_b, service=mall.health)
    ticket.refresh_from_db()
    assert ticket.number == "A-001" and ticket.pool == mall.pool_b and ticket.state == TicketState.WAITING
    # Keeps its place by issue time: called before B-001 issued later.
    assert actions.call_next_ticket(mall.counter_a2, world.officer_a2).pk == ticket.pk
    _serve(ticket, mall.counter_a2, world.officer_a2)
    requests = list(ServiceRequest.objects.filter(ticket=ticket).values_list("seq", "pool__prefix", "outcome"))
    assert requests == [(1, "A", "transferred"), (2, "B", "finished")]
    kinds = list(ticket.events.values_list("kind", flat=True))
    assert kinds == ["issued", "called", "started", "transferred", "called", "started", "finished"]
    assert actions.call_next_ticket(mall.counter_a2, world.officer_a2).pk == later.pk


def test_transfer_to_a_counter_waits_for_that_counter(mall, world, monday):
    actions.issue_ticket(mall.pool_a)
    other = actions.issue_ticket(mall.pool_a)
    ticket = actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    actions.transfer_ticket(ticket, mall.counter_a, world.counter_officer_a, to_counter=mall.counter_a3)
    assert actions.call_next_ticket(mall.counter_a, world.counter_officer_a).pk == other.pk
    assert actions.call_next_ticket(mall.counter_a3, world.officer_a1).pk == ticket.pk


def test_hold_and_return(mall, world, monday):
    actions.issue_ticket(mall.pool_a, at=_at(8, 0))
    ticket = actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    actions.hold_ticket(ticket, mall.counter_a, world.counter_officer_a, note="Ambil fotokopi KK")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.HELD and ticket.counter is None
    actions.issue_ticket(mall.pool_a, at=_at(8, 30))
    actions.return_ticket(ticket, mall.counter_a, world.counter_officer_a)
    assert actions.call_next_ticket(mall.counter_a, world.counter_officer_a).pk == ticket.pk
    assert EventKind.HELD in ticket.events.values_list("kind", flat=True)


def test_cancel_before_a_call(mall, monday):
    ticket = actions.issue_ticket(mall.pool_a)
    actions.cancel_ticket(ticket, reason="Pulang")
    ticket.refresh_from_db()
    assert ticket.state == TicketState.CANCELED and ticket.called_at is None
    with pytest.raises(WrongState):
        actions.cancel_ticket(ticket)


def test_a_ticket_left_called_yesterday_does_not_block_the_counter_today(client, mall, world, monday):
    actions.issue_ticket(mall.pool_a)
    yesterday = actions.call_next_ticket(mall.counter_a, world.counter_officer_a)  # the mall closed with it called
    monday.move_to(dt.datetime(2026, 12, 8, 2, 0, tzinfo=dt.UTC))  # Tuesday 09:00 WIB
    today = actions.issue_ticket(mall.pool_a)
    called = actions.call_next_ticket(mall.counter_a, world.counter_officer_a)
    assert called.pk == today.pk
    yesterday.refresh_from_db()
    assert yesterday.state == TicketState.CALLED  # kept as it was, in Monday's figures
    client.force_login(world.counter_officer_a)
    page = client.get(f"/r/{world.region_a.slug}/antrian/loket/{mall.counter_a.code}/")
    assert page.status_code == 200
    assert page.context["current"].pk == today.pk
