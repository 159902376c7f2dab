"""Pages of the queue: the public overview, the kiosk, the ticket (status and print), the display board, the counter."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from pendopo.catalog.models import Service
from pendopo.lib import dates
from pendopo.lib.qr import qr_svg
from pendopo.queueing import actions, selectors, visits
from pendopo.queueing.errors import QueueError
from pendopo.queueing.models import (
    ACTIVE_STATES,
    Device,
    PriorityGroup,
    QueuePool,
    Source,
    Ticket,
    TicketState,
)
from pendopo.regions.links import absolute
from pendopo.regions.models import Region, ServicePoint, User
from pendopo.regions.permissions import Action, get_for_user, region_for, visible_to

# A double tap on the kiosk within this time gives the same ticket, not two.
KIOSK_REPLAY_SECONDS = 600
DEVICE_COOKIE_DAYS = 3650


def _region(request: HttpRequest, slug: str) -> Region:
    return region_for(request.user, slug)


def _malls(region: Region) -> list[ServicePoint]:
    return list(ServicePoint.objects.filter(region=region, kind=ServicePoint.Kind.SERVICE_MALL, is_active=True).order_by("code"))


def _device(request: HttpRequest, region: Region, kind: str) -> Device | None:
    return selectors.device_for(region, request.COOKIES.get(selectors.DEVICE_COOKIE), kind)


def _unregistered(request: HttpRequest, region: Region, kind: str) -> HttpResponse:
    context = {"region": region, "kind": kind}
    return render(request, "queueing/unregistered.html", context, status=403)


def index(request: HttpRequest, region_slug: str) -> HttpResponse:
    """Every mall's queues with the people waiting and the estimated wait now."""
    region = _region(request, region_slug)
    today = dates.today(region.time_zone)
    malls = []
    for mall in _malls(region):
        waiting = selectors.pool_waiting_counts(region, mall, today)
        pools = list(QueuePool.objects.filter(service_point=mall, is_active=True).prefetch_related("services", "counters"))
        rows = [
            {
                "pool": pool,
                "waiting": waiting.get(pool.pk, 0),
                "wait_minutes": selectors.estimated_wait_minutes(pool, waiting.get(pool.pk, 0), today),
            }
            for pool in pools
        ]
        malls.append({"mall": mall, "rows": rows, "opening": actions.opening(region, mall)})
    return render(request, "queueing/index.html", {"region": region, "malls": malls})


def register_device(request: HttpRequest, region_slug: str, token: str) -> HttpResponse:
    """The link an administrator opens once on the kiosk or TV: it stores the device's token in a cookie."""
    region = _region(request, region_slug)
    device = None
    for kind in (Device.Kind.KIOSK, Device.Kind.DISPLAY):
        device = selectors.device_for(region, token, kind)
        if device is not None:
            break
    if device is None:
        return _unregistered(request, region, "")
    target = "queueing:kiosk" if device.kind == Device.Kind.KIOSK else "queueing:display"
    response = redirect(reverse(target, args=[region.slug]))
    response.set_cookie(
        selectors.DEVICE_COOKIE,
        token,
        max_age=DEVICE_COOKIE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=request.is_secure(),
    )
    return response


