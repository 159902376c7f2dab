"""The statistics page (figures per pool, service, counter, agency, day, hour; SVG charts with their tables) and the export."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections import defaultdict
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from pendopo.lib import dates, text
from pendopo.queueing import stats
from pendopo.queueing.models import Ticket
from pendopo.regions.models import Region, Role
from pendopo.regions.permissions import region_for, role_in, visible_to

MAX_DAYS = 92
GROUPS = {
    "pool": gettext_lazy("queue"),
    "service": gettext_lazy("service"),
    "counter": gettext_lazy("counter"),
    "agency": gettext_lazy("agency"),
    "day": gettext_lazy("day"),
    "hour": gettext_lazy("hour"),
}
CHART_WIDTH = 320
# Each bar has its label on the line above it, so the drawing is only as wide as the longest bar and
# its value: on a 390 px phone it shrinks little and its 14 px text stays readable.
BAR_PITCH = 44


def _period(request: HttpRequest, region: Region) -> tuple[dt.date, dt.date, str]:
    today = dates.today(region.time_zone)
    try:
        start = dt.date.fromisoformat(request.GET.get("dari") or today.isoformat())
        end = dt.date.fromisoformat(request.GET.get("sampai") or start.isoformat())
    except ValueError:
        return today, today, _("Give dates as YYYY-MM-DD.")
    if end < start or (end - start).days >= MAX_DAYS:
        return today, today, _("The period runs forward and spans at most %(days)s days.") % {"days": MAX_DAYS}
    return start, end, ""


def _tickets(request: HttpRequest, region: Region, start: dt.date, end: dt.date) -> list[Ticket]:
    queryset = Ticket.objects.filter(region=region, service_date__gte=start, service_date__lte=end).select_related(
        "pool", "pool__agency", "service", "counter"
    )
    return list(visible_to(request.user, queryset).order_by("service_date", "issued_at", "pk"))


def _record(ticket: Ticket) -> stats.Record:
    return stats.Record(
        ticket.number,
        ticket.issued_at,
        ticket.called_at,
        ticket.started_at,
        ticket.finished_at,
        ticket.canceled_at,
        target_seconds=ticket.pool.target_wait_minutes * 60,
    )


def _key(ticket: Ticket, group: str, tz: ZoneInfo) -> str:
    if group == "pool":
        return f"{ticket.pool.prefix} {ticket.pool.name}"
    if group == "service":
        return ticket.service.name if ticket.service else "—"
    if group == "counter":
        return ticket.counter.name if ticket.counter else "—"
    if group == "agency":
        return ticket.pool.agency.short_name
    if group == "day":
        return ticket.service_date.isoformat()
    return f"{ticket.issued_at.astimezone(tz).hour:02d}:00"


def _bars(rows: list[dict[str, Any]], field: str) -> list[dict[str, Any]]:
    top = max((float(row[field] or 0) for row in rows), default=0) or 1
    return [
        {
            "label": row["label"],
            "value": row[field] or 0,
            "width": round(float(row[field] or 0) / top * CHART_WIDTH, 1),
            "y": 8 + i * BAR_PITCH,
        }
        for i, row in enumerate(rows)
    ]


def _may_see(request: HttpRequest, region: Region) -> bool:
    return request.user.is_authenticated and role_in(request.user, region) != Role.CITIZEN


@login_required
def stats_page(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    if not _may_see(request, region):
        raise Http404
    start, end, error = _period(request, region)
    group = request.GET.get("kelompok", "pool")
    if group not in GROUPS:
        group = "pool"
    tz = ZoneInfo(region.time_zone)
    tickets = _tickets(request, region, start, end)
    at = dates.now()
    buckets: dict[str, list[stats.Record]] = defaultdict(list)
    for ticket in tickets:
        buckets[_key(ticket, group, tz)].append(_record(ticket))
    rows = [
        {"label": label, **stats.figures(records, target_seconds=15 * 60, at=at)} for label, records in sorted(buckets.items())
    ]
    for row in rows:
        row["median_wait_minutes"] = round((row["median_wait_seconds"] or 0) / 60, 1)
    total = stats.figures([_record(t) for t in tickets], target_seconds=15 * 60, at=at)
    hours = stats.tickets_per_hour([_record(t) for t in tickets], tz)
    hour_rows = [{"label": f"{hour:02d}:00", "count": count} for hour, count in hours]
    context = {
        "region": region,
        "start": start,
        "end": end,
        "error": error,
        "group": group,
        "groups": GROUPS,
        "group_label": GROUPS[group],
        "rows": rows,
        "total": total,
        "wait_bars": _bars(rows, "median_wait_minutes"),
        "hour_bars": _bars(hour_rows, "count"),
        "hour_rows": hour_rows,
        "chart_width": CHART_WIDTH,
        "wait_height": 16 + BAR_PITCH * len(rows),
        "hour_height": 16 + BAR_PITCH * len(hour_rows),
    }
    return render(request, "queueing/stats.html", context, status=400 if error else 200)


EXPORT_COLUMNS = (*stats.COLUMNS, "queue", "service", "counter", "agency", "priority_group", "source", "state")


def _export_rows(tickets: list[Ticket], tz: ZoneInfo) -> list[list[str]]:
    def iso(value: dt.datetime | None) -> str:
        return value.astimezone(tz).isoformat() if value else ""

    return [
        [
            t.number,
            iso(t.issued_at),
            iso(t.called_at),
            iso(t.started_at),
            iso(t.finished_at),
            iso(t.canceled_at),
            t.pool.prefix,
            t.service.code if t.service else "",
            t.counter.code if t.counter else "",
            t.pool.agency.code,
            t.priority_group,
            t.source,
            t.state,
        ]
        for t in tickets
    ]


@login_required
def stats_export(request: HttpRequest, region_slug: str, fmt: str) -> HttpResponse:
    """Raw timestamps (ISO 8601 with the region's offset): the input of `pendopo queue stats FILE`."""
    region = region_for(request.user, region_slug)
    if not _may_see(request, region) or fmt not in ("csv", "xlsx"):
        raise Http404
    start, end, error = _period(request, region)
    if error:
        return HttpResponse(error, status=400, content_type="text/plain; charset=utf-8")
    tz = ZoneInfo(region.time_zone)
    rows = _export_rows(_tickets(request, region, start, end), tz)
    name = f"antrian-{region.slug}-{start.isoformat()}-{end.isoformat()}.{fmt}"
    if fmt == "csv":
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(EXPORT_COLUMNS)
        writer.writerows([[text.csv_cell(cell) for cell in row] for row in rows])
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        import xlsxwriter

        buffer = io.BytesIO()
        book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
        sheet = book.add_worksheet("antrian")
        for r, row in enumerate([list(EXPORT_COLUMNS), *rows]):
            for c, value in enumerate(row):
                sheet.write_string(r, c, text.sheet_text(value))
        book.close()
        response = HttpResponse(
            buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
