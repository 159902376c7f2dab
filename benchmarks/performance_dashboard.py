"""Benchmark: the leadership's SAKIP dashboard at any data size (issue #14 item 8).

    python -m benchmarks performance_dashboard [--size 20000] [--rounds 15]

`--size` is the number of applications; complaints are a tenth of it and survey answers as many
as the applications (the issue's full size: `--size 1000000` gives 1,000,000 applications,
100,000 complaints and 1,000,000 survey answers). On PostgreSQL (`BENCH_DATABASE_URL`, else
`DATABASE_URL` when it is PostgreSQL, else postgres://postgres@127.0.0.1:5432/pendopo_bench_performance;
created and migrated if missing): Kabupaten Banyuwangi with 12 agencies, a SAKIP plan of 3
indicators per agency (one manual, the IKM and the on-time rate computed live) with targets and
realisations, and an LKE round. One complaint is filed through `complaints.actions.file_complaint`;
the cases, complaints and survey answers are SQL copies spread over the last two years (so the
current quarter holds about an eighth of them).

It then:

1. counts the queries of the dashboard page (`performance:region_dashboard`, Django's test client,
   logged in as a leadership seat) at a tenth of the size and at the size: they must be equal
   (exit status 1 otherwise);
2. times the page against the raw SQL aggregates it needs — per agency for the current quarter:
   applications received, completed, completed on time and open overdue; complaints received,
   answered and answered on time; the IKM's element sums and count; the indicators' targets and
   realisations — alternating the two in each round, and prints min/median/max of each and of
   the ratio page / raw SQL (the issue's goal: at most 1.5). The page's content is checked (every
   agency and the LKE grade on it), not only its status.

Nothing is asserted on time: the numbers are printed for comparison across machines and runs.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from benchmarks import spread

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/pendopo_bench_performance"
ROOT = Path(__file__).resolve().parent.parent
AGENCIES = 12
GOAL_RATIO = 1.5
SPREAD_MINUTES = 730 * 24 * 60  # two years


def database_url() -> str:
    url = os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL", "")
    return url if url.startswith("postgres") else DEFAULT_URL


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pendopo.settings")
    os.environ.setdefault("DEBUG", "true")
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


def ensure_world() -> dict[str, Any]:
    """The region, its agencies, a service each, one filed complaint, the SAKIP plan and a leader (idempotent)."""
    from pendopo.catalog.models import Service
    from pendopo.complaints import actions as complaint_actions
    from pendopo.complaints.models import Complaint, ComplaintCategory
    from pendopo.lib import dates
    from pendopo.performance import actions
    from pendopo.performance.models import (
        Criterion,
        EvaluationRound,
        Indicator,
        LeadershipSeat,
        PlanningPeriod,
        Realisation,
        Source,
        Target,
    )
    from pendopo.regions.models import Agency, Region, Role, User
    from pendopo.regions.tests.factories import AgencyFactory, UserFactory, banyuwangi, member

    region = Region.objects.filter(regency_id="35.10").first() or banyuwangi()
    agencies = []
    for number in range(AGENCIES):
        code = f"OPD{number:02d}"
        agency = Agency.objects.filter(region=region, code=code).first() or AgencyFactory(
            region=region, code=code, name=f"Dinas Contoh {number:02d}", short_name=f"DC{number:02d}"
        )
        agencies.append(agency)
        Service.objects.get_or_create(region=region, code=f"{code}-L1", defaults={"agency": agency, "name": f"Layanan {code}"})
    category, _ = ComplaintCategory.objects.get_or_create(
        region=region, code="JALAN-RUSAK", defaults={"name": "Jalan rusak", "agency": agencies[0]}
    )
    if not Complaint.objects.filter(region=region).exists():
        filing = complaint_actions.Filing(category=category, description="Jalan berlubang di depan pasar.", privacy="identified")
        complaint_actions.file_complaint(region, filing)
    admin = User.objects.filter(username="bench.admin").first()
    if admin is None:
        admin = UserFactory(username="bench.admin")
        member(admin, region, Role.REGION_ADMIN)
    leader = User.objects.filter(username="bench.bupati").first() or UserFactory(username="bench.bupati")
    LeadershipSeat.objects.get_or_create(region=region, user=leader, defaults={"title": "Bupati"})
    today = dates.today(region.time_zone)
    if not PlanningPeriod.objects.filter(region=region).exists():
        period = PlanningPeriod.objects.create(
            region=region, name="RPJMD", start_year=today.year - 2, end_year=today.year + 2, is_published=True
        )
        quarter = (today.month - 1) // 3 + 1
        targets, realisations = [], []
        for agency in agencies:
            for kind, source in (("M", Source.MANUAL), ("I", Source.IKM), ("T", Source.ON_TIME)):
                item = Indicator.objects.create(
                    region=region, period=period, agency=agency, code=f"{agency.code}-{kind}", name=f"Indikator {kind}",
                    unit="%", polarity="higher", source=source,
                )  # fmt: skip
                targets += [
                    Target(region=region, indicator=item, year=today.year, quarter=q, value=Decimal(80)) for q in range(5)
                ]
                if source == Source.MANUAL:
                    realisations.append(
                        Realisation(
                            region=region, agency=agency, indicator=item, year=today.year, quarter=quarter,
                            value=Decimal(75), status="verified", entered_by=admin, entered_at=dates.now(),
                        )
                    )  # fmt: skip
        Target.objects.bulk_create(targets)
        Realisation.objects.bulk_create(realisations)
    if not EvaluationRound.objects.filter(region=region).exists():
        round_ = actions.start_round(admin, region.pk, today.year - 1)
        Criterion.objects.filter(subcomponent__component__round=round_).update(self_value=1, evaluator_value=1)
        EvaluationRound.objects.filter(pk=round_.pk).update(status="completed", is_published=True)
    return {"region": region, "agencies": agencies, "leader": leader}


def _count(table: str, where: str, params: list[Any]) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE {where}", params)
        return int(cursor.fetchone()[0])


def grow(world: dict[str, Any], size: int) -> None:
    """Make the region hold `size` applications, size // 10 complaints and `size` survey answers (SQL copies)."""
    from django.db import connection, transaction

    from pendopo.catalog.models import Service
    from pendopo.complaints.models import Complaint
    from pendopo.workflow.models import Case

    region = world["region"]
    agencies = [a.pk for a in world["agencies"]]
    first = Complaint.objects.filter(region=region).order_by("pk").first()
    started = time.monotonic()
    case_columns = [f.column for f in Case._meta.concrete_fields if not f.primary_key]
    # r: received, a spread over two years back from now; a case is closed a few days after, on
    # time when within 5 days of its 7-day deadline, or open (recent ones only).
    closed = (
        "CASE WHEN r > now() - interval '20 days' AND g %% 3 = 0 THEN NULL ELSE LEAST(now(), r + (g %% 9) * interval '1 day') END"
    )
    for kind, prefix, target in (("application", "A", size), ("complaint", "C", size // 10)):
        have = _count("workflow_case", "region_id = %s AND code LIKE %s", [region.pk, f"P{prefix}-%"])
        if have >= target:
            continue
        override = {
            "code": f"'P{prefix}-' || lpad((g + {have})::text, 9, '0')",
            "kind": f"'{kind}'",
            "agency_id": f"(%s::bigint[])[1 + (g %% {len(agencies)})]",
            "received_at": "r",
            "state_entered_at": "r",
            "created_at": "r",
            "updated_at": "r",
            "due_at": "r + interval '7 days'",
            "state_due_at": "NULL",
            "paused_at": "NULL",
            "closed_at": closed,
            "outcome": f"CASE WHEN ({closed}) IS NULL THEN '' ELSE 'completed' END",
            "is_overdue": "false",
        }
        select = ", ".join(override.get(c, f"s.{c}") for c in case_columns)
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO workflow_case ({', '.join(case_columns)}) SELECT {select} "
                f"FROM workflow_case s, generate_series(1, %s) g, "
                f"LATERAL (SELECT now() - ((g::bigint * 7919 + {have}) %% {SPREAD_MINUTES}) * interval '1 minute' AS r) t "
                f"WHERE s.id = %s",
                [agencies, target - have, first.case_id],
            )
    complaint_columns = [f.column for f in Complaint._meta.concrete_fields if not f.primary_key]
    complaint_override = {
        "case_id": "c.id",
        "created_at": "c.received_at",
        "updated_at": "c.received_at",
        "response_due_at": "c.received_at + interval '5 days'",
        "first_response_at": "CASE WHEN c.id %% 4 = 0 THEN NULL ELSE c.received_at + (c.id %% 8) * interval '1 day' END",
    }
    select = ", ".join(complaint_override.get(c, f"s.{c}") for c in complaint_columns)
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO complaints_complaint ({', '.join(complaint_columns)}) SELECT {select} "
            f"FROM complaints_complaint s, workflow_case c WHERE s.id = %s AND c.region_id = %s AND c.code LIKE 'PC-%%' "
            f"AND NOT EXISTS (SELECT 1 FROM complaints_complaint e WHERE e.case_id = c.id)",
            [first.pk, region.pk],
        )
    services = list(Service.objects.filter(region=region, code__startswith="OPD").order_by("code"))
    have = _count("surveys_surveyresponse", "region_id = %s", [region.pk])
    if have < size:
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                """
                INSERT INTO surveys_surveyresponse (region_id, agency_id, service_id, service_point_id, application_key,
                    u1, u2, u3, u4, u5, u6, u7, u8, u9, sex, age, education, occupation, suggestion, channel,
                    import_batch_id, submitted_at, local_date, year, semester, quarter, month, idempotency_key, device_key)
                SELECT %(region)s, (%(agencies)s::bigint[])[1 + g %% %(n)s], (%(services)s::bigint[])[1 + g %% %(n)s],
                    NULL, NULL, 3 + (g %% 2), 3, 3 + (g %% 3 = 0)::int, 4, 3, 3, 4 - (g %% 5 = 0)::int, 3, 3,
                    (ARRAY['male', 'female'])[1 + g %% 2], '30-39', 'sma', 'private', '', 'qr', NULL,
                    day + time '03:00', day, extract(year FROM day)::int,
                    CASE WHEN extract(month FROM day) <= 6 THEN 1 ELSE 2 END,
                    extract(quarter FROM day)::int, extract(month FROM day)::int, '', ''
                FROM generate_series(%(first)s, %(last)s) AS g,
                     LATERAL (SELECT current_date - ((g::bigint * 7919) %% 730)::int AS day) AS d
                """,
                {
                    "region": region.pk,
                    "agencies": [s.agency_id for s in services],
                    "services": [s.pk for s in services],
                    "n": len(services),
                    "first": have + 1,
                    "last": size,
                },
            )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE workflow_case; ANALYZE complaints_complaint; ANALYZE surveys_surveyresponse")
    print(f"  data at {size:,} applications ({time.monotonic() - started:.0f} s)", flush=True)


