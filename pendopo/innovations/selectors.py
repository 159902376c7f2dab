"""Reads of the register, scoped by the permission resolver (pendopo/regions/permissions.py).

| who | sees | edits | verifies |
| --- | --- | --- | --- |
| anyone (any region) | published (verified) innovations, their accepted rows, replications of published copies | — | — |
| officer / head of an agency | + their agency's innovations and rows | their agency's innovations (`act`) | — |
| region administrator (the region's innovation team) | + the whole region, the SPD rows | the SPD rows | every row (`manage`) |

The region's research/innovation team (Bappeda/BRIDA) works with the region administrator role:
verification is configuring the region's own report, which that role already does, so no new
role is needed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from pendopo.innovations import catalogue
from pendopo.innovations.models import Innovation, Photo, Replication, Score, Status, Verdict
from pendopo.lib import dates
from pendopo.regions.models import Role
from pendopo.regions.permissions import Action, Scope, get_for_user, register_scope, role_in, visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import Region, User

PUBLISHED = Q(published_at__isnull=False, region__is_active=True)

register_scope(Innovation, Scope(region="region_id", agency="agency_id", public=PUBLISHED))
register_scope(
    Score,
    Scope(
        region="region_id",
        agency="innovation__agency_id",
        public=Q(innovation__published_at__isnull=False, verdict=Verdict.ACCEPTED, region__is_active=True),
    ),
)
register_scope(Photo, Scope(region="region_id", agency="innovation__agency_id", public=Q(innovation__published_at__isnull=False)))
register_scope(
    Replication,
    Scope(
        region="region_id",
        agency="adopted__agency_id",
        public=Q(adopted__published_at__isnull=False, source__published_at__isnull=False),
    ),
)


def current_period(region: Region) -> int:
    """The index period a region works on: this year's where the catalogue has one, else the latest."""
    years = catalogue.years()
    this = dates.today(region.time_zone).year
    return this if this in years else years[-1]


def is_team(user: User | AnonymousUser | None, region: Region) -> bool:
    """The region's innovation team: its administrators (and platform administrators)."""
    return role_in(user, region) in (Role.REGION_ADMIN, Role.PLATFORM_ADMIN)


def is_staff(user: User | AnonymousUser | None, region: Region) -> bool:
    return role_in(user, region) != Role.CITIZEN


def innovations_of(user: User | AnonymousUser | None, region: Region, action: Action = Action.VIEW) -> QuerySet[Innovation]:
    return visible_to(user, Innovation.objects.filter(region=region), action).select_related("agency", "region")


def public_innovations(region: Region) -> QuerySet[Innovation]:
    return Innovation.objects.filter(PUBLISHED, region=region).select_related("agency", "region")


def get_innovation(user: User | AnonymousUser | None, region: Region, code: str, action: Action = Action.VIEW) -> Innovation:
    return get_for_user(user, Innovation.objects.filter(region=region).select_related("agency", "region"), action, code=code)


def scores_of(user: User | AnonymousUser | None, innovation: Innovation) -> QuerySet[Score]:
    return visible_to(user, Score.objects.filter(innovation=innovation, period=innovation.period))


def spd_scores(region: Region, period: int) -> QuerySet[Score]:
    """The region's SPD rows (read by the index for everyone; pages show their evidence to the team only)."""
    return Score.objects.filter(region=region, period=period, innovation=None)


def replications_of(user: User | AnonymousUser | None, innovation: Innovation) -> QuerySet[Replication]:
    """Who replicated this innovation, as `user` may see (the public sees published copies)."""
    return visible_to(user, Replication.objects.filter(source=innovation)).select_related("region__regency", "adopted")


def counted_replications(innovation: Innovation) -> int:
    """Row 31 (Replikasi): the number of *different* regions whose published copy names this innovation."""
    return (
        Replication.objects.filter(source=innovation, adopted__published_at__isnull=False)
        .exclude(region=innovation.region)
        .values("region")
        .distinct()
        .count()
    )


def reported(region: Region, period: int) -> QuerySet[Innovation]:
    """The innovations a region reports for a period (submitted or verified): the claimed index's n."""
    return Innovation.objects.filter(region=region, period=period, status__in=[Status.SUBMITTED, Status.VERIFIED])
