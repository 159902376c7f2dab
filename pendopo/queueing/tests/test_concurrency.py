"""Two counters press "call next" at the same moment, each on its own database connection.

No ticket is ever called twice: on PostgreSQL the second caller skips the row the first has
locked (SKIP LOCKED) and takes the next; on SQLite IMMEDIATE transactions serialise the callers.
"""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from pendopo.queueing import actions
from pendopo.queueing.errors import NobodyWaiting
from pendopo.queueing.models import EventKind, Ticket, TicketEvent, TicketState

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_counters_never_get_the_same_ticket(mall, world, monday):
    tickets = [actions.issue_ticket(mall.pool_a) for _ in range(12)]
    barrier = threading.Barrier(2)
    called: dict[str, list[int]] = {"a": [], "a3": []}
    errors: list[BaseException] = []

    def work(name, counter, officer):
        try:
            barrier.wait(timeout=5)
            while True:
                try:
                    ticket = actions.call_next_ticket(counter, officer)
                except NobodyWaiting:
                    return
                called[name].append(ticket.pk)
                actions.start_service(ticket, counter, officer)
                actions.finish_service(ticket, counter, officer)
        except BaseException as exc:  # noqa: BLE001 -- reported by the assertion below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=work, args=("a", mall.counter_a, world.counter_officer_a)),
        threading.Thread(target=work, args=("a3", mall.counter_a3, world.officer_a1)),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    everyone = called["a"] + called["a3"]
    assert sorted(everyone) == sorted(t.pk for t in tickets)  # each ticket exactly once
    assert TicketEvent.objects.filter(kind=EventKind.CALLED).count() == len(tickets)
    assert set(Ticket.objects.filter(pk__in=everyone).values_list("state", flat=True)) == {TicketState.FINISHED}
