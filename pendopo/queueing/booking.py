"""Online booking: book a session, cancel, check in at the kiosk or the desk (a normal ticket), expire no-shows.

Rules (reference §8): a date from today to today + `PENDOPO_QUEUE_BOOKING_DAYS` (local date, both
inclusive), on the session's weekday and a working day of the mall's calendar; a quota per session
and date counting bookings booked or checked in; one active booking per (NIK keyed hash, service,
date), enforced by a partial unique constraint; a check-in window from the session's start −
`PENDOPO_QUEUE_CHECKIN_OPEN_MINUTES` to its end + `PENDOPO_QUEUE_CHECKIN_GRACE_MINUTES`, both ends
inclusive. Every step writes a `BookingEvent`.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from pendopo.catalog.models import Service
from pendopo.lib import codes, dates
from pendopo.queueing import actions
from pendopo.queueing.errors import (
    AlreadyBooked,
    BookingClosed,
    BookingError,
    BookingNotOpen,
    OutsideWindow,
    QuotaFull,
    UnknownBooking,
)
from pendopo.queueing.models import (
    BOOKING_ACTIVE,
    Booking,
    BookingEvent,
    BookingSession,
    BookingState,
    Source,
    Ticket,
)
from pendopo.regions import personal
from pendopo.regions.models import Region, ServicePoint, User

# Online bookings per client address per hour (an officer logged in at the desk is not limited):
# quotas are small, and a script with made-up NIKs could otherwise take a whole day's places.
BOOKINGS_PER_HOUR = 10


def _rate_key(request: Any) -> str:
    from ninja.throttling import BaseThrottle

    return f"queueing:booking-rate:{BaseThrottle().get_ident(request)}"


def booking_allowed(request: Any) -> bool:
    """May this client book once more this hour? (Refused attempts do not count.)"""
    from django.core.cache import cache

    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return True
    now = dates.now().timestamp()
    recent = [t for t in cache.get(_rate_key(request), []) if t > now - 3600]
    return len(recent) < BOOKINGS_PER_HOUR


def booking_counted(request: Any) -> None:
    from django.core.cache import cache

    if getattr(request, "user", None) is not None and request.user.is_authenticated:
        return
    now = dates.now().timestamp()
    key = _rate_key(request)
    cache.set(key, [t for t in cache.get(key, []) if t > now - 3600] + [now], 3700)


def booking_days() -> int:
    return int(settings.PENDOPO_QUEUE_BOOKING_DAYS)


def normalise_nik(value: str) -> str:
    """Non-digits stripped; exactly 16 digits (reference §8)."""
    digits = re.sub(r"\D", "", value or "")
    if len(digits) != 16:
        raise BookingError(_("A NIK has exactly 16 digits."))
    return digits


def _nik_hash(nik: str) -> str:
    return personal.lookup_hash("queue-booking:" + nik)


@dataclass(frozen=True)
class Window:
    opens: dt.datetime
    closes: dt.datetime

    def contains(self, moment: dt.datetime) -> bool:
        return self.opens <= moment <= self.closes


def check_in_window(session: BookingSession, day: dt.date, tz: str) -> Window:
    """From the session's start − open minutes to its end + grace minutes, both inclusive."""
    zone = ZoneInfo(tz)
    start = dt.datetime.combine(day, session.starts_at, tzinfo=zone)
    end = dt.datetime.combine(day, session.ends_at, tzinfo=zone)
    return Window(
        start - dt.timedelta(minutes=int(settings.PENDOPO_QUEUE_CHECKIN_OPEN_MINUTES)),
        end + dt.timedelta(minutes=int(settings.PENDOPO_QUEUE_CHECKIN_GRACE_MINUTES)),
    )


def bookable_days(region: Region, mall: ServicePoint, moment: dt.datetime | None = None) -> list[dt.date]:
    """Today through today + N days (local), working days of the mall only."""
    today = dates.today(region.time_zone) if moment is None else moment.astimezone(ZoneInfo(region.time_zone)).date()
    calendar = region.calendar(mall)
    return [d for d in (today + dt.timedelta(days=i) for i in range(booking_days() + 1)) if calendar.is_working_day(d)]


def taken(session: BookingSession, day: dt.date) -> int:
    return Booking.objects.filter(session=session, date=day, state__in=BOOKING_ACTIVE).count()


@dataclass(frozen=True)
class Slot:
    session: BookingSession
    day: dt.date
    left: int
    window: Window


