"""Benchmark: a region's satisfaction index on a million survey responses (issue #5 item 8).

    python -m benchmarks surveys_ikm [--rows 1000000] [--repeat 15]

Generates the responses on PostgreSQL with one `INSERT ... SELECT generate_series(...)` into a
database of its own (`BENCH_DATABASE_URL`, default
postgres://postgres@127.0.0.1:5432/pendopo_bench_surveys, created and migrated if missing):
Kabupaten Banyuwangi with 12 agencies of 3 services each, responses spread over 2026.

It then times, as medians of `--repeat` runs after a warm-up:

1. the region's figures as the report computes them — the index of the region and of each of
   its agencies for the year (pendopo.surveys.indices: one aggregate query, exact fractions in
   Python) — against the raw SQL GROUP BY that yields the same figures; the figures of both are
   compared and must be equal. The ratio of the two is the goal of the issue (at most 1.5);
2. the whole region report (reports.build: figures, trend, profile, people served) against the
   same SQL statements run directly, which shows the ORM's own overhead.

Nothing is asserted on time: the numbers are printed for comparison across machines and runs.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pendopo_bench_surveys"
ROOT = Path(__file__).resolve().parent.parent
GOAL_RATIO = 1.5
YEAR = 2026
AGENCIES, SERVICES_PER_AGENCY = 12, 3


def setup_django(url: str | None = None) -> str:
    url = url or os.environ.get("BENCH_DATABASE_URL", DEFAULT_URL)
    if not url.startswith("postgres"):
        raise SystemExit("The surveys benchmark needs PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pendopo.settings")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    import psycopg
    from psycopg import sql

    base, _sep, name = url.rpartition("/")
    with psycopg.connect(base + "/postgres", autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return url


def ensure_world() -> dict[str, Any]:
    """The region, agencies and services the generated responses point at (idempotent)."""
    from pendopo.catalog.models import Service
    from pendopo.regions.models import Agency, Province, Regency, Region
    from pendopo.surveys.models import ServedCount

    province, _ = Province.objects.get_or_create(code="35", defaults={"name": "Jawa Timur"})
    regency, _ = Regency.objects.get_or_create(
        code="35.10", defaults={"province": province, "name": "Kabupaten Banyuwangi", "kind": "kabupaten"}
    )
    region, _ = Region.objects.get_or_create(
        regency=regency, defaults={"slug": "banyuwangi", "prefix": "BWI", "time_zone": "Asia/Jakarta"}
    )
    agencies, services = [], []
    for number in range(AGENCIES):
        agency, _ = Agency.objects.get_or_create(
            region=region,
            code=f"OPD{number:02d}",
            defaults={"name": f"Dinas Contoh {number:02d}", "short_name": f"DC{number:02d}"},
        )
        agencies.append(agency)
        for index in range(SERVICES_PER_AGENCY):
            code = f"{agency.code}-L{index}"
            service, _ = Service.objects.get_or_create(
                region=region, code=code, defaults={"agency": agency, "name": f"Layanan {code}"}
            )
            services.append(service)
        for month in range(1, 13):
            ServedCount.objects.get_or_create(
                region=region, agency=agency, service=None, year=YEAR, month=month, defaults={"served": 2_000 + 97 * number}
            )
    return {"region": region, "agencies": agencies, "services": services}


def generate(rows: int, world: dict[str, Any]) -> int:
    """Make the region hold exactly `rows` generated responses; returns how many were written."""
    from django.db import connection, transaction

    region = world["region"]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM surveys_surveyresponse WHERE region_id = %s", [region.pk])
        if cursor.fetchone()[0] == rows:
            return 0
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("TRUNCATE surveys_surveyresponse")
        # g numbers the response; the service, the day and the profile follow from it, the scores
        # are random with a lean to 3 and 4 (as real surveys are).
        cursor.execute(
            """
            INSERT INTO surveys_surveyresponse (region_id, agency_id, service_id, service_point_id, application_key,
                u1, u2, u3, u4, u5, u6, u7, u8, u9, sex, age, education, occupation, suggestion, channel,
                import_batch_id, submitted_at, local_date, year, semester, quarter, month)
            SELECT %(region)s, (%(agencies)s::bigint[])[1 + (g %% %(services_n)s) / %(per_agency)s],
                (%(services)s::bigint[])[1 + g %% %(services_n)s], NULL, NULL,
                LEAST(4, 1 + floor(random() * 4.4))::smallint, LEAST(4, 1 + floor(random() * 4.4))::smallint,
                LEAST(4, 1 + floor(random() * 4.4))::smallint, LEAST(4, 1 + floor(random() * 4.6))::smallint,
                LEAST(4, 1 + floor(random() * 4.4))::smallint, LEAST(4, 1 + floor(random() * 4.4))::smallint,
                LEAST(4, 1 + floor(random() * 4.5))::smallint, LEAST(4, 1 + floor(random() * 4.2))::smallint,
                LEAST(4, 1 + floor(random() * 4.1))::smallint,
                (ARRAY['male', 'female'])[1 + g %% 2],
                (ARRAY['u20', '20-29', '30-39', '40-49', '50-59', '60+'])[1 + g %% 6],
                (ARRAY['sd', 'smp', 'sma', 'd1-d3', 'd4-s1', 's2'])[1 + (g / 7) %% 6],
                (ARRAY['civil_servant', 'private', 'self_employed', 'student', 'other'])[1 + (g / 11) %% 5],
                CASE WHEN g %% 50 = 0 THEN 'Saran ' || g ELSE '' END,
                (ARRAY['qr', 'kiosk', 'online', 'paper'])[1 + (g / 13) %% 4],
                NULL, day + time '03:00', day, %(year)s,
                CASE WHEN extract(month FROM day) <= 6 THEN 1 ELSE 2 END,
                extract(quarter FROM day)::int, extract(month FROM day)::int
            FROM generate_series(1, %(rows)s) AS g,
                 LATERAL (SELECT make_date(%(year)s, 1, 1) + ((g::bigint * 7919) %% 365)::int AS day) AS d
            """,
            {
                "region": region.pk,
                "agencies": [agency.pk for agency in world["agencies"]],
                "services": [service.pk for service in world["services"]],
                "services_n": len(world["services"]),
                "per_agency": SERVICES_PER_AGENCY,
                "year": YEAR,
                "rows": rows,
            },
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE surveys_surveyresponse")
    print(f"  generated {rows:,} responses ({time.monotonic() - started:.0f} s)", flush=True)
    return rows


def median_time(run: Callable[[], Any], repeat: int) -> float:
    run()  # warm-up: caches, plans
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


RAW_GROUP_BY = """
    SELECT agency_id, COUNT(*), SUM(u1), SUM(u2), SUM(u3), SUM(u4), SUM(u5), SUM(u6), SUM(u7), SUM(u8), SUM(u9)
    FROM surveys_surveyresponse
    WHERE region_id = %s AND year = %s
    GROUP BY agency_id
