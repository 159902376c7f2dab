"""Pages of the performance app: the plan and its progress, entering and verifying a quarter,
the agency head's dashboard, the region leadership's dashboard, the LKE and the definitions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from pendopo.lib.replica import replica_reads
from pendopo.performance import actions, dashboards, progress, reports, selectors
from pendopo.performance.forms import CriterionForm, RealisationForm, ReviewForm
from pendopo.performance.models import ANSWER_SCALES, Criterion, EvaluationRound, Indicator, Realisation, RoundStatus
from pendopo.regions.models import Agency, Region, Role
from pendopo.regions.permissions import Action, can, get_for_user, region_for, signed_in


def _is_head(request: HttpRequest, region: Region) -> bool:
    user = request.user
    return user.is_authenticated and any(
        m.region_id == region.pk and m.role == Role.HEAD and m.agency_id for m in user.active_memberships
    )


def sakip_nav(request: HttpRequest, region: Region) -> list[dict[str, Any]]:
    """The links between the SAKIP pages each reader may open: the way in for heads and the leadership."""
    user, slug = request.user, region.slug
    current = request.resolver_match.view_name if request.resolver_match else ""
    links: list[tuple[str, str, dict[str, Any]]] = [(_("Indicators"), "performance:indicators", {})]
    manager = can(user, Action.MANAGE, region)
    leader = selectors.is_leader(user, region)
    if _is_head(request, region) or manager or leader:
        links.append((_("Agency dashboard"), "performance:head_dashboard", {}))
    if manager or leader:
        links.append((_("Leadership dashboard"), "performance:region_dashboard", {}))
    latest = selectors.rounds(user, region).values_list("year", flat=True).first()
    if latest is not None:
        links.append((_("Evaluation (LKE) %(year)s") % {"year": latest}, "performance:evaluation", {"year": latest}))
    links.append((_("Definitions"), "performance:definitions", {}))
    return [
        {"label": label, "url": reverse(name, kwargs={"region_slug": slug, **kwargs}), "current": name == current}
        for label, name, kwargs in links
    ]


def _render(request: HttpRequest, template: str, context: dict[str, Any], status: int = 200) -> HttpResponse:
    context["sakip_nav"] = sakip_nav(request, context["region"])
    return render(request, template, context, status=status)


def _year_quarter(request: HttpRequest, region: Region) -> tuple[int, int]:
    year, quarter = dashboards.current_quarter(region)
    try:
        year = int(request.GET.get("year", year))
        quarter = int(request.GET.get("quarter", quarter))
    except ValueError:
        raise Http404 from None
    if not (2000 <= year <= 2100 and 1 <= quarter <= 4):
        raise Http404
    return year, quarter


def _indicator(request: HttpRequest, region: Region, code: str, year: int) -> Indicator:
    return get_for_user(
        request.user,
        Indicator.objects.filter(region=region, period__start_year__lte=year, period__end_year__gte=year).select_related(
            "region", "agency", "period"
        ),
        code=code,
    )


@require_GET
@replica_reads
def indicator_list(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    year, quarter = _year_quarter(request, region)
    items = list(selectors.indicators(request.user, region).filter(period__start_year__lte=year, period__end_year__gte=year))
    rows = progress.quarter_rows(region, items, year, quarter, user=request.user)
    enterable = selectors.enterable(request.user, items)
    context = {"region": region, "rows": rows, "year": year, "quarter": quarter, "enterable": enterable, "quarters": range(1, 5)}
    return _render(request, "performance/indicators.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def enter(request: HttpRequest, region_slug: str, code: str, year: int, quarter: int) -> HttpResponse:
    region = region_for(request.user, region_slug)
    indicator = _indicator(request, region, code, year)
    if not selectors.may_enter(request.user, indicator):
        raise Http404
    existing = Realisation.objects.filter(indicator=indicator, year=year, quarter=quarter).first()
    form = RealisationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.enter_realisation(
                signed_in(request),
                indicator,
                year,
                quarter,
                value=form.cleaned_data["value"],
                achieved=form.cleaned_data["achieved"],
                explanation=form.cleaned_data["explanation"],
                files=form.cleaned_data["evidence"],
            )
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(
                    {"files": "evidence"}.get(field, field) if {"files": "evidence"}.get(field, field) in form.fields else None,
                    errors,
                )
        else:
            messages.success(request, _("The realisation is saved and waits for the head's verification."))
            return redirect("performance:realisation", region_slug=region.slug, code=code, year=year, quarter=quarter)
    status = 400 if request.method == "POST" else 200
    context = {"region": region, "indicator": indicator, "year": year, "quarter": quarter, "form": form, "existing": existing}
    return render(request, "performance/enter.html", context, status=status)


@require_http_methods(["GET", "POST"])
def realisation(request: HttpRequest, region_slug: str, code: str, year: int, quarter: int) -> HttpResponse:
    region = region_for(request.user, region_slug)
    indicator = _indicator(request, region, code, year)
    item = get_for_user(
        request.user,
        Realisation.objects.select_related("entered_by", "verified_by"),
        indicator=indicator,
        year=year,
        quarter=quarter,
    )
    may_verify = selectors.may_verify(request.user, item)
    form = ReviewForm(request.POST or None)
    if request.method == "POST":
        if not may_verify:
            raise Http404
        if form.is_valid():
            try:
                actions.review_realisation(
                    signed_in(request),
                    item,
                    approve=form.cleaned_data["decision"] == "verify",
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                form.add_error("note" if "note" in getattr(exc, "message_dict", {}) else None, exc.messages)
            else:
                messages.success(request, _("Done."))
                return redirect("performance:realisation", region_slug=region.slug, code=code, year=year, quarter=quarter)
    [row] = progress.quarter_rows(region, [indicator], year, quarter, user=request.user)
    context = {
        "region": region,
        "indicator": indicator,
        "item": item,
        "row": row,
        "evidence": list(selectors.evidence_for(request.user, item)),
        "may_verify": may_verify and item.status == "submitted",
        "form": form,
    }
    return _render(request, "performance/realisation.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_GET
def evidence_file(request: HttpRequest, region_slug: str, code: str, year: int, quarter: int, digest: str) -> FileResponse:
    region = region_for(request.user, region_slug)
    indicator = _indicator(request, region, code, year)
    item = selectors.get_evidence(request.user, indicator, year, quarter, digest)
    return FileResponse(item.file.open("rb"), content_type=item.content_type, as_attachment=True, filename=item.original_name)


def _head_agency(request: HttpRequest, region: Region) -> Agency:
    code = request.GET.get("agency")
    user = request.user
    if can(user, Action.MANAGE, region) or selectors.is_leader(user, region):
        # Administrators and the leadership look at any agency's dashboard, read only for the leadership.
        agencies = Agency.objects.filter(region=region, is_active=True).order_by("name")
        found = agencies.filter(code=code).first() if code else agencies.first()
        if found is None:
            raise Http404
        return found
    if user.is_authenticated:
        for membership in user.active_memberships:
            if membership.region_id == region.pk and membership.role == Role.HEAD and membership.agency is not None:
                return membership.agency
    raise Http404


@login_required
@require_GET
@replica_reads
def head_dashboard(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The page an agency head lands on: the agency's day, its deadlines, its people, its indicators."""
    region = region_for(request.user, region_slug)
    agency = _head_agency(request, region)
    board = dashboards.head_dashboard(request.user, region, agency)
    return _render(request, "performance/head_dashboard.html", {"region": region, "board": board})


