"""Permission-scoped reads of services and standards, and the scopes that the resolver applies."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from pendopo.catalog import search
from pendopo.catalog.models import CHANNEL_FIELDS, Service, ServiceEvent, ServiceStandard, StandardStatus
from pendopo.regions.models import Agency, Region
from pendopo.regions.permissions import Action, Scope, get_for_user, register_scope, visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import User

# Published data is public: a service whose standard is published, and every published or
# superseded version of it (the history is public too). Drafts are staff-only.
register_scope(
    Service,
    Scope(
        region="region_id",
        agency="agency_id",
        public=Q(is_active=True, published_standard__isnull=False, region__is_active=True),
    ),
)
register_scope(
    ServiceStandard,
    Scope(
        region="region_id",
        agency="service__agency_id",
        public=Q(
            status__in=[StandardStatus.PUBLISHED, StandardStatus.SUPERSEDED],
            service__is_active=True,
            region__is_active=True,
        ),
    ),
)
register_scope(ServiceEvent, Scope(region="region_id", agency="service__agency_id"))


# --- reads ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogFilters:
    query: str = ""
    agency: str = ""
    category: str = ""
    channel: str = ""
    fee: str = ""  # "free" | "paid" | ""


def catalog_services(user: User | AnonymousUser | None, region: Region, filters: CatalogFilters) -> QuerySet[Service]:
    """The region's published catalogue as `user` may see it, searched and filtered.

    Every word must appear in the service's name, code, keywords, summary or agency (AND), or its
    abbreviation's long form; whole-word matches first (`search.py`). One query for the rows
    whatever the catalogue's size, the agency and the standard joined in.
    """
    qs = visible_to(user, Service.objects.filter(region=region)).filter(is_active=True, published_standard__isnull=False)
    searched = bool(search.terms(filters.query))
    qs = search.apply(qs, filters.query)
    if filters.agency:
        qs = qs.filter(agency__code=filters.agency)
    if filters.category:
        qs = qs.filter(category=filters.category)
    if filters.channel in CHANNEL_FIELDS:
        qs = qs.filter(**{CHANNEL_FIELDS[filters.channel]: True})
    if filters.fee == "free":
        qs = qs.filter(published_standard__fee=0)
    elif filters.fee == "paid":
        qs = qs.filter(published_standard__fee__gt=0)
    order = ("-word_matches", "name", "code") if searched else ("name", "code")
    return qs.select_related("agency", "published_standard").order_by(*order)


def get_service(user: User | AnonymousUser | None, region: Region, code: str, action: Action = Action.VIEW) -> Service:
    """One service of the region the user may `action`, or 404."""
    qs = Service.objects.filter(region=region).select_related(
        "region__regency", "agency", "published_standard", "source_region__regency"
    )
    return get_for_user(user, qs, action, code=code)


def visible_standards(user: User | AnonymousUser | None, service: Service) -> QuerySet[ServiceStandard]:
    """The versions of a service the user may see (published and superseded for all; drafts for its staff)."""
    return visible_to(user, ServiceStandard.objects.filter(service=service)).order_by("-version")


def standard_in_force(service: Service, day: dt.date) -> ServiceStandard | None:
    """The version that applies on `day`: the published one once it takes effect, before that the one it replaces."""
    published = service.published_standard
    if published is None or (published.effective_from and published.effective_from <= day):
        return published
    earlier = (
        ServiceStandard.objects.filter(service=service, status=StandardStatus.SUPERSEDED, superseded_on__gt=day)
        .filter(effective_from__lte=day)
        .order_by("-version")
        .first()
    )
    return earlier or published


def services_for_staff(user: User | AnonymousUser | None, region: Region, action: Action = Action.VIEW) -> QuerySet[Service]:
    """Every service of the region the user may see as staff, drafts included."""
    return (
        visible_to(user, Service.objects.filter(region=region), action)
        .select_related("agency", "published_standard")
        .order_by("agency__name", "name")
    )


def agencies_for(user: User | AnonymousUser | None, region: Region, action: Action) -> QuerySet[Agency]:
    """Agencies of the region on whose services the user may `action` (for choosing a service's agency)."""
    return visible_to(user, Agency.objects.filter(region=region, is_active=True), action).order_by("name")
