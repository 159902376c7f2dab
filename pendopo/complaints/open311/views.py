"""Open311 GeoReport v2 at /open311/v2/ (docs/open311.md; the specification is the reference).

Every endpoint answers in XML or JSON by its suffix; every error is the specification's error
body (`<errors><error><code/><description/></error></errors>`, or a JSON array) with 404 for an
unknown resource (jurisdiction, service_code, request, token), 403 for a missing or invalid
api_key, and 400 for anything else. `jurisdiction_id` is the region's Kemendagri code
(`35.10`); it may be left out only while a single region is active.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from pendopo.complaints import actions, selectors
from pendopo.complaints.models import Channel, Complaint, ComplaintCategory, ComplaintPhoto, Privacy
from pendopo.complaints.open311.render import FORMATS, Doc, Many, errors, respond, w3c
from pendopo.lib import dates
from pendopo.regions.models import Region

if TYPE_CHECKING:
    from django.http import QueryDict

SPECIFICATION = "http://wiki.open311.org/GeoReport_v2"
MAX_DAYS = 90
MAX_REQUESTS = 1000


class Open311Error(Exception):
    def __init__(self, status: int, *descriptions: str) -> None:
        super().__init__(descriptions[0] if descriptions else "")
        self.status, self.descriptions = status, list(descriptions)


def _param(params: QueryDict, name: str) -> str:
    """An empty parameter is the same as an absent one (the specification's "Optional Arguments")."""
    return (params.get(name) or "").strip()


def _region(params: QueryDict) -> Region:
    code = _param(params, "jurisdiction_id")
    active = Region.objects.filter(is_active=True).select_related("regency")
    if not code:
        regions = list(active[:2])
        if len(regions) == 1:
            return regions[0]
        raise Open311Error(400, _("jurisdiction_id was not provided: give the region code, e.g. 35.10."))
    region = active.filter(regency_id=code).first()
    if region is None:
        raise Open311Error(404, _("jurisdiction_id “%(code)s” was not found.") % {"code": code[:40]})
    return region


def _endpoint(view: Any, methods: tuple[str, ...] = ("GET", "HEAD")) -> Any:
    """Format check, method check, and Open311Error → the error body."""

    def wrapped(request: HttpRequest, fmt: str, *args: Any, **kwargs: Any) -> HttpResponse:
        if fmt not in FORMATS:
            return errors("xml", 404, _("The format “%(fmt)s” is not served: use .xml or .json.") % {"fmt": fmt[:10]})
        if request.method not in methods:
            return errors(
                fmt,
                400,
                _("The method %(method)s is not allowed here.") % {"method": request.method},
                headers={"Allow": ", ".join(methods)},
            )
        try:
            return view(request, fmt, *args, **kwargs)
        except Open311Error as exc:
            return errors(fmt, exc.status, *exc.descriptions)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return csrf_exempt(wrapped)


# --- discovery and services -------------------------------------------------------------------------


@_endpoint
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    changed = ComplaintCategory.objects.aggregate(last=Max("updated_at"))["last"]
    changeset = w3c(changed, dt.UTC) if changed else "2026-01-01T00:00:00Z"
    base = request.build_absolute_uri(reverse("open311:root")).rstrip("/")
    contact = getattr(settings, "PENDOPO_OPEN311_CONTACT", "") or _(
        "Each region's complaint desk; see the region's page on this site."
    )
    key_service = _("API keys are issued per client by the region administrator (Pendopo admin → Open311 API keys).")
    doc = Doc(
        "discovery",
        fields={
            "changeset": changeset,
            "contact": contact,
            "key_service": key_service,
            "endpoints": Many(
                "endpoint",
                [
                    {
                        "specification": SPECIFICATION,
                        "url": base,
                        "changeset": changeset,
                        "type": getattr(settings, "PENDOPO_OPEN311_ENDPOINT_TYPE", "production"),
                        "formats": Many("format", ["text/xml", "application/json"]),
                    }
                ],
            ),
        },
    )
    return respond(doc, fmt)


def _categories(region: Region) -> QuerySet[ComplaintCategory]:
    return selectors.active_categories(None, region).prefetch_related("attributes")


def _service(category: ComplaintCategory) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.description or None,
        "metadata": any(a for a in category.attributes.all()),
        "type": category.open311_type,
        "keywords": category.keywords or None,
        "group": category.group or category.agency.short_name,
    }


