"""Benchmark: the price dashboard and its IPH over years of daily prices against the raw SQL of what it reads (#17 item 8).

    python -m benchmarks prices_dashboard [--years 5] [--markets 10] [--rounds 20]

On PostgreSQL (`BENCH_DATABASE_URL`, else `DATABASE_URL` when it is PostgreSQL, else
postgres://postgres@127.0.0.1:5432/pendopo_bench_prices; created and migrated if missing): the
national reference data (20 commodities), a region with `--markets` markets and weights for
every commodity, and `--years` of approved daily prices of every commodity in every market
(inserted in SQL: 5 years × 10 markets × 20 commodities is 365,200 entries), and a second
region with 90 days of prices (the demo's size). Each round, in alternating order:

- `build`: `prices.dashboard.build` for today (every indicator, the IPH with each commodity's
  andil and the chart), checked to hold an IPH and 20 rows;
- `raw SQL`: what it reads, in hand-written SQL fetched with a cursor (the latest day with
  approved prices, the commodities, the references in force, the weights, and the daily sum and
  count of approved prices per commodity over the same window);
- `page` and `page, 90 days`: the whole dashboard view (Django's test client, logged in as the
  region's administrator), checked for the IPH heading.

It prints min/median/max (ms) of each, the ratio build / raw SQL (the goal: at most 1.5), the
ratio of the large page to the 90-day page, the number of queries of each page (the goal: the
same whatever the years), and PostgreSQL's plan of the series query.
"""

from __future__ import annotations

import argparse
import datetime as dt
import time
from typing import Any

from benchmarks import spread
from benchmarks.complaints_list import database_url as _database_url
from benchmarks.complaints_list import setup_django

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pendopo_bench_prices"


def database_url() -> str:
    url = _database_url()
    return DEFAULT_URL if url.endswith("/pendopo_bench_complaints") else url


def prepare(region: Any, markets: int, days: int) -> None:
    """Markets, weights and `days` of approved prices up to today (idempotent: only what is missing)."""
    from django.db import connection, transaction

    from pendopo.lib import dates
    from pendopo.prices.models import Commodity, CommodityWeight, Market, PriceEntry
    from pendopo.regions.tests.factories import AgencyFactory

    agency = region.agencies.filter(code="DISPERINDAG").first() or AgencyFactory(region=region, code="DISPERINDAG")
    for n in range(markets):
        Market.objects.get_or_create(region=region, code=f"pasar-{n + 1}", defaults={"name": f"Pasar {n + 1}", "agency": agency})
    for n, commodity in enumerate(Commodity.objects.order_by("pk")):
        CommodityWeight.objects.get_or_create(region=region, commodity=commodity, defaults={"weight": 1 + n % 5})
    today = dates.today(region.time_zone)
    first = today - dt.timedelta(days=days - 1)
    if PriceEntry.objects.filter(region=region, date=first).exists():
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM prices_priceentry WHERE region_id = %s", [region.pk])
        # A price per market and commodity that wanders over the years (a slow rise, a yearly
        # wave, a spread between markets), so averages and changes have something to do.
        cursor.execute(
            """
            INSERT INTO prices_priceentry
                (region_id, market_id, commodity_id, date, price, status, flags, source, idempotency_key, entered_at, note)
            SELECT %s, m.id, c.id, d::date,
                   (10000 + c.id * 1500 + (d::date - %s::date) * 2
                    + 800 * sin((d::date - %s::date) / 58.0) + m.id %% 7 * 150)::int,
                   'approved', '', 'import', gen_random_uuid(), now(), ''
            FROM generate_series(%s::date, %s::date, interval '1 day') d,
                 prices_market m, prices_commodity c
            WHERE m.region_id = %s AND c.is_active
            """,
            [region.pk, first, first, first, today, region.pk],
        )
    # VACUUM (outside the transaction) as autovacuum would after a bulk load: statistics, and the
    # visibility map that lets the covering indexes answer without reading the table.
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE prices_priceentry")


def raw_aggregates(region: Any, today: dt.date, zone: int) -> list[Any]:
    """What the dashboard reads, in hand-written SQL: the latest day with approved prices, the
    commodities, the references in force, the weights and the daily sums and counts per commodity."""
    from django.db import connection

    from pendopo.prices import dashboard, indicators

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT MAX(date) FROM prices_priceentry WHERE region_id = %s AND status = 'approved' AND date <= %s",
            [region.pk, today],
        )
        day = cursor.fetchone()[0]
        first = min(indicators.previous_month(day)[0], day - dt.timedelta(days=dashboard.CHART_DAYS))
        cursor.execute('SELECT * FROM prices_commodity WHERE is_active ORDER BY "order", code')
        out = [cursor.fetchall()]
        cursor.execute(
            "SELECT * FROM prices_referenceprice WHERE zone = %s AND valid_from <= %s AND (valid_to IS NULL OR valid_to >= %s)",
            [zone, day, day],
        )
        out.append(cursor.fetchall())
        cursor.execute("SELECT commodity_id, weight FROM prices_commodityweight WHERE region_id = %s", [region.pk])
        out.append(cursor.fetchall())
        cursor.execute(
            """
            SELECT e.commodity_id, e.date, SUM(e.price), COUNT(e.id)
            FROM prices_priceentry e JOIN prices_market m ON m.id = e.market_id
            WHERE e.region_id = %s AND e.status = 'approved' AND e.date BETWEEN %s AND %s AND m.is_active
            GROUP BY e.commodity_id, e.date
            """,
            [region.pk, first, day],
        )
        out.append(cursor.fetchall())
    return out


