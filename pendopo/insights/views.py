"""The comparison page (anyone: `/perbandingan/`), its XLSX, and a region's public profile.

Figures are the same for everyone: only published figures, whoever asks (a region's own
staff see no more of it here than the public).
"""

from __future__ import annotations

import io
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from pendopo.insights import figures
from pendopo.lib import dates
from pendopo.lib.replica import replica_reads
from pendopo.lib.text import sheet_text
from pendopo.performance.svg import Series, bar_chart, line_chart
from pendopo.regions.models import Region
from pendopo.regions.permissions import region_for, visible_to
from pendopo.surveys.periods import Kind, Period, PeriodError

DEFAULT_REGIONS = ("banyuwangi", "mamuju-tengah")
MAX_REGIONS = 10
CHARTED = ("on_time", "ikm", "complaints_on_time", "adopted")


def _public_regions() -> Any:
    return visible_to(None, Region.objects.select_related("regency")).order_by("regency__name")


def _period(text: str, default_year: int) -> Period:
    return Period.parse(text) if text else Period(Kind.YEAR, default_year)


def _chart(comparison: figures.Comparison) -> Any:
    labels = [str(figures.SPEC_BY_KEY[key].label) for key in CHARTED]
    series = [Series(column.region.name, [column.figures[key].number for key in CHARTED]) for column in comparison.columns]
    return bar_chart(_("Regions compared"), labels, series, floor=0, ceiling=100)


def _choose(request: HttpRequest) -> tuple[list[Region], list[Region], Period, list[str]]:
    """The regions chosen (public ones only), every public region, the period, and problems."""
    available = list(_public_regions())
    by_slug = {region.slug: region for region in available}
    slugs = [s for s in request.GET.getlist("wilayah") if s] or [s for s in DEFAULT_REGIONS if s in by_slug]
    problems: list[str] = []
    chosen: list[Region] = []
    for slug in dict.fromkeys(slugs):
        if slug in by_slug:
            chosen.append(by_slug[slug])
        else:
            problems.append(_("There is no region “%(slug)s” that publishes its figures.") % {"slug": slug[:60]})
    if len(chosen) > MAX_REGIONS:
        problems.append(_("Compare at most %(n)s regions at once.") % {"n": MAX_REGIONS})
    zone = chosen[0].time_zone if chosen else "Asia/Jakarta"
    try:
        period = _period(request.GET.get("periode", "").strip(), dates.today(zone).year)
    except PeriodError as exc:
        problems.append(str(exc))
        period = Period(Kind.YEAR, dates.today(zone).year)
    if not problems and len(chosen) < 2:
        problems.append(_("Choose at least two regions to compare."))
    return chosen, available, period, problems


@require_GET
@replica_reads
def compare(request: HttpRequest) -> HttpResponse:
    chosen, available, period, problems = _choose(request)
    context: dict[str, Any] = {"available": available, "chosen": chosen, "period": period, "problems": problems}
    status = 200
    if not problems:
        comparison = figures.compare(chosen, period)
        silent = [column.region.name for column in comparison.columns if not column.publishes_something]
        if silent:
            problems.append(
                _("%(regions)s publishes no figures yet (no published service, no survey response): choose another region.")
                % {"regions": ", ".join(silent)}
            )
        else:
            context.update(comparison=comparison, chart=_chart(comparison), min_sample=figures.min_sample())
            if request.GET.get("format") == "xlsx":
                return _xlsx(comparison)
    if problems:
        status = 400
    context["query"] = "&".join([f"wilayah={r.slug}" for r in chosen] + [f"periode={period.key}"])
    return render(request, "insights/compare.html", context, status=status)


def _cell(figure: figures.Figure) -> Any:
    return "" if figure.value is None else (figure.value if isinstance(figure.value, int) else str(figure.value))


