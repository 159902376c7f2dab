"""The dashboard's per-period sums in SQL (`selectors.periods`) give the figures the indicators give
on the daily series: day on day, week on week, month to date, the IPH; across a month boundary and
on days when only some markets have a price."""

from __future__ import annotations

import datetime as dt

import pytest

from pendopo.prices import indicators, selectors
from pendopo.prices.tests.conftest import approved

pytestmark = pytest.mark.django_db


def test_the_sums_in_sql_give_the_series_figures(world, prices):
    day = dt.date(2025, 3, 4)  # a Tuesday: last week straddles February and March
    start = dt.date(2025, 1, 25)
    for n in range((day - start).days + 1):
        d = start + dt.timedelta(days=n)
        if d.weekday() == 6:
            continue  # no market on Sundays
        approved(prices.pasar_a, prices.beras, d, 13000 + 37 * n)
        if n % 3:  # the second market misses every third day
            approved(prices.pasar_a2, prices.beras, d, 13500 + 11 * n)
        if d < day:  # gula has no price today: its day on day is empty
            approved(prices.pasar_a, prices.gula, d, 17000 + 5 * n)
    figures = selectors.periods(world.region_a, day)
    series = selectors.series(world.region_a, start, day)
    for commodity in (prices.beras, prices.gula):
        f, s = figures[commodity.pk], series[commodity.pk]
        expected = indicators.changes(s, day)
        assert indicators.change(f.price, f.previous_price) == expected.day_on_day
        assert indicators.show(indicators.change(f.this_week, f.last_week)) == indicators.show(expected.week_on_week)
        assert indicators.show(indicators.change(f.month_to_date, f.previous_month)) == indicators.show(expected.month_to_date)
        assert f.previous_month == pytest.approx(indicators.mean_between(s, dt.date(2025, 2, 1), dt.date(2025, 2, 28)))
    assert figures[prices.gula.pk].price is None and figures[prices.beras.pk].price is not None
    weights = {str(prices.beras.pk): 5, str(prices.gula.pk): 2}
    by_means = indicators.iph_of_means({str(k): (f.previous_month, f.month_to_date) for k, f in figures.items()}, weights, day)
    by_series = indicators.iph({str(k): v for k, v in series.items()}, weights, day)
    assert indicators.show(by_means.value) == indicators.show(by_series.value)
    one = selectors.periods(world.region_a, day, market=prices.pasar_a2)
    assert one[prices.beras.pk].price == 13500 + 11 * (day - start).days and prices.gula.pk not in one