@_endpoint
def services(request: HttpRequest, fmt: str) -> HttpResponse:
    region = _region(request.GET)
    return respond(Doc("services", "service", [_service(c) for c in _categories(region)]), fmt)


@_endpoint
def service_definition(request: HttpRequest, fmt: str, code: str) -> HttpResponse:
    region = _region(request.GET)
    category = _categories(region).filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code “%(code)s” was not found.") % {"code": code[:40]})
    attributes = [
        {
            "variable": a.variable,
            "code": a.code,
            "datatype": a.datatype,
            "required": a.required,
            "datatype_description": a.datatype_description or None,
            "order": a.order,
            "description": a.description,
            "values": Many("value", [{"key": str(v.get("key")), "name": str(v.get("name"))} for v in a.values or []]),
        }
        for a in sorted(category.attributes.all(), key=lambda a: a.order)
    ]
    return respond(
        Doc("service_definition", fields={"service_code": category.code, "attributes": Many("attribute", attributes)}), fmt
    )


# --- requests ---------------------------------------------------------------------------------------


def _address(complaint: Complaint) -> str | None:
    parts = [complaint.address]
    if complaint.village is not None:
        parts += [complaint.village.name, complaint.village.district.name]
    return ", ".join(p for p in parts if p) or None


def _media_url(request: HttpRequest, complaint: Complaint) -> str | None:
    photos = list(complaint.photos.all())
    if photos:
        return request.build_absolute_uri(photos[0].get_absolute_url())
    return complaint.media_url or None


def _request_fields(request: HttpRequest, complaint: Complaint, zone: dt.tzinfo) -> dict[str, Any]:
    case = complaint.case
    closed = case.is_closed
    updated = case.closed_at if closed else max(case.updated_at, complaint.updated_at)
    return {
        "service_request_id": case.code,
        "status": "closed" if closed else "open",
        "status_notes": case.state_label,
        "service_name": complaint.category.name,
        "service_code": complaint.category.code,
        "description": complaint.description or None,
        "agency_responsible": case.agency.name if case.agency else None,
        "service_notice": complaint.category.notice(),
        "requested_datetime": w3c(case.received_at, zone),
        "updated_datetime": w3c(updated, zone),
        "expected_datetime": w3c(case.state_due_at, zone) if not closed and not case.is_paused else None,
        "address": _address(complaint),
        "address_id": complaint.village_id or None,
        "zipcode": None,
        "lat": float(complaint.latitude) if complaint.latitude is not None else None,
        "long": float(complaint.longitude) if complaint.longitude is not None else None,
        "media_url": _media_url(request, complaint),
    }


def _public(region: Region) -> QuerySet[Complaint]:
    photos = ComplaintPhoto.objects.order_by("created_at", "pk")
    return (
        selectors.public_complaints(region)
        .select_related("village__district", "case__agency")
        .prefetch_related(Prefetch("photos", queryset=photos))
    )


_DATE_ONLY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_DATETIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$")


EARLIEST = dt.datetime(1900, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2999, 12, 31, tzinfo=dt.UTC)


