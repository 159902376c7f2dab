"""Citizen-facing survey pages: the questionnaire (link, QR, kiosk), thanks, the QR poster, the public index page."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import BadRequest, PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from pendopo.catalog.models import Service
from pendopo.lib import once
from pendopo.lib.qr import qr_svg
from pendopo.lib.replica import replica_reads
from pendopo.regions.links import absolute
from pendopo.regions.models import Region, ServicePoint, User
from pendopo.regions.permissions import get_for_user
from pendopo.surveys import actions, indices, links, reports, selectors, throttling
from pendopo.surveys.choices import GRADE_LABELS, Channel
from pendopo.surveys.forms import SurveyForm
from pendopo.surveys.indices import Level
from pendopo.surveys.models import SurveyResponse, application_key
from pendopo.surveys.periods import Kind, Period, PeriodError


def signed_in_user(request: HttpRequest) -> User:
    """The user of a page behind login_required (an anonymous visitor never gets this far)."""
    if not isinstance(request.user, User):
        raise PermissionDenied
    return request.user


def region_for(request: HttpRequest, slug: str) -> Region:
    return get_for_user(request.user, Region.objects.select_related("regency__province"), slug=slug)


def _point(region: Region, code: str) -> ServicePoint | None:
    if not code:
        return None
    point = selectors.survey_points(region).select_related("agency").filter(code=code).first()
    if point is None:
        raise Http404
    return point


def _service(region: Region, code: str) -> Service | None:
    if not code:
        return None
    service = selectors.survey_services(region).filter(code=code).first()
    if service is None:
        raise Http404
    return service


def _services_at(region: Region, point: ServicePoint | None) -> QuerySet[Service]:
    """Services a respondent chooses from: the point's agency's when it has one, else the region's."""
    services = selectors.survey_services(region)
    if point is not None and point.agency_id:
        services = services.filter(agency_id=point.agency_id)
    return services


def _submit(
    form: SurveyForm,
    region: Region,
    *,
    service: Service,
    point: ServicePoint | None,
    channel: str,
    application_code: str | None = None,
    token: str = "",
    device: str = "",
) -> SurveyResponse | None:
    try:
        return actions.submit_response(
            region,
            service=service,
            service_point=point,
            scores=form.scores,
            profile=form.profile,
            suggestion=form.cleaned_data.get("suggestion", ""),
            channel=channel,
            application_code=application_code,
            token=token,
            device=device,
        )
    except ValidationError as exc:
        if hasattr(exc, "error_dict"):
            for name, errors in exc.error_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            form.add_error(None, exc)
        return None


def _too_many(request: HttpRequest, region: Region) -> HttpResponse:
    return render(request, "surveys/too_many.html", {"region": region}, status=429)