@never_cache
def kiosk(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The touch screen at the entrance: one tap on a service gives a printed number."""
    region = _region(request, region_slug)
    device = _device(request, region, Device.Kind.KIOSK)
    if device is None:
        return _unregistered(request, region, Device.Kind.KIOSK)
    mall = device.service_point
    state = actions.opening(region, mall)
    pools = list(QueuePool.objects.filter(service_point=mall, is_active=True).prefetch_related("services"))
    error = ""
    status = 200
    if request.method == "POST":
        replay = request.POST.get("once", "")
        cache_key = f"queueing:kiosk:{device.pk}:{replay}"
        earlier = cache.get(cache_key) if replay else None
        if earlier:
            return redirect(reverse("queueing:print", args=[region.slug, earlier]) + "?kios=1")
        try:
            if "booking_code" in request.POST:
                ticket = _check_in_at_kiosk(request, region, mall)
            else:
                ticket = _issue_from_kiosk(request, pools)
        except QueueError as exc:
            error, status = exc.message, exc.http_status
        else:
            if replay:
                cache.set(cache_key, ticket.code, KIOSK_REPLAY_SECONDS)
            return redirect(reverse("queueing:print", args=[region.slug, ticket.code]) + "?kios=1")
    context = {
        "region": region,
        "mall": mall,
        "pools": pools,
        "opening": state,
        "closed_message": "" if state.is_open else actions.closed_message(state),
        "groups": [g for g in PriorityGroup if g.value],
        "error": error,
        "once": secrets.token_urlsafe(12),
    }
    return render(request, "queueing/kiosk.html", context, status=status)


def _check_in_at_kiosk(request: HttpRequest, region: Region, mall: ServicePoint) -> Ticket:
    """A booking's code typed, or its QR scanned (a scanner types the booking page's address)."""
    from pendopo.queueing import booking

    return booking.check_in(booking.find(region, request.POST.get("booking_code", "")), mall=mall)


def _issue_from_kiosk(request: HttpRequest, pools: list[QueuePool]) -> Ticket:
    choice = request.POST.get("choice", "")
    prefix, _sep, service_code = choice.partition(":")
    pool = next((p for p in pools if p.prefix == prefix), None)
    if pool is None:
        raise QueueError(_("Choose a service."))
    service = next((s for s in pool.services.all() if s.code == service_code), None) if service_code else None
    if service_code and service is None:
        raise QueueError(_("Choose a service."))
    return actions.issue_ticket(pool, service=service, priority_group=request.POST.get("priority_group", ""), source=Source.KIOSK)


def _ticket(region: Region, code: str) -> Ticket:
    # The ticket's code is its capability: unguessable, printed on the ticket and in its QR.
    try:
        return Ticket.objects.select_related("pool", "pool__service_point", "service", "counter", "case").get(
            region=region, code=code.upper()
        )
    except Ticket.DoesNotExist:
        raise Http404 from None


def _ticket_context(request: HttpRequest, region: Region, ticket: Ticket) -> dict[str, Any]:
    ahead = selectors.people_ahead(ticket)
    address = absolute(reverse("queueing:ticket", args=[region.slug, ticket.code]), request)
    return {
        "region": region,
        "ticket": ticket,
        "ahead": ahead,
        "wait_minutes": selectors.estimated_wait_minutes(ticket.pool, ahead, ticket.service_date),
        "address": address,
        # segno writes the SVG from our own address: nothing from the visitor reaches the markup.
        "qr": mark_safe(qr_svg(address, scale=4, omit_size=True, title=_("QR code of the ticket"))),
        "counter_label": selectors.counter_label(ticket.counter) if ticket.counter else "",
    }


@never_cache
def ticket(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    """The page the ticket's QR opens on the visitor's phone: state, people ahead, then the survey."""
    region = _region(request, region_slug)
    found = _ticket(region, code)
    context = _ticket_context(request, region, found)
    context["survey_url"] = visits.survey_url(region, found)
    context["waited_minutes"] = visits.waited_minutes(found)
    return render(request, "queueing/ticket.html", context)


@never_cache
def print_ticket(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    """The slip for a 58 or 80 mm thermal printer, printed through the kiosk browser's print."""
    region = _region(request, region_slug)
    found = _ticket(region, code)
    context = _ticket_context(request, region, found)
    context["width"] = 58 if request.GET.get("lebar") == "58" else 80
    context["from_kiosk"] = request.GET.get("kios") == "1"
    return render(request, "queueing/print.html", context)


# --- display board ---------------------------------------------------------------------------


