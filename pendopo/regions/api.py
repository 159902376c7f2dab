"""Public, read-only API of regions and agencies."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.urls import reverse
from ninja import Field, Router, Schema
from ninja.pagination import PaginationBase, paginate

from pendopo.regions.models import Agency, Region, ServicePoint
from pendopo.regions.permissions import get_for_user, visible_to

router = Router(tags=["regions"])


class RegionOut(Schema):
    code: str
    slug: str
    name: str
    prefix: str
    province: str
    time_zone: str
    tagline: str

    @staticmethod
    def resolve_code(obj: Region) -> str:
        return obj.regency_id

    @staticmethod
    def resolve_name(obj: Region) -> str:
        return obj.regency.name

    @staticmethod
    def resolve_province(obj: Region) -> str:
        return obj.regency.province.name


class AgencyOut(Schema):
    code: str
    name: str
    short_name: str
    head_name: str
    head_title: str
    address: str
    email: str
    phone: str


class ServicePointOut(Schema):
    code: str
    name: str
    kind: str
    address: str
    parent: str | None
    agency: str | None

    @staticmethod
    def resolve_parent(obj: ServicePoint) -> str | None:
        return obj.parent.code if obj.parent is not None else None

    @staticmethod
    def resolve_agency(obj: ServicePoint) -> str | None:
        return obj.agency.code if obj.agency is not None else None


MAX_PAGE = 1_000_000


class Paged(PaginationBase):
    """`page` (1–1,000,000) and `page_size` (1–500, default 50) in, `items`, `count`, `page` and `page_size` out.

    Out-of-range values are a 422 (the bounds are in the OpenAPI document): a huge `page` once
    overflowed PostgreSQL's OFFSET into a 500.
    """

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE, description="Page number, from 1.")
        page_size: int = Field(50, ge=1, le=500, description="Items per page (1–500).")

    def paginate_queryset(
        self, queryset: QuerySet[Any], pagination: Input, request: HttpRequest, **params: Any
    ) -> dict[str, Any]:
        size = max(1, min(pagination.page_size, 500))
        page = max(1, pagination.page)
        offset = (page - 1) * size
        return {
            "items": queryset[offset : offset + size],
            "count": self._items_count(queryset),
            "page": page,
            "page_size": size,
        }

    class Output(Schema):
        items: list
        count: int
        page: int
        page_size: int


class ApiRootOut(Schema):
    name: str = Field(description="The API's name.")
    version: str = Field(description="The API version (the `v1` of the path).")
    openapi: str = Field(description="Path of the OpenAPI document.")
    docs: str = Field(description="Path of the interactive documentation (served locally, no CDN).")
    regions: str = Field(description="Path of the list of regions, where browsing starts.")


@router.get("/", response=ApiRootOut, summary="The API root: where its document, its docs and its data start")
def api_root(request: HttpRequest) -> dict[str, str]:
    return {
        "name": "Pendopo API",
        "version": "1",
        "openapi": reverse("api:openapi-json"),
        "docs": reverse("api:openapi-view"),
        "regions": reverse("api:list_regions"),
    }


def _regions(request: HttpRequest) -> QuerySet[Region]:
    return visible_to(request.user, Region.objects.select_related("regency__province"))


@router.get("/regions", response=list[RegionOut], summary="Regions on the platform")
@paginate(Paged)
def list_regions(request: HttpRequest) -> QuerySet[Region]:
    return _regions(request)


@router.get("/regions/{code}", response=RegionOut, summary="One region by its Kemendagri code (e.g. 35.10)")
def read_region(request: HttpRequest, code: str) -> Region:
    return get_for_user(request.user, _regions(request), regency_id=code)


@router.get("/regions/{code}/agencies", response=list[AgencyOut], summary="A region's agencies (OPD)")
@paginate(Paged)
def list_agencies(request: HttpRequest, code: str) -> QuerySet[Agency]:
    region = get_for_user(request.user, _regions(request), regency_id=code)
    return visible_to(request.user, Agency.objects.filter(region=region)).order_by("name")


@router.get("/regions/{code}/agencies/{agency_code}", response=AgencyOut, summary="One agency")
def read_agency(request: HttpRequest, code: str, agency_code: str) -> Agency:
    region = get_for_user(request.user, _regions(request), regency_id=code)
    return get_for_user(request.user, Agency.objects.filter(region=region), code=agency_code)


@router.get("/regions/{code}/service-points", response=list[ServicePointOut], summary="A region's service points")
@paginate(Paged)
def list_service_points(request: HttpRequest, code: str) -> QuerySet[ServicePoint]:
    region = get_for_user(request.user, _regions(request), regency_id=code)
    return visible_to(request.user, ServicePoint.objects.filter(region=region).select_related("parent", "agency")).order_by(
        "kind", "code"
    )