RAW = [
    # applications per agency in the quarter [start, end) as of `end`: received, completed, on time, open overdue
    """SELECT agency_id,
        count(*) FILTER (WHERE received_at >= %(start)s AND received_at < %(end)s),
        count(*) FILTER (WHERE closed_at >= %(start)s AND closed_at < %(end)s AND outcome = 'completed'),
        count(*) FILTER (WHERE closed_at >= %(start)s AND closed_at < %(end)s AND outcome = 'completed' AND closed_at <= due_at),
        count(*) FILTER (WHERE received_at <= %(asof)s AND (closed_at IS NULL OR closed_at > %(asof)s) AND due_at < %(asof)s)
       FROM workflow_case
       WHERE region_id = %(region)s AND kind = 'application'
         AND ((received_at >= %(start)s AND received_at < %(end)s) OR (closed_at >= %(start)s AND closed_at < %(end)s)
              OR (received_at <= %(asof)s AND (closed_at IS NULL OR closed_at > %(asof)s)))
       GROUP BY agency_id""",
    # complaints per agency received in the quarter: received, answered, answered on time
    """SELECT c.agency_id, count(*), count(k.first_response_at),
        count(*) FILTER (WHERE k.first_response_at <= k.response_due_at OR
                         (k.first_response_at IS NOT NULL AND k.response_due_at IS NULL))
       FROM complaints_complaint k JOIN workflow_case c ON c.id = k.case_id
       WHERE k.region_id = %(region)s AND c.received_at >= %(start)s AND c.received_at < %(end)s
       GROUP BY c.agency_id""",
    # the IKM's element sums per agency for the quarter
    """SELECT agency_id, count(*), sum(u1), sum(u2), sum(u3), sum(u4), sum(u5), sum(u6), sum(u7), sum(u8), sum(u9)
       FROM surveys_surveyresponse WHERE region_id = %(region)s AND year = %(year)s AND quarter = %(quarter)s
       GROUP BY agency_id""",
    # the indicators with the quarter's target and realisation
    """SELECT i.id, t.value, t.value_high, r.value, r.achieved
       FROM performance_indicator i
       LEFT JOIN performance_target t ON t.indicator_id = i.id AND t.year = %(year)s AND t.quarter = %(quarter)s
       LEFT JOIN performance_realisation r ON r.indicator_id = i.id AND r.year = %(year)s AND r.quarter = %(quarter)s
       WHERE i.region_id = %(region)s""",
]


