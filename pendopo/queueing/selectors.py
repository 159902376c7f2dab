"""Permission-scoped reads of the queue, and the figures the pages show (people ahead, estimated wait)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django.db.models import Q

from pendopo.lib import crypto, dates
from pendopo.queueing import speech
from pendopo.queueing.models import (
    ACTIVE_STATES,
    Booking,
    BookingSession,
    Device,
    EventKind,
    QueuePool,
    Ticket,
    TicketEvent,
    TicketState,
)
from pendopo.regions.permissions import Scope, register_scope

if TYPE_CHECKING:
    from pendopo.regions.models import Region, ServicePoint

register_scope(QueuePool, Scope(region="region_id", agency="agency_id", public=Q(is_active=True, region__is_active=True)))
register_scope(Ticket, Scope(region="region_id", agency="pool__agency_id", service_point="counter_id"))
register_scope(Device, Scope(region="region_id", service_point="service_point_id"))
register_scope(BookingSession, Scope(region="region_id", agency="pool__agency_id", public=Q(region__is_active=True)))
register_scope(Booking, Scope(region="region_id", agency="session__pool__agency_id"))

# Without finished tickets today, a service is assumed to take this long.
DEFAULT_SERVICE_SECONDS = 300
DEVICE_COOKIE = "pendopo_queue_device"
CALL_KINDS = [EventKind.CALLED, EventKind.RECALLED]


def device_token_hash(token: str) -> str:
    from django.conf import settings

    return crypto.keyed_hash(settings.PENDOPO_DATA_KEY, "queue-device:" + token)


def device_for(region: Region, token: str | None, kind: str) -> Device | None:
    """The registered, active device of `kind` in `region` holding `token`, or None."""
    if not token:
        return None
    return (
        Device.objects.select_related("service_point", "region")
        .filter(region=region, kind=kind, is_active=True, token_hash=device_token_hash(token))
        .first()
    )


def people_ahead(ticket: Ticket) -> int:
    """Waiting tickets of the same pool and day called before this one (same order as calling)."""
    if ticket.state != TicketState.WAITING:
        return 0
    before = (
        Q(priority__lt=ticket.priority)
        | Q(priority=ticket.priority, queued_at__lt=ticket.queued_at)
        | Q(priority=ticket.priority, queued_at=ticket.queued_at, pk__lt=ticket.pk)
    )
    return (
        Ticket.objects.filter(pool_id=ticket.pool_id, service_date=ticket.service_date, state=TicketState.WAITING)
        .filter(before)
        .count()
    )


def service_seconds(pool: QueuePool, day: dt.date) -> int:
    """The mean service time of the pool's tickets finished that day, else the default."""
    rows = list(
        Ticket.objects.filter(pool=pool, service_date=day, state=TicketState.FINISHED).values_list("started_at", "finished_at")[
            :50
        ]
    )
    spans = [(finished - started).total_seconds() for started, finished in rows if started and finished]
    return round(sum(spans) / len(spans)) if spans else DEFAULT_SERVICE_SECONDS


def estimated_wait_minutes(pool: QueuePool, ahead: int, day: dt.date) -> int:
    counters = max(1, pool.counters.count())
    return round(ahead * service_seconds(pool, day) / counters / 60)


def pool_waiting_counts(region: Region, service_point: ServicePoint, day: dt.date) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        Ticket.objects.filter(region=region, pool__service_point=service_point, service_date=day, state=TicketState.WAITING)
        .values("pool_id")
        .annotate(n=Count("pk"))
    )
    return {row["pool_id"]: row["n"] for row in rows}


def counter_label(counter: ServicePoint) -> str:
    number = speech.counter_number(counter.code, counter.name)
    return str(number) if number is not None else counter.name


def display_feed(device: Device, after: int | None = None) -> dict[str, Any]:
    """What a display board shows and says: its mall's calls after the cursor, counters, next numbers.

    Five queries whatever the number of tickets (four without a cursor): the board's pools, the
    calls after the cursor, the counters, the next numbers, the last call. `after` is the id of
    the last call event the board has announced; a recall is a new event, so it is announced
    again. Without a cursor (a board just switched on) nothing old is announced: the answer only
    gives the cursor to start from. Only calls of today's tickets are announced, so a board that
    was off overnight does not read out yesterday's last calls.
    """
    mall = device.service_point
    today = dates.today(device.region.time_zone)
    pools = QueuePool.objects.filter(service_point=mall, is_active=True)
    if device.zone:
        pools = pools.filter(zone=device.zone)
    # A list, not a subquery: with the ids known, one pool's next numbers come straight off
    # ticket_call_day_idx in calling order (a subquery made PostgreSQL sort every waiting ticket).
    pool_ids = list(pools.order_by().values_list("pk", flat=True))
    # Both read the partial index ticket_event_call_idx (the mall's call events by id).
    mall_calls = TicketEvent.objects.filter(service_point=mall, kind__in=CALL_KINDS)
    calls = (
        list(
            mall_calls.filter(pk__gt=after, pool_id__in=pool_ids, ticket__service_date=today)
            .select_related("ticket", "counter")
            .order_by("pk")[:20]
        )
        if after is not None
        else []
    )
    active = list(
        Ticket.objects.filter(pool_id__in=pool_ids, service_date=today, state__in=ACTIVE_STATES)
        .select_related("counter")
        .order_by("counter__code")
    )
    upcoming = list(
        Ticket.objects.filter(pool_id__in=pool_ids, service_date=today, state=TicketState.WAITING)
        .order_by("priority", "queued_at", "pk")
        .values_list("number", flat=True)[:8]
    )
    last = mall_calls.order_by("-pk").values_list("pk", flat=True).first()
    announcements = []
    for event in calls:
        label = counter_label(event.counter) if event.counter else ""
        said = speech.announcement(event.ticket.number, label or "")
        announcements.append(
            {
                "id": event.pk,
                "number": event.ticket.number,
                "counter": label,
                "recall": event.kind == EventKind.RECALLED,
                "text": said.text,
                "clips": list(said.clips),
            }
        )
    return {
        "cursor": last or 0,
        "calls": announcements,
        "serving": [
            {
                "number": t.number,
                "counter": counter_label(t.counter) if t.counter else "",
                "counter_name": t.counter.name if t.counter else "",
                "state": t.state,
            }
            for t in active
        ],
        "next": upcoming,
    }
