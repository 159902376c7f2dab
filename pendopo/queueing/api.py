"""The queue's API under /api/v1/queue/{region}/… (region: its slug, e.g. banyuwangi).

Who may call what:

- public (no login): the pools with people waiting and the estimated wait, a ticket's status by
  its code (the code is its capability, as on the ticket's QR), the sessions open to booking,
  booking, a booking's status and its cancellation by its code;
- a registered kiosk (header `X-Queue-Device: <token>`) or an officer (session, with the CSRF
  token): issue a ticket, check a booking in;
- a registered display board (the same header): the display feed;
- an officer who may act on the counter (session): the counter's waiting list and its actions.

Refusals are the API's error body with the queue's reason in `errors[0].code` (`closed`,
`quota_full`, `already_booked`, `outside_window`, `unknown_booking`, `held_elsewhere`,
`counter_busy`, `nobody_waiting`, `wrong_state`, `not_allowed`, …) and a 4xx status; nothing is
changed. Lists are paged (`page`, `page_size`; `items`, `count`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import APIKeyHeader, django_auth
from pydantic import Field

from pendopo.catalog.models import Service
from pendopo.lib import dates
from pendopo.lib.apierrors import ApiError
from pendopo.queueing import actions, selectors
from pendopo.queueing import booking as bookings
from pendopo.queueing.errors import BookingNotOpen, QueueError, TooManyBookings
from pendopo.queueing.models import (
    ACTIVE_STATES,
    Booking,
    BookingSession,
    Device,
    PriorityGroup,
    QueuePool,
    Source,
    Ticket,
    TicketState,
)
from pendopo.regions.api import Paged
from pendopo.regions.links import absolute
from pendopo.regions.models import Region, ServicePoint, User
from pendopo.regions.permissions import Action, can, get_for_user, region_for

router = Router(tags=["service mall queue"])

# A repeated request with the same key within this time gives the first answer (a double tap).
REPLAY_SECONDS = 600


class DeviceKey(APIKeyHeader):
    """A registered kiosk or display board: its token (from its registration link) in `X-Queue-Device`."""

    param_name = "X-Queue-Device"

    def authenticate(self, request: HttpRequest, key: str | None) -> Device | None:
        if not key:
            return None
        return (
            Device.objects.select_related("service_point", "region")
            .filter(token_hash=selectors.device_token_hash(key), is_active=True)
            .first()
        )


device_key = DeviceKey()


# --- schemas ---------------------------------------------------------------------------------


class PoolOut(Schema):
    mall: str = Field(description="The service mall's code")
    prefix: str
    name: str
    agency: str
    services: list[str] = Field(description="Service codes served in this queue")
    waiting: int
    estimated_wait_minutes: int
    open: bool
    opens_at: dt.datetime | None = Field(description="When a closed queue opens")


class TicketIn(Schema):
    mall: str = Field("MPP", description="The service mall's code")
    pool: str = Field(description="The queue's prefix, e.g. A")
    service: str = Field("", description="The service's code (one of the queue's)")
    priority_group: str = Field("", description="elderly, disabled, pregnant, child, or empty")
    key: str = Field("", max_length=100, description="Idempotency key: the same key within 10 minutes gives the same ticket")


class TicketOut(Schema):
    code: str = Field(description="The ticket's public code (its QR opens `url`)")
    number: str = Field(description="PREFIX-NNN, e.g. A-012")
    state: str = Field(description="waiting, called, serving, held, finished, no_show, canceled")
    mall: str
    pool: str
    service: str | None
    priority_group: str
    source: str
    people_ahead: int
    estimated_wait_minutes: int
    counter: str | None = Field(description="The counter's number to go to, when called")
    issued_at: dt.datetime
    called_at: dt.datetime | None
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    url: str


class SlotOut(Schema):
    mall: str
    service: str
    date: dt.date
    starts_at: str = Field(description="HH:MM, local time")
    ends_at: str
    quota: int
    left: int = Field(description="Places left")
    check_in_opens: dt.datetime
    check_in_closes: dt.datetime


class BookingIn(Schema):
    mall: str = Field("MPP", description="The service mall's code")
    service: str = Field(description="The service's code")
    date: dt.date
    starts_at: str = Field(description="The session's start, HH:MM")
    nik: str = Field(max_length=32, description="16 digits; stored only as a keyed hash and its last four digits")
    name: str = Field(max_length=150)
    contact: str = Field("", max_length=200, description="Email or mobile number for the code (optional)")


class BookingOut(Schema):
    code: str
    state: str = Field(description="booked, checked_in, canceled, expired")
    mall: str
    service: str
    date: dt.date
    starts_at: str
    ends_at: str
    check_in_opens: dt.datetime
    check_in_closes: dt.datetime
    nik_last4: str
    ticket: str | None = Field(description="The ticket's code once checked in")
    url: str


class CheckInIn(Schema):
    mall: str = Field("", description="The kiosk's mall is used for a device; an officer may name it")


class CounterActionIn(Schema):
    action: str = Field(description="call, recall, skip, start, finish, hold, return, transfer")
    ticket: str = Field("", description="The ticket's code (all actions but call)")
    to_pool: str = Field("", description="transfer: the target queue's prefix")
    to_service: str = Field("", description="transfer: the service in the target queue")
    to_counter: str = Field("", description="transfer: the target counter's code")
    keep_order: bool = Field(True, description="transfer: keep the ticket's place by its issue time")
    note: str = Field("", max_length=300)


class WaitingOut(Schema):
    code: str
    number: str
    pool: str = Field(alias="pool.prefix")
    service: str | None = Field(None, alias="service.code")
    priority_group: str
    source: str
    issued_at: dt.datetime
    queued_at: dt.datetime = Field(description="The calling order's time (kept across a transfer)")


class CallOut(Schema):
    id: int = Field(description="The call event's id: the display's cursor")
    number: str
    counter: str
    recall: bool
    text: str = Field(description="The spoken phrase in Bahasa Indonesia")
    clips: list[str] = Field(description="The audio clips to play in turn (static/queueing/audio/<name>.wav)")


class ServingOut(Schema):
    number: str
    counter: str
    counter_name: str
    state: str


class FeedOut(Schema):
    cursor: int
    calls: list[CallOut]
    serving: list[ServingOut]
    next: list[str]


# --- helpers ---------------------------------------------------------------------------------


def _refuse(exc: QueueError) -> ApiError:
    return ApiError(exc.http_status, exc.message, [{"field": "", "code": exc.code, "message": exc.message}])


def _region(request: HttpRequest, slug: str) -> Region:
    return region_for(request.user, slug)


def _mall(region: Region, code: str) -> ServicePoint:
    mall = ServicePoint.objects.filter(region=region, code=code, kind=ServicePoint.Kind.SERVICE_MALL, is_active=True).first()
    if mall is None:
        raise Http404
    return mall


def _device(request: HttpRequest, region: Region, kind: str) -> Device | None:
    auth = getattr(request, "auth", None)
    if isinstance(auth, Device):
        if auth.region_id != region.pk or auth.kind != kind:
            detail = _("This device is not registered for this.")
            raise ApiError(403, detail, [{"field": "", "code": "device", "message": detail}])
        return auth
    return None


def _officer(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) and request.user.is_authenticated else None


def ticket_out(request: HttpRequest, region: Region, ticket: Ticket) -> dict[str, Any]:
    ahead = selectors.people_ahead(ticket)
    return {
        "code": ticket.code,
        "number": ticket.number,
        "state": ticket.state,
        "mall": ticket.pool.service_point.code,
        "pool": ticket.pool.prefix,
        "service": ticket.service.code if ticket.service else None,
        "priority_group": ticket.priority_group,
        "source": ticket.source,
        "people_ahead": ahead,
        "estimated_wait_minutes": selectors.estimated_wait_minutes(ticket.pool, ahead, ticket.service_date),
        "counter": selectors.counter_label(ticket.counter) if ticket.counter and ticket.state in ACTIVE_STATES else None,
        "issued_at": ticket.issued_at,
        "called_at": ticket.called_at,
        "started_at": ticket.started_at,
        "finished_at": ticket.finished_at,
        "url": absolute(reverse("queueing:ticket", args=[region.slug, ticket.code]), request),
    }


def _ticket(region: Region, code: str) -> Ticket:
    found = (
        Ticket.objects.select_related("pool", "pool__service_point", "service", "counter")
        .filter(region=region, code=code.strip().upper())
        .first()
    )
    if found is None:
        raise Http404
    return found


def booking_out(request: HttpRequest, region: Region, booking: Booking) -> dict[str, Any]:
    session = booking.session
    window = bookings.check_in_window(session, booking.date, region.time_zone)
    return {
        "code": booking.code,
        "state": booking.state,
        "mall": session.pool.service_point.code,
        "service": booking.service.code,
        "date": booking.date,
        "starts_at": session.starts_at.strftime("%H:%M"),
        "ends_at": session.ends_at.strftime("%H:%M"),
        "check_in_opens": window.opens,
        "check_in_closes": window.closes,
        "nik_last4": booking.nik_last4,
        "ticket": booking.ticket.code if booking.ticket_id and booking.ticket else None,
        "url": absolute(reverse("queueing:booking", args=[region.slug, booking.code]), request),
    }


def _booking(region: Region, code: str) -> Booking:
    try:
        return bookings.find(region, code)
    except QueueError as exc:
        raise _refuse(exc) from None


# --- public ----------------------------------------------------------------------------------


@router.get("/queue/{region}/pools", response=list[PoolOut], summary="The queues with people waiting and the estimated wait now")
@paginate(Paged)
def pools(request: HttpRequest, region: str) -> list[dict[str, Any]]:
    found = _region(request, region)
    today = dates.today(found.time_zone)
    rows = []
    openings: dict[int, actions.Opening] = {}
    counts: dict[int, dict[int, int]] = {}
    for pool in (
        QueuePool.objects.filter(region=found, is_active=True, service_point__is_active=True)
        .select_related("service_point", "agency")
        .prefetch_related("services", "counters")
        .order_by("service_point__code", "prefix")
    ):
        mall = pool.service_point
        if mall.pk not in openings:
            openings[mall.pk] = actions.opening(found, mall)
            counts[mall.pk] = selectors.pool_waiting_counts(found, mall, today)
        waiting = counts[mall.pk].get(pool.pk, 0)
        rows.append(
            {
                "mall": mall.code,
                "prefix": pool.prefix,
                "name": pool.name,
                "agency": pool.agency.code,
                "services": [s.code for s in pool.services.all()],
                "waiting": waiting,
                "estimated_wait_minutes": selectors.estimated_wait_minutes(pool, waiting, today),
                "open": openings[mall.pk].is_open,
                "opens_at": openings[mall.pk].opens_at,
            }
        )
    return rows


@router.get("/queue/{region}/tickets/{code}", response=TicketOut, summary="A ticket's status by its code (what its QR opens)")
def ticket_status(request: HttpRequest, region: str, code: str) -> dict[str, Any]:
    found = _region(request, region)
    return ticket_out(request, found, _ticket(found, code))


@router.post(
    "/queue/{region}/tickets",
    response={201: TicketOut, 200: TicketOut},
    auth=[device_key, django_auth],
    summary="Issue a ticket (a registered kiosk, or an officer at the information desk)",
)
def issue(request: HttpRequest, region: str, payload: TicketIn) -> tuple[int, dict[str, Any]]:
    found = _region(request, region)
    device = _device(request, found, Device.Kind.KIOSK)
    mall = device.service_point if device else _mall(found, payload.mall)
    pool = QueuePool.objects.filter(service_point=mall, prefix=payload.pool.strip().upper(), is_active=True).first()
    if pool is None:
        raise Http404
    if device is None and not can(request.user, Action.ACT, pool):
        raise Http404
    replay = f"queueing:api-ticket:{device.pk if device else 'u' + str(request.user.pk)}:{payload.key}" if payload.key else ""
    earlier = cache.get(replay) if replay else None
    if earlier:
        return 200, ticket_out(request, found, _ticket(found, earlier))
    service = None
    if payload.service:
        service = Service.objects.filter(region=found, code=payload.service).first()
        if service is None:
            raise _refuse(QueueError(_("This service is not served in this queue.")))
    if payload.priority_group not in PriorityGroup.values:
        raise _refuse(QueueError(_("Choose a priority group from the list.")))
    try:
        ticket = actions.issue_ticket(
            pool,
            service=service,
            priority_group=payload.priority_group,
            source=Source.KIOSK if device else Source.DESK,
            actor=_officer(request),
        )
    except QueueError as exc:
        raise _refuse(exc) from None
    if replay:
        cache.set(replay, ticket.code, REPLAY_SECONDS)
    return 201, ticket_out(request, found, _ticket(found, ticket.code))


@router.get("/queue/{region}/sessions", response=list[SlotOut], summary="Sessions of a service open to booking, with places left")
@paginate(Paged)
def sessions(request: HttpRequest, region: str, service: str) -> list[dict[str, Any]]:
    found = _region(request, region)
    chosen = Service.objects.filter(region=found, code=service, is_active=True).first()
    if chosen is None:
        raise Http404
    return [
        {
            "mall": slot.session.pool.service_point.code,
            "service": chosen.code,
            "date": slot.day,
            "starts_at": slot.session.starts_at.strftime("%H:%M"),
            "ends_at": slot.session.ends_at.strftime("%H:%M"),
            "quota": slot.session.quota,
            "left": slot.left,
            "check_in_opens": slot.window.opens,
            "check_in_closes": slot.window.closes,
        }
        for slot in bookings.open_slots(found, chosen)
    ]


@router.post("/queue/{region}/bookings", response={201: BookingOut}, summary="Book a session (NIK, name, optional contact)")
def book(request: HttpRequest, region: str, payload: BookingIn) -> tuple[int, dict[str, Any]]:
    found = _region(request, region)
    if not bookings.booking_allowed(request):
        raise _refuse(TooManyBookings())
    try:
        starts = dt.time.fromisoformat(payload.starts_at)
    except ValueError:
        raise _refuse(QueueError(_("Choose a session."))) from None
    session = (
        BookingSession.objects.select_related("pool", "pool__service_point", "service")
        .filter(
            region=found,
            service__code=payload.service,
            pool__service_point__code=payload.mall,
            weekday=payload.date.weekday(),
            starts_at=starts,
        )
        .first()
    )
    if session is None:
        raise _refuse(BookingNotOpen(_("This session is not held on that day.")))
    try:
        made = bookings.book(
            session,
            payload.date,
            nik=payload.nik,
            name=payload.name,
            contact=payload.contact,
            actor=_officer(request),
        )
    except QueueError as exc:
        raise _refuse(exc) from None
    bookings.booking_counted(request)
    return 201, booking_out(request, found, _booking(found, made.code))


@router.get("/queue/{region}/bookings/{code}", response=BookingOut, summary="A booking by its code")
def booking_status(request: HttpRequest, region: str, code: str) -> dict[str, Any]:
    found = _region(request, region)
    return booking_out(request, found, _booking(found, code))


@router.post("/queue/{region}/bookings/{code}/cancel", response=BookingOut, summary="Cancel a booking: its place is free again")
def cancel(request: HttpRequest, region: str, code: str) -> dict[str, Any]:
    found = _region(request, region)
    try:
        bookings.cancel(_booking(found, code), actor=_officer(request))
    except QueueError as exc:
        raise _refuse(exc) from None
    return booking_out(request, found, _booking(found, code))


@router.post(
    "/queue/{region}/bookings/{code}/check-in",
    response=TicketOut,
    auth=[device_key, django_auth],
    summary="Check a booking in within its window: a normal ticket (a registered kiosk, or an officer)",
)
def check_in(request: HttpRequest, region: str, code: str) -> dict[str, Any]:
    found = _region(request, region)
    device = _device(request, found, Device.Kind.KIOSK)
    booking = _booking(found, code)
    if device is None and not can(request.user, Action.ACT, booking.session.pool):
        raise Http404
    try:
        ticket = bookings.check_in(booking, mall=device.service_point if device else None, actor=_officer(request))
    except QueueError as exc:
        raise _refuse(exc) from None
    return ticket_out(request, found, _ticket(found, ticket.code))


# --- counters and displays -------------------------------------------------------------------


def _counter(request: HttpRequest, region: Region, code: str) -> ServicePoint:
    return get_for_user(
        request.user,
        ServicePoint.objects.select_related("agency", "parent").filter(kind=ServicePoint.Kind.COUNTER),
        Action.ACT,
        region=region,
        code=code,
    )


@router.get(
    "/queue/{region}/counters/{counter}/waiting",
    response=list[WaitingOut],
    auth=django_auth,
    summary="The tickets a counter would call, in calling order (officers of the counter)",
)
@paginate(Paged)
def waiting(request: HttpRequest, region: str, counter: str) -> QuerySet[Ticket]:
    found = _region(request, region)
    point = _counter(request, found, counter)
    return (
        Ticket.objects.filter(
            pool_id__in=actions.counter_pool_ids(point),
            service_date=dates.today(found.time_zone),
            state=TicketState.WAITING,
        )
        .filter(Q(target_counter=None) | Q(target_counter=point))
        .select_related("pool", "service")
        .order_by("priority", "queued_at", "pk")
    )


@router.post(
    "/queue/{region}/counters/{counter}/actions",
    response=TicketOut,
    auth=django_auth,
    summary="A counter's action: call (next), recall, skip, start, finish, hold, return, transfer",
)
def counter_action(request: HttpRequest, region: str, counter: str, payload: CounterActionIn) -> dict[str, Any]:
    found = _region(request, region)
    point = _counter(request, found, counter)
    actor = _officer(request)
    try:
        if payload.action == "call":
            ticket = actions.call_next_ticket(point, actor)
        else:
            target = Ticket.objects.filter(region=found, code=payload.ticket.strip().upper()).first()
            if target is None:
                raise Http404
            if payload.action == "transfer":
                ticket = _transfer(found, point, target, payload, actor)
            elif payload.action in actions.COUNTER_ACTIONS:
                ticket = actions.COUNTER_ACTIONS[payload.action](target, point, actor)
            else:
                raise QueueError(_("Unknown action."))
    except QueueError as exc:
        raise _refuse(exc) from None
    return ticket_out(request, found, _ticket(found, ticket.code))


def _transfer(region: Region, point: ServicePoint, target: Ticket, payload: CounterActionIn, actor: User | None) -> Ticket:
    pool = to_counter = service = None
    if payload.to_pool:
        pool = QueuePool.objects.filter(service_point_id=point.parent_id, prefix=payload.to_pool.upper(), is_active=True).first()
        if pool is None:
            raise QueueError(_("Choose the queue or the counter to transfer to."))
    if payload.to_counter:
        to_counter = ServicePoint.objects.filter(region=region, parent_id=point.parent_id, code=payload.to_counter).first()
        if to_counter is None:
            raise QueueError(_("Choose the queue or the counter to transfer to."))
    if payload.to_service:
        service = Service.objects.filter(region=region, code=payload.to_service).first()
        if service is None:
            raise QueueError(_("This service is not served in this queue."))
    return actions.transfer_ticket(
        target,
        point,
        actor,
        pool=pool,
        to_counter=to_counter,
        service=service,
        keep_order=payload.keep_order,
        note=payload.note,
    )


@router.get(
    "/queue/{region}/display",
    response=FeedOut,
    auth=device_key,
    summary="The display board's feed: calls after the cursor (to announce once), tickets at the counters, next numbers",
)
def display(request: HttpRequest, region: str, after: int | None = None) -> dict[str, Any]:
    found = _region(request, region)
    device = _device(request, found, Device.Kind.DISPLAY)
    if device is None:
        raise Http404
    if after is not None and after < 0:
        raise ApiError(422, _("The request is not valid."))
    # Without a cursor the board starts from now: old calls are not announced.
    return selectors.display_feed(device, after)
