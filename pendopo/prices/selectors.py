"""Permission-scoped reads of price data, and the series the indicators are computed on.

Who sees what (through `pendopo.regions.permissions`):

| rows | public | staff of the market's agency | its head | region administrator |
| --- | --- | --- | --- | --- |
| markets, interventions | active ones | all of the region | all | all, manage |
| price entries | approved ones | all of their markets (enumerators: their own) | + approve | all, approve |
| assignments, weights, rules, alerts, settings | — | region staff view | | manage |

Entering a price needs an active assignment to the market (`may_enter`), or the region's
administration.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When

from pendopo.prices.indicators import Series
from pendopo.prices.models import (
    Alert,
    AlertRule,
    Commodity,
    CommodityWeight,
    EnumeratorAssignment,
    Intervention,
    Market,
    MonitoringSettings,
    PriceEntry,
    PriceEvent,
    ReferencePrice,
)
from pendopo.prices.zones import zone_of_province
from pendopo.regions.models import Role
from pendopo.regions.permissions import Action, Scope, can, register_scope, visible_to

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import Region, User

register_scope(
    Market, Scope(region="region_id", agency="agency_id", public=Q(is_active=True, region__is_active=True), staff_view=True)
)
register_scope(
    PriceEntry,
    Scope(
        region="region_id",
        agency="market__agency_id",
        owner="entered_by_id",
        public=Q(status=PriceEntry.Status.APPROVED, region__is_active=True, market__is_active=True),
    ),
)
register_scope(EnumeratorAssignment, Scope(region="region_id", agency="market__agency_id", owner="user_id", staff_view=True))
register_scope(MonitoringSettings, Scope(region="region_id", staff_view=True))
register_scope(CommodityWeight, Scope(region="region_id", staff_view=True))
register_scope(AlertRule, Scope(region="region_id", staff_view=True))
register_scope(Alert, Scope(region="region_id", staff_view=True))
register_scope(Intervention, Scope(region="region_id", public=Q(region__is_active=True), staff_view=True))
register_scope(PriceEvent, Scope(region="region_id", agency="entry__market__agency_id"))


def zone_of(region: Region) -> int:
    return zone_of_province(region.regency.province_id)


def commodities() -> list[Commodity]:
    return list(Commodity.objects.filter(is_active=True))


def markets(user: User | AnonymousUser | None, region: Region) -> QuerySet[Market]:
    return visible_to(user, Market.objects.filter(region=region, is_active=True))


def assigned_markets(user: User | AnonymousUser | None, region: Region) -> list[Market]:
    """The markets a user records prices for (a region administrator: all of them)."""
    if user is None or not user.is_authenticated:
        return []
    qs = Market.objects.filter(region=region, is_active=True)
    if not can(user, Action.MANAGE, region):
        qs = qs.filter(assignments__user=user, assignments__is_active=True)
    return list(qs.distinct().order_by("name"))


def may_enter(user: User | AnonymousUser | None, market: Market) -> bool:
    if user is None or not user.is_authenticated or not market.is_active:
        return False
    if can(user, Action.MANAGE, market):
        return True
    in_region = any(m.region_id == market.region_id for m in user.active_memberships)
    return in_region and EnumeratorAssignment.objects.filter(market=market, user=user, is_active=True).exists()


def may_review(user: User | AnonymousUser | None, region: Region) -> bool:
    """Does the user approve any market's prices in the region (its trade office head, its administrator)?"""
    if user is None or not user.is_authenticated:
        return False
    if user.is_platform_admin:
        return True
    return visible_to(user, Market.objects.filter(region=region), Action.APPROVE).exists()


def entries_to_review(user: User | AnonymousUser | None, region: Region) -> QuerySet[PriceEntry]:
    qs = PriceEntry.objects.filter(region=region, status__in=[PriceEntry.Status.PENDING, PriceEntry.Status.FLAGGED])
    return (
        visible_to(user, qs, Action.APPROVE)
        .select_related("market", "commodity", "entered_by")
        .alias(
            flagged_first=Case(
                When(status=PriceEntry.Status.FLAGGED, then=Value(0)), default=Value(1), output_field=IntegerField()
            )
        )
        .order_by("flagged_first", "date", "market__name", "commodity__order")
    )


def references_on(zone: int, day: dt.date, commodity_ids: Iterable[int] | None = None) -> dict[int, ReferencePrice]:
    """The reference price in force on `day` per commodity id (one query)."""
    qs = ReferencePrice.objects.filter(zone=zone, valid_from__lte=day).filter(Q(valid_to__isnull=True) | Q(valid_to__gte=day))
    if commodity_ids is not None:
        qs = qs.filter(commodity_id__in=list(commodity_ids))
    return {ref.commodity_id: ref for ref in qs.order_by("valid_from")}


