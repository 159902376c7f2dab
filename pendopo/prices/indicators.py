"""The price indicators as plain functions (no database): averages, changes, deviation, the IPH.

Every figure is an exact `Decimal`; only `show()` rounds, half up to 2 decimals, as the
reference requires (/shared/reference/prices.md §4, §5, §9). Prices are whole Rupiah.

- A *series* is a mapping date → price (the region's or one market's daily price).
- The region's daily price is the mean of the approved market prices that day (`daily_means`).
- The IPH (Pendopo's estimate, not BPS's figure) is a modified Laspeyres index: for each commodity
  with a share s_i of the weights, andil_i = s_i × (P̄ month to date / P̄ previous month − 1) × 100,
  and IPH = Σ andil_i. A commodity without prices in either period is left out and the others'
  shares are rescaled; the result lists it.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from statistics import mean, pstdev

HUNDRED = Decimal(100)
CENT = Decimal("0.01")

Series = Mapping[dt.date, Decimal]


def show(value: Decimal | None) -> str | None:
    """A figure for display and JSON: half up to 2 decimals ("1.58", "-11.33")."""
    if value is None:
        return None
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def average(values: Iterable[Decimal | int]) -> Decimal | None:
    """The exact mean, or None for no values."""
    items = [Decimal(v) for v in values]
    if not items:
        return None
    return sum(items, Decimal(0)) / len(items)


def change(current: Decimal | int | None, previous: Decimal | int | None) -> Decimal | None:
    """(current / previous − 1) × 100, in %; None when either is missing."""
    if current is None or previous is None or Decimal(previous) == 0:
        return None
    return (Decimal(current) / Decimal(previous) - 1) * HUNDRED


def daily_means(rows: Iterable[tuple[dt.date, int | Decimal]]) -> dict[dt.date, Decimal]:
    """The mean price per date of (date, price) rows (e.g. one per market)."""
    by_day: dict[dt.date, list[Decimal]] = defaultdict(list)
    for day, price in rows:
        by_day[day].append(Decimal(price))
    return {day: sum(values, Decimal(0)) / len(values) for day, values in sorted(by_day.items())}


# --- periods ------------------------------------------------------------------------------------


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def previous_month(day: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day of the calendar month before `day`'s."""
    last = month_start(day) - dt.timedelta(days=1)
    return last.replace(day=1), last


def week_start(day: dt.date) -> dt.date:
    """Monday of `day`'s week (the Monday meeting's weeks run Monday to Sunday)."""
    return day - dt.timedelta(days=day.weekday())


def mean_between(series: Series, first: dt.date, last: dt.date) -> Decimal | None:
    return average(price for day, price in series.items() if first <= day <= last)


def averages(series: Series, kind: str) -> dict[dt.date, Decimal]:
    """The mean price per day, week (keyed by its Monday) or month (keyed by its 1st)."""
    key = {"day": lambda d: d, "week": week_start, "month": month_start}[kind]
    groups: dict[dt.date, list[Decimal]] = defaultdict(list)
    for day, price in series.items():
        groups[key(day)].append(Decimal(price))
    return {start: sum(values, Decimal(0)) / len(values) for start, values in sorted(groups.items())}


@dataclass(frozen=True)
class Changes:
    """A series' changes on a day, in %: day on day (against the last earlier day with a price),
    week on week (this week's mean so far against last week's) and month to date (against the
    whole previous month, the IPH's comparison)."""

    price: Decimal | None
    day_on_day: Decimal | None
    week_on_week: Decimal | None
    month_to_date: Decimal | None


def changes(series: Series, on: dt.date) -> Changes:
    price = series.get(on)
    earlier = [day for day in series if day < on]
    previous_price = series[max(earlier)] if earlier else None
    this_week = mean_between(series, week_start(on), on)
    last_week = mean_between(series, week_start(on) - dt.timedelta(days=7), week_start(on) - dt.timedelta(days=1))
    first, last = previous_month(on)
    return Changes(
        price=price,
        day_on_day=change(price, previous_price),
        week_on_week=change(this_week, last_week),
        month_to_date=change(mean_between(series, month_start(on), on), mean_between(series, first, last)),
    )


# --- deviation from the reference ---------------------------------------------------------------


class ReferenceKind(StrEnum):
    CEILING = "ceiling"  # HET: a maximum
    SINGLE = "single"  # one acceptable price (HAP as a single value)
    RANGE = "range"  # HAP lower–upper
    NONE = "none"  # no official reference


class Status(StrEnum):
    ABOVE = "above"
    WITHIN = "within"
    BELOW = "below"
    NONE = "none"


