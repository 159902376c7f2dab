"""Pages: file a complaint (citizen, officer), the public list, map and statistics, one complaint, the inbox.

Reads go through selectors (the permission resolver underneath): someone who may not see a
complaint gets the same 404 as for a code that does not exist. Writes call actions.
"""

from __future__ import annotations

import dataclasses
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from pendopo.complaints import actions, exports, keyring, keys, selectors, stats
from pendopo.complaints.forms import (
    AccessForm,
    ActionForm,
    FilingForm,
    InboxFilterForm,
    MessageForm,
    OfficerFilingForm,
    ReasonForm,
    RejectForm,
    RerouteForm,
)
from pendopo.complaints.models import Channel, Complaint, ComplaintCategory, MessageKind
from pendopo.lib import dates, once
from pendopo.lib.replica import replica_reads
from pendopo.regions.models import Agency, Region, Role
from pendopo.regions.permissions import Action, acting_user, region_for, role_in, signed_in, visible_to
from pendopo.workflow import consequences
from pendopo.workflow.engine import available_actions
from pendopo.workflow.errors import WorkflowError
from pendopo.workflow.selectors import timeline as case_timeline


def _category(request: HttpRequest, region: Region) -> ComplaintCategory | None:
    code = request.GET.get("kategori") or request.POST.get("kategori") or ""
    if not code:
        return None
    category = selectors.active_categories(request.user, region).filter(code=code).first()
    if category is None:
        raise Http404
    return category


def _filing(form: FilingForm, category: ComplaintCategory, request: HttpRequest, channel: str) -> actions.Filing:
    data = form.cleaned_data
    return actions.Filing(
        category=category,
        description=data["description"],
        classification=data["classification"],
        privacy=data["privacy"],
        channel=channel,
        latitude=data.get("latitude"),
        longitude=data.get("longitude"),
        village_code=data.get("village") or "",
        address=data.get("address") or "",
        attributes=form.attribute_answers(),
        reporter_name=data.get("reporter_name") or "",
        reporter_email=data.get("reporter_email") or "",
        reporter_phone=data.get("reporter_phone") or "",
        photos=request.FILES.getlist("photos"),
        token=once.posted(request.POST),
    )


