"""Benchmark: regions compared side by side (docs/insights.md; issue #16 item 7).

    python -m benchmarks insights_compare [--size 2000] [--regions 10] [--quarters 8] [--repeat 5]

The issue's size is `--size 1000000`: 10 regions, 8 quarters, that many applications and survey
answers and a tenth as many complaints. The default is small so that it runs anywhere in
seconds. On `BENCH_DATABASE_URL` (else `DATABASE_URL` when it is PostgreSQL, else a fresh SQLite
file under /tmp), created and migrated if missing, it builds the regions (each with one agency,
one published service, a complaint category) and bulk-inserts the rows spread over the quarters.

Each round times, alternating the two:

1. `insights.figures.compare(regions, quarter)` for each of the quarters — what the page runs;
2. the baseline: raw SQL for the same figures per region and quarter — services published,
   applications received, completed on time, the case rows the processing-time median needs,
   the survey element sums, complaints answered and answered on time.

It prints min/median/max of both and of their ratio (the issue's goal: at most 1.5), the number
of queries of one comparison at this size and at a tenth of it (it must not grow), and checks
that both sides count the same applications and answers. Nothing is asserted on time.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SQLITE = str(Path(tempfile.gettempdir()) / "pendopo_bench_insights.sqlite3")
GOAL_RATIO = 1.5


def setup_django(url: str | None) -> str:
    url = url or os.environ.get("BENCH_DATABASE_URL") or ""
    if not url and os.environ.get("DATABASE_URL", "").startswith("postgres"):
        url = os.environ["DATABASE_URL"]
    url = url or f"sqlite:///{SQLITE}"
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pendopo.settings")
    os.environ.setdefault("DEBUG", "true")
    if str(ROOT) not in sys.path:
        sys.path.insert(0, str(ROOT))
    if url.startswith("postgres"):
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


def ensure_regions(count: int) -> list[Any]:
    from pendopo.catalog import actions as catalog_actions
    from pendopo.catalog.models import Service
    from pendopo.catalog.tests.factories import standard_data
    from pendopo.complaints.models import ComplaintCategory
    from pendopo.regions.models import Agency, Province, Regency, Region, User

    admin, _ = User.objects.get_or_create(username="bench.insights", defaults={"is_superuser": True, "is_staff": True})
    province, _ = Province.objects.get_or_create(code="99", defaults={"name": "Provinsi Uji"})
    regions = []
    for n in range(1, count + 1):
        regency, _ = Regency.objects.get_or_create(
            code=f"99.{n:02d}", defaults={"province": province, "name": f"Kabupaten Uji {n}", "kind": "kabupaten"}
        )
        region, _ = Region.objects.get_or_create(
            regency=regency, defaults={"slug": f"uji-{n}", "prefix": "U" + "ABCDEFGHJKMNPQRSTVWXYZ"[n % 22] + "X"}
        )
        agency, _ = Agency.objects.get_or_create(
            region=region, code="DUKCAPIL", defaults={"name": "Disdukcapil", "short_name": "Dukcapil"}
        )
        service = Service.objects.filter(region=region, code="KTP-EL").first() or catalog_actions.create_service(
            admin, region, agency=agency, code="KTP-EL", name="KTP-el", standard=standard_data()
        )
        if service.published_standard_id is None:
            catalog_actions.publish_standard(admin, service.standards.get(), effective_from=dt.date(2026, 1, 6))
        ComplaintCategory.objects.get_or_create(region=region, code="UMUM", defaults={"name": "Umum", "agency": agency})
        regions.append(region)
    return regions


def generate(regions: list[Any], size: int, quarters: list[Any]) -> None:
    """Bulk-insert `size` applications and answers and size/10 complaints, spread over the regions and quarters."""
    from django.db import connection, transaction

    from pendopo.applications.models import Application
    from pendopo.catalog.models import Service
    from pendopo.complaints.models import Complaint, ComplaintCategory
    from pendopo.lib import codes
    from pendopo.surveys.models import SurveyResponse, period_fields
    from pendopo.workflow.models import Case, CaseKind, WorkflowDefinition

    if Application.objects.filter(region__in=regions).count() >= size:
        return
    Complaint.objects.filter(region__in=regions).delete()
    Application.objects.filter(region__in=regions).delete()
    Case.objects.filter(region__in=regions).delete()
    SurveyResponse.objects.filter(region__in=regions).delete()
    services = {s.region_id: s for s in Service.objects.filter(region__in=regions).select_related("published_standard")}
    definitions = {
        d.region_id: d for d in WorkflowDefinition.objects.filter(region__in=regions, status="active", code="default-service")
    }
    complaint_defs = {
        d.region_id: d for d in WorkflowDefinition.objects.filter(region__in=regions, status="active", code="default-complaint")
    }
    categories = {c.region_id: c for c in ComplaintCategory.objects.filter(region__in=regions)}
    days = [q.first_day + dt.timedelta(days=d) for q in quarters for d in range(0, 88, 3)]
    batch = 5000
    with transaction.atomic():
        for start in range(0, size, batch):
            cases, apps, answers = [], [], []
            for n in range(start, min(size, start + batch)):
                region = regions[n % len(regions)]
                day = days[n % len(days)]
                received = dt.datetime.combine(day, dt.time(9, 0), dt.UTC)
                closed = received + dt.timedelta(days=n % 9) if n % 4 else None
                cases.append(
                    Case(
                        region=region,
                        kind=CaseKind.APPLICATION,
                        code=f"{region.prefix}-{codes.new_code('XX')[3:]}-{n}",
                        agency_id=services[region.pk].agency_id,
                        definition=definitions[region.pk],
                        state="completed" if closed else "verification",
                        state_entered_at=received,
                        received_at=received,
                        due_at=received + dt.timedelta(days=5),
                        closed_at=closed,
                        outcome="completed" if closed else "",
                    )
                )
                score = n % 4 + 1
                answers.append(
                    SurveyResponse(
                        region=region,
                        agency_id=services[region.pk].agency_id,
                        service=services[region.pk],
                        channel="qr",
                        submitted_at=received,
                        **{f"u{k}": (score + k) % 4 + 1 for k in range(1, 10)},
                        **period_fields(day),
                    )
                )
            Case.objects.bulk_create(cases, batch_size=1000)
            saved = {c.code: c for c in Case.objects.filter(code__in=[c.code for c in cases])}
            for case in cases:
                service = services[case.region_id]
                apps.append(
                    Application(
                        case=saved[case.code],
                        region_id=case.region_id,
                        service=service,
                        standard=service.published_standard,
                        applicant_name="Warga Uji",
                    )
                )
            Application.objects.bulk_create(apps, batch_size=1000)
            SurveyResponse.objects.bulk_create(answers, batch_size=1000)
        complaint_cases = []
        for n in range(size // 10):
            region = regions[n % len(regions)]
            received = dt.datetime.combine(days[n % len(days)], dt.time(10, 0), dt.UTC)
            complaint_cases.append(
                Case(
                    region=region,
                    kind=CaseKind.COMPLAINT,
                    code=f"{region.prefix}-C{codes.new_code('XX')[3:]}-{n}",
                    definition=complaint_defs[region.pk],
                    state="new",
                    state_entered_at=received,
                    received_at=received,
                )
            )
        Case.objects.bulk_create(complaint_cases, batch_size=1000)
        saved = {c.code: c for c in Case.objects.filter(kind=CaseKind.COMPLAINT, region__in=regions)}
        complaints = []
        for n, case in enumerate(complaint_cases):
            due = case.received_at + dt.timedelta(days=5)
            complaints.append(
                Complaint(
                    case=saved[case.code],
                    region_id=case.region_id,
                    category=categories[case.region_id],
                    description="Uji",
                    response_due_at=due,
                    first_response_at=case.received_at + dt.timedelta(days=n % 8) if n % 3 else None,
                )
            )
        Complaint.objects.bulk_create(complaints, batch_size=1000)
    if connection.vendor == "postgresql":  # as after any bulk load: the planner's statistics for the new rows
        with connection.cursor() as cursor:
            for table in ("workflow_case", "applications_application", "complaints_complaint", "surveys_surveyresponse"):
                cursor.execute(f"ANALYZE {table}")


def baseline(regions: list[Any], quarters: list[Any]) -> dict[tuple[int, str], tuple[int, int]]:
    """Raw SQL for the same figures: (applications received, answers) per region and quarter."""
    from django.db import connection

    ids = [r.pk for r in regions]
    marks = ", ".join(["%s"] * len(ids))
    out = {}
    with connection.cursor() as cursor:
        for quarter in quarters:
            start, end = quarter.bounds(regions[0].time_zone)
            cursor.execute(
                f"SELECT region_id, COUNT(*) FROM catalog_service WHERE region_id IN ({marks}) "
                "AND is_active AND published_standard_id IS NOT NULL GROUP BY region_id",
                ids,
            )
            cursor.fetchall()
            cursor.execute(
                "SELECT c.region_id, COUNT(*) FILTER (WHERE c.received_at >= %s AND c.received_at < %s), "
                "COUNT(*) FILTER (WHERE c.closed_at >= %s AND c.closed_at < %s AND c.outcome = 'completed' "
                "AND (c.due_at IS NULL OR c.closed_at <= c.due_at)) "
                "FROM workflow_case c JOIN applications_application a ON a.case_id = c.id "
                "JOIN catalog_service s ON s.id = a.service_id "
                f"WHERE c.region_id IN ({marks}) AND c.kind = 'application' AND s.published_standard_id IS NOT NULL "
                "AND (c.received_at < %s) AND (c.closed_at IS NULL OR c.closed_at >= %s) GROUP BY c.region_id",
                [start, end, start, end, *ids, end, start],
            )
            received = {row[0]: row[1] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT c.received_at, c.closed_at FROM workflow_case c "
                f"WHERE c.region_id IN ({marks}) AND c.kind = 'application' AND c.closed_at >= %s AND c.closed_at < %s",
                [*ids, start, end],
            )
            cursor.fetchall()
            sums = ", ".join(f"SUM(u{k})" for k in range(1, 10))
            cursor.execute(
                f"SELECT region_id, COUNT(*), {sums} FROM surveys_surveyresponse "
                f"WHERE region_id IN ({marks}) AND year = %s AND quarter = %s GROUP BY region_id",
                [*ids, quarter.year, quarter.number],
            )
            answers = {row[0]: row[1] for row in cursor.fetchall()}
            cursor.execute(
                "SELECT k.region_id, COUNT(*) FILTER (WHERE k.first_response_at IS NOT NULL), "
                "COUNT(*) FILTER (WHERE k.first_response_at <= k.response_due_at) "
                "FROM complaints_complaint k JOIN workflow_case c ON c.id = k.case_id "
                f"WHERE k.region_id IN ({marks}) AND c.received_at >= %s AND c.received_at < %s GROUP BY k.region_id",
                [*ids, start, end],
            )
            cursor.fetchall()
            for region_id in ids:
                out[(region_id, quarter.key)] = (received.get(region_id, 0), answers.get(region_id, 0))
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=2000, help="applications and survey answers (complaints: a tenth)")
    parser.add_argument("--regions", type=int, default=10)
    parser.add_argument("--quarters", type=int, default=8)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args(argv)
    url = setup_django(args.database_url)

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from pendopo.insights import figures
    from pendopo.surveys.periods import Kind, Period

    quarters = []
    year, quarter = 2025, 1
    for _ in range(args.quarters):
        quarters.append(Period(Kind.QUARTER, year, quarter))
        year, quarter = (year + (quarter == 4), quarter % 4 + 1)
    regions = ensure_regions(args.regions)
    generate(regions, args.size, quarters)

    def ours() -> dict[tuple[int, str], tuple[int, int]]:
        out = {}
        for period in quarters:
            for column in figures.compare(regions, period).columns:
                out[(column.region.pk, period.key)] = (column.figures["applications"].value, column.figures["ikm"].sample or 0)
        return out

    ours()  # warm-up (calendars, parsed workflows)
    raw = baseline(regions, quarters)
    if raw != ours():
        print("MISMATCH between the comparison and the raw SQL", file=sys.stderr)
        return 1
    with CaptureQueriesContext(connection) as queries:
        figures.compare(regions, quarters[0])
    mine, theirs = [], []
    for _round in range(args.repeat):
        started = time.perf_counter()
        ours()
        mine.append(time.perf_counter() - started)
        started = time.perf_counter()
        baseline(regions, quarters)
        theirs.append(time.perf_counter() - started)
    print(
        f"insights_compare on {connection.vendor} ({url.split('@')[-1]}): {args.regions} regions, {args.quarters} quarters, "
        f"{args.size} applications and answers, {args.size // 10} complaints"
    )
    print(f"  queries of one comparison: {len(queries)}")
    print(f"  comparison  min {min(mine):.3f}s  median {statistics.median(mine):.3f}s  max {max(mine):.3f}s")
    if theirs:  # always
        ratios = [a / b for a, b in zip(mine, theirs, strict=True)]
        print(f"  raw SQL     min {min(theirs):.3f}s  median {statistics.median(theirs):.3f}s  max {max(theirs):.3f}s")
        print(
            f"  ratio       min {min(ratios):.2f}  median {statistics.median(ratios):.2f}  max {max(ratios):.2f}"
            f"  (goal ≤ {GOAL_RATIO})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
