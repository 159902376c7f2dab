"""The catalogue's JSON API: public reads of published services and standards; writes for their staff.

Reads need no login. Writes use the session (`django_auth`, with the CSRF token) and the same
permission rules as the pages: officers of the agency edit, the agency head or the region
administrator publishes.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, Literal

from django.http import HttpRequest
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.pagination import paginate
from ninja.security import django_auth

from pendopo.catalog import actions, selectors
from pendopo.catalog.models import Category, Channel, Service, ServiceStandard, TimeUnit
from pendopo.lib import dates
from pendopo.lib.apierrors import ApiError
from pendopo.regions.api import Paged
from pendopo.regions.models import Agency, Region
from pendopo.regions.permissions import Action, acting_user, get_for_user

router = Router(tags=["catalog"])

if TYPE_CHECKING:  # a Literal built from the choices at run time, which mypy cannot evaluate
    CategoryName = str
    ChannelName = str
else:
    CategoryName = Literal[tuple(Category.values)]
    ChannelName = Literal[tuple(Channel.values)]
FieldType = Literal["text", "number", "date", "choice", "nik", "phone", "email", "village", "file"]


# --- schemas --------------------------------------------------------------------------------------


class Requirement(Schema):
    text: str = Field(..., max_length=500, description="What the applicant must bring or meet.")
    required: bool = Field(True, description="False for a requirement that applies only in some cases.")
    is_document_upload: bool = Field(False, description="True when the applicant uploads a document for it.")
    group: str = Field("", max_length=50, description="Alternatives share a group name: one requirement of the group is needed.")


class Choice(Schema):
    value: str = Field(..., max_length=100, description="Stored value.")
    label_id: str = Field(..., max_length=200, description="Label in Indonesian.")
    label_en: str = Field(..., max_length=200, description="Label in English.")


class FieldValidation(Schema):
    min: float | None = Field(None, description="Smallest number allowed (number fields).")
    max: float | None = Field(None, description="Largest number allowed (number fields).")
    length: int | None = Field(None, description="Exact length (text fields).")
    min_length: int | None = Field(None, description="Shortest text allowed (text fields).")
    max_length: int | None = Field(None, description="Longest text allowed (text and email fields).")
    regex: str | None = Field(None, description="Regular expression the text must match (text fields).")
    choices: list[Choice] | None = Field(None, description="The options (choice fields; required for them).")
    extensions: list[str] | None = Field(None, description="Allowed file extensions, e.g. ['pdf', 'jpg'] (file fields).")
    max_size_kb: int | None = Field(None, description="Largest file in KB (file fields).")


class FormField(Schema):
    key: str = Field(..., description="Identifier of the field in the stored application, e.g. birth_date.")
    type: FieldType = Field(..., description="Input type; nik and phone are validated as Indonesian identifiers.")
    label_id: str = Field(..., description="Label in Indonesian.")
    label_en: str = Field(..., description="Label in English.")
    required: bool = Field(True, description="Must the applicant fill it in?")
    help_id: str | None = Field(None, description="Help text in Indonesian.")
    help_en: str | None = Field(None, description="Help text in English.")
    validation: FieldValidation | None = Field(None, description="Rules beyond the type.")


class ApplicationForm(Schema):
    fields: list[FormField] = Field(default_factory=list, description="The fields, in the order shown.")


class TimeLimit(Schema):
    value: int = Field(..., description="How many units; at least 1.")
    unit: Literal[tuple(TimeUnit.values)] = Field(  # type: ignore[valid-type]  # a Literal built from the choices at run time
        ..., description="working_days, or minutes of working time."
    )


class StandardOut(Schema):
    version: int = Field(..., description="Version number within the service, from 1.")
    status: str = Field(..., description="draft, published or superseded.")
    effective_from: dt.date | None = Field(None, description="First day this version applies (published versions).")
    superseded_on: dt.date | None = Field(None, description="Day the next version took over (superseded versions).")
    decree_number: str = Field(..., description="Number of the decree (SK) that adopted the standard.")
    decree_date: dt.date | None = Field(None, description="Date of the decree.")
    change_note: str = Field(..., description="What changed in this version.")
    requirements: list[Requirement] = Field(..., description="Delivery 1: requirements, in order.")
    procedure: str = Field(..., description="Delivery 2: system, mechanism and procedure.")
    time_limit: TimeLimit = Field(..., description="Delivery 3: time limit.")
    fee: int = Field(..., description="Delivery 4: fee in whole Rupiah; 0 means free.")
    fee_basis: str = Field(..., description="Delivery 4: the regulation that sets the fee.")
    product: str = Field(..., description="Delivery 5: what the applicant receives.")
    complaint_handling: str = Field(..., description="Delivery 6: handling of complaints, suggestions and input.")
    legal_basis: str = Field(..., description="Management 1: legal basis.")
    facilities: str = Field(..., description="Management 2: facilities and infrastructure.")
    officer_competence: str = Field(..., description="Management 3: competence of the officers.")
    internal_supervision: str = Field(..., description="Management 4: internal supervision.")
    officer_count: int | None = Field(None, description="Management 5: number of officers.")
    service_guarantee: str = Field(..., description="Management 6: service guarantee.")
    security_guarantee: str = Field(..., description="Management 7: security and safety guarantee.")
    performance_evaluation: str = Field(..., description="Management 8: evaluation of officer performance.")
    form: ApplicationForm = Field(..., description="The application form as data.")
    published_at: dt.datetime | None = Field(None, description="When it was published (ISO 8601 with offset).")

    @staticmethod
    def resolve_time_limit(obj: ServiceStandard) -> dict[str, Any]:
        return {"value": obj.time_limit_value, "unit": obj.time_limit_unit}

    @staticmethod
    def resolve_form(obj: ServiceStandard) -> dict[str, Any]:
        return obj.form or {"fields": []}


class Provenance(Schema):
    region: str | None = Field(None, description="Kemendagri code of the region it was copied from.")
    service: str = Field(..., description="Code of the service it was copied from.")
    version: int | None = Field(None, description="Version of the standard that was copied.")


class ServiceSummary(Schema):
    code: str = Field(..., description="Service code, unique within the region.")
    name: str = Field(..., description="Name of the service.")
    agency: str = Field(..., description="Code of the responsible agency.")
    agency_name: str = Field(..., description="Name of the responsible agency.")
    category: str = Field(..., description="Category: " + ", ".join(Category.values) + ".")
    summary: str = Field(..., description="Short description.")
    keywords: str = Field(..., description="Words citizens search with, comma-separated.")
    channels: list[str] = Field(..., description="Where it is offered: " + ", ".join(Channel.values) + ".")
    fee: int | None = Field(None, description="Fee of the published standard in whole Rupiah (0 = free).")
    time_limit: TimeLimit | None = Field(None, description="Time limit of the published standard.")
    version: int | None = Field(None, description="Version number of the published standard.")
    url: str = Field(..., description="Address of the public page.")

    @staticmethod
    def resolve_agency(obj: Service) -> str:
        return obj.agency.code

    @staticmethod
    def resolve_agency_name(obj: Service) -> str:
        return obj.agency.name

    @staticmethod
    def resolve_fee(obj: Service) -> int | None:
        return obj.published_standard.fee if obj.published_standard else None

    @staticmethod
    def resolve_time_limit(obj: Service) -> dict[str, Any] | None:
        s = obj.published_standard
        return {"value": s.time_limit_value, "unit": s.time_limit_unit} if s else None

    @staticmethod
    def resolve_version(obj: Service) -> int | None:
        return obj.published_standard.version if obj.published_standard else None

    @staticmethod
    def resolve_url(obj: Service) -> str:
        return reverse("catalog:service", args=[obj.region.slug, obj.code])


class ServiceDetail(ServiceSummary):
    active: bool = Field(..., description="False when the region no longer offers it.")
    source: Provenance | None = Field(None, description="Where it was copied from, if it was.")
    standard: StandardOut | None = Field(None, description="The standard in force today.")

    @staticmethod
    def resolve_active(obj: Service) -> bool:
        return obj.is_active

    @staticmethod
    def resolve_source(obj: Service) -> dict[str, Any] | None:
        if not obj.is_copy:
            return None
        return {
            "region": obj.source_region.regency_id if obj.source_region is not None else None,
            "service": obj.source_service_code,
            "version": obj.source_version,
        }

    @staticmethod
    def resolve_standard(obj: Service) -> ServiceStandard | None:
        return selectors.standard_in_force(obj, dates.today(obj.region.time_zone))


class StandardContent(Schema):
    """The content of a draft; on update, only the fields sent change."""

    decree_number: str | None = Field(None, max_length=120, description="Number of the adopting decree (SK).")
    decree_date: dt.date | None = Field(None, description="Date of the decree.")
    change_note: str | None = Field(None, max_length=300, description="What changes in this version.")
    requirements: list[Requirement] | None = Field(None, description="Requirements, in order.")
    procedure: str | None = Field(None, description="System, mechanism and procedure.")
    time_limit: TimeLimit | None = Field(None, description="Time limit; at least 1 unit.")
    fee: int | None = Field(None, description="Fee in whole Rupiah, 0 or more.")
    fee_basis: str | None = Field(None, description="Legal basis of the fee (required when the fee is above 0).")
    product: str | None = Field(None, description="Service product.")
    complaint_handling: str | None = Field(None, description="Handling of complaints, suggestions and input.")
    legal_basis: str | None = Field(None, description="Legal basis.")
    facilities: str | None = Field(None, description="Facilities and infrastructure.")
    officer_competence: str | None = Field(None, description="Officer competence.")
    internal_supervision: str | None = Field(None, description="Internal supervision.")
    officer_count: int | None = Field(None, description="Number of officers, at least 1.")
    service_guarantee: str | None = Field(None, description="Service guarantee.")
    security_guarantee: str | None = Field(None, description="Security and safety guarantee.")
    performance_evaluation: str | None = Field(None, description="Evaluation of officer performance.")
    form: ApplicationForm | None = Field(None, description="The application form.")

    def content(self) -> dict[str, Any]:
        data = self.model_dump(exclude_unset=True)
        if "time_limit" in data:
            limit = data.pop("time_limit") or {}
            data["time_limit_value"], data["time_limit_unit"] = limit.get("value"), limit.get("unit")
        if "form" in data:
            data["form"] = {
                "fields": [_drop_none(f) for f in (data["form"] or {}).get("fields", [])],
            }
        for key in ("decree_number", "change_note", *actions.TEXT_CONTENT_FIELDS):
            if key in data and data[key] is None:
                data[key] = ""
        if data.get("requirements") is None and "requirements" in data:
            data["requirements"] = []
        return data


def _drop_none(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


class ServiceIn(Schema):
    code: str = Field(..., max_length=40, description="Capital letters, digits and hyphens, e.g. KTP-EL.")
    agency: str = Field(..., description="Code of the responsible agency in the region.")
    name: str = Field(..., max_length=200, description="Name of the service.")
    category: CategoryName = Field("other", description="Category.")
    summary: str = Field("", max_length=500, description="Short description.")
    keywords: str = Field("", max_length=500, description="Words citizens search with.")
    channels: list[ChannelName] = Field(default_factory=list, description="Where it is offered.")
    standard: StandardContent | None = Field(None, description="Content of the first draft.")


class ServicePatch(Schema):
    agency: str | None = Field(None, description="Code of the responsible agency.")
    name: str | None = Field(None, max_length=200, description="Name of the service.")
    category: CategoryName | None = Field(None, description="Category.")
    summary: str | None = Field(None, max_length=500, description="Short description.")
    keywords: str | None = Field(None, max_length=500, description="Search words.")
    channels: list[ChannelName] | None = Field(None, description="Where it is offered.")
    active: bool | None = Field(None, description="Is it still offered?")


class PublishIn(Schema):
    effective_from: dt.date | None = Field(None, description="First day it applies; empty: today in the region.")


# --- helpers --------------------------------------------------------------------------------------


def _region(request: HttpRequest, code: str) -> Region:
    return get_for_user(request.user, Region.objects.select_related("regency"), regency_id=code)


def _service(request: HttpRequest, code: str, service_code: str, action: Action = Action.VIEW) -> Service:
    return selectors.get_service(request.user, _region(request, code), service_code, action)


def _agency(region: Region, code: str) -> Agency:
    agency = Agency.objects.filter(region=region, code=code).first()
    if agency is None:
        message = _("Unknown agency %(agency)s in %(region)s.") % {"agency": code, "region": region.name}
        raise ApiError(422, _("The request is not valid."), [{"field": "agency", "code": "unknown_agency", "message": message}])
    return agency


# --- public reads ---------------------------------------------------------------------------------


@router.get("/regions/{code}/services", response=list[ServiceSummary], summary="Search a region's published catalogue")
@paginate(Paged)
def list_services(
    request: HttpRequest,
    code: str,
    q: str = "",
    agency: str = "",
    category: str = "",
    channel: str = "",
    fee: str = "",
):
    """Every word of `q` must appear in the name, code, keywords, summary or agency. Filters: `agency` (code),
    `category`, `channel` (online, service_mall, village_office), `fee` (free or paid)."""
    region = _region(request, code)
    filters = selectors.CatalogFilters(
        query=q[:200],
        agency=agency,
        category=category,
        channel=channel,
        fee=fee if fee in ("free", "paid") else "",
    )
    return selectors.catalog_services(request.user, region, filters).select_related("region")


@router.get("/regions/{code}/services/{service_code}", response=ServiceDetail, summary="One service and its standard in force")
def read_service(request: HttpRequest, code: str, service_code: str) -> Service:
    return _service(request, code, service_code)


@router.get(
    "/regions/{code}/services/{service_code}/standards",
    response=list[StandardOut],
    summary="Every version of a service's standard you may see (newest first)",
)
def list_standards(request: HttpRequest, code: str, service_code: str):
    return list(selectors.visible_standards(request.user, _service(request, code, service_code)))


@router.get(
    "/regions/{code}/services/{service_code}/standards/{version}", response=StandardOut, summary="One version of a standard"
)
def read_standard(request: HttpRequest, code: str, service_code: str, version: int) -> ServiceStandard:
    service = _service(request, code, service_code)
    return get_for_user(request.user, selectors.visible_standards(request.user, service), version=version)


# --- writes ---------------------------------------------------------------------------------------


@router.post(
    "/regions/{code}/services", response={201: ServiceDetail}, auth=django_auth, summary="Create a service (with a first draft)"
)
def create_service(request: HttpRequest, code: str, payload: ServiceIn):
    region = _region(request, code)
    service = actions.create_service(
        acting_user(request),
        region,
        agency=_agency(region, payload.agency),
        code=payload.code,
        name=payload.name,
        category=payload.category,
        summary=payload.summary,
        keywords=payload.keywords,
        channels=list(payload.channels),
        standard=payload.standard.content() if payload.standard else None,
    )
    return 201, selectors.get_service(request.user, region, service.code, Action.VIEW)


@router.patch(
    "/regions/{code}/services/{service_code}", response=ServiceDetail, auth=django_auth, summary="Change a service's details"
)
def update_service(request: HttpRequest, code: str, service_code: str, payload: ServicePatch) -> Service:
    service = _service(request, code, service_code, Action.ACT)
    data = payload.model_dump(exclude_unset=True)
    fields: dict[str, Any] = {}
    if "agency" in data:
        fields["agency"] = _agency(service.region, data.pop("agency") or "")
    if "active" in data:
        fields["is_active"] = data.pop("active")
    channels = data.pop("channels", None)
    fields |= {k: v for k, v in data.items() if v is not None}
    actions.update_service(acting_user(request), service, channels=channels, **fields)
    return _service(request, code, service_code)


@router.post(
    "/regions/{code}/services/{service_code}/draft",
    response=StandardOut,
    auth=django_auth,
    summary="Open the draft (a new version copied from the latest, or the existing draft)",
)
def open_draft(request: HttpRequest, code: str, service_code: str) -> ServiceStandard:
    return actions.start_draft(acting_user(request), _service(request, code, service_code, Action.ACT))


@router.patch(
    "/regions/{code}/services/{service_code}/draft",
    response=StandardOut,
    auth=django_auth,
    summary="Change the draft (only the fields sent)",
)
def update_draft(request: HttpRequest, code: str, service_code: str, payload: StandardContent) -> ServiceStandard:
    service = _service(request, code, service_code, Action.ACT)
    draft = actions.current_draft(service)
    if draft is None:
        raise ApiError(409, _("This service has no draft; open one first."))
    return actions.update_draft(acting_user(request), draft, payload.content())


@router.post(
    "/regions/{code}/services/{service_code}/draft/publish",
    response=StandardOut,
    auth=django_auth,
    summary="Publish the draft (agency head or region administrator)",
)
def publish_draft(request: HttpRequest, code: str, service_code: str, payload: PublishIn) -> ServiceStandard:
    service = _service(request, code, service_code, Action.ACT)
    draft = actions.current_draft(service)
    if draft is None:
        raise ApiError(409, _("This service has no draft to publish."))
    return actions.publish_standard(acting_user(request), draft, effective_from=payload.effective_from)