@login_required
@require_GET
@replica_reads
def region_dashboard(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The leadership's dashboard: every agency side by side, and the region's SAKIP position."""
    region = region_for(request.user, region_slug)
    if not selectors.may_see_region_dashboard(request.user, region):
        raise Http404
    board = dashboards.region_dashboard(request.user, region)
    return _render(request, "performance/region_dashboard.html", {"region": region, "board": board})


def _round(request: HttpRequest, region: Region, year: int) -> EvaluationRound:
    found = selectors.rounds(request.user, region).filter(year=year).first()
    if found is None:
        raise Http404
    return found


@require_GET
@replica_reads
def evaluation(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    region = region_for(request.user, region_slug)
    round_ = _round(request, region, year)
    context: dict[str, Any] = reports.evaluation(request.user, region, round_)
    context["may_answer"] = round_.status != RoundStatus.COMPLETED and (
        selectors.may_answer(request.user, region, evaluator=True) or selectors.may_answer(request.user, region, evaluator=False)
    )
    return _render(request, "performance/evaluation.html", context)


@require_GET
def evaluation_report(request: HttpRequest, region_slug: str, year: int) -> HttpResponse:
    """The evaluation report (LHE) of a round as PDF: the same figures and chart as the page."""
    region = region_for(request.user, region_slug)
    context = reports.evaluation(request.user, region, _round(request, region, year))
    return _download(reports.pdf("performance/evaluation_pdf.html", context), f"LHE-SAKIP-{year}-{region.slug}", "pdf")


@login_required
@require_http_methods(["GET", "POST"])
def criterion(request: HttpRequest, region_slug: str, year: int, code: str) -> HttpResponse:
    """Answer one criterion: the evaluator's value for the APIP, the self-assessment for the region's administrators."""
    region = region_for(request.user, region_slug)
    round_ = _round(request, region, year)
    item = Criterion.objects.filter(subcomponent__component__round=round_, code=code).select_related("subcomponent").first()
    evaluator = selectors.may_answer(request.user, region, evaluator=True)
    if item is None or round_.status == RoundStatus.COMPLETED:
        raise Http404
    if not evaluator and not selectors.may_answer(request.user, region, evaluator=False):
        raise Http404
    value, note = (item.evaluator_value, item.evaluator_note) if evaluator else (item.self_value, item.self_note)
    initial = {"value": f"{value.normalize()}" if value is not None else "", "note": note, "evidence": item.evidence}
    initial["recommendation"] = item.recommendation
    scale = ANSWER_SCALES.get(item.scale, ANSWER_SCALES["graded"])
    form = CriterionForm(request.POST or None, initial=initial, scale=scale, evaluator=evaluator)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            actions.answer_criterion(
                signed_in(request),
                item,
                evaluator=evaluator,
                value=Decimal(data["value"]) if data["value"] else None,
                note=data["note"],
                recommendation=data.get("recommendation") if evaluator else None,
                evidence=data["evidence"],
            )
        except ValidationError as exc:
            form.add_error("value" if "value" in getattr(exc, "message_dict", {}) else None, exc.messages)
        else:
            messages.success(request, _("Saved."))
            return redirect("performance:evaluation", region_slug=region.slug, year=year)
    context = {"region": region, "round": round_, "criterion": item, "form": form, "evaluator": evaluator}
    return render(request, "performance/criterion.html", context, status=400 if request.method == "POST" else 200)


@require_GET
def definitions(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    return _render(request, "performance/definitions.html", {"region": region})


_FORMATS = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def _download(data: bytes, name: str, extension: str) -> HttpResponse:
    response = HttpResponse(data, content_type=_FORMATS[extension])
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@require_GET
@replica_reads
def lkjip_report(request: HttpRequest, region_slug: str, year: int, extension: str) -> HttpResponse:
    """The LKjIP of an agency (?agency=CODE) or of the region's own indicators."""
    region = region_for(request.user, region_slug)
    code = request.GET.get("agency")
    agency = get_for_user(request.user, Agency.objects.filter(region=region), code=code) if code else None
    context = reports.lkjip(request.user, region, agency, year)
    name = f"LKjIP-{year}-{agency.code if agency else region.slug}"
    if extension == "pdf":
        return _download(reports.pdf("performance/lkjip_pdf.html", context), name, extension)
    if extension == "docx":
        return _download(reports.lkjip_docx(context), name, extension)
    return _download(reports.lkjip_xlsx(context), name, extension)


@require_GET
def agreement_report(request: HttpRequest, region_slug: str, agency_code: str, year: int, extension: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    agency = get_for_user(request.user, Agency.objects.filter(region=region), code=agency_code)
    context = reports.agreement(request.user, region, agency, year)
    if context is None or extension == "xlsx":
        raise Http404
    name = f"PK-{year}-{agency.code}"
    if extension == "pdf":
        return _download(reports.pdf("performance/agreement_pdf.html", context), name, extension)
    return _download(reports.agreement_docx(context), name, extension)
