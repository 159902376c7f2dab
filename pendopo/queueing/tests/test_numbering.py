"""Numbers PREFIX-NNN per pool and the region's local day (reference §3 and §11)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import IntegrityError, transaction

from pendopo.queueing import actions
from pendopo.queueing.errors import QueueClosed, QueueError
from pendopo.queueing.models import EventKind, Ticket, TicketEvent


def test_numbers_run_per_pool_with_padding(mall, monday):
    numbers = [actions.issue_ticket(mall.pool_a).number for _ in range(10)]
    assert numbers[0] == "A-001" and numbers[8] == "A-009" and numbers[9] == "A-010"
    assert actions.issue_ticket(mall.pool_b).number == "B-001"
    mall.pool_b.padding = 0
    mall.pool_b.save()
    assert actions.issue_ticket(mall.pool_b).number == "B-2"
    assert mall.pool_a.format_number(1000) == "A-1000"  # padding never truncates


def test_the_day_is_the_regions_local_day_at_2330_utc(mall):
    # 23:30 UTC on Sunday 6 December is 07:30 WITA on Monday 7 December in Mamuju Tengah: open, and Monday's ticket.
    with time_machine.travel(dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC), tick=False):
        first = actions.issue_ticket(mall.pool_m)
    assert (first.service_date, first.number) == (dt.date(2026, 12, 7), "A-001")
    with time_machine.travel(dt.datetime(2026, 12, 7, 3, 0, tzinfo=dt.UTC), tick=False):
        assert actions.issue_ticket(mall.pool_m).number == "A-002"  # still Monday, local time
    with time_machine.travel(dt.datetime(2026, 12, 7, 23, 30, tzinfo=dt.UTC), tick=False):
        tuesday = actions.issue_ticket(mall.pool_m)
    assert (tuesday.service_date, tuesday.number) == (dt.date(2026, 12, 8), "A-001")


def test_closed_queue_and_holiday_say_when_it_opens(mall, world):
    monday_early = dt.datetime(2026, 12, 6, 23, 30, tzinfo=dt.UTC)  # 06:30 WIB Monday
    with time_machine.travel(monday_early, tick=False), pytest.raises(QueueClosed) as closed:
        actions.issue_ticket(mall.pool_a)
    assert "Senin, 7 Desember 2026 7.30" in str(closed.value)
    christmas = dt.datetime(2026, 12, 25, 3, 0, tzinfo=dt.UTC)  # a Friday
    with time_machine.travel(christmas, tick=False), pytest.raises(QueueClosed) as holiday:
        actions.issue_ticket(mall.pool_a)
    assert "Senin, 28 Desember 2026 7.30" in str(holiday.value)
    assert not Ticket.objects.exists()


def test_unique_in_the_database(mall, monday):
    ticket = actions.issue_ticket(mall.pool_a)
    with pytest.raises(IntegrityError), transaction.atomic():
        Ticket.objects.create(
            region=ticket.region, pool=mall.pool_a, number_pool=mall.pool_a, service_date=ticket.service_date,
            sequence=1, number="A-999", code="BWI-XXXX-XXXX", issued_at=ticket.issued_at, queued_at=ticket.issued_at,
        )  # fmt: skip


def test_service_must_belong_to_the_pool(mall, monday):
    with pytest.raises(QueueError):
        actions.issue_ticket(mall.pool_a, service=mall.health)
    ticket = actions.issue_ticket(mall.pool_a, service=mall.ktp, priority_group="elderly")
    assert ticket.priority == 1 and ticket.service == mall.ktp
    assert list(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True)) == [EventKind.ISSUED]


def test_events_are_append_only(mall, monday):
    ticket = actions.issue_ticket(mall.pool_a)
    event = ticket.events.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        TicketEvent.objects.filter(ticket=ticket).update(note="x")
    with pytest.raises(TypeError):
        TicketEvent.objects.filter(ticket=ticket).delete()
