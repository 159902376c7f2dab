"""JSON API of applications (/api/v1/applications, /api/v1/tracking/{code}).

Private endpoints use the session (`django_auth`, with the CSRF token). A submission is either
JSON (no files) or multipart/form-data with a `payload` field holding the same JSON and one file
part per document: `doc-N` for the Nth requirement of the standard, or the key of a file field
of the service's form. Validation is the HTML form's (forms.application_form_class), so errors
are the same, per field: `applicant.name`, `form.<key>`, `documents.doc-N`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import F
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth
from pydantic import ValidationError as PydanticValidationError

from pendopo.applications import actions, selectors
from pendopo.applications.forms import APPLICANT_PREFIX, DOCUMENT_PREFIX, ActionForm, application_form_class
from pendopo.applications.models import Application
from pendopo.catalog.selectors import get_service, standard_in_force
from pendopo.lib import dates
from pendopo.lib.apierrors import ApiError
from pendopo.lib.text import load_json
from pendopo.regions.api import Paged
from pendopo.regions.models import Region
from pendopo.regions.permissions import Action, acting_user, get_for_user, signed_in, visible_to
from pendopo.workflow.definition import STAFF_ROLES
from pendopo.workflow.engine import available_actions
from pendopo.workflow.errors import WorkflowError
from pendopo.workflow.permissions import roles_for
from pendopo.workflow.selectors import timeline as case_timeline

router = Router(tags=["applications"])


# --- schemas --------------------------------------------------------------------------------------


class ApplicantIn(Schema):
    name: str
    email: str = ""
    nik: str = ""
    phone: str = ""
    notify_by: str = "whatsapp"


class SubmitIn(Schema):
    region: str  # the region's slug, e.g. banyuwangi
    service: str  # the service's code, e.g. KTP-EL
    applicant: ApplicantIn
    form: dict[str, Any] = {}
    walk_in: bool = False
    service_point: str = ""  # walk-ins: the code of the officer's service point


class StepOut(Schema):
    seq: int
    at: dt.datetime
    label: str
    state: str


class TrackingOut(Schema):
    code: str
    region: str
    service: str
    agency: str
    received_at: dt.datetime
    state: str
    is_closed: bool
    outcome: str
    is_paused: bool
    is_overdue: bool
    expected_completion: dt.datetime | None
    closed_at: dt.datetime | None
    steps: list[StepOut]


class ActionOut(Schema):
    key: str
    label: str
    requires_note: bool
    requires_document: bool


class DocumentOut(Schema):
    key: str
    slot: str
    label: str
    content_type: str
    size: int
    uploaded_at: dt.datetime
    removed_at: dt.datetime | None  # removed for good: the url answers 410
    url: str


class ApplicationSummary(Schema):
    code: str
    region: str
    service: str
    applicant_name: str
    nik: str  # masked
    channel: str
    state: str
    state_label: str
    received_at: dt.datetime
    state_due_at: dt.datetime | None
    due_at: dt.datetime | None
    is_overdue: bool
    is_paused: bool
    closed_at: dt.datetime | None
    outcome: str
    version: int


class ApplicationOut(ApplicationSummary):
    phone: str
    email: str
    form: dict[str, Any]
    standard_version: int
    steps: list[dict[str, Any]]
    documents: list[DocumentOut]
    actions: list[ActionOut]


class ActIn(Schema):
    action: str
    note: str = ""
    version: int


# --- helpers ---------------------------------------------------------------------------------------


def summary(application: Application) -> dict[str, Any]:
    case = application.case
    return {
        "code": case.code,
        "region": application.region.slug,
        "service": application.service.code,
        "applicant_name": application.applicant_name,
        "nik": application.nik_masked,
        "channel": application.channel,
        "state": case.state,
        "state_label": case.state_label,
        "received_at": case.received_at,
        "state_due_at": case.state_due_at,
        "due_at": case.due_at,
        "is_overdue": case.is_overdue,
        "is_paused": case.is_paused,
        "closed_at": case.closed_at,
        "outcome": case.outcome,
        "version": case.lock_version,
    }


def full(request: HttpRequest, application: Application) -> dict[str, Any]:
    staff = bool(roles_for(application.case, request.user) & STAFF_ROLES)
    data = summary(application)
    data.update(
        {
            "nik": application.nik if staff else application.nik_masked,
            "phone": application.phone if staff else application.phone_masked,
            "email": application.applicant_email,
            "form": application.form_data,
            "standard_version": application.standard.version,
            "steps": [
                {
                    "seq": s.seq,
                    "at": s.at,
                    "label": s.label,
                    "state": s.state_label,
                    "note": s.note,
                    "by": s.actor,
                    "documents": s.documents,
                }
                for s in case_timeline(application.case, private=True)
            ],
            "documents": [
                {
                    "key": d.key,
                    "slot": d.slot,
                    "label": d.label,
                    "content_type": d.content_type,
                    "size": d.size,
                    "uploaded_at": d.uploaded_at,
                    "removed_at": d.removed_at,
                    "url": d.get_absolute_url(),
                }
                for d in selectors.documents_of(application)
            ],
            "actions": [
                {"key": a.key, "label": a.label, "requires_note": a.requires_note, "requires_document": a.requires_document}
                for a in available_actions(application.case, acting_user(request))
            ],
        }
    )
    return data


def _field_name(name: str, service_keys: set[str]) -> str:
    if name.startswith(APPLICANT_PREFIX):
        return "applicant." + name.removeprefix(APPLICANT_PREFIX).replace("notify", "notify_by").replace("place", "service_point")
    if name.startswith(DOCUMENT_PREFIX):
        return "documents." + name
    if name in service_keys:
        return "form." + name
    return name if name != "__all__" else ""


def _form_errors(form: Any) -> ApiError:
    keys = set(form.field_types)
    errors = [
        {
            "field": _field_name(name, keys),
            "code": error.code or "invalid",
            "message": str(error.message % error.params if error.params else error.message),
        }
        for name, items in form.errors.as_data().items()
        for error in items
    ]
    return ApiError(422, _("The request is not valid."), errors)


def _payload(request: HttpRequest) -> SubmitIn:
    try:
        if request.content_type == "application/json":
            raw = load_json(request.body or b"{}")
        else:
            raw = load_json(request.POST.get("payload", "") or "{}")
        return SubmitIn.model_validate(raw)
    except (ValueError, PydanticValidationError) as exc:
        errors = []
        if isinstance(exc, PydanticValidationError):
            errors = [
                {"field": ".".join(str(p) for p in err["loc"]), "code": err["type"], "message": err["msg"]}
                for err in exc.errors()
            ]
        raise ApiError(422, _("The request is not valid."), errors) from None


# --- endpoints ---------------------------------------------------------------------------------------


@router.get("/tracking/{code}", response=TrackingOut, summary="Public tracking of an application by its code (no personal data)")
def track(request: HttpRequest, code: str) -> dict[str, Any]:
    found = selectors.tracking(code)
    if found is None:
        raise Http404
    return {
        "code": found.code,
        "region": found.region.slug,
        "service": found.service_name,
        "agency": found.agency_name,
        "received_at": found.received_at,
        "state": found.state_label,
        "is_closed": found.is_closed,
        "outcome": found.outcome,
        "is_paused": found.is_paused,
        "is_overdue": found.is_overdue,
        "expected_completion": found.expected_completion,
        "closed_at": found.closed_at,
        "steps": [{"seq": s.seq, "at": s.at, "label": s.label, "state": s.state_label} for s in found.steps],
    }


@router.post(
    "/applications",
    response={201: ApplicationOut},
    auth=django_auth,
    summary="Submit an application (JSON, or multipart with a JSON `payload` and the documents)",
)
def submit(request: HttpRequest) -> tuple[int, dict[str, Any]]:
    payload = _payload(request)
    region = get_for_user(request.user, Region.objects.select_related("regency"), slug=payload.region)
    service = get_service(request.user, region, payload.service)
    standard = standard_in_force(service, dates.today(region.time_zone))
    if standard is None:
        raise Http404
    places = actions.walk_in_places(signed_in(request), service) if payload.walk_in else None
    form_class = application_form_class(standard, places=places or None)
    # Values of the wrong type (objects, lists) reach the form as text and fail its validation there.
    data: dict[str, Any] = {key: "" if value is None else str(value) for key, value in payload.form.items()}
    applicant = payload.applicant
    data[f"{APPLICANT_PREFIX}name"] = applicant.name
    data[f"{APPLICANT_PREFIX}email"] = applicant.email
    data[f"{APPLICANT_PREFIX}notify"] = applicant.notify_by
    for key, value in (("nik", applicant.nik), ("phone", applicant.phone)):
        if f"{APPLICANT_PREFIX}{key}" in form_class.base_fields:
            data[f"{APPLICANT_PREFIX}{key}"] = value
        elif value and not data.get(key):
            data[key] = value
    if places and payload.service_point:
        data["applicant-place"] = next((str(p.pk) for p in places if p.code == payload.service_point), "-")
    elif places:
        data["applicant-place"] = str(places[0].pk)
    form = form_class(data, request.FILES)
    if not form.is_valid():
        raise _form_errors(form)
    try:
        if payload.walk_in:
            application = actions.register_walk_in(signed_in(request), service, form.to_input())
        else:
            application = actions.submit_application(signed_in(request), service, form.to_input())
    except PermissionDenied as exc:
        raise ApiError(403, str(exc) or _("You may not do this.")) from None
    application = selectors.get_application_for_user(request.user, application.code)
    return 201, full(request, application)


@router.get(
    "/applications", response=list[ApplicationSummary], auth=django_auth, summary="Applications you may see (own, or your inbox)"
)
@paginate(Paged)
def list_applications(
    request: HttpRequest,
    region: str = "",
    state: str = "",
    service: str = "",
    overdue: bool | None = None,
    assigned_to_me: bool = False,
    open: bool | None = None,
):
    qs = visible_to(request.user, Application.objects.all(), Action.VIEW).select_related(
        "case__definition", "service", "region__regency"
    )
    if region:
        qs = qs.filter(region__slug=region)
    if state:
        qs = qs.filter(case__state=state)
    if service:
        qs = qs.filter(service__code=service)
    if overdue is True:
        qs = qs.filter(selectors.overdue_q(dates.now()))
    elif overdue is False:
        qs = qs.exclude(selectors.overdue_q(dates.now()))
    if assigned_to_me:
        qs = qs.filter(case__assigned_to=signed_in(request))
    if open is not None:
        qs = qs.filter(case__closed_at__isnull=open)
    return _SummaryList(qs)


class _SummaryList:
    """Lazily maps the paged slice of applications to summaries (pagination counts on the queryset)."""

    def __init__(self, qs: Any) -> None:
        self.qs = qs.order_by(F("case__state_due_at").asc(nulls_last=True), "case_id")

    def count(self) -> int:
        return self.qs.count()

    def __len__(self) -> int:
        return self.count()

    def __getitem__(self, item: slice) -> list[dict[str, Any]]:
        return [summary(a) for a in self.qs[item]]


@router.get("/applications/{code}", response=ApplicationOut, auth=django_auth, summary="One application (owner or staff)")
def read(request: HttpRequest, code: str) -> dict[str, Any]:
    return full(request, selectors.get_application_for_user(request.user, code))


@router.get("/applications/{code}/actions", response=list[ActionOut], auth=django_auth, summary="The steps you may take now")
def list_actions(request: HttpRequest, code: str) -> list[Any]:
    application = selectors.get_application_for_user(request.user, code)
    return [
        {"key": a.key, "label": a.label, "requires_note": a.requires_note, "requires_document": a.requires_document}
        for a in available_actions(application.case, acting_user(request))
    ]


@router.post(
    "/applications/{code}/actions",
    response=ApplicationOut,
    auth=django_auth,
    summary="Take a step (JSON {action, note, version}, or multipart with a `document`)",
)
def act(request: HttpRequest, code: str) -> dict[str, Any]:
    application = selectors.get_application_for_user(request.user, code)
    if request.content_type == "application/json":
        try:
            body = ActIn.model_validate(load_json(request.body or b"{}"))
        except (ValueError, PydanticValidationError):
            raise ApiError(
                422,
                _("The request is not valid."),
                [{"field": "", "code": "invalid", "message": _("Send action, note and version.")}],
            ) from None
        data: Mapping[str, Any] = {"action": body.action, "note": body.note, "version": body.version}
    else:
        data = request.POST
    allowed = available_actions(application.case, acting_user(request))
    keys = {a.key for a in allowed}
    form = ActionForm(data, request.FILES, actions=allowed)
    if not form.is_valid():
        if not allowed or ("action" in form.errors and data.get("action") not in keys):
            # Not a choice for this user now: let the engine say why (wrong step, not allowed, conflict).
            pass
        else:
            errors = [
                {"field": name, "code": e.code or "invalid", "message": str(e.message % e.params if e.params else e.message)}
                for name, items in form.errors.as_data().items()
                for e in items
            ]
            raise ApiError(422, _("The request is not valid."), errors)
    try:
        version = int(data.get("version") or 0) or None
        actions.take_action(
            application,
            str(data.get("action", "")),
            signed_in(request),
            note=str(data.get("note", "")),
            upload=form.checked,
            expected_version=version,
        )
    except WorkflowError as exc:
        raise ApiError(exc.http_status, str(exc), [{"field": "action", "code": exc.code, "message": str(exc)}]) from None
    except ValidationError as exc:
        raise ApiError(
            422,
            _("The request is not valid."),
            [{"field": "document", "code": exc.code or "invalid", "message": exc.messages[0]}],
        ) from None
    return full(request, selectors.get_application_for_user(request.user, code))
