"""What the price pages show, built in a fixed number of queries whatever the number of days,
markets and commodities: the latest day, the commodities, the per-period sums of every commodity
(`selectors.periods`: averages and changes summed in the database), the references, the weights,
and the charted commodity's daily series."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from pendopo.prices import charts, indicators, selectors
from pendopo.prices.models import Commodity, Market, PriceEntry, ReferencePrice
from pendopo.regions.models import Region

CHART_DAYS = 56  # eight weeks, as the Monday meeting looks at them


@dataclass
class Row:
    commodity: Commodity
    price: Decimal | None
    changes: indicators.Changes
    reference: ReferencePrice | None
    deviation: indicators.Deviation
    week_average: Decimal | None
    month_average: Decimal | None


@dataclass
class Dashboard:
    region: Region
    day: dt.date | None
    rows: list[Row] = field(default_factory=list)
    iph: indicators.Iph | None = None
    names: dict[str, str] = field(default_factory=dict)
    chart: charts.Chart | None = None
    selected: Commodity | None = None
    contributions: list[dict[str, object]] = field(default_factory=list)
    left_out_names: list[str] = field(default_factory=list)


def _label(c: Commodity) -> str:
    return str(c)


def build(
    region: Region,
    today: dt.date,
    selected_code: str = "",
    market: Market | None = None,
    markers: list[tuple[dt.date, int, str]] | None = None,
) -> Dashboard:
    """The dashboard of the latest day with approved prices; `markers` (day, commodity id, label) go on the chart."""
    day = selectors.latest_approved_day(region, today)
    board = Dashboard(region=region, day=day)
    if day is None:
        return board
    items = selectors.commodities()
    by_id = {c.pk: c for c in items}
    # Every figure of the table and the IPH from per-period sums in the database; the daily
    # series is read only for the charted commodity.
    figures = selectors.periods(region, day, market=market)
    references = selectors.references_on(selectors.zone_of(region), day)
    none = selectors.Periods(None, None, None, None, None, None)
    for commodity in items:
        f = figures.get(commodity.pk, none)
        ref = references.get(commodity.pk)
        dev = (
            indicators.deviation(f.price, ref.kind, ref.upper, ref.lower)
            if f.price is not None and ref is not None
            else indicators.Deviation(None, indicators.Status.NONE)
        )
        board.rows.append(
            Row(
                commodity=commodity,
                price=f.price,
                changes=indicators.Changes(
                    price=f.price,
                    day_on_day=indicators.change(f.price, f.previous_price),
                    week_on_week=indicators.change(f.this_week, f.last_week),
                    month_to_date=indicators.change(f.month_to_date, f.previous_month),
                ),
                reference=ref,
                deviation=dev,
                week_average=f.this_week,
                month_average=f.month_to_date,
            )
        )
    weights = selectors.weights(region)
    board.names = {str(pk): _label(by_id[pk]) for pk in weights if pk in by_id}
    means = {str(k): (f.previous_month, f.month_to_date) for k, f in figures.items()}
    board.iph = indicators.iph_of_means(means, {str(k): w for k, w in weights.items()}, day)
    board.contributions = [{"name": board.names[c.commodity], "item": c} for c in board.iph.top(len(board.iph.contributions))]
    board.left_out_names = [board.names[key] for key in board.iph.left_out]
    selected = next((c for c in items if c.code == selected_code), None) or _most_moved(board)
    if selected is not None:
        board.selected = selected
        ref = references.get(selected.pk)
        first = day - dt.timedelta(days=CHART_DAYS - 1)
        series = selectors.series(region, first, day, market=market, commodity_ids=[selected.pk])
        board.chart = charts.line_chart(
            series.get(selected.pk, {}),
            upper=ref.upper if ref else None,
            lower=ref.lower if ref else None,
            markers=[(d, label) for d, commodity_id, label in markers or [] if commodity_id == selected.pk],
        )
    return board


def _most_moved(board: Dashboard) -> Commodity | None:
    """The commodity furthest above its reference (else the first): what the team looks at first."""
    above = [r for r in board.rows if r.deviation.percent is not None]
    if above:
        return max(above, key=lambda r: r.deviation.percent or Decimal(0)).commodity
    return board.rows[0].commodity if board.rows else None


@dataclass
class MarketTable:
    day: dt.date | None
    markets: list[Market]
    rows: list[tuple[Commodity, list[tuple[Market, PriceEntry | None]], ReferencePrice | None]]


def market_table(region: Region, today: dt.date) -> MarketTable:
    """The public page: each market's approved price of the latest day with approved prices."""
    day = selectors.latest_approved_day(region, today)
    markets = list(selectors.markets(None, region).order_by("name"))
    if day is None:
        return MarketTable(None, markets, [])
    prices = selectors.market_prices(region, day)
    references = selectors.references_on(selectors.zone_of(region), day)
    rows = []
    for commodity in selectors.commodities():
        cells = [(m, prices.get((m.pk, commodity.pk))) for m in markets]
        if any(entry for _, entry in cells):
            rows.append((commodity, cells, references.get(commodity.pk)))
    return MarketTable(day, markets, rows)