def open_slots(region: Region, service: Service, moment: dt.datetime | None = None) -> list[Slot]:
    """Every session of `service` that can still be booked, with the places left (two queries per mall)."""
    from django.db.models import Count, Q

    moment = moment or dates.now()
    sessions = list(
        BookingSession.objects.filter(region=region, service=service, pool__is_active=True)
        .select_related("pool", "pool__service_point", "service")
        .order_by("pool__service_point__code", "weekday", "starts_at")
    )
    slots: list[Slot] = []
    malls: dict[int, list[dt.date]] = {}
    for session in sessions:
        mall = session.pool.service_point
        if mall.pk not in malls:
            malls[mall.pk] = bookable_days(region, mall, moment)
        days = [d for d in malls[mall.pk] if d.weekday() == session.weekday]
        if not days:
            continue
        counts = dict(
            Booking.objects.filter(session=session, date__in=days)
            .values_list("date")
            .annotate(n=Count("pk", filter=Q(state__in=BOOKING_ACTIVE)))
        )
        for day in days:
            window = check_in_window(session, day, region.time_zone)
            if moment > window.closes:
                continue
            slots.append(Slot(session, day, max(0, session.quota - counts.get(day, 0)), window))
    slots.sort(key=lambda s: (s.day, s.session.starts_at, s.session.pool.service_point.code))
    return slots


def _event(booking: Booking, kind: str, actor: User | None = None, at: dt.datetime | None = None) -> None:
    BookingEvent.objects.create(
        booking=booking,
        kind=kind,
        at=at or dates.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
    )


def _clean_contact(contact: str) -> tuple[str, str]:
    """(channel, address) of an email or an Indonesian mobile number; ("", "") when empty."""
    from pendopo.catalog.validators import validate_phone

    contact = (contact or "").strip()
    if not contact:
        return "", ""
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            raise BookingError(_("Enter a valid email address or a mobile number.")) from None
        return "email", contact
    try:
        return "whatsapp", validate_phone(contact)
    except ValidationError:
        raise BookingError(_("Enter a valid email address or a mobile number.")) from None


def book(
    session: BookingSession,
    day: dt.date,
    *,
    nik: str,
    name: str,
    contact: str = "",
    actor: User | None = None,
    at: dt.datetime | None = None,
) -> Booking:
    """Book a place in `session` on `day`; refused beyond the window, over the quota or for a second active booking."""
    moment = at or dates.now()
    nik = normalise_nik(nik)
    name = " ".join((name or "").split())[:150]
    if not name:
        raise BookingError(_("Enter the visitor's name."))
    channel, address = _clean_contact(contact)
    region = Region.objects.get(pk=session.region_id)
    mall = session.pool.service_point
    today = moment.astimezone(ZoneInfo(region.time_zone)).date()
    last = today + dt.timedelta(days=booking_days())
    if not today <= day <= last:
        raise BookingNotOpen(
            _("A visit can be booked from today up to %(days)s days ahead (until %(last)s)."),
            days=booking_days(),
            last=last.strftime("%d-%m-%Y"),
        )
    if day.weekday() != session.weekday:
        raise BookingNotOpen(_("This session is not held on that day."))
    calendar = region.calendar(mall)
    if not calendar.is_working_day(day):
        holiday = calendar.holiday_name(day)
        if holiday:
            raise BookingNotOpen(_("%(day)s is a day off (%(holiday)s)."), day=day.strftime("%d-%m-%Y"), holiday=holiday)
        raise BookingNotOpen(_("%(day)s is not a working day."), day=day.strftime("%d-%m-%Y"))
    if moment > check_in_window(session, day, region.time_zone).closes:
        raise BookingNotOpen(_("This session is over."))
    nik_hash = _nik_hash(nik)
    with actions._atomic():
        # The session's row lock serialises bookings of one session: the last place goes once.
        locked = BookingSession.objects.select_for_update().get(pk=session.pk)
        if Booking.objects.filter(nik_hash=nik_hash, service_id=locked.service_id, date=day, state__in=BOOKING_ACTIVE).exists():
            raise AlreadyBooked()
        if taken(locked, day) >= locked.quota:
            raise QuotaFull()
        try:
            with transaction.atomic():
                booking = Booking.objects.create(
                    region_id=locked.region_id,
                    session=locked,
                    service_id=locked.service_id,
                    date=day,
                    code=codes.new_code(region.prefix),
                    nik_hash=nik_hash,
                    nik_last4=nik[-4:],
                    name=name,
                    contact_encrypted=personal.protect(address)[0] if address else "",
                    created_at=moment,
                )
        except IntegrityError:  # the partial unique constraint: the same NIK booked at the same moment
            raise AlreadyBooked() from None
        _event(booking, "booked", actor, moment)
        if address:
            _send_code(booking, region, channel, address)
    return booking


