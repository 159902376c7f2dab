"""Public, read-only JSON API of complaints (/api/v1/): a region's public complaints and its statistics.

Open311 GeoReport v2 (/open311/v2/) is the API to file complaints; this one serves Pendopo's own
richer reads in the project's JSON conventions (paged lists, ISO 8601 with offset).
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.pagination import paginate

from pendopo.complaints import selectors, stats
from pendopo.complaints.models import Complaint
from pendopo.regions.api import Paged
from pendopo.regions.models import Region
from pendopo.regions.permissions import get_for_user, visible_to

router = Router(tags=["complaints"])


class ComplaintOut(Schema):
    code: str
    category_code: str
    category: str
    classification: str
    status: str
    step: str
    step_label: str
    agency: str | None
    received_at: dt.datetime
    first_response_at: dt.datetime | None
    latitude: float | None
    longitude: float | None

    @staticmethod
    def resolve_category_code(obj: Complaint) -> str:
        return obj.category.code

    @staticmethod
    def resolve_category(obj: Complaint) -> str:
        return obj.category.name

    @staticmethod
    def resolve_status(obj: Complaint) -> str:
        return "closed" if obj.case.is_closed else "open"

    @staticmethod
    def resolve_step(obj: Complaint) -> str:
        return obj.case.state

    @staticmethod
    def resolve_step_label(obj: Complaint) -> str:
        return obj.case.state_label

    @staticmethod
    def resolve_agency(obj: Complaint) -> str | None:
        return obj.case.agency.code if obj.case.agency is not None else None

    @staticmethod
    def resolve_received_at(obj: Complaint) -> dt.datetime:
        return obj.case.received_at.astimezone(ZoneInfo(obj.region.time_zone))

    @staticmethod
    def resolve_first_response_at(obj: Complaint) -> dt.datetime | None:
        moment = obj.first_response_at
        return moment.astimezone(ZoneInfo(obj.region.time_zone)) if moment else None

    @staticmethod
    def resolve_latitude(obj: Complaint) -> float | None:
        return float(obj.latitude) if obj.latitude is not None else None

    @staticmethod
    def resolve_longitude(obj: Complaint) -> float | None:
        return float(obj.longitude) if obj.longitude is not None else None


class AgencyStatsOut(Schema):
    agency: str | None
    agency_name: str | None
    received: int
    answered: int
    answered_on_time: int
    open_unanswered: int
    median_response_working_days: float | None


def _region(request: HttpRequest, code: str) -> Region:
    return get_for_user(request.user, visible_to(request.user, Region.objects.select_related("regency")), regency_id=code)


@router.get("/regions/{code}/complaints", response=list[ComplaintOut], summary="A region's public complaints, newest first")
@paginate(Paged)
def list_complaints(request: HttpRequest, code: str, status: str = "", agency: str = ""):
    region = _region(request, code)
    qs = selectors.public_complaints(region).order_by("-case__received_at", "-pk")
    if status == "open":
        qs = qs.filter(case__closed_at=None)
    elif status == "closed":
        qs = qs.exclude(case__closed_at=None)
    if agency:
        qs = qs.filter(case__agency__code=agency)
    return qs


@router.get("/regions/{code}/complaint-statistics", response=list[AgencyStatsOut], summary="Complaints per agency")
def complaint_statistics(request: HttpRequest, code: str) -> list[dict]:
    region = _region(request, code)
    # Published statistics count every verified complaint of the region (confidential ones too): numbers only.
    rows = stats.agency_stats(region, stats.published())
    return [
        {
            "agency": row.agency.code if row.agency else None,
            "agency_name": row.agency.name if row.agency else None,
            "received": row.received,
            "answered": row.answered,
            "answered_on_time": row.answered_on_time,
            "open_unanswered": row.open_unanswered,
            "median_response_working_days": row.median_response_days,
        }
        for row in rows
    ]
