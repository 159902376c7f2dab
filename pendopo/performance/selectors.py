"""Permission-scoped reads of the performance app, and the registration of its scopes.

| who | sees | enters | verifies |
| --- | --- | --- | --- |
| anyone | published plans, verified realisations, published LKE rounds | — | — |
| staff of the region | the region's whole plan and every realisation | — | — |
| officer | + evidence of their agency | realisations of their agency's indicators | — |
| agency head | the same | the same | their agency's realisations |
| region administrator | everything of the region | region indicators too, targets, the LKE | everything |
| leadership seat (regent, secretary, DPRD) | everything of the region's performance, read only | — | — |

The leadership seat is this app's own grant (LeadershipSeat), so it opens only the performance
pages, never the cases or personal data that a region-wide role in `regions` would.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeVar

from django.db import models
from django.db.models import Q, QuerySet

from pendopo.performance.models import (
    Agreement,
    Component,
    ConsistencyRule,
    Criterion,
    EvaluationRound,
    EvaluatorSeat,
    Event,
    Evidence,
    Goal,
    Indicator,
    LeadershipSeat,
    PlanningPeriod,
    Realisation,
    Status,
    SubComponent,
    Target,
)
from pendopo.regions.permissions import Action, Scope, can, register_scope, visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import Region, User

M = TypeVar("M", bound=models.Model)

_PUBLISHED_PLAN = Q(region__is_active=True, period__is_published=True)
register_scope(PlanningPeriod, Scope(region="region_id", public=Q(region__is_active=True, is_published=True), staff_view=True))
register_scope(Goal, Scope(region="region_id", public=_PUBLISHED_PLAN, staff_view=True))
register_scope(Indicator, Scope(region="region_id", agency="agency_id", public=_PUBLISHED_PLAN, staff_view=True))
register_scope(
    Target,
    Scope(
        region="region_id",
        agency="indicator__agency_id",
        public=Q(region__is_active=True, indicator__period__is_published=True),
        staff_view=True,
    ),
)
register_scope(
    Agreement,
    Scope(region="region_id", agency="agency_id", public=Q(region__is_active=True, signed_on__isnull=False), staff_view=True),
)
register_scope(
    Realisation,
    Scope(
        region="region_id",
        agency="agency_id",
        public=Q(region__is_active=True, status=Status.VERIFIED, indicator__period__is_published=True),
        staff_view=True,
    ),
)
register_scope(Evidence, Scope(region="region_id", agency="agency_id"))
register_scope(LeadershipSeat, Scope(region="region_id", owner="user_id", staff_view=True))
register_scope(EvaluatorSeat, Scope(region="region_id", owner="user_id", staff_view=True))
register_scope(Event, Scope(region="region_id", staff_view=True))
_PUBLISHED_ROUND = Q(region__is_active=True)
register_scope(EvaluationRound, Scope(region="region_id", public=_PUBLISHED_ROUND & Q(is_published=True), staff_view=True))
register_scope(Component, Scope(region="region_id", public=_PUBLISHED_ROUND & Q(round__is_published=True), staff_view=True))
register_scope(
    SubComponent, Scope(region="region_id", public=_PUBLISHED_ROUND & Q(component__round__is_published=True), staff_view=True)
)
register_scope(
    Criterion,
    Scope(region="region_id", public=_PUBLISHED_ROUND & Q(subcomponent__component__round__is_published=True), staff_view=True),
)
register_scope(ConsistencyRule, Scope(region="region_id", staff_view=True))


def seat_regions(user: User | AnonymousUser | None) -> list[int]:
    """Regions where the user holds a leadership or an evaluator seat: both read all of its performance (one query)."""
    if user is None or not user.is_authenticated:
        return []
    leader = LeadershipSeat.objects.filter(user=user).values_list("region_id", flat=True)
    return list(leader.union(EvaluatorSeat.objects.filter(user=user).values_list("region_id", flat=True)))


def leader_regions(user: User | AnonymousUser | None) -> list[int]:
    if user is None or not user.is_authenticated:
        return []
    return list(LeadershipSeat.objects.filter(user=user).values_list("region_id", flat=True))


def is_evaluator(user: User | AnonymousUser | None, region: Region) -> bool:
    """The region's LKE evaluator (APIP), or a platform administrator."""
    if user is None or not user.is_authenticated:
        return False
    return bool(getattr(user, "is_superuser", False)) or EvaluatorSeat.objects.filter(user=user, region=region).exists()


def may_answer(user: User | AnonymousUser | None, region: Region, *, evaluator: bool) -> bool:
    """The self-assessment is the region's (its administrators); the evaluator's values the APIP's, never both."""
    if evaluator:
        return is_evaluator(user, region)
    return can(user, Action.MANAGE, region) and not (
        user is not None and user.is_authenticated and EvaluatorSeat.objects.filter(user=user, region=region).exists()
    )


def readable(user: User | AnonymousUser | None, queryset: QuerySet[M]) -> QuerySet[M]:
    """What `user` may read of `queryset`: the permission resolver's view, widened by leadership seats."""
    regions = seat_regions(user)
    if not regions:
        return visible_to(user, queryset)
    return queryset.filter(Q(pk__in=visible_to(user, queryset).values("pk")) | Q(region_id__in=regions))


def is_leader(user: User | AnonymousUser | None, region: Region) -> bool:
    return region.pk in leader_regions(user)


def may_see_region_dashboard(user: User | AnonymousUser | None, region: Region) -> bool:
    """The leadership dashboard: a leadership seat, the region's administrators, platform administrators."""
    return is_leader(user, region) or can(user, Action.MANAGE, region)


def indicators(user: User | AnonymousUser | None, region: Region) -> QuerySet[Indicator]:
    return readable(user, Indicator.objects.filter(region=region)).select_related("agency", "goal", "period")


def may_enter(user: User | AnonymousUser | None, indicator: Indicator) -> bool:
    """Officers and heads of the responsible agency, and the region's administrators (never the leadership)."""
    return not indicator.is_computed and can(user, Action.ACT, indicator)


def enterable(user: User | AnonymousUser | None, items: list[Indicator]) -> set[int]:
    """The indicators of `items` the user may enter a realisation for: one query (may_enter for many)."""
    if user is None or not user.is_authenticated or not items:
        return set()
    manual = Indicator.objects.filter(pk__in=[item.pk for item in items], source="manual")
    return set(visible_to(user, manual, Action.ACT).values_list("pk", flat=True))


def may_verify(user: User | AnonymousUser | None, realisation: Realisation) -> bool:
    return can(user, Action.APPROVE, realisation)


def realisations(user: User | AnonymousUser | None, region: Region) -> QuerySet[Realisation]:
    return readable(user, Realisation.objects.filter(region=region)).select_related("indicator", "agency")


def evidence_for(user: User | AnonymousUser | None, realisation: Realisation) -> QuerySet[Evidence]:
    return readable(user, Evidence.objects.filter(realisation=realisation))


def rounds(user: User | AnonymousUser | None, region: Region) -> QuerySet[EvaluationRound]:
    return readable(user, EvaluationRound.objects.filter(region=region)).order_by("-year")


def get_evidence(user: User | AnonymousUser | None, indicator: Indicator, year: int, quarter: int, digest: str) -> Evidence:
    """One evidence file of a quarter's realisation, or 404 (by the file's digest: ids never leave the server)."""
    from django.http import Http404

    found = (
        readable(
            user, Evidence.objects.filter(realisation__indicator=indicator, realisation__year=year, realisation__quarter=quarter)
        )
        .filter(sha256=digest)
        .first()
    )
    if found is None:
        raise Http404
    return found