@dataclass(frozen=True)
class Deviation:
    percent: Decimal | None  # (P − upper) / upper × 100; positive = above the reference
    status: Status


def deviation(price: Decimal | int, kind: ReferenceKind | str, upper: int | None, lower: int | None = None) -> Deviation:
    """The deviation from the reference's upper bound and the status (prices.md §4).

    A ceiling: above, or within (at or under it). A single value: above, within (equal) or below.
    A range: below (P < lower), within (lower ≤ P ≤ upper) or above (P > upper). No reference:
    no deviation.
    """
    kind = ReferenceKind(kind)
    if kind == ReferenceKind.NONE or upper is None:
        return Deviation(None, Status.NONE)
    p = Decimal(price)
    percent = (p - upper) / Decimal(upper) * HUNDRED
    if p > upper:
        status = Status.ABOVE
    elif (kind == ReferenceKind.RANGE and lower is not None and p < lower) or (kind == ReferenceKind.SINGLE and p < upper):
        status = Status.BELOW
    else:
        status = Status.WITHIN
    return Deviation(percent, status)


# --- IPH ----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Contribution:
    commodity: str
    weight: Decimal
    share: Decimal
    previous_average: Decimal
    month_to_date_average: Decimal
    change: Decimal
    andil: Decimal

    def display(self) -> dict[str, str | None]:
        return {
            "weight": str(self.weight),
            "share": show(self.share),
            "previous_average": show(self.previous_average),
            "month_to_date_average": show(self.month_to_date_average),
            "change": show(self.change),
            "andil": show(self.andil),
        }


@dataclass(frozen=True)
class Iph:
    through: dt.date
    value: Decimal | None
    contributions: list[Contribution]
    left_out: list[str] = field(default_factory=list)

    @property
    def month(self) -> dt.date:
        return month_start(self.through)

    @property
    def previous_month(self) -> dt.date:
        return previous_month(self.through)[0]

    def top(self, n: int = 3) -> list[Contribution]:
        """The commodities with the largest contribution (by absolute andil), as the meeting lists them."""
        return sorted(self.contributions, key=lambda c: (-abs(c.andil), c.commodity))[:n]

    def display(self) -> dict[str, object]:
        return {
            "through": self.through.isoformat(),
            "month": self.month.strftime("%Y-%m"),
            "previous_month": self.previous_month.strftime("%Y-%m"),
            "iph": show(self.value),
            "contributions": {c.commodity: c.display() for c in self.contributions},
            "left_out": self.left_out,
            "note": "Pendopo's estimate (modified Laspeyres, month to date against the previous month), not BPS's figure.",
        }


def iph(series_by_commodity: Mapping[str, Series], weights: Mapping[str, Decimal | int], through: dt.date) -> Iph:
    """The IPH through `through` with each commodity's andil (prices.md §5).

    `series_by_commodity` holds each commodity's region daily prices; only commodities with a
    positive weight count. Dates after `through` are ignored.
    """
    first, last = previous_month(through)
    start = month_start(through)
    means = {
        commodity: (mean_between(series, first, last), mean_between(series, start, through))
        for commodity, series in series_by_commodity.items()
    }
    return iph_of_means(means, weights, through)


def iph_of_means(
    means: Mapping[str, tuple[Decimal | None, Decimal | None]], weights: Mapping[str, Decimal | int], through: dt.date
) -> Iph:
    """The IPH from each commodity's (previous month's mean, month-to-date mean) of its daily prices."""
    found: list[tuple[str, Decimal, Decimal, Decimal]] = []
    left_out: list[str] = []
    for commodity in sorted(weights):
        weight = Decimal(weights[commodity])
        if weight <= 0:
            continue
        before, now = means.get(commodity, (None, None))
        if before is None or now is None:
            left_out.append(commodity)
            continue
        found.append((commodity, weight, before, now))
    total = sum((weight for _, weight, _, _ in found), Decimal(0))
    contributions = []
    for commodity, weight, before, now in found:
        share = weight / total
        moved = (now / before - 1) * HUNDRED
        contributions.append(Contribution(commodity, weight, share, before, now, moved, share * moved))
    value = sum((c.andil for c in contributions), Decimal(0)) if contributions else None
    return Iph(through=through, value=value, contributions=contributions, left_out=left_out)


# --- z-score (alerts) -----------------------------------------------------------------------------


def z_score(value: Decimal | int, history: Iterable[Decimal | int]) -> Decimal | None:
    """How many standard deviations `value` lies above the mean of `history` (population SD); None if flat or short."""
    items = [Decimal(v) for v in history]
    if len(items) < 2:
        return None
    spread = pstdev(items)
    if spread == 0:
        return None
    return (Decimal(value) - mean(items)) / spread
