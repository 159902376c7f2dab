"""The citizen's booking pages (phone-friendly): choose a session, book, see the code and QR, cancel; the desk's check-in."""

from __future__ import annotations

import datetime as dt
import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pendopo.catalog.models import Service
from pendopo.lib import dates
from pendopo.lib.qr import qr_svg
from pendopo.queueing import booking as bookings
from pendopo.queueing.errors import BookingError, QueueError, TooManyBookings
from pendopo.queueing.models import BookingSession, BookingState
from pendopo.regions.links import absolute
from pendopo.regions.models import Region, User
from pendopo.regions.permissions import Action, can, region_for

# A second tap on "Book" with the same form gives the same booking, not an error.
REPLAY_SECONDS = 600


def _services(region: Region) -> list[Service]:
    ids = BookingSession.objects.filter(region=region, pool__is_active=True).values("service_id")
    return list(Service.objects.filter(pk__in=ids, is_active=True).order_by("name"))


def slot_value(slot: bookings.Slot) -> str:
    return f"{slot.session.pool.service_point.code}|{slot.day.isoformat()}|{slot.session.starts_at:%H:%M}"


def _session_for(region: Region, service: Service, value: str) -> tuple[BookingSession, dt.date]:
    mall, _sep, rest = value.partition("|")
    day_text, _sep2, start = rest.partition("|")
    try:
        day = dt.date.fromisoformat(day_text)
        starts = dt.time.fromisoformat(start)
    except ValueError:
        raise BookingError(_("Choose a session.")) from None
    session = (
        BookingSession.objects.select_related("pool", "pool__service_point", "service")
        .filter(region=region, service=service, pool__service_point__code=mall, weekday=day.weekday(), starts_at=starts)
        .first()
    )
    if session is None:
        raise BookingError(_("Choose a session."))
    return session, day


@never_cache
def book(request: HttpRequest, region_slug: str) -> HttpResponse:
    """Choose a service, then a day and session with places left; NIK, name and (optionally) a contact."""
    region = region_for(request.user, region_slug)
    services = _services(region)
    service = next((s for s in services if s.code == request.GET.get("layanan", request.POST.get("layanan", ""))), None)
    error, status = "", 200
    if request.method == "POST" and service is not None:
        once = request.POST.get("once", "")
        key = f"queueing:booking:{once}"
        earlier = cache.get(key) if once else None
        if earlier:
            return redirect(reverse("queueing:booking", args=[region.slug, earlier]))
        try:
            if not bookings.booking_allowed(request):
                raise TooManyBookings()
            session, day = _session_for(region, service, request.POST.get("slot", ""))
            made = bookings.book(
                session,
                day,
                nik=request.POST.get("nik", ""),
                name=request.POST.get("name", ""),
                contact=request.POST.get("contact", ""),
                actor=request.user if isinstance(request.user, User) else None,
            )
        except QueueError as exc:
            error, status = exc.message, exc.http_status
        else:
            bookings.booking_counted(request)
            if once:
                cache.set(key, made.code, REPLAY_SECONDS)
            return redirect(reverse("queueing:booking", args=[region.slug, made.code]))
    slots = bookings.open_slots(region, service) if service else []
    context = {
        "region": region,
        "services": services,
        "service": service,
        "slots": [{"slot": s, "value": slot_value(s)} for s in slots],
        "error": error,
        "posted": request.POST if status != 200 else {},
        "once": secrets.token_urlsafe(12),
        "days": bookings.booking_days(),
    }
    return render(request, "queueing/book.html", context, status=status)


@never_cache
def booking(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    """The booking's page: what the QR opens, what the kiosk scans; the code is its capability."""
    region = region_for(request.user, region_slug)
    try:
        found = bookings.find(region, code)
    except BookingError:
        return render(request, "queueing/booking_missing.html", {"region": region}, status=404)
    address = absolute(reverse("queueing:booking", args=[region.slug, found.code]), request)
    context = {
        "region": region,
        "booking": found,
        "window": bookings.check_in_window(found.session, found.date, region.time_zone),
        # segno writes the SVG from our own address: nothing from the visitor reaches the markup.
        "qr": mark_safe(qr_svg(address, scale=5, omit_size=True, title=_("QR code of the booking"))),
        "may_cancel": found.state == BookingState.BOOKED,
        "today": dates.today(region.time_zone),
    }
    return render(request, "queueing/booking.html", context)


@require_POST
def cancel(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    try:
        found = bookings.find(region, code)
        bookings.cancel(found, actor=request.user if isinstance(request.user, User) else None)
    except BookingError as exc:
        if exc.http_status == 404:
            return render(request, "queueing/booking_missing.html", {"region": region}, status=404)
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The booking is canceled; its place is free for someone else."))
    return redirect(reverse("queueing:booking", args=[region.slug, code]))


@login_required
@require_POST
def desk_check_in(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The information desk checks a booking in (the citizen shows the code or its QR) and prints the ticket."""
    region = region_for(request.user, region_slug)
    back = redirect(reverse("queueing:counters", args=[region.slug]))
    try:
        found = bookings.find(region, request.POST.get("code", ""))
        if not can(request.user, Action.ACT, found.session.pool):
            raise BookingError(_("You may not check in bookings of this queue."))
        ticket = bookings.check_in(found, actor=request.user if isinstance(request.user, User) else None)
    except QueueError as exc:
        messages.error(request, exc.message)
        return back
    messages.success(request, _("Checked in: ticket %(number)s.") % {"number": ticket.number})
    return redirect(reverse("queueing:print", args=[region.slug, ticket.code]))
