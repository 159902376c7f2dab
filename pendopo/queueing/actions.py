"""Every write of the queue: issue, call, recall, skip, hold, return, transfer, start, finish, cancel.

Each action is one transaction that locks what it changes and appends a `TicketEvent` (the audit
trail and the display board's feed). Calling is safe under concurrency: the counter's row is
locked (one active ticket per counter), and the next ticket is taken with
`SELECT … FOR UPDATE SKIP LOCKED` on PostgreSQL, so two counters never get the same ticket; on
SQLite every write transaction is IMMEDIATE (settings), which serialises them.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.db.models import F, Max, Q, Value
from django.db.models.functions import Coalesce
from django.utils.formats import date_format, time_format
from django.utils.translation import gettext as _

from pendopo.catalog.models import Service
from pendopo.lib import codes, dates
from pendopo.queueing.errors import (
    CounterBusy,
    HeldElsewhere,
    NobodyWaiting,
    NotAllowed,
    QueueClosed,
    QueueError,
    WrongState,
)
from pendopo.queueing.models import (
    ACTIVE_STATES,
    PRIORITY,
    REGULAR_PRIORITY,
    EventKind,
    PriorityGroup,
    QueuePool,
    ServiceRequest,
    Source,
    Ticket,
    TicketEvent,
    TicketState,
)
from pendopo.regions import permissions
from pendopo.regions.models import Region, ServicePoint, User

_SQLITE_WRITES = threading.RLock()


@contextmanager
def _atomic() -> Iterator[None]:
    """One transaction; on SQLite also one writer per process at a time.

    SQLite has no row locks: its IMMEDIATE transactions (settings) serialise writers across
    processes, and this lock does so between the threads of one process, where a shared-cache
    database (the tests' in-memory one) would answer "table is locked" instead of waiting.
    """
    if connection.vendor == "sqlite":
        with _SQLITE_WRITES, transaction.atomic():
            yield
    else:
        with transaction.atomic():
            yield


# --- opening hours ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Opening:
    is_open: bool
    opens_at: dt.datetime | None  # the next opening (local time) when closed
    holiday: str | None  # the name of today's day off, if that is why


def opening(region: Region, service_point: ServicePoint, moment: dt.datetime | None = None) -> Opening:
    """Is the service point's queue open at `moment`, and if not, when does it open?

    Hours, breaks (the Friday prayer break is a break in Friday's hours) and days off come from
    the region's calendar, in the region's time zone.
    """
    calendar = region.calendar(service_point)
    local = calendar.local(moment or dates.now())
    if calendar.is_open(local):
        return Opening(True, None, None)
    day = local.date()
    holiday = calendar.holiday_name(day) if calendar.usual_periods(day) and not calendar.is_working_day(day) else None
    for opens, _closes in calendar.periods(day):
        if opens > local.time():
            return Opening(False, calendar.at(day, opens), holiday)
    try:
        following = calendar.next_working_day(day)
    except dates.CalendarError:
        return Opening(False, None, holiday)
    return Opening(False, calendar.at(following, calendar.periods(following)[0][0]), holiday)


def closed_message(state: Opening) -> str:
    if state.opens_at is None:
        return _("The queue is closed.")
    # "Senin, 7 Desember 2026 07.30" in Indonesian, "Monday, 7 December 2026 07:30" in English (in the region's time).
    when = f"{date_format(state.opens_at, 'l, j F Y')} {time_format(state.opens_at, 'TIME_FORMAT')}"
    if state.holiday:
        return _("Today is a day off (%(holiday)s). The queue opens again on %(when)s.") % {
            "holiday": state.holiday,
            "when": when,
        }
    return _("The queue is closed now. It opens on %(when)s.") % {"when": when}


# --- issuing ---------------------------------------------------------------------------------


def _event(
    ticket: Ticket,
    kind: str,
    *,
    actor: User | None = None,
    counter: ServicePoint | None = None,
    note: str = "",
) -> TicketEvent:
    return TicketEvent.objects.create(
        region_id=ticket.region_id,
        ticket=ticket,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        counter=counter,
        pool_id=ticket.pool_id,
        service_point_id=ticket.pool.service_point_id,
        note=note[:300],
    )


def issue_ticket(
    pool: QueuePool,
    *,
    service: Service | None = None,
    priority_group: str = "",
    source: str = Source.KIOSK,
    actor: User | None = None,
    at: dt.datetime | None = None,
    check_hours: bool = True,
) -> Ticket:
    """A new number in `pool` for the region's local day: PREFIX-NNN, restarting at 1 each day."""
    moment = at or dates.now()
    if priority_group not in PriorityGroup.values:
        raise QueueError(_("Choose a priority group from the list."))
    with _atomic():
        # The pool's row lock serialises numbering (the unique constraints are the database's guarantee).
        locked = QueuePool.objects.select_for_update().select_related("region", "service_point").get(pk=pool.pk)
        if not locked.is_active:
            raise QueueClosed(_("This queue is not in use."))
        if service is not None and not locked.services.filter(pk=service.pk).exists():
            raise QueueError(_("This service is not served in this queue."))
        if check_hours:
            state = opening(locked.region, locked.service_point, moment)
            if not state.is_open:
                raise QueueClosed(closed_message(state))
        day = moment.astimezone(ZoneInfo(locked.region.time_zone)).date()
        last = Ticket.objects.filter(number_pool=locked, service_date=day).aggregate(top=Max("sequence"))["top"] or 0
        sequence = last + 1
        ticket = Ticket.objects.create(
            region_id=locked.region_id,
            pool=locked,
            number_pool=locked,
            service_date=day,
            sequence=sequence,
            number=locked.format_number(sequence),
            code=codes.new_code(locked.region.prefix),
            service=service,
            priority=PRIORITY if priority_group else REGULAR_PRIORITY,
            priority_group=priority_group,
            source=source,
            issued_at=moment,
            queued_at=moment,
        )
        ServiceRequest.objects.create(ticket=ticket, seq=1, pool=locked, service=service, queued_at=moment)
        _event(ticket, EventKind.ISSUED, actor=actor, note=source)
    return ticket


# --- counters --------------------------------------------------------------------------------


def may_use_counter(user: User | None, counter: ServicePoint) -> bool:
    """The counter's own officers, its agency's officers and heads, the region's administrators."""
    if user is None or not user.is_authenticated or counter.kind != ServicePoint.Kind.COUNTER:
        return False
    return permissions.can(user, permissions.Action.ACT, counter)


def _lock_counter(counter: ServicePoint, actor: User | None) -> ServicePoint:
    if actor is None or not actor.is_authenticated or counter.kind != ServicePoint.Kind.COUNTER:
        raise NotAllowed()
    # One query: the resolver's filter (the same rules as `may_use_counter`) narrows the locked
    # read, so a counter the actor may not use is never locked. The region rides along (its time
    # zone); only the counter's row is locked.
    locked = (
        permissions.visible_to(
            actor, ServicePoint.objects.filter(pk=counter.pk, kind=ServicePoint.Kind.COUNTER), permissions.Action.ACT
        )
        .select_related("region")
        .select_for_update(of=("self",))
        .first()
    )
    if locked is None:
        raise NotAllowed()
    return locked


def counter_pool_ids(counter: ServicePoint) -> list[int]:
    """The pools a counter calls: assigned to it and run by the counter's own agency."""
    if counter.agency_id is None:
        return []
    return list(
        QueuePool.objects.filter(counters=counter, agency_id=counter.agency_id, is_active=True)
        .order_by("pk")
        .values_list("pk", flat=True)
    )


def call_next_ticket(counter: ServicePoint, actor: User | None, *, at: dt.datetime | None = None) -> Ticket:
    """Call the next ticket for `counter`: priority first, then issue time, then id; the cap keeps regulars moving."""
    moment = at or dates.now()
    with _atomic():
        counter = _lock_counter(counter, actor)
        region_tz = counter.region.time_zone
        # Busy with a ticket of today only: one left called or serving when the mall closed yesterday does
        # not block the counter this morning (it stays as it was, in yesterday's statistics).
        if Ticket.objects.filter(counter=counter, state__in=ACTIVE_STATES, service_date=dates.today(region_tz)).exists():
            raise CounterBusy()
        pools = (
            list(
                QueuePool.objects.filter(counters=counter, agency_id=counter.agency_id, is_active=True)
                .order_by()
                .values_list("pk", "priority_cap")
            )
            if counter.agency_id
            else []
        )
        if not pools:
            raise NobodyWaiting(_("No queue is assigned to this counter."))
        waiting = Ticket.objects.filter(
            pool_id__in=[pk for pk, _cap in pools],
            service_date=dates.today(region_tz),
            state=TicketState.WAITING,
        ).filter(Q(target_counter=None) | Q(target_counter=counter))
        order: tuple[str, ...] = ("priority", "queued_at", "pk")
        cap = min(cap for _pk, cap in pools)
        if cap:
            recent = list(
                TicketEvent.objects.filter(counter=counter, kind=EventKind.CALLED)
                .order_by("-pk")
                .values_list("ticket__priority", flat=True)[:cap]
            )
            if len(recent) == cap and all(p < REGULAR_PRIORITY for p in recent):
                # Fairness cap (Pendopo rule): after N priority calls, the oldest regular ticket.
                order = ("-priority", "queued_at", "pk")
        # SKIP LOCKED: a ticket another counter is taking right now is passed over, not waited for.
        # SQLite has no row locks; its IMMEDIATE transactions already serialise this whole block.
        ticket = waiting.order_by(*order).select_related("pool").select_for_update(skip_locked=True, of=("self",)).first()
        if ticket is None:
            raise NobodyWaiting()
        ticket.state = TicketState.CALLED
        ticket.counter = counter
        ticket.target_counter = None
        ticket.called_at = ticket.called_at or moment
        ticket.save(update_fields=["state", "counter", "target_counter", "called_at"])
        ServiceRequest.objects.filter(ticket=ticket, ended_at=None).update(
            counter=counter, called_at=Coalesce(F("called_at"), Value(moment))
        )
        _event(ticket, EventKind.CALLED, actor=actor, counter=counter)
    return ticket


def _lock_ticket(ticket: Ticket, counter: ServicePoint, allowed: tuple[str, ...]) -> Ticket:
    locked = Ticket.objects.select_for_update().select_related("pool").get(pk=ticket.pk)
    if locked.region_id != counter.region_id or locked.pool.service_point_id != counter.parent_id:
        raise NotAllowed()
    if locked.counter_id is not None and locked.counter_id != counter.pk and locked.state in ACTIVE_STATES:
        raise HeldElsewhere()
    if locked.state not in allowed:
        raise WrongState()
    if locked.state in ACTIVE_STATES and locked.counter_id != counter.pk:
        raise HeldElsewhere()
    return locked


def recall_ticket(ticket: Ticket, counter: ServicePoint, actor: User | None) -> Ticket:
    """Announce the same ticket again; its first call time stays (reference §5)."""
    with _atomic():
        counter = _lock_counter(counter, actor)
        ticket = _lock_ticket(ticket, counter, (TicketState.CALLED,))
        _event(ticket, EventKind.RECALLED, actor=actor, counter=counter)
    return ticket


def skip_ticket(ticket: Ticket, counter: ServicePoint, actor: User | None, *, at: dt.datetime | None = None) -> Ticket:
    """The called visitor did not come: a no-show."""
    moment = at or dates.now()
    with _atomic():
        counter = _lock_counter(counter, actor)
        ticket = _lock_ticket(ticket, counter, (TicketState.CALLED,))
        ticket.state = TicketState.NO_SHOW
        ticket.canceled_at = moment
        ticket.cancel_reason = "no-show"
        ticket.save(update_fields=["state", "canceled_at", "cancel_reason"])
        ServiceRequest.objects.filter(ticket=ticket, ended_at=None).update(ended_at=moment, outcome="no_show")
        _event(ticket, EventKind.SKIPPED, actor=actor, counter=counter)
    return ticket


def start_service(ticket: Ticket, counter: ServicePoint, actor: User | None, *, at: dt.datetime | None = None) -> Ticket:
    moment = at or dates.now()
    with _atomic():
        counter = _lock_counter(counter, actor)
        ticket = _lock_ticket(ticket, counter, (TicketState.CALLED,))
        ticket.state = TicketState.SERVING
        ticket.started_at = ticket.started_at or moment
        ticket.save(update_fields=["state", "started_at"])
        ServiceRequest.objects.filter(ticket=ticket, ended_at=None).update(started_at=moment)
        _event(ticket, EventKind.STARTED, actor=actor, counter=counter)
    return ticket


def finish_service(ticket: Ticket, counter: ServicePoint, actor: User | None, *, at: dt.datetime | None = None) -> Ticket:
    moment = at or dates.now()
    with _atomic():
        counter = _lock_counter(counter, actor)
        ticket = _lock_ticket(ticket, counter, (TicketState.SERVING,))
        ticket.state = TicketState.FINISHED
        ticket.finished_at = moment
        ticket.save(update_fields=["state", "finished_at"])
        ServiceRequest.objects.filter(ticket=ticket, ended_at=None).update(ended_at=moment, outcome="finished")
        _event(ticket, EventKind.FINISHED, actor=actor, counter=counter)
    return ticket


def hold_ticket(ticket: Ticket, counter: ServicePoint, actor: User | None, note: str = "") -> Ticket:
    """The ticket leaves the counter for the on-hold list (e.g. the visitor fetches a document)."""
    with _atomic():
        counter = _lock_counter(counter, actor)
        ticket = _lock_ticket(ticket, counter, ACTIVE_STATES)
        ticket.state = TicketState.HELD
        ticket.counter = None
        ticket.save(update_fields=["state", "counter"])
        _event(ticket, EventKind.HELD, actor=actor, counter=counter, note=note)
    return ticket


def return_ticket(ticket: Ticket, counter: ServicePoint, actor: User | None) -> Ticket:
    """A held ticket goes back in line in its pool, at its original place."""
    with _atomic():
        counter = _lock_counter(counter, actor)
        ticket = _lock_ticket(ticket, counter, (TicketState.HELD,))
        if ticket.pool_id not in counter_pool_ids(counter):
            raise NotAllowed()
        ticket.state = TicketState.WAITING
        ticket.save(update_fields=["state"])
        _event(ticket, EventKind.RETURNED, actor=actor, counter=counter)
    return ticket


def transfer_ticket(
    ticket: Ticket,
    counter: ServicePoint,
    actor: User | None,
    *,
    pool: QueuePool | None = None,
    to_counter: ServicePoint | None = None,
    service: Service | None = None,
    keep_order: bool = True,
    note: str = "",
    at: dt.datetime | None = None,
) -> Ticket:
    """End the current service request and open the next one in another pool or at another counter.

    The ticket keeps its number and history; by default it keeps its place by issue time
    (`keep_order`), as TheQ does.
    """
    moment = at or dates.now()
    with _atomic():
        counter = _lock_counter(counter, actor)
        ticket = _lock_ticket(ticket, counter, (*ACTIVE_STATES, TicketState.HELD))
        if to_counter is not None:
            if to_counter.kind != ServicePoint.Kind.COUNTER or to_counter.parent_id != counter.parent_id:
                raise QueueError(_("Choose a counter of this service mall."))
            if pool is None:
                choices = counter_pool_ids(to_counter)
                if not choices:
                    raise QueueError(_("That counter calls no queue."))
                pool = QueuePool.objects.get(pk=ticket.pool_id if ticket.pool_id in choices else choices[0])
            elif pool.pk not in counter_pool_ids(to_counter):
                raise QueueError(_("That counter does not call this queue."))
        if pool is None:
            raise QueueError(_("Choose the queue or the counter to transfer to."))
        if pool.service_point_id != ticket.pool.service_point_id or not pool.is_active:
            raise QueueError(_("Choose a queue of this service mall."))
        if service is not None and not pool.services.filter(pk=service.pk).exists():
            raise QueueError(_("This service is not served in this queue."))
        if service is None and ticket.service_id and pool.services.filter(pk=ticket.service_id).exists():
            service = ticket.service  # the same service at another counter
        ServiceRequest.objects.filter(ticket=ticket, ended_at=None).update(ended_at=moment, outcome="transferred")
        seq = (ServiceRequest.objects.filter(ticket=ticket).aggregate(top=Max("seq"))["top"] or 0) + 1
        ticket.pool = pool
        ticket.service = service
        ticket.state = TicketState.WAITING
        ticket.counter = None
        ticket.target_counter = to_counter
        if not keep_order:
            ticket.queued_at = moment
        ticket.save(update_fields=["pool", "service", "state", "counter", "target_counter", "queued_at"])
        ServiceRequest.objects.create(ticket=ticket, seq=seq, pool=pool, service=service, queued_at=moment)
        where = to_counter.name if to_counter is not None else str(pool)
        _event(ticket, EventKind.TRANSFERRED, actor=actor, counter=counter, note=(note or where))
    return ticket


def cancel_ticket(ticket: Ticket, actor: User | None = None, reason: str = "", *, at: dt.datetime | None = None) -> Ticket:
    """The visitor left before being called (or staff cancel the number)."""
    moment = at or dates.now()
    with _atomic():
        ticket = Ticket.objects.select_for_update().select_related("pool").get(pk=ticket.pk)
        if ticket.state not in (TicketState.WAITING, TicketState.HELD):
            raise WrongState()
        ticket.state = TicketState.CANCELED
        ticket.canceled_at = moment
        ticket.cancel_reason = reason[:200]
        ticket.save(update_fields=["state", "canceled_at", "cancel_reason"])
        ServiceRequest.objects.filter(ticket=ticket, ended_at=None).update(ended_at=moment, outcome="canceled")
        _event(ticket, EventKind.CANCELED, actor=actor, note=reason)
    return ticket


COUNTER_ACTIONS = {
    "recall": recall_ticket,
    "skip": skip_ticket,
    "start": start_service,
    "finish": finish_service,
    "hold": hold_ticket,
    "return": return_ticket,
}