def parse_w3c(name: str, value: str, zone: dt.tzinfo) -> dt.datetime:
    """A W3C date-time with its zone (2010-01-01T00:00:00Z), or a date (midnight in the region's zone)."""
    parsed = None
    try:
        if _DATE_ONLY.match(value):
            parsed = dt.datetime.combine(dt.date.fromisoformat(value), dt.time(), tzinfo=zone)
        elif _DATETIME.match(value):
            parsed = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        parsed = None
    if parsed is not None:
        # Far dates (9999-12-31, 0001-01-01+14:00) overflow once shifted or widened by the 90-day window.
        try:
            in_range = EARLIEST <= parsed.astimezone(dt.UTC) <= LATEST
        except OverflowError:
            in_range = False
        if in_range:
            return parsed
        raise Open311Error(
            400,
            _("%(name)s must lie between %(earliest)s and %(latest)s.")
            % {"name": name, "earliest": EARLIEST.date().isoformat(), "latest": LATEST.date().isoformat()},
        )
    raise Open311Error(
        400,
        _("%(name)s “%(value)s” is not a W3C date and time with a time zone, e.g. 2026-01-01T00:00:00Z.")
        % {"name": name, "value": value[:40]},
    )


def _positive(params: QueryDict, name: str, default: int, maximum: int) -> int:
    raw = _param(params, name)
    if not raw:
        return default
    if not (raw.isascii() and raw.isdigit()) or not 1 <= int(raw) <= maximum:
        raise Open311Error(400, _("%(name)s must be a whole number from 1 to %(max)s.") % {"name": name, "max": maximum})
    return int(raw)


def _list(params: QueryDict, name: str) -> list[str]:
    return [part.strip() for part in _param(params, name).split(",") if part.strip()]


def list_requests(request: HttpRequest, fmt: str, region: Region) -> HttpResponse:
    params = request.GET
    zone = ZoneInfo(region.time_zone)
    qs = _public(region).order_by("-case__received_at", "-pk")
    page = _positive(params, "page", 1, 1_000_000)
    page_size = _positive(params, "page_size", MAX_REQUESTS, MAX_REQUESTS)
    ids = _list(params, "service_request_id")
    if ids:
        # "This overrides all other arguments" (GeoReport v2): no date window, status or service filter.
        qs = qs.filter(case__code__in=[i.upper() for i in ids[:MAX_REQUESTS]])
    else:
        problems: list[str] = []
        codes = _list(params, "service_code")
        if codes:
            known = set(_categories(region).filter(code__in=codes).values_list("code", flat=True))
            problems += [
                _("service_code “%(code)s” is not a service of this jurisdiction.") % {"code": c[:40]}
                for c in codes
                if c not in known
            ]
            qs = qs.filter(category__code__in=codes)
        statuses = _list(params, "status")
        for status in statuses:
            if status not in ("open", "closed"):
                problems.append(_("status “%(status)s” is not open or closed.") % {"status": status[:20]})
        if set(statuses) == {"open"}:
            qs = qs.filter(case__closed_at=None)
        elif set(statuses) == {"closed"}:
            qs = qs.exclude(case__closed_at=None)
        start_raw, end_raw = _param(params, "start_date"), _param(params, "end_date")
        start = end = None
        for name, raw in (("start_date", start_raw), ("end_date", end_raw)):
            if raw:
                try:
                    value = parse_w3c(name, raw, zone)
                except Open311Error as exc:
                    problems += exc.descriptions
                    continue
                if name == "start_date":
                    start = value
                else:
                    end = value
        if problems:
            raise Open311Error(400, *problems)
        window = dt.timedelta(days=MAX_DAYS)
        if start is not None and end is not None:
            if end < start:
                raise Open311Error(400, _("end_date is before start_date."))
            if end - start > window:
                raise Open311Error(400, _("start_date and end_date may not span more than 90 days."))
        elif start is not None:
            end = start + window
        elif end is not None:
            start = end - window
        else:
            end = dates.now()
            start = end - window
        qs = qs.filter(case__received_at__gte=start, case__received_at__lte=end)
    offset = (page - 1) * page_size
    found = list(qs[offset : offset + page_size])
    return respond(Doc("service_requests", "request", [_request_fields(request, c, zone) for c in found]), fmt)


def _attribute_answers(params: QueryDict) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for key in params:
        match = re.fullmatch(r"attribute\[([^\]]+)\](\[\])?", key)
        if match:
            values = params.getlist(key)
            answers[match.group(1)] = values if match.group(2) else (values[-1] if values else "")
    return answers


