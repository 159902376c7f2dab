"""The visit as one thread: a called ticket opens the walk-in application form, the application keeps its ticket,
and the survey on the ticket counts one answer for the visit.

- The counter page links the current ticket to the applications app's walk-in form for the ticket's
  service (`walk_in_url`), carrying the ticket's code (`?tiket=<code>`).
- When the officer registers the application, `applications.signals.walk_in_registered` fires and
  `link_walk_in` records the application's case on the ticket (`Ticket.case`), with an event; a
  ticket only called is started at the same moment (the service has begun).
- A finished ticket offers the survey's signed link (`surveys.links.application_survey_url`),
  keyed by the application's code when the visit has one (the same key as the application's
  final message), else by the ticket's code: the survey allows one answer per key, so a visit is
  rated once.
"""

from __future__ import annotations

import logging
from typing import Any

from django.apps import apps
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse

from pendopo.lib import dates
from pendopo.queueing import actions
from pendopo.queueing.models import ACTIVE_STATES, EventKind, Ticket, TicketState
from pendopo.regions.models import Region, User

logger = logging.getLogger(__name__)


def walk_in_url(region: Region, ticket: Ticket) -> str:
    """The walk-in application form for the ticket's service, or '' (no service, no applications app)."""
    if ticket.service is None or ticket.state not in ACTIVE_STATES or ticket.case_id:
        return ""
    try:
        path = reverse("applications:walk_in", args=[region.slug, ticket.service.code])
    except NoReverseMatch:
        return ""
    return f"{path}?tiket={ticket.code}"


def link_walk_in(sender: Any, application: Any, request: HttpRequest, **kwargs: Any) -> None:
    """Record the registered application on the ticket named in the form's address, when it fits.

    The ticket must be of the application's region and service, called or being served at a
    counter the officer may work at, and not linked yet; otherwise nothing happens (the
    application stands on its own).
    """
    code = (request.GET.get("tiket") or "").strip().upper()
    officer = request.user if isinstance(request.user, User) else None
    if not code or officer is None:
        return
    with actions._atomic():
        ticket = (
            Ticket.objects.select_for_update(of=("self",))
            .select_related("pool", "counter")
            .filter(region_id=application.region_id, code=code, state__in=ACTIVE_STATES, case__isnull=True)
            .first()
        )
        if ticket is None or ticket.counter is None or ticket.service_id != application.service_id:
            return
        if not actions.may_use_counter(officer, ticket.counter):
            return
        ticket.case_id = application.case_id
        ticket.save(update_fields=["case"])
        actions._event(ticket, EventKind.APPLICATION, actor=officer, counter=ticket.counter, note=application.code)
        if ticket.state == TicketState.CALLED:
            actions.start_service(ticket, ticket.counter, officer, at=dates.now())


def survey_url(region: Region, ticket: Ticket) -> str:
    """The survey a finished ticket offers, counting one answer for the visit.

    With an application: the application's own signed link (the same key as the application's
    final message). Without one: the same signed link keyed by the ticket's code, so the visit
    is still rated once. A ticket without a service: the mall's QR survey.
    """
    if ticket.state != TicketState.FINISHED or not apps.is_installed("pendopo.surveys"):
        return ""
    mall = ticket.pool.service_point
    if ticket.service is not None:
        from pendopo.surveys.links import application_survey_url

        return application_survey_url(region, ticket.case.code if ticket.case is not None else ticket.code, ticket.service, mall)
    query = f"?layanan={ticket.service.code}&tempat={mall.code}" if ticket.service else ""
    try:
        return reverse("surveys:answer", args=[region.slug]) + query
    except NoReverseMatch:
        return ""


def waited_minutes(ticket: Ticket) -> int | None:
    """How long the visitor waited for the first call, in whole minutes (half up)."""
    if ticket.called_at is None:
        return None
    return int((ticket.called_at - ticket.issued_at).total_seconds() / 60 + 0.5)


def connect() -> None:
    if apps.is_installed("pendopo.applications"):
        from pendopo.applications.signals import walk_in_registered

        walk_in_registered.connect(link_walk_in, dispatch_uid="queueing.link_walk_in")
