"""The SKM report page (public figures, staff extras), its PDF, XLSX and CSV, and the follow-up plan."""

from __future__ import annotations

import tempfile
from typing import TYPE_CHECKING, Any

from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods

from pendopo.lib.replica import replica_reads
from pendopo.regions.models import Region
from pendopo.regions.permissions import get_for_user
from pendopo.surveys import actions, exports, reports, selectors
from pendopo.surveys.choices import ELEMENT_TABLE, GRADE_LABELS
from pendopo.surveys.forms import FollowUpForm
from pendopo.surveys.indices import Level
from pendopo.surveys.periods import Kind, Period, PeriodError
from pendopo.surveys.views import period_from, region_for, signed_in_user

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from pendopo.surveys.models import SurveyResponse


def _unit(request: HttpRequest, region: Region) -> reports.Unit:
    get = request.GET
    return reports.resolve_unit(
        region,
        agency=get.get("opd", "").strip()[:20],
        service=get.get("layanan", "").strip()[:40],
        point=get.get("tempat", "").strip()[:30],
    )


def _context(request: HttpRequest, region: Region, unit: reports.Unit, period: Period, report: reports.Report) -> dict[str, Any]:
    query = {**unit.query(), "periode": period.key}
    return {
        "region": region,
        "unit": unit,
        "period": period,
        "report": report,
        "elements": ELEMENT_TABLE,
        "grade_labels": GRADE_LABELS,
        "query": urlencode(query),
        "unit_query": urlencode(unit.query()),
        "levels": Level,
        "period_kinds": [
            (Kind.YEAR, Period.containing(Kind.YEAR, period.last_day)),
            (Kind.SEMESTER, Period.containing(Kind.SEMESTER, period.last_day)),
            (Kind.QUARTER, Period.containing(Kind.QUARTER, period.last_day)),
            (Kind.MONTH, Period.containing(Kind.MONTH, period.last_day)),
        ],
        "may_write_follow_up": unit.owner is not None
        and unit.level in (Level.AGENCY, Level.SERVICE)
        and selectors.may_write_follow_up(request.user, unit.owner),
    }


@replica_reads
def report_page(request: HttpRequest, region_slug: str) -> HttpResponse:
    """Figures for everyone; suggestions, exports and the follow-up form for the unit's staff."""
    region = region_for(request, region_slug)
    unit = _unit(request, region)
    # A period that cannot be read is said beside its field, over the default period's figures (a
    # bare error page would lose the form the visitor was filling in).
    period_error = ""
    try:
        period = period_from(request, reports.default_period(region))
    except BadRequest as exc:
        period, period_error = reports.default_period(region), str(exc)
    assert period is not None  # noqa: S101 -- a default is given
    report = reports.build(request.user, unit, period)
    context = _context(request, region, unit, period, report)
    context["agencies"] = selectors.public_agencies(region)
    context["period_error"] = period_error
    context["typed_period"] = {key: request.GET.get(key, "") for key in ("periode", "dari", "sampai")}
    return render(request, "surveys/report.html", context, status=400 if period_error else 200)


def _staff_unit(request: HttpRequest, region_slug: str) -> tuple[Region, reports.Unit, Period]:
    region = region_for(request, region_slug)
    unit = _unit(request, region)
    if not selectors.may_read_unit(request.user, unit):
        # Not the unit's staff: the exports carry raw responses, so the unit is "not found".
        raise Http404
    period = period_from(request, reports.default_period(region))
    assert period is not None  # noqa: S101 -- a default is given
    return region, unit, period


def _staff_report(request: HttpRequest, region_slug: str) -> tuple[Region, reports.Unit, Period, reports.Report]:
    region, unit, period = _staff_unit(request, region_slug)
    return region, unit, period, reports.build(request.user, unit, period)


def _raw(request: HttpRequest, region: Region, unit: reports.Unit, period: Period) -> QuerySet[SurveyResponse]:
    """The raw responses of the unit and period that the user may read."""
    return selectors.responses_visible_to(request.user, region).filter(unit.q()).filter(period.q())


def _file_name(unit: reports.Unit, period: Period, extension: str) -> str:
    code = unit.service.code if unit.service else unit.agency.code if unit.agency else unit.region.prefix
    return f"skm-{slugify(code)}-{period.key.replace('..', '_')}.{extension}"


@replica_reads
def report_pdf(request: HttpRequest, region_slug: str) -> HttpResponse:
    region, unit, period, report = _staff_report(request, region_slug)
    context = _context(request, region, unit, period, report)
    pdf = exports.render_pdf(request, report, context)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{_file_name(unit, period, "pdf")}"'
    return response


@replica_reads
def report_xlsx(request: HttpRequest, region_slug: str) -> FileResponse:
    region, unit, period, report = _staff_report(request, region_slug)
    raw = _raw(request, region, unit, period)
    # Written to a temporary file and sent from it in blocks: a large export is never held in memory.
    out = tempfile.TemporaryFile()  # noqa: SIM115 -- FileResponse closes it once sent
    try:
        exports.write_xlsx(report, raw, out)
    except BaseException:
        out.close()
        raise
    out.seek(0)
    return FileResponse(
        out,
        as_attachment=True,
        filename=_file_name(unit, period, "xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@replica_reads
def report_csv(request: HttpRequest, region_slug: str) -> StreamingHttpResponse:
    """The raw responses alone, as CSV, sent while they are read from the database (exports.write_csv)."""
    region, unit, period = _staff_unit(request, region_slug)
    response = StreamingHttpResponse(
        exports.write_csv(_raw(request, region, unit, period)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{_file_name(unit, period, "csv")}"'
    return response


@require_http_methods(["GET", "POST"])
def follow_up(request: HttpRequest, region_slug: str, agency_code: str, period_key: str) -> HttpResponse:
    """The agency head writes the follow-up plan of a period; it appears on the report and in the PDF."""
    region = region_for(request, region_slug)
    agency = get_for_user(request.user, selectors.public_agencies(region), code=agency_code)
    if not selectors.may_write_follow_up(request.user, agency):
        raise Http404
    try:
        period = Period.parse(period_key)
    except PeriodError:
        raise Http404 from None
    plan = selectors.follow_up_plan(agency, period)
    form = FollowUpForm(request.POST or None, initial={"text": plan.text if plan else ""})
    if request.method == "POST" and form.is_valid():
        try:
            actions.save_follow_up_plan(signed_in_user(request), agency, period, form.cleaned_data["text"])
        except PermissionDenied:
            raise Http404 from None
        except ValidationError as exc:
            form.add_error("text", exc)
        else:
            query = urlencode({"opd": agency.code, "periode": period.key})
            return redirect(f"{reverse('surveys:report', args=[region.slug])}?{query}#follow-up")
    context = {"region": region, "agency": agency, "period": period, "form": form, "plan": plan}
    return render(request, "surveys/follow_up.html", context, status=400 if form.errors else 200)