def create_request(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.POST
    region = _region(params if _param(params, "jurisdiction_id") else request.GET)
    key = _param(params, "api_key") or _param(request.GET, "api_key")
    if not key:
        raise Open311Error(403, _("api_key is missing: ask the region administrator for one."))
    client = selectors.api_client_for_key(region, key)
    if client is None:
        raise Open311Error(403, _("Invalid api_key received: it is unknown, revoked, or of another jurisdiction."))
    code = _param(params, "service_code")
    if not code:
        raise Open311Error(400, _("service_code was not provided."))
    category = _categories(region).filter(code=code).first()
    if category is None:
        raise Open311Error(404, _("service_code “%(code)s” was not found.") % {"code": code[:40]})
    lat, long, address, address_id = (_param(params, n) for n in ("lat", "long", "address_string", "address_id"))
    if not (lat or long or address or address_id):
        raise Open311Error(400, _("A location is required: lat and long, address_string, or address_id (a village code)."))
    name = " ".join(p for p in (_param(params, "first_name"), _param(params, "last_name")) if p)
    email, phone = _param(params, "email"), _param(params, "phone")
    filing = actions.Filing(
        category=category,
        description=params.get("description") or "",
        privacy=Privacy.IDENTIFIED if (name or email or phone) else Privacy.ANONYMOUS,
        channel=Channel.OPEN311,
        latitude=lat,
        longitude=long,
        village_code=address_id,
        address=address,
        attributes=_attribute_answers(params),
        reporter_name=name,
        reporter_email=email,
        reporter_phone=phone,
        media_url=_param(params, "media_url"),
    )
    try:
        filed = actions.file_complaint(region, filing, api_client=client)
    except ValidationError as exc:
        raise Open311Error(400, *_describe(exc)) from None
    actions.touch_api_client(client)
    complaint = filed.complaint
    fields: dict[str, Any] = (
        {"token": complaint.open311_token} if complaint.open311_token else {"service_request_id": complaint.code}
    )
    notice = category.notice() + " " + _("The request is public once the region's administration has verified it.")
    fields |= {"service_notice": notice, "account_id": None}
    return respond(Doc("service_requests", "request", [fields]), fmt)


_FIELD_NAMES = {"latitude": "lat", "longitude": "long", "address": "address_string", "village": "address_id", "photos": "media"}


def _describe(exc: ValidationError) -> list[str]:
    out = []
    for field_name, items in exc.error_dict.items():
        for item in items:
            text = item.message % item.params if item.params else item.message
            out.append(f"{_FIELD_NAMES.get(field_name, field_name)}: {text}")
    return out


def _requests(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return create_request(request, fmt)
    return list_requests(request, fmt, _region(request.GET))


requests_endpoint = _endpoint(_requests, methods=("GET", "HEAD", "POST"))


@_endpoint
def one_request(request: HttpRequest, fmt: str, request_id: str) -> HttpResponse:
    region = _region(request.GET)
    complaint = _public(region).filter(case__code=request_id.upper()).first()
    if complaint is None:
        raise Open311Error(404, _("service_request_id “%(id)s” was not found.") % {"id": request_id[:40]})
    return respond(Doc("service_requests", "request", [_request_fields(request, complaint, ZoneInfo(region.time_zone))]), fmt)


@_endpoint
def token(request: HttpRequest, fmt: str, token_id: str) -> HttpResponse:
    region = _region(request.GET)
    complaint = (
        Complaint.objects.select_related("case").filter(region=region, open311_token=token_id).exclude(open311_token="").first()
    )
    if complaint is None:
        raise Open311Error(404, _("token “%(token)s” was not found.") % {"token": token_id[:40]})
    return respond(Doc("service_requests", "request", [{"service_request_id": complaint.code, "token": token_id}]), fmt)


def root(request: HttpRequest) -> HttpResponse:
    return redirect("open311:discovery", fmt="xml")


def not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    fmt = "json" if rest.endswith(".json") else "xml"
    return errors(fmt, 404, _("There is no GeoReport v2 resource here; see discovery.xml."))