"""


def run(rows: int, repeat: int) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pendopo.surveys import ikm, indices, reports
    from pendopo.surveys.indices import Level
    from pendopo.surveys.periods import Kind, Period

    world = ensure_world()
    generate(rows, world)
    region = world["region"]
    unit = reports.Unit(region)
    period = Period(Kind.YEAR, YEAR)

    def orm_figures() -> tuple[ikm.Index | None, dict[int, ikm.Index | None]]:
        agencies = indices.by_unit(reports.responses_of(unit), Level.AGENCY, period)
        return indices.combine(agencies), {agency.pk: agency.index for agency in agencies}

    def raw_rows() -> list[tuple[Any, ...]]:
        with connection.cursor() as cursor:
            cursor.execute(RAW_GROUP_BY, [region.pk, YEAR])
            return cursor.fetchall()

    # Both ways give the same figures, exactly.
    total, by_agency = orm_figures()
    groups = raw_rows()
    raw_by_agency = {agency: ikm.from_sums(count, dict(zip(ikm.ELEMENTS, sums, strict=True))) for agency, count, *sums in groups}
    raw_total = ikm.from_sums(
        sum(count for _agency, count, *_sums in groups),
        {code: sum(row[2 + position] for row in groups) for position, code in enumerate(ikm.ELEMENTS)},
    )
    if by_agency != raw_by_agency or total != raw_total:
        raise SystemExit("The report's figures differ from the raw SQL's: this is a bug.")

    figures_time = median_time(orm_figures, repeat)
    raw_time = median_time(raw_rows, repeat)
    figures_ratio = figures_time / raw_time

    with CaptureQueriesContext(connection) as captured:
        reports.build(None, unit, period)
    statements = [query["sql"] for query in captured.captured_queries]

    def raw_report() -> None:
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)
                cursor.fetchall()

    report_time = median_time(lambda: reports.build(None, unit, period), repeat)
    raw_report_time = median_time(raw_report, repeat)
    report_ratio = report_time / raw_report_time

    shown = total.display() if total else {}
    print(f"Region {region.regency.name}, {YEAR}: {rows:,} responses, {len(groups)} agencies")
    print(f"  index: IKM {shown.get('ikm')}, converted {shown.get('converted')}, grade {shown.get('grade')} — equal both ways")
    print("  region figures (region + each agency: 1 aggregate query, 1 name look-up, exact arithmetic):")
    print(f"    {figures_time * 1000:.1f} ms median of {repeat}")
    print(f"  raw SQL GROUP BY of the same figures: {raw_time * 1000:.1f} ms")
    verdict = "meets" if figures_ratio <= GOAL_RATIO else "misses"
    print(f"  ratio report / raw SQL: {figures_ratio:.2f} ({verdict} the goal of at most {GOAL_RATIO:g})")
    print(
        f"  whole region report ({len(statements)} queries: figures, trend, profile, people served): {report_time * 1000:.1f} ms"
    )
    print(f"  the same {len(statements)} statements as raw SQL: {raw_report_time * 1000:.1f} ms (ratio {report_ratio:.2f})")
    return {
        "rows": rows,
        "figures_ms": figures_time * 1000,
        "raw_ms": raw_time * 1000,
        "ratio": figures_ratio,
        "report_ms": report_time * 1000,
        "raw_report_ms": raw_report_time * 1000,
        "report_ratio": report_ratio,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000, help="responses to generate (default 1,000,000)")
    parser.add_argument("--repeat", type=int, default=15, help="timed runs of each side (default 15)")
    parser.add_argument(
        "--database-url", default=None, help=f"PostgreSQL database (default $BENCH_DATABASE_URL or {DEFAULT_URL})"
    )
    args = parser.parse_args(argv)
    if args.rows < 1 or args.repeat < 1:
        parser.error("--rows and --repeat must be at least 1")
    setup_django(args.database_url)
    run(args.rows, args.repeat)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