@never_cache
@require_http_methods(["GET", "POST"])
def answer(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The survey reached by a QR code (`?layanan=<service>&tempat=<service point>`) or a plain link."""
    region = region_for(request, region_slug)
    point = _point(region, request.GET.get("tempat", "").strip())
    fixed = _service(region, request.GET.get("layanan", "").strip())
    form = SurveyForm(request.POST or None, services=None if fixed else _services_at(region, point))
    if request.method == "POST" and form.is_valid():
        if not throttling.allow(request, "form"):
            return _too_many(request, region)
        service = fixed or form.cleaned_data["service"]
        if _submit(
            form,
            region,
            service=service,
            point=point,
            channel=Channel.QR,
            token=once.posted(request.POST),
            device=throttling.device(request),
        ):
            return redirect("surveys:thanks", region.slug)
    context = {
        "region": region,
        "form": form,
        "service": fixed,
        "point": point,
        "mode": "qr",
        "idempotency_token": once.for_form(request.POST),
    }
    return throttling.mark_device(request, render(request, "surveys/answer.html", context, status=400 if form.errors else 200))


@never_cache
@require_http_methods(["GET", "POST"])
def answer_application(request: HttpRequest, region_slug: str, token: str) -> HttpResponse:
    """The survey linked from a completed application's final notification and receipt."""
    region = region_for(request, region_slug)
    link = links.read_application_token(region, token)
    if link is None:
        raise Http404
    service = _service(region, link.service_code)
    if service is None:
        raise Http404
    point = _point(region, link.point_code)
    if selectors.published_responses(region).filter(application_key=application_key(link.application_code)).exists():
        return render(request, "surveys/already_answered.html", {"region": region, "service": service})
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if not throttling.allow(request, "form"):
            return _too_many(request, region)
        if _submit(
            form,
            region,
            service=service,
            point=point,
            channel=Channel.ONLINE,
            application_code=link.application_code,
            token=once.posted(request.POST),
        ):
            return redirect("surveys:thanks", region.slug)
        if any(error.code == "already_answered" for error in form.non_field_errors().as_data()):
            return render(request, "surveys/already_answered.html", {"region": region, "service": service})
    context = {
        "region": region,
        "form": form,
        "service": service,
        "point": point,
        "mode": "application",
        "idempotency_token": once.for_form(request.POST),
    }
    return render(request, "surveys/answer.html", context, status=400 if form.errors else 200)


@never_cache
@require_http_methods(["GET", "POST"])
def kiosk(request: HttpRequest, region_slug: str, point_code: str) -> HttpResponse:
    """A tablet at the counter: after each respondent the page starts empty again.

    Nothing is kept between respondents: no session data, `no-store` so the previous answers
    cannot come back through the browser's history, autocomplete off, and a redirect after each
    submission that shows the thanks note on a fresh, empty form. A form left half-answered is
    cleared after `PENDOPO_KIOSK_IDLE_SECONDS` without a touch (surveys/kiosk.js).
    """
    region = region_for(request, region_slug)
    point = _point(region, point_code)
    assert point is not None  # noqa: S101 -- _point raises 404 for a code it cannot find
    form = SurveyForm(request.POST or None, services=_services_at(region, point))
    if request.method == "POST" and form.is_valid():
        if not throttling.allow(request, "kiosk"):
            return _too_many(request, region)
        service = form.cleaned_data["service"]
        if _submit(
            form,
            region,
            service=service,
            point=point,
            channel=Channel.KIOSK,
            token=once.posted(request.POST),
            device=throttling.device(request),
        ):
            return redirect(reverse("surveys:kiosk", args=[region.slug, point.code]) + "?selesai=1")
    context = {
        "region": region,
        "form": form,
        "point": point,
        "mode": "kiosk",
        "done": request.method == "GET" and request.GET.get("selesai") == "1",
        "idle_seconds": settings.PENDOPO_KIOSK_IDLE_SECONDS,
        "idempotency_token": once.for_form(request.POST),
    }
    response = render(request, "surveys/answer.html", context, status=400 if form.errors else 200)
    response["Cache-Control"] = "no-store, max-age=0"
    return throttling.mark_device(request, response)


def thanks(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request, region_slug)
    return render(request, "surveys/thanks.html", {"region": region})


def poster(request: HttpRequest, region_slug: str) -> HttpResponse:
    """A printable poster with the QR code of the survey of a service point and/or a service."""
    region = region_for(request, region_slug)
    point = _point(region, request.GET.get("tempat", "").strip())
    service = _service(region, request.GET.get("layanan", "").strip())
    if point is None and service is None:
        return render(
            request,
            "surveys/poster_choose.html",
            {"region": region, "points": selectors.survey_points(region), "services": _services_at(region, None)},
        )
    # The site's public address (PENDOPO_BASE_URL), not the one the poster was printed from: an
    # officer on the office network may reach the site by an address citizens cannot.
    address = absolute(links.qr_survey_url(region, service, point))
    # segno writes the SVG itself from the address: no user input reaches the markup unescaped.
    # omitsize: a viewBox instead of a fixed size, so that CSS scales the code (about 12 cm on A4).
    svg = mark_safe(qr_svg(address, scale=8, omit_size=True, title=_("Survey QR code")))
    context = {"region": region, "point": point, "service": service, "address": address, "qr": svg}
    actions.record_poster(request.user, region, point, service)
    return render(request, "surveys/poster.html", context)


@replica_reads
def public_index(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The region's published indices: the chosen (default: latest) year by agency and by service."""
    region = region_for(request, region_slug)
    responses = selectors.published_responses(region)
    period = period_from(request, default=None)
    if period is None:
        year = indices.latest_year(responses)
        period = Period(Kind.YEAR, year) if year else reports.default_period(region)
    summary = indices.index_of(responses, period)
    context: dict[str, Any] = {
        "region": region,
        "period": period,
        "summary": summary,
        "grade_label": GRADE_LABELS[summary.grade] if summary else "",
        "agencies": indices.by_unit(responses, Level.AGENCY, period),
        "services": indices.by_unit(responses, Level.SERVICE, period),
        "trend": reports.bars(
            [
                (p.short_label, index)
                for p, index in indices.trend(responses, Period.containing(Kind.QUARTER, period.last_day).previous(4))
            ]
        ),
    }
    return render(request, "surveys/public.html", context)


def period_from(request: HttpRequest, default: Period | None) -> Period | None:
    key = request.GET.get("periode", "").strip()
    start, end = request.GET.get("dari", "").strip(), request.GET.get("sampai", "").strip()
    try:
        if start and end:
            return Period.parse(f"{start}..{end}")
        if key:
            return Period.parse(key)
    except PeriodError as exc:
        raise BadRequest(str(exc)) from None
    return default