def run(years: int, markets: int, rounds: int) -> dict[str, Any]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from pendopo.lib import dates
    from pendopo.prices import dashboard, indicators, selectors
    from pendopo.prices.reference_data import load_reference_data
    from pendopo.regions.models import Region, Role
    from pendopo.regions.tests.factories import UserFactory, banyuwangi, mamuju_tengah, member

    load_reference_data()
    large = Region.objects.filter(regency_id="35.10").first() or banyuwangi()
    small = Region.objects.filter(regency_id="76.06").first() or mamuju_tengah()
    prepare(large, markets, round(years * 365.25))
    prepare(small, markets, 90)
    clients = {}
    for name, region in (("page", large), ("page, 90 days", small)):
        admin = region.memberships.filter(role=Role.REGION_ADMIN).select_related("user").first()
        user = admin.user if admin else member(UserFactory(), region, Role.REGION_ADMIN).user
        client = Client()
        client.force_login(user)
        clients[name] = (client, f"/r/{region.slug}/harga/dasbor/")

    today = dates.today(large.time_zone)
    day = selectors.latest_approved_day(large, today)

    def build() -> None:
        board = dashboard.build(large, today)
        if board.iph is None or board.iph.value is None or len(board.rows) != 20:
            raise SystemExit("the dashboard has no IPH or not 20 commodities")

    zone = selectors.zone_of(large)

    def raw() -> None:
        if not raw_aggregates(large, today, zone)[-1]:
            raise SystemExit("the raw query found no prices")

    def page(name: str) -> Any:
        def get() -> None:
            client, url = clients[name]
            response = client.get(url)
            if response.status_code != 200 or b"IPH" not in response.content:
                raise SystemExit(f"{url}: status {response.status_code} or no IPH on the page")

        return get

    sides = {"build": build, "raw SQL": raw, "page": page("page"), "page, 90 days": page("page, 90 days")}
    for side in sides.values():  # warm-up
        side()
    times: dict[str, list[float]] = {name: [] for name in sides}
    for number in range(rounds):
        order = list(sides.items()) if number % 2 == 0 else list(reversed(sides.items()))
        for name, side in order:
            started = time.perf_counter()
            side()
            times[name].append((time.perf_counter() - started) * 1000)
    queries = {}
    for name, (client, url) in clients.items():
        with CaptureQueriesContext(connection) as captured:
            client.get(url)
        queries[name] = len(captured)
    with connection.cursor() as cursor:
        from pendopo.prices.selectors import PERIODS_SQL

        week = indicators.week_start(day)
        params = {
            "region": large.pk, "day": day, "first": min(indicators.previous_month(day)[0], week - dt.timedelta(days=7)),
            "week": week, "last_week": week - dt.timedelta(days=7), "month": indicators.month_start(day),
            "previous_month": indicators.previous_month(day)[0],
        }  # fmt: skip
        cursor.execute("EXPLAIN " + PERIODS_SQL.format(market=""), params)
        plan = [row[0] for row in cursor.fetchall()]
    from django.db.models import Count, Max, Min

    from pendopo.prices.models import PriceEntry

    held = PriceEntry.objects.filter(region=large).aggregate(n=Count("id"), first=Min("date"), last=Max("date"))
    days = (held["last"] - held["first"]).days + 1
    return {"times": times, "queries": queries, "plan": plan, "entries": held["n"], "days": days}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks prices_dashboard", description=__doc__.splitlines()[0])
    parser.add_argument("--years", type=float, default=5)
    parser.add_argument("--markets", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=20)
    options = parser.parse_args(argv)
    setup_django(database_url())
    result = run(options.years, options.markets, options.rounds)
    times = result["times"]
    print(
        f"prices_dashboard: {result['entries']:,} approved prices over {result['days']:,} days (as the database"
        f" holds them; --years adds what is missing) against 90 days, {options.rounds} rounds (ms)"
    )
    for name, values in times.items():
        print(f"  {name:<14} {spread(values)}")
    build_raw = [a / b for a, b in zip(times["build"], times["raw SQL"], strict=True)]
    pages = [a / b for a, b in zip(times["page"], times["page, 90 days"], strict=True)]
    print(f"  ratio build / raw SQL: {spread(build_raw)}  (goal at most 1.5)")
    print(f"  ratio page {result['days']:,} days / page 90 days: {spread(pages)}")
    print(f"  queries: page {result['queries']['page']}, page of 90 days {result['queries']['page, 90 days']} (goal: equal)")
    print("  plan of the per-period sums (selectors.periods):")
    for line in result["plan"]:
        print("    " + line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
