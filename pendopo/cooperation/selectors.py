"""Reads of the cooperation app, through the permission resolver.

| record | anyone | staff |
| --- | --- | --- |
| visit (with agenda, participants, lessons) | held visits | both regions' staff: every state |
| agreement (documents' numbers and dates, evaluations) | past preparation | the region's staff; the partner region's staff |
| commitment (the roadmap) | every commitment of an active region | the same; the owner agency and the administrator act |
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet

from pendopo.cooperation import rules
from pendopo.cooperation.models import Agreement, Commitment, CommitmentState, Visit, VisitState
from pendopo.regions.permissions import Action, Scope, register_scope, scope_filter, staff_regions

if TYPE_CHECKING:
    import datetime as dt

    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import Region, User

register_scope(Visit, Scope(region="host_id", public=Q(state=VisitState.HELD, host__is_active=True), staff_view=True))
register_scope(
    Agreement,
    Scope(
        region="region_id", agency="agency_id", public=~Q(case__state="persiapan") & Q(region__is_active=True), staff_view=True
    ),
)
register_scope(Commitment, Scope(region="region_id", agency="owner_id", public=Q(region__is_active=True), staff_view=True))


def visits_for(user: User | AnonymousUser | None) -> QuerySet[Visit]:
    """The visits `user` may see: held ones, and every visit of a region they are staff of (host or visitor)."""
    condition = scope_filter(user, Visit, Action.VIEW)
    mine = staff_regions(user)
    if mine:
        condition |= Q(visitor_id__in=mine)
    return Visit.objects.filter(condition).select_related("host__regency", "visitor__regency")


def visits_of(user: User | AnonymousUser | None, region: Region) -> QuerySet[Visit]:
    return visits_for(user).filter(Q(host=region) | Q(visitor=region)).order_by("-starts_on", "pk")


def agreements_for(user: User | AnonymousUser | None) -> QuerySet[Agreement]:
    condition = scope_filter(user, Agreement, Action.VIEW)
    mine = staff_regions(user)
    if mine:
        condition |= Q(partner_region_id__in=mine) & ~Q(case__state="persiapan")
    return Agreement.objects.filter(condition).select_related(
        "case__definition", "region__regency", "agency", "partner_region__regency"
    )


def commitments_for(user: User | AnonymousUser | None, region: Region) -> QuerySet[Commitment]:
    qs = Commitment.objects.filter(region=region).filter(scope_filter(user, Commitment, Action.VIEW))
    return qs.select_related("owner", "service", "innovation", "visit__host__regency", "agreement")


def expiring(region: Region, as_of: dt.date, days: int) -> QuerySet[Agreement]:
    """Agreements in implementation whose end falls within `days` of `as_of` (the expiry reminder)."""
    import datetime as dt

    return Agreement.objects.filter(
        region=region,
        case__state__in=["pelaksanaan", "pelaporan"],
        ends_on__gte=as_of,
        ends_on__lte=as_of + dt.timedelta(days=days),
    ).order_by("ends_on")


@dataclass(frozen=True)
class AdoptionRate:
    total: int
    adopted: int
    dropped: int
    by_state: dict[str, int]

    @property
    def active(self) -> int:
        return self.total - self.dropped

    @property
    def percent_excluding_dropped(self) -> Decimal | None:
        return _percent(self.excluding_dropped)

    @property
    def percent_over_all(self) -> Decimal | None:
        return _percent(self.over_all)

    @property
    def excluding_dropped(self) -> Fraction | None:
        return rules.adoption_rates(self.adopted, self.dropped, self.total)[0]

    @property
    def over_all(self) -> Fraction | None:
        return rules.adoption_rates(self.adopted, self.dropped, self.total)[1]


def _percent(value: Fraction | None) -> Decimal | None:
    if value is None:
        return None
    exact = Decimal(value.numerator * 100) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def adoption_rate(commitments: QuerySet[Commitment]) -> AdoptionRate:
    """Counts by state in one query, and the adoption rate both ways."""
    rows = commitments.order_by().values("state").annotate(n=Count("pk"))
    return _rate(Counter({row["state"]: row["n"] for row in rows}))


def _rate(counts: Counter[str]) -> AdoptionRate:
    return AdoptionRate(
        total=sum(counts.values()),
        adopted=counts.get(CommitmentState.ADOPTED, 0),
        dropped=counts.get(CommitmentState.DROPPED, 0),
        by_state={state: counts.get(state, 0) for state in CommitmentState.values},
    )


def rate_of(commitments: list[Commitment]) -> AdoptionRate:
    return _rate(Counter(c.state for c in commitments))


@dataclass(frozen=True)
class StageRow:
    stage: str
    commitments: list[Commitment]
    rate: AdoptionRate


def _stage_order(stage: str) -> tuple[int, int]:
    """2023-Q1 … 2023-Q4, then the whole year 2023 (a year's stage closes it)."""
    year, _sep, quarter = stage.partition("-Q")
    return (
        int(year) if (year.isascii() and year.isdigit()) else 0,
        int(quarter) if (quarter.isascii() and quarter.isdigit()) else 5,
    )


def timeline(commitments: list[Commitment]) -> list[StageRow]:
    """The roadmap per stage (year or quarter), in order, each with its own adoption rate."""
    stages: dict[str, list[Commitment]] = {}
    for commitment in sorted(commitments, key=lambda c: (_stage_order(c.stage), c.priority, c.due_on, c.pk)):
        stages.setdefault(commitment.stage, []).append(commitment)
    return [StageRow(stage, items, rate_of(items)) for stage, items in stages.items()]
