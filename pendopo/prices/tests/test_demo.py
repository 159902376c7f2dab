"""The `pendopo demo` step: markets, 90 days of prices with a chilli spike, alerts, once."""

from __future__ import annotations

import datetime as dt

import time_machine

from pendopo.prices import indicators, selectors
from pendopo.prices.demo import load_demo_prices
from pendopo.prices.models import Alert, Commodity, Intervention, Market, PriceEntry


@time_machine.travel(dt.datetime(2026, 12, 3, 3, 0, tzinfo=dt.UTC), tick=False)
def test_demo_prices_are_loaded_once_with_a_chilli_spike(world, settings):
    settings.PENDOPO_DEMO_PASSWORD = "a-test-password-1"
    line = load_demo_prices()
    assert line == "prices: entries banyuwangi 7200, mamuju-tengah 3600"
    assert Market.objects.filter(region=world.region_a).count() == 4
    assert Market.objects.filter(region=world.region_b).count() == 2
    assert PriceEntry.objects.filter(region=world.region_a, status="flagged").count() == 1
    assert load_demo_prices() == "prices: entries banyuwangi 0, mamuju-tengah 0"
    today = dt.date(2026, 12, 3)
    cabai = Commodity.objects.get(code="cabai-rawit-merah")
    series = selectors.series(world.region_a, today - dt.timedelta(days=60), today, commodity_ids=[cabai.pk])[cabai.pk]
    yesterday = today - dt.timedelta(days=1)
    assert series[yesterday] > series[yesterday - dt.timedelta(days=14)] * 13 / 10
    ref = selectors.references_on(1, today)[cabai.pk]
    assert indicators.deviation(series[yesterday], ref.kind, ref.upper, ref.lower).status == "above"
    assert Alert.objects.filter(region=world.region_a, commodity=cabai).exists()
    assert Intervention.objects.filter(region=world.region_a, kind="cheap_market").exists()
