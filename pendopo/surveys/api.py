"""SKM API: submit a response (anonymous, throttled per device) and read the published indices."""

import datetime as dt
from typing import Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema
from ninja.pagination import paginate
from pydantic import Field

from pendopo.lib.apierrors import ApiError
from pendopo.regions.api import Paged
from pendopo.regions.models import Region
from pendopo.regions.permissions import get_for_user
from pendopo.surveys import actions, indices, links, reports, selectors
from pendopo.surveys.choices import Channel
from pendopo.surveys.indices import Level, UnitIndex
from pendopo.surveys.models import SUGGESTION_MAX_LENGTH
from pendopo.surveys.periods import Period, PeriodError
from pendopo.surveys.throttling import SubmitThrottle

router = Router(tags=["satisfaction survey (SKM)"])


class ResponseIn(Schema):
    service: str = Field(description="Service code, e.g. KTP-EL")
    service_point: str | None = Field(None, description="Service point code, e.g. MPP-L01")
    scores: dict[str, int] = Field(description="The nine element scores 1–4, keyed U1..U9")
    sex: str = ""
    age: str = Field("", description="Age band: u20, 20-29, 30-39, 40-49, 50-59, 60+")
    education: str = ""
    occupation: str = ""
    suggestion: str = Field("", max_length=SUGGESTION_MAX_LENGTH)
    application_token: str | None = Field(None, description="The token of a completed application's survey link")


class ResponseReceived(Schema):
    received: bool
    submitted_at: dt.datetime


class IndexOut(Schema):
    level: str
    code: str
    name: str
    period: str
    respondents: int
    nrr: dict[str, str] | None = Field(description="NRR per element, rounded half up to 2 decimals")
    ikm: str | None
    converted: str | None
    grade: str | None
    label: str | None
    people_served: int | None
    people_served_source: Literal["counted", "entered", "mixed"] | None = Field(
        description="counted: applications received, counted by Pendopo; entered: by an officer; mixed: a sum of both"
    )
    minimum_sample: int | None
    short_of_sample: int


class IndexFilters(Schema):
    period: str | None = Field(None, description="2026, 2026-S1, 2026-Q3, 2026-07 (default: this year)")
    start: dt.date | None = Field(None, alias="from", description="Custom range start (with `to`)")
    end: dt.date | None = Field(None, alias="to", description="Custom range end, inclusive")
    agency: str | None = None
    service: str | None = None
    service_point: str | None = None


def _region(request: HttpRequest, code: str) -> Region:
    return get_for_user(request.user, Region.objects.select_related("regency"), regency_id=code)


def _period(region: Region, filters: IndexFilters) -> Period:
    try:
        if filters.start and filters.end:
            return Period.between(filters.start, filters.end)
        if filters.period:
            return Period.parse(filters.period)
    except PeriodError as exc:
        raise ApiError(422, str(exc), [{"field": "period", "code": "invalid", "message": str(exc)}]) from None
    return reports.default_period(region)


def _out(unit: UnitIndex, period: Period) -> IndexOut:
    figures = unit.figures or {}
    return IndexOut(
        level=unit.level.value,
        code=unit.code,
        name=unit.name,
        period=period.key,
        respondents=unit.respondents,
        nrr=figures.get("nrr"),
        ikm=figures.get("ikm"),
        converted=figures.get("converted"),
        grade=figures.get("grade"),
        label=figures.get("label"),
        people_served=unit.population,
        people_served_source=unit.population_source.value if unit.population_source else None,
        minimum_sample=unit.sample,
        short_of_sample=unit.short_of_sample,
    )


@router.post(
    "/regions/{code}/skm/responses",
    response={201: ResponseReceived},
    throttle=[SubmitThrottle()],
    summary="Submit one anonymous survey response",
)
def submit(request: HttpRequest, code: str, payload: ResponseIn) -> tuple[int, ResponseReceived]:
    region = _region(request, code)
    application_code = None
    point_code = payload.service_point or ""
    service_code = payload.service
    channel = Channel.API
    if payload.application_token:
        link = links.read_application_token(region, payload.application_token)
        if link is None:
            raise ApiError(
                422,
                _("The survey link is not valid."),
                [{"field": "application_token", "code": "invalid", "message": _("The survey link is not valid.")}],
            )
        application_code, service_code, point_code = link.application_code, link.service_code, link.point_code
        channel = Channel.ONLINE
    service = selectors.survey_services(region).filter(code=service_code).first()
    if service is None:
        raise ApiError(422, _("Unknown service."), [{"field": "service", "code": "unknown", "message": _("Unknown service.")}])
    point = selectors.survey_points(region).filter(code=point_code).first() if point_code else None
    if point_code and point is None:
        message = _("Unknown service point.")
        raise ApiError(422, message, [{"field": "service_point", "code": "unknown", "message": message}])
    response = actions.submit_response(
        region,
        service=service,
        service_point=point,
        scores={key.lower(): value for key, value in payload.scores.items()},
        profile={"sex": payload.sex, "age": payload.age, "education": payload.education, "occupation": payload.occupation},
        suggestion=payload.suggestion,
        channel=channel,
        application_code=application_code,
    )
    return 201, ResponseReceived(received=True, submitted_at=response.submitted_at)


@router.get("/regions/{code}/skm/index", response=IndexOut, summary="The index of the region or of one unit in a period")
def read_index(request: HttpRequest, code: str, filters: Query[IndexFilters]) -> IndexOut:
    region = _region(request, code)
    unit = reports.resolve_unit(
        region, agency=filters.agency or "", service=filters.service or "", point=filters.service_point or ""
    )
    period = _period(region, filters)
    return _out(reports.summary_of(unit, period), period)


@router.get(
    "/regions/{code}/skm/indices",
    response=list[IndexOut],
    summary="The index of each agency, service or service point (optionally within one agency or service)",
)
@paginate(Paged)
def list_indices(
    request: HttpRequest,
    code: str,
    filters: Query[IndexFilters],
    level: Literal["agency", "service", "service_point"] = "agency",
) -> list[IndexOut]:
    region = _region(request, code)
    unit = reports.resolve_unit(
        region, agency=filters.agency or "", service=filters.service or "", point=filters.service_point or ""
    )
    period = _period(region, filters)
    units = indices.by_unit(reports.responses_of(unit), Level(level), period)
    numbers = reports.people_served(region, period)
    return [_out(unit, period) for unit in indices.with_population(units, numbers)]