# The daily sum and count of approved prices per commodity over the region's active markets: the
# series of every chart (and the alerts), read on each dashboard view, hence in SQL as `PERIODS_SQL`.
SERIES_SQL = """
SELECT e.commodity_id, e.date, SUM(e.price), COUNT(*)
FROM prices_priceentry e INNER JOIN prices_market m ON m.id = e.market_id
WHERE e.region_id = %s AND e.status = 'approved' AND e.date >= %s AND e.date <= %s AND m.is_active{filters}
GROUP BY e.commodity_id, e.date
"""


def series(
    region: Region, first: dt.date, last: dt.date, *, market: Market | None = None, commodity_ids: Iterable[int] | None = None
) -> dict[int, Series]:
    """The daily price per commodity id from approved entries: the mean over the region's active
    markets (or one market's price), exact (sum and count from the database, divided as Decimal)."""
    from django.db import connection

    filters = ""
    params: list[Any] = [region.pk, first, last]
    if market is not None:
        filters += " AND e.market_id = %s"
        params.append(market.pk)
    if commodity_ids is not None:
        ids = sorted(set(commodity_ids))
        if not ids:
            return {}
        filters += f" AND e.commodity_id IN ({', '.join(['%s'] * len(ids))})"
        params.extend(ids)
    out: dict[int, dict[dt.date, Decimal]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(SERIES_SQL.format(filters=filters), params)
        for commodity_id, day, total, n in cursor.fetchall():
            # SQLite's cursor gives the date as its ISO text; the price is whole rupiah on both.
            out[commodity_id][day if isinstance(day, dt.date) else dt.date.fromisoformat(day)] = Decimal(int(total)) / n
    return {key: dict(sorted(value.items())) for key, value in out.items()}


@dataclass(frozen=True)
class Periods:
    """One commodity's figures on a day from its daily prices (the region's mean, or one market's):
    the day's price, the last earlier day's, and the mean daily price of this week so far, last
    week, the month to date and the whole previous month."""

    price: Decimal | None
    previous_price: Decimal | None
    this_week: Decimal | None
    last_week: Decimal | None
    month_to_date: Decimal | None
    previous_month: Decimal | None


# The daily sum and count of approved prices per commodity (as `series`), then per commodity the
# sums of those daily sums over each period, grouped by the day's number of prices: a period's
# mean daily price is Σ (sum / count) / days, exact from integers, whatever the number of days.
# LAG finds the last earlier day with a price (prices are recorded on market days only).
PERIODS_SQL = """
WITH daily AS (
    SELECT e.commodity_id, e.date, SUM(e.price) AS total, COUNT(*) AS n,
           LAG(SUM(e.price)) OVER (PARTITION BY e.commodity_id ORDER BY e.date) AS before_total,
           LAG(COUNT(*)) OVER (PARTITION BY e.commodity_id ORDER BY e.date) AS before_n
    FROM prices_priceentry e INNER JOIN prices_market m ON m.id = e.market_id
    WHERE e.region_id = %(region)s AND e.status = 'approved' AND e.date >= %(first)s AND e.date <= %(day)s
          AND m.is_active {market}
    GROUP BY e.commodity_id, e.date
)
SELECT commodity_id, n,
       MAX(total) FILTER (WHERE date = %(day)s), MAX(before_total) FILTER (WHERE date = %(day)s),
       MAX(before_n) FILTER (WHERE date = %(day)s),
       SUM(total) FILTER (WHERE date >= %(week)s), COUNT(*) FILTER (WHERE date >= %(week)s),
       SUM(total) FILTER (WHERE date >= %(last_week)s AND date < %(week)s),
       COUNT(*) FILTER (WHERE date >= %(last_week)s AND date < %(week)s),
       SUM(total) FILTER (WHERE date >= %(month)s), COUNT(*) FILTER (WHERE date >= %(month)s),
       SUM(total) FILTER (WHERE date >= %(previous_month)s AND date < %(month)s),
       COUNT(*) FILTER (WHERE date >= %(previous_month)s AND date < %(month)s)
FROM daily GROUP BY commodity_id, n
"""


def periods(region: Region, day: dt.date, *, market: Market | None = None) -> dict[int, Periods]:
    """Per commodity id, its `Periods` on `day` (one query; the days are summed in the database)."""
    from django.db import connection

    from pendopo.prices import indicators

    week = indicators.week_start(day)
    month = indicators.month_start(day)
    previous_month = indicators.previous_month(day)[0]
    params: dict[str, Any] = {
        "region": region.pk,
        "day": day,
        "first": min(previous_month, week - dt.timedelta(days=7)),
        "week": week,
        "last_week": week - dt.timedelta(days=7),
        "month": month,
        "previous_month": previous_month,
        "market": market.pk if market is not None else None,
    }
    sql = PERIODS_SQL.format(market="AND e.market_id = %(market)s" if market is not None else "")
    sums: dict[int, dict[str, list[tuple[int, int, int]]]] = defaultdict(lambda: defaultdict(list))
    found: dict[int, dict[str, Decimal]] = defaultdict(dict)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for commodity_id, n, total, before_total, before_n, *figures in cursor.fetchall():
            if total is not None:
                found[commodity_id]["price"] = Decimal(total) / n
                if before_total is not None:
                    found[commodity_id]["previous_price"] = Decimal(before_total) / before_n
            for name, (period_total, days) in zip(
                ("this_week", "last_week", "month_to_date", "previous_month"),
                zip(figures[::2], figures[1::2], strict=True),
                strict=True,
            ):
                if days:
                    sums[commodity_id][name].append((int(period_total), int(n), int(days)))
    out = {}
    for commodity_id in set(sums) | set(found):
        means = {
            name: sum((Decimal(t) / n for t, n, _d in groups), Decimal(0)) / sum(d for _t, _n, d in groups)
            for name, groups in sums[commodity_id].items()
        }
        out[commodity_id] = Periods(
            price=found[commodity_id].get("price"),
            previous_price=found[commodity_id].get("previous_price"),
            this_week=means.get("this_week"),
            last_week=means.get("last_week"),
            month_to_date=means.get("month_to_date"),
            previous_month=means.get("previous_month"),
        )
    return out


def market_prices(region: Region, day: dt.date, *, approved_only: bool = True) -> dict[tuple[int, int], PriceEntry]:
    """(market id, commodity id) → the entry of that day."""
    qs = PriceEntry.objects.filter(region=region, date=day)
    if approved_only:
        qs = qs.filter(status=PriceEntry.Status.APPROVED)
    return {(e.market_id, e.commodity_id): e for e in qs}


def latest_approved_day(region: Region, on_or_before: dt.date) -> dt.date | None:
    entry = (
        PriceEntry.objects.filter(region=region, status=PriceEntry.Status.APPROVED, date__lte=on_or_before)
        .order_by("-date")
        .values_list("date", flat=True)
        .first()
    )
    return entry


def previous_prices(market: Market, day: dt.date, commodity_ids: Iterable[int]) -> dict[int, PriceEntry]:
    """Per commodity, the market's latest entry before `day` that is not rejected (what "yesterday" shows)."""
    ids = list(commodity_ids)
    qs = (
        PriceEntry.objects.filter(market=market, commodity_id__in=ids, date__lt=day, date__gte=day - dt.timedelta(days=14))
        .exclude(status=PriceEntry.Status.REJECTED)
        .order_by("commodity_id", "-date")
    )
    found: dict[int, PriceEntry] = {}
    for entry in qs:
        found.setdefault(entry.commodity_id, entry)
    return found


def weights(region: Region) -> dict[int, Decimal]:
    # No ordering: the model's (by commodity) would join the commodities for nothing.
    return dict(CommodityWeight.objects.filter(region=region).order_by().values_list("commodity_id", "weight"))


def jump_percent(region: Region) -> Decimal:
    settings = MonitoringSettings.objects.filter(region=region).first()
    return settings.jump_percent if settings else Decimal(25)


def open_alerts(user: User | AnonymousUser | None, region: Region) -> QuerySet[Alert]:
    return visible_to(user, Alert.objects.filter(region=region, status=Alert.Status.OPEN)).select_related(
        "commodity", "market", "rule"
    )


def interventions(user: User | AnonymousUser | None, region: Region) -> QuerySet[Intervention]:
    return visible_to(user, Intervention.objects.filter(region=region)).select_related("commodity")


def team_emails(region: Region) -> list[str]:
    """Where the price team's mail goes: the region's administrators and heads with an email, and its contact address."""
    recipients = set(
        region.memberships.filter(Q(role=Role.REGION_ADMIN) | Q(role=Role.HEAD), is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
    )
    if region.contact_email:
        recipients.add(region.contact_email)
    return sorted(recipients)