def _file_page(request: HttpRequest, region: Region, *, officer: bool) -> HttpResponse:
    category = _category(request, region)
    form_class = OfficerFilingForm if officer else FilingForm
    if category is None:
        categories = selectors.active_categories(request.user, region)
        return render(request, "complaints/choose.html", {"region": region, "categories": categories, "officer": officer})
    initial = {}
    if not officer and request.user.is_authenticated:
        # The citizen's profile (pendopo/accounts) fills in who is filing.
        profile = request.user.prefill()
        initial = {"reporter_name": profile["name"], "reporter_email": profile["email"], "reporter_phone": profile["phone"]}
    form = form_class(request.POST or None, region=region, category=category, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            channel = form.cleaned_data["channel"] if officer else Channel.WEB
            try:
                filed = actions.file_complaint(
                    region,
                    _filing(form, category, request, channel),
                    user=None if officer else acting_user(request),
                    filed_by=acting_user(request) if officer else None,
                )
            except ValidationError as exc:
                form.add_filing_errors(exc)
            else:
                if filed.secret:  # empty when this form was sent before: the first POST showed it
                    # The key is shown once, on the next page; the browser's keyring (never the session) lets it act.
                    keyring.show_once(request, filed.complaint.code, filed.secret)
                    selectors.grant_access(request, filed.complaint, filed.secret)
                return keyring.save(request, redirect(filed.complaint.get_absolute_url()))
        status = 400
    context = {
        "region": region,
        "category": category,
        "form": form,
        "officer": officer,
        "notice": category.notice(),
        "idempotency_token": once.for_form(request.POST),
    }
    return render(request, "complaints/file.html", context, status=status)


def file_complaint(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    return _file_page(request, region, officer=False)


@login_required
def officer_file(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    if role_in(request.user, region) == Role.CITIZEN:
        raise PermissionDenied
    return _file_page(request, region, officer=True)


# --- public pages -------------------------------------------------------------------------------


def _rows(region: Region, complaints: list[Complaint]) -> list[dict[str, Any]]:
    calendar = region.calendar()
    return [
        {"complaint": c, "response_days": stats.response_days(calendar, c.case.received_at, c.first_response_at)}
        for c in complaints
    ]


@require_GET
@replica_reads
def complaint_list(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    status = request.GET.get("status", "")
    agency_code = request.GET.get("opd", "")
    agencies = list(visible_to(request.user, Agency.objects.filter(region=region, is_active=True)).order_by("name"))
    agency = next((a for a in agencies if a.code == agency_code), None)
    if agency_code and agency is None:
        page = selectors.PublicPage(complaints=[], next_cursor="", is_first=True)  # no such agency: nothing to list
    else:
        page = selectors.public_page(
            region, status=status, agency_id=agency.pk if agency else None, cursor=request.GET.get("sebelum", "")
        )
    context = {
        "region": region,
        "page": page,
        "rows": _rows(region, page.complaints),
        "status": status,
        "agency_code": agency_code,
        "agencies": agencies,
    }
    return render(request, "complaints/list.html", context)


MAP_WIDTH, MAP_HEIGHT, MAP_PAD = 640, 420, 20


@require_GET
@replica_reads
def complaint_map(request: HttpRequest, region_slug: str) -> HttpResponse:
    """The public complaints with a position, drawn on an SVG of their own bounding box (no map tiles: works offline)."""
    region = region_for(request.user, region_slug)
    complaints = list(selectors.public_complaints(region).exclude(latitude=None).order_by("-created_at", "-pk")[:500])
    points: list[dict[str, Any]] = []
    # Filtered on a latitude; a latitude always comes with its longitude (actions.parse_coordinates).
    placed = [(c, c.latitude, c.longitude) for c in complaints if c.latitude is not None and c.longitude is not None]
    if placed:
        lats = [lat for _c, lat, _long in placed]
        longs = [long for _c, _lat, long in placed]
        lat_min, lat_max, long_min, long_max = min(lats), max(lats), min(longs), max(longs)
        span_lat = max(lat_max - lat_min, Decimal("0.01"))
        span_long = max(long_max - long_min, Decimal("0.01"))
        scale = min((MAP_WIDTH - 2 * MAP_PAD) / float(span_long), (MAP_HEIGHT - 2 * MAP_PAD) / float(span_lat))
        for c, lat, long in placed:
            x = MAP_PAD + float(long - long_min) * scale
            y = MAP_HEIGHT - MAP_PAD - float(lat - lat_min) * scale
            points.append({"complaint": c, "x": round(x, 1), "y": round(y, 1)})
    # The base map's markers as JSON (numbers as JSON numbers: never localised, unlike template output).
    markers = [
        {
            "lat": float(p["complaint"].latitude),
            "lng": float(p["complaint"].longitude),
            "url": p["complaint"].get_absolute_url(),
            "title": f"{p['complaint'].code} — {p['complaint'].category.name} — {p['complaint'].case.state_label}",
            "closed": p["complaint"].case.is_closed,
        }
        for p in points
    ]
    context = {
        "region": region,
        "points": points,
        "width": MAP_WIDTH,
        "height": MAP_HEIGHT,
        "markers": markers,
        "tile_url": settings.PENDOPO_MAP_TILE_URL,
        "attribution": settings.PENDOPO_MAP_ATTRIBUTION,
    }
    return render(request, "complaints/map.html", context)


@require_GET
@replica_reads
def complaint_stats(request: HttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    # Published statistics count every verified complaint of the region (confidential ones too): numbers only.
    rows = stats.agency_stats(region, stats.published())
    return render(request, "complaints/stats.html", {"region": region, "rows": rows})


# --- one complaint ------------------------------------------------------------------------------


def _detail_context(request: HttpRequest, region: Region, complaint: Complaint, access: selectors.Access) -> dict[str, Any]:
    user = request.user if request.user.is_authenticated else None
    workflow_actions = available_actions(complaint.case, user, as_applicant=access.is_complainant)
    if not access.is_staff:
        workflow_actions = [a for a in workflow_actions if "applicant" in a.roles]
    if complaint.is_pending:
        # A waiting report is verified (or rejected) in its own box above, not by the workflow's step button.
        workflow_actions = [a for a in workflow_actions if a.key != "verify"]
    secret = keyring.take_new(request, complaint.code)
    context = {
        "region": region,
        "complaint": complaint,
        "case": complaint.case,
        "access": access,
        "show_identity": access.can_see_identity(complaint),
        "messages_list": selectors.messages_for(complaint, access),
        "photos": selectors.photos_for(complaint),
        "workflow_actions": workflow_actions,
        "action_choices": consequences.choices(complaint.case.spec, workflow_actions, kind="complaint"),
        "secret": secret,
        "action_form": ActionForm(),
        "message_form": MessageForm(),
    }
    if access.is_staff:
        context["templates"] = list(selectors.templates_for(request.user, complaint))
        context["timeline"] = _with_verification_labels(case_timeline(complaint.case, private=True))
    if access.is_admin and complaint.is_pending:
        context["reject_form"] = RejectForm()
    if access.is_admin and not complaint.case.is_closed:
        agencies = visible_to(request.user, Agency.objects.filter(region=region, is_active=True), Action.MANAGE)
        context["reroute_form"] = RerouteForm(agencies=agencies)
    return context


def _with_verification_labels(steps: list[Any]) -> list[Any]:
    """The verification events are the complaint's own (not workflow steps): their labels come from here."""
    labels = {actions.VERIFIED_EVENT: _("Verified: public"), actions.REJECTED_EVENT: _("Rejected at verification")}
    return [dataclasses.replace(step, label=labels[step.label]) if step.label in labels else step for step in steps]


def detail(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    complaint, access = selectors.complaint_for(request, region, code)
    return keyring.save(request, render(request, "complaints/detail.html", _detail_context(request, region, complaint, access)))


def _back(complaint: Complaint) -> HttpResponse:
    return redirect(complaint.get_absolute_url())


def _error_page(
    request: HttpRequest,
    region: Region,
    complaint: Complaint,
    access: selectors.Access,
    text: str,
    status: int,
    typed: str = "",
) -> HttpResponse:
    """The complaint's page again with the error; a refused answer or reply keeps the text typed."""
    messages.error(request, text)
    context = {**_detail_context(request, region, complaint, access), "typed_body": typed}
    return keyring.save(request, render(request, "complaints/detail.html", context, status=status))


@require_POST
def act(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    complaint, access = selectors.complaint_for(request, region, code)
    form = ActionForm(request.POST)
    if not form.is_valid():
        return _error_page(request, region, complaint, access, _("The form is not complete."), 400)
    user = request.user if request.user.is_authenticated else None
    try:
        actions.take_action(
            complaint,
            form.cleaned_data["action"],
            user,
            form.cleaned_data["note"],
            as_complainant=access.is_complainant and not access.is_staff,
            expected_version=form.cleaned_data["version"],
        )
    except WorkflowError as exc:
        return _error_page(request, region, complaint, access, str(exc), exc.http_status)
    except ValidationError as exc:
        return _error_page(request, region, complaint, access, " ".join(exc.messages), 400)
    step = complaint.case.spec.action(form.cleaned_data["action"])
    messages.success(
        request,
        _("“%(step)s” done: the complaint is now “%(state)s”.")
        % {"step": step.label if step else form.cleaned_data["action"], "state": complaint.case.state_label},
    )
    return _back(complaint)


@require_POST
def post_message(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    complaint, access = selectors.complaint_for(request, region, code)
    form = MessageForm(request.POST)
    typed = request.POST.get("body", "")[:4000]
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return _error_page(request, region, complaint, access, errors, 400, typed)
    kind = form.cleaned_data["kind"]
    user = request.user if request.user.is_authenticated else None
    try:
        actions.add_message(
            complaint,
            kind,
            form.cleaned_data["body"],
            actor=user,
            as_complainant=kind == MessageKind.REPLY and access.is_complainant,
        )
    except PermissionDenied as exc:
        return _error_page(request, region, complaint, access, str(exc), 403, typed)
    except ValidationError as exc:
        return _error_page(request, region, complaint, access, " ".join(exc.messages), 400, typed)
    sent = {
        MessageKind.RESPONSE: _("Response sent: the complainant and the public page show it."),
        MessageKind.NOTE: _("Internal note saved: only the staff see it."),
    }
    messages.success(request, sent.get(kind, _("Your reply was sent to the staff handling the complaint.")))
    return _back(complaint)


@require_POST
@login_required
def reroute(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    complaint, access = selectors.complaint_for(request, region, code)
    if not access.is_admin:
        raise PermissionDenied
    agencies = visible_to(request.user, Agency.objects.filter(region=region, is_active=True), Action.MANAGE)
    form = RerouteForm(request.POST, agencies=agencies)
    if not form.is_valid():
        return _error_page(request, region, complaint, access, _("Choose an agency of this region."), 400)
    try:
        actions.reroute(complaint, signed_in(request), form.cleaned_data["agency"], form.cleaned_data["note"])
    except WorkflowError as exc:
        return _error_page(request, region, complaint, access, str(exc), exc.http_status)
    except ValidationError as exc:
        return _error_page(request, region, complaint, access, " ".join(exc.messages), 400)
    messages.success(request, _("Handed to %(agency)s.") % {"agency": form.cleaned_data["agency"].name})
    return _back(complaint)


@require_POST
@login_required
def verify(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    """The administrator verifies a waiting report: it becomes public. A second click changes nothing."""
    region = region_for(request.user, region_slug)
    complaint, access = selectors.complaint_for(request, region, code)
    if not access.is_admin:
        raise Http404
    try:
        done = actions.verify_complaint(complaint, signed_in(request))
    except PermissionDenied:
        raise Http404 from None
    except WorkflowError as exc:
        return _error_page(request, region, complaint, access, str(exc), exc.http_status)
    except ValidationError as exc:
        return _error_page(request, region, complaint, access, " ".join(exc.messages), 409)
    if done.case.state != complaint.case.state:
        text = _("Complaint verified and forwarded to %(agency)s: it now appears on the public list, the map and Open311.") % {
            "agency": done.case.agency.name if done.case.agency else "—"
        }
    else:
        text = _("Complaint verified: it now appears on the public list, the map and Open311.")
    messages.success(request, text)
    return _back(complaint)


@require_POST
@login_required
def reject(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    """The administrator rejects a waiting report as not a complaint or spam, with a reason: it is archived, never public."""
    region = region_for(request.user, region_slug)
    complaint, access = selectors.complaint_for(request, region, code)
    if not access.is_admin:
        raise Http404
    form = RejectForm(request.POST)
    if not form.is_valid():
        errors = " ".join(str(e) for errs in form.errors.values() for e in errs)
        return _error_page(request, region, complaint, access, errors, 400)
    try:
        actions.reject_complaint(complaint, signed_in(request), form.cleaned_data["kind"], form.cleaned_data["reason"])
    except PermissionDenied:
        raise Http404 from None
    except WorkflowError as exc:
        return _error_page(request, region, complaint, access, str(exc), exc.http_status)
    except ValidationError as exc:
        status = 400 if hasattr(exc, "error_dict") else 409  # a bad reason, or a report already verified
        return _error_page(request, region, complaint, access, " ".join(exc.messages), status)
    messages.success(request, _("Report rejected and archived: it will not be public."))
    return _back(complaint)


@require_POST
def grant_access(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    form = AccessForm(request.POST)
    complaint = selectors.complaints_base().filter(region=region, case__code=code).first()
    typed = form.cleaned_data["secret"] if form.is_valid() else ""
    if complaint is None or not typed or not selectors.grant_access(request, complaint, typed):
        # The same answer whether the code exists or not; the form again, to type the key once more.
        try:
            keys.normalise_secret(typed)
        except keys.SecretTypo:
            error = _("This key has a typing error (its check character does not match). Check it against what you noted.")
        else:
            error = _("This code and secret key do not match. Check them against what you noted when you filed the complaint.")
        context = {"region": region, "code": code, "key_error": error}
        return render(request, "complaints/access_denied.html", context, status=403)
    return keyring.save(request, _back(complaint))


# --- moderation and photos ------------------------------------------------------------------------


@require_POST
@login_required
def hide_message(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    complaint, access = selectors.complaint_for(request, region, code)
    form = ReasonForm(request.POST)
    message = complaint.messages.filter(pk=request.POST.get("message") or 0).first() if form.is_valid() else None
    if message is None:
        return _error_page(request, region, complaint, access, _("Say why it is hidden."), 400)
    try:
        actions.hide_message(message, signed_in(request), form.cleaned_data["reason"])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        return _error_page(request, region, complaint, access, " ".join(exc.messages), 400)
    return _back(complaint)


@require_POST
@login_required
def hide_complaint(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    complaint, access = selectors.complaint_for(request, region, code)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _error_page(request, region, complaint, access, _("Say why it is hidden."), 400)
    try:
        actions.hide_complaint(complaint, signed_in(request), form.cleaned_data["reason"])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        return _error_page(request, region, complaint, access, " ".join(exc.messages), 400)
    messages.success(request, _("The complaint is no longer public."))
    return _back(complaint)


@require_POST
@login_required
def redact_photo(request: HttpRequest, region_slug: str, code: str, key: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    complaint, access = selectors.complaint_for(request, region, code)
    photo = complaint.photos.filter(key=key).first()
    form = ReasonForm(request.POST)
    if photo is None:
        raise Http404
    if not form.is_valid():
        return _error_page(request, region, complaint, access, _("Say why it is redacted."), 400)
    try:
        actions.redact_photo(photo, signed_in(request), form.cleaned_data["reason"])
    except PermissionDenied:
        raise Http404 from None
    except ValidationError as exc:
        return _error_page(request, region, complaint, access, " ".join(exc.messages), 400)
    return _back(complaint)


@require_GET
def photo(request: HttpRequest, region_slug: str, code: str, key: str) -> HttpResponseBase:
    region = region_for(request.user, region_slug)
    complaint, _access = selectors.complaint_for(request, region, code)
    found = complaint.photos.filter(key=key).first()
    if found is None:
        raise Http404
    response = FileResponse(found.file.open("rb"), content_type=found.content_type)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- staff ---------------------------------------------------------------------------------------


def _inbox_filters(request: HttpRequest, region: Region) -> tuple[InboxFilterForm, selectors.InboxFilters]:
    """The staff's inbox filters from the query string (citizens and other regions' staff: 403)."""
    if role_in(request.user, region) == Role.CITIZEN:
        raise PermissionDenied
    form = InboxFilterForm(request.GET, **selectors.inbox_choices(request.user, region))
    return form, selectors.InboxFilters(**form.filters())


@login_required
@require_GET
def inbox(request: HttpRequest, region_slug: str) -> HttpResponse:
    """Open complaints the user may act on, reports awaiting verification first; filters and search."""
    region = region_for(request.user, region_slug)
    form, filters = _inbox_filters(request, region)
    page = selectors.inbox_page(request.user, region, filters)
    query = request.GET.copy()
    query.pop("page", None)
    context = {"region": region, "form": form, "page": page, "filters": filters, "query": query.urlencode()}
    return render(request, "complaints/inbox.html", context)


@login_required
@require_GET
def inbox_export(request: HttpRequest, region_slug: str, fmt: str) -> HttpResponse:
    """The inbox with its current filters (the query string), all pages, as XLSX or CSV."""
    region = region_for(request.user, region_slug)
    _form, filters = _inbox_filters(request, region)
    filters = dataclasses.replace(filters, page=1)
    rows = selectors.inbox_page(request.user, region, filters, page_size=exports.EXPORT_LIMIT).rows
    return exports.download(
        region, rows, fmt=fmt, filename=f"pengaduan-{region.slug}-{dates.local_now(region.time_zone):%Y%m%d-%H%M}"
    )