@never_cache
def display(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    device = _device(request, region, Device.Kind.DISPLAY)
    if device is None:
        return _unregistered(request, region, Device.Kind.DISPLAY)
    context = {
        "region": region,
        "device": device,
        "feed": selectors.display_feed(device),
        "storage_key": f"pendopo-queue-{device.token_hash[:12]}",
    }
    return render(request, "queueing/display.html", context)


@never_cache
def display_feed(request: HttpRequest, region_slug: str) -> JsonResponse:
    region = _region(request, region_slug)
    device = _device(request, region, Device.Kind.DISPLAY)
    if device is None:
        return JsonResponse({"detail": _("This device is not registered as a display board.")}, status=403)
    raw = request.GET.get("after", "")
    if raw and not (raw.isascii() and raw.isdigit()):
        return JsonResponse({"detail": _("The request is not valid.")}, status=400)
    # Without a cursor the board starts from now: old calls are not announced.
    return JsonResponse(selectors.display_feed(device, int(raw) if raw else None))


# --- counters --------------------------------------------------------------------------------


def _actor(request: HttpRequest) -> User | None:
    return request.user if isinstance(request.user, User) else None


def _counter(request: HttpRequest, region: Region, code: str) -> ServicePoint:
    return get_for_user(
        request.user,
        ServicePoint.objects.select_related("agency", "parent").filter(kind=ServicePoint.Kind.COUNTER),
        Action.ACT,
        region=region,
        code=code,
    )


@login_required
def counters(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = _region(request, region_slug)
    mine = visible_to(
        request.user,
        ServicePoint.objects.filter(region=region, kind=ServicePoint.Kind.COUNTER, parent__isnull=False).select_related("agency"),
        Action.ACT,
    ).order_by("code")
    return render(request, "queueing/counters.html", {"region": region, "counters": list(mine)})


@login_required
@never_cache
def counter(request: HttpRequest, region_slug: str, counter_code: str) -> HttpResponse:
    region = _region(request, region_slug)
    point = _counter(request, region, counter_code)
    today = dates.today(region.time_zone)
    pool_ids = actions.counter_pool_ids(point)
    current = (
        Ticket.objects.select_related("service", "pool", "case")
        .filter(counter=point, state__in=ACTIVE_STATES, service_date=today)
        .first()
    )
    waiting = list(
        Ticket.objects.filter(pool_id__in=pool_ids, service_date=today, state=TicketState.WAITING)
        .select_related("service", "pool")
        .order_by("priority", "queued_at", "pk")[:15]
    )
    held = list(Ticket.objects.filter(pool_id__in=pool_ids, service_date=today, state=TicketState.HELD).select_related("service"))
    mall_pools = list(QueuePool.objects.filter(service_point_id=point.parent_id, is_active=True).prefetch_related("services"))
    other_counters = list(
        ServicePoint.objects.filter(parent_id=point.parent_id, kind=ServicePoint.Kind.COUNTER, is_active=True)
        .exclude(pk=point.pk)
        .order_by("code")
    )
    context = {
        "region": region,
        "counter": point,
        "current": current,
        "waiting": waiting,
        "held": held,
        "mall_pools": mall_pools,
        "other_counters": other_counters,
        "opening": actions.opening(region, point.parent) if point.parent else None,
        "history": list(current.events.select_related("counter").order_by("pk")) if current else [],
        "walk_in_url": visits.walk_in_url(region, current) if current else "",
    }
    return render(request, "queueing/counter.html", context)


@login_required
@require_POST
def counter_action(request: HttpRequest, region_slug: str, counter_code: str) -> HttpResponse:
    region = _region(request, region_slug)
    point = _counter(request, region, counter_code)
    action = request.POST.get("action", "")
    back = redirect(reverse("queueing:counter", args=[region.slug, point.code]))
    try:
        if action == "call":
            called = actions.call_next_ticket(point, _actor(request))
            messages.success(request, _("Called %(number)s.") % {"number": called.number})
            return back
        target = Ticket.objects.filter(region=region, code=request.POST.get("ticket", "")).first()
        if target is None:
            raise QueueError(_("This ticket does not exist."))
        if action == "transfer":
            _transfer(request, region, point, target)
        elif action in actions.COUNTER_ACTIONS:
            actions.COUNTER_ACTIONS[action](target, point, _actor(request))
        else:
            raise QueueError(_("Unknown action."))
    except QueueError as exc:
        messages.error(request, exc.message)
        return back
    messages.success(request, _done(action, target.number))
    return back


def _done(action: str, number: str) -> str:
    """What the counter officer is told after an action: the number and what happened to it."""
    said = {
        "recall": _("%(number)s called again."),
        "skip": _("%(number)s marked as not present."),
        "start": _("Serving %(number)s."),
        "finish": _("%(number)s finished."),
        "hold": _("%(number)s put on hold."),
        "return": _("%(number)s is back in line."),
        "transfer": _("%(number)s transferred."),
    }
    return said[action] % {"number": number}


def _transfer(request: HttpRequest, region: Region, point: ServicePoint, target: Ticket) -> None:
    destination = request.POST.get("to", "")
    kind, _sep, value = destination.partition(":")
    pool = to_counter = service = None
    if kind == "pool":
        prefix, _sep2, service_code = value.partition("/")
        pool = QueuePool.objects.filter(service_point_id=point.parent_id, prefix=prefix, is_active=True).first()
        if pool is None:
            raise QueueError(_("Choose the queue or the counter to transfer to."))
        if service_code:
            service = Service.objects.filter(region=region, code=service_code).first()
    elif kind == "counter":
        to_counter = ServicePoint.objects.filter(region=region, parent_id=point.parent_id, code=value).first()
        if to_counter is None:
            raise QueueError(_("Choose the queue or the counter to transfer to."))
    else:
        raise QueueError(_("Choose the queue or the counter to transfer to."))
    actions.transfer_ticket(
        target,
        point,
        _actor(request),
        pool=pool,
        to_counter=to_counter,
        service=service,
        note=request.POST.get("note", ""),
    )