def _send_code(booking: Booking, region: Region, channel: str, address: str) -> None:
    """The booking code and the link to its page (with the QR) by email or WhatsApp, through the outbox."""
    from pendopo.notifications import outbox
    from pendopo.regions.links import absolute

    session = booking.session
    link = absolute(reverse("queueing:booking", args=[region.slug, booking.code]))
    text = _(
        "Your queue booking %(code)s: %(service)s at %(mall)s on %(day)s, %(start)s–%(end)s. "
        "Check in at the kiosk with this code or the QR code on %(link)s"
    ) % {
        "code": booking.code,
        "service": session.service.name,
        "mall": session.pool.service_point.name,
        "day": booking.date.strftime("%d-%m-%Y"),
        "start": session.starts_at.strftime("%H.%M"),
        "end": session.ends_at.strftime("%H.%M"),
        "link": link,
    }
    outbox.schedule(
        event_key=f"queue-booking:{booking.code}",
        channel=channel,
        to=address,
        subject=_("Queue booking %(code)s") % {"code": booking.code},
        body_text=text,
        region=region,
    )


def find(region: Region, code: str) -> Booking:
    """The region's booking with this code (typed, with typos normalised, or read from its QR link)."""
    code = (code or "").strip().rstrip("/")
    if "/" in code:  # a scanned QR is the booking page's address: its last part is the code
        code = code.rsplit("/", 1)[-1]
    try:
        normal = codes.normalise(code)
    except codes.CodeError:
        raise UnknownBooking() from None
    booking = (
        Booking.objects.select_related("session", "session__pool", "session__pool__service_point", "service", "ticket")
        .filter(region=region, code=normal)
        .first()
    )
    if booking is None:
        raise UnknownBooking()
    return booking


def cancel(booking: Booking, *, actor: User | None = None, at: dt.datetime | None = None) -> Booking:
    """The citizen (or staff) cancels: the place is free again, and so is the NIK for that day."""
    moment = at or dates.now()
    with actions._atomic():
        locked = Booking.objects.select_for_update().get(pk=booking.pk)
        if locked.state != BookingState.BOOKED:
            raise BookingClosed(_("Only a booking not yet checked in can be canceled."))
        locked.state = BookingState.CANCELED
        locked.changed_at = moment
        locked.save(update_fields=["state", "changed_at"])
        _event(locked, "canceled", actor, moment)
    return locked


def check_in(
    booking: Booking,
    *,
    mall: ServicePoint | None = None,
    actor: User | None = None,
    at: dt.datetime | None = None,
) -> Ticket:
    """Within the window, the booking becomes a normal ticket (source online). A second scan gives the same ticket."""
    moment = at or dates.now()
    region = Region.objects.get(pk=booking.region_id)
    with actions._atomic():
        locked = (
            Booking.objects.select_for_update()
            .select_related("session", "session__pool", "session__pool__service_point", "service")
            .get(pk=booking.pk)
        )
        pool = locked.session.pool
        if mall is not None and pool.service_point_id != mall.pk:
            raise BookingClosed(_("This booking is for another service mall: %(mall)s."), mall=pool.service_point.name)
        if locked.state == BookingState.CHECKED_IN and locked.ticket_id:
            return Ticket.objects.get(pk=locked.ticket_id)
        if locked.state == BookingState.CANCELED:
            raise BookingClosed(_("This booking was canceled."))
        if locked.state == BookingState.EXPIRED:
            raise BookingClosed(_("This booking has expired: its check-in time has ended."))
        window = check_in_window(locked.session, locked.date, region.time_zone)
        if moment < window.opens:
            raise OutsideWindow(
                _("Check-in opens on %(day)s at %(time)s."),
                day=window.opens.strftime("%d-%m-%Y"),
                time=window.opens.strftime("%H.%M"),
            )
        if moment > window.closes:
            raise OutsideWindow(_("The check-in time has ended (%(time)s)."), time=window.closes.strftime("%H.%M"))
        # The window governs an online visit: it may open before the counters do.
        ticket = actions.issue_ticket(
            pool, service=locked.service, source=Source.ONLINE, actor=actor, at=moment, check_hours=False
        )
        locked.state = BookingState.CHECKED_IN
        locked.ticket = ticket
        locked.changed_at = moment
        locked.save(update_fields=["state", "ticket", "changed_at"])
        _event(locked, "checked_in", actor, moment)
    return ticket


def expire_bookings(at: dt.datetime | None = None) -> int:
    """Bookings not checked in by the end of their window expire (no-show): their place and NIK are free."""
    moment = at or dates.now()
    latest = moment.date() + dt.timedelta(days=1)  # no local date is later than UTC's + 1
    expired = 0
    candidates = Booking.objects.filter(state=BookingState.BOOKED, date__lte=latest).select_related("session", "region")
    for booking in candidates.iterator():
        if moment <= check_in_window(booking.session, booking.date, booking.region.time_zone).closes:
            continue
        with actions._atomic():
            changed = Booking.objects.filter(pk=booking.pk, state=BookingState.BOOKED).update(
                state=BookingState.EXPIRED, changed_at=moment
            )
            if changed:
                _event(booking, "expired", None, moment)
                expired += changed
    return expired