def _xlsx(comparison: figures.Comparison) -> HttpResponse:
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    sheet = book.add_worksheet(_("Figures")[:31])
    header = [_("Figure"), _("Unit")]
    for region in comparison.regions:
        header += [region.name, _("sample") + " — " + region.name]
    header.append(_("Definition"))
    for col, text in enumerate(header):
        sheet.write_string(0, col, sheet_text(str(text)))
    for row, (spec, cells) in enumerate(comparison.rows(), start=1):
        sheet.write_string(row, 0, sheet_text(str(spec.label)))
        sheet.write_string(row, 1, sheet_text(str(spec.unit)))
        for n, figure in enumerate(cells):
            value = _cell(figure)
            if isinstance(value, int):
                sheet.write_number(row, 2 + 2 * n, value)
            else:
                sheet.write_string(row, 2 + 2 * n, sheet_text(value))
            if figure.sample is not None:
                sheet.write_number(row, 3 + 2 * n, figure.sample)
        sheet.write_string(row, 2 + 2 * len(comparison.regions), sheet_text(str(spec.definition)))
    types = book.add_worksheet(_("Service types")[:31])
    head = [_("Service type"), _("Matched by")]
    for region in comparison.regions:
        head += [f"{_('Applications')} — {region.name}", f"{_('On-time rate')} — {region.name}", f"IKM — {region.name}"]
    for col, text in enumerate(head):
        types.write_string(0, col, sheet_text(str(text)))
    for row, item in enumerate(comparison.service_types, start=1):
        types.write_string(row, 0, sheet_text(item.name))
        types.write_string(row, 1, sheet_text(item.key))
        for n, region in enumerate(comparison.regions):
            cell = item.cells.get(region.pk, {})
            for k, key in enumerate(("applications", "on_time", "ikm")):
                if key in cell and cell[key].value is not None:
                    value = _cell(cell[key])
                    if isinstance(value, int):
                        types.write_number(row, 2 + 3 * n + k, value)
                    else:
                        types.write_string(row, 2 + 3 * n + k, value)
    book.close()
    response = HttpResponse(buffer.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="perbandingan-{comparison.period.key}.xlsx"'
    return response


ROMAN_QUARTERS = ("I", "II", "III", "IV")


def quarter_label(quarter: Period) -> str:
    """ "Triwulan I 2026", as Indonesian reports name a quarter."""
    return _("Quarter %(roman)s %(year)d") % {"roman": ROMAN_QUARTERS[quarter.number - 1], "year": quarter.year}


def axis_floor(series: list[Series]) -> float:
    """Where the percentage axis starts: a round ten under the lowest value, so that the lines do not hug the top."""
    values = [float(v) for s in series for v in s.values if v is not None]
    if not values:
        return 0.0
    return float(max(0, (int(min(values)) // 10) * 10 - 10))


@require_GET
@replica_reads
def profile(request: HttpRequest, region_slug: str) -> HttpResponse:
    """A region's public dashboard: its published figures this year, the trend by quarter, learnt from / taught."""
    from pendopo.cooperation.selectors import visits_of

    region = region_for(request.user, region_slug)
    year = dates.today(region.time_zone).year
    try:
        year = int(request.GET.get("tahun") or year)
        if not 2000 <= year <= 2100:
            raise ValueError
    except ValueError:
        year = dates.today(region.time_zone).year
    current = figures.compare([region], Period(Kind.YEAR, year))
    quarters = [Period(Kind.QUARTER, year, q) for q in range(1, 5)]
    trend = [figures.compare([region], quarter).columns[0] for quarter in quarters]
    charted = [
        Series(str(figures.SPEC_BY_KEY[key].label), [column.figures[key].number for column in trend])
        for key in ("on_time", "ikm", "complaints_on_time")
    ]
    labels = [quarter_label(quarter) for quarter in quarters]
    trend_chart = line_chart(_("Trend by quarter"), labels, charted, floor=axis_floor(charted), ceiling=100)
    visits = list(visits_of(None, region))
    context = {
        "region": region,
        "year": year,
        "column": current.columns[0],
        "specs": figures.SPECS,
        "rows": [(spec, current.columns[0].figures[spec.key]) for spec in figures.SPECS],
        "trend": list(zip(labels, trend, strict=True)),
        "trend_chart": trend_chart,
        "learnt_from": [v for v in visits if v.visitor_id == region.pk],
        "taught": [v for v in visits if v.host_id == region.pk],
        "min_sample": figures.min_sample(),
    }
    return render(request, "insights/profile.html", context)