def raw_aggregates(region: Any) -> list[list[tuple[Any, ...]]]:
    from django.db import connection

    from pendopo.lib import dates
    from pendopo.performance.dashboards import current_quarter
    from pendopo.surveys.periods import Kind, Period

    year, quarter = current_quarter(region)
    start, end = Period(Kind.QUARTER, year, quarter).bounds(region.time_zone)
    params = {"region": region.pk, "start": start, "end": end, "asof": min(end, dates.now())}
    params |= {"year": year, "quarter": quarter}
    out = []
    with connection.cursor() as cursor:
        for statement in RAW:
            cursor.execute(statement, params)
            out.append(cursor.fetchall())
    return out


def _page(client: Any, url: str, expected: list[str]) -> float:
    started = time.perf_counter()
    response = client.get(url)
    elapsed = time.perf_counter() - started
    missing = [text for text in expected if text.encode() not in response.content]
    if response.status_code != 200 or missing:
        raise SystemExit(f"{url}: status {response.status_code}, missing {missing}")
    return elapsed


def count_queries(client: Any, url: str, expected: list[str]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _page(client, url, expected)  # warm the per-process caches
    with CaptureQueriesContext(connection) as queries:
        _page(client, url, expected)
    return len(queries)


def run(size: int, rounds: int) -> dict[str, Any]:
    from django.test import Client
    from django.urls import reverse

    world = ensure_world()
    region = world["region"]
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(world["leader"])
    url = reverse("performance:region_dashboard", kwargs={"region_slug": region.slug})
    expected = [agency.name for agency in world["agencies"]] + ["(AA)"]

    def applications() -> int:
        return _count("workflow_case", "region_id = %s AND kind = 'application'", [region.pk])

    grow(world, max(size // 10, 1))
    small_size, small_queries = applications(), count_queries(client, url, expected)
    grow(world, size)
    queries = count_queries(client, url, expected)
    raw_aggregates(region)  # warm-up
    page_ms: list[float] = []
    raw_ms: list[float] = []
    for number in range(rounds):
        steps = [("page", lambda: _page(client, url, expected)), ("raw", lambda: _timed_raw(region))]
        for name, step in steps if number % 2 == 0 else reversed(steps):
            (page_ms if name == "page" else raw_ms).append(step() * 1000)
    return {
        "small_size": small_size,
        "small_queries": small_queries,
        "size": applications(),
        "queries": queries,
        "page": page_ms,
        "raw": raw_ms,
    }


def _timed_raw(region: Any) -> float:
    started = time.perf_counter()
    raw_aggregates(region)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks performance_dashboard", description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=20_000, help="applications (complaints: a tenth; survey answers: as many)")
    parser.add_argument("--rounds", type=int, default=15)
    options = parser.parse_args(argv)
    setup_django(database_url())
    result = run(options.size, options.rounds)
    ratios = [a / b for a, b in zip(result["page"], result["raw"], strict=True)]
    size = options.size
    print(
        f"performance_dashboard: {size:,} applications, {size // 10:,} complaints, {size:,} survey answers, "
        f"{options.rounds} rounds (ms)"
    )
    print(
        f"  queries of the page: {result['small_queries']} at {result['small_size']:,} applications, "
        f"{result['queries']} at {result['size']:,} (a database already larger than the size is used as it is)"
    )
    print(f"  page          {spread(result['page'])}")
    print(f"  raw SQL       {spread(result['raw'])}")
    print(f"  ratio page / raw SQL: {spread(ratios)}  (goal at most {GOAL_RATIO})")
    if result["small_queries"] != result["queries"]:
        print("  the number of queries grows with the data", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
