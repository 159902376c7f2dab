"""Public pages of a region's catalogue: search, a service's standard, its history, PDF and exports."""

from __future__ import annotations

from typing import Any

from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.utils.text import slugify
from django.utils.translation import gettext as _

from pendopo.catalog import catalog_file, pdf, selectors, versions
from pendopo.catalog.application_form import build_application_form
from pendopo.catalog.models import Category, Channel, Service, ServiceStandard
from pendopo.lib import dates
from pendopo.lib.htmx import HtmxHttpRequest
from pendopo.lib.replica import replica_reads
from pendopo.regions.models import Agency
from pendopo.regions.permissions import Action, can, region_for, role_in, visible_to

PAGE_SIZE = 20


def _filters(request: HttpRequest) -> selectors.CatalogFilters:
    get = request.GET
    return selectors.CatalogFilters(
        query=get.get("q", "").strip()[:200],
        agency=get.get("agency", "").strip()[:20],
        category=get.get("category", "") if get.get("category") in Category.values else "",
        channel=get.get("channel", "") if get.get("channel") in Channel.values else "",
        fee=get.get("fee", "") if get.get("fee") in ("free", "paid") else "",
    )


@replica_reads
def catalogue(request: HtmxHttpRequest, region_slug: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    filters = _filters(request)
    services = selectors.catalog_services(request.user, region, filters)
    page = Paginator(services, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "region": region,
        "filters": filters,
        "page": page,
        "services": page.object_list,
        "is_staff": role_in(request.user, region) != "citizen",
    }
    if request.htmx:
        return render(request, "catalog/_results.html", context)
    context |= {
        "agencies": visible_to(request.user, Agency.objects.filter(region=region, is_active=True)).order_by("name"),
        "categories": Category.choices,
        "channels": Channel.choices,
    }
    return render(request, "catalog/catalogue.html", context)


def _standard_context(request: HttpRequest, service: Service, standard: ServiceStandard) -> dict[str, object]:
    return {
        "region": service.region,
        "service": service,
        "standard": standard,
        "components": versions.component_texts(standard),
        "time_limit": versions.time_limit_text(standard),
        "fee": versions.fee_text(standard),
        "application_form": build_application_form(standard)() if standard.form.get("fields") else None,
        "can_edit": can(request.user, Action.ACT, service),
    }


def service_detail(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    service = selectors.get_service(request.user, region, code)
    today = dates.today(region.time_zone)
    standard = selectors.standard_in_force(service, today)
    if standard is None:
        # Staff may open a service that was never published; the public never gets here.
        return render(request, "catalog/service_unpublished.html", {"region": region, "service": service})
    context = _standard_context(request, service, standard)
    published = service.published_standard
    context["upcoming"] = published if published and published.pk != standard.pk else None
    return render(request, "catalog/service.html", context)


def _version(request: HttpRequest, service: Service, version: int) -> ServiceStandard:
    try:
        return selectors.visible_standards(request.user, service).get(version=version)
    except ServiceStandard.DoesNotExist:
        raise Http404 from None


def standard_version(request: HttpRequest, region_slug: str, code: str, version: int) -> HttpResponse:
    region = region_for(request.user, region_slug)
    service = selectors.get_service(request.user, region, code)
    standard = _version(request, service, version)
    context = _standard_context(request, service, standard)
    context["is_version_page"] = True
    return render(request, "catalog/service.html", context)


def history(request: HttpRequest, region_slug: str, code: str) -> HttpResponse:
    region = region_for(request.user, region_slug)
    service = selectors.get_service(request.user, region, code)
    standards = list(selectors.visible_standards(request.user, service).select_related("published_by"))
    diff = old = new = None
    by_version = {s.version: s for s in standards}
    try:
        a, b = int(request.GET.get("from", "0")), int(request.GET.get("to", "0"))
    except ValueError:
        a = b = 0
    if a and b:
        old, new = by_version.get(a), by_version.get(b)
        if old is None or new is None:
            raise Http404
        diff = versions.diff_standards(old, new)
    elif len(standards) >= 2:
        old, new = standards[1], standards[0]
        diff = versions.diff_standards(old, new)
    context = {"region": region, "service": service, "standards": standards, "diff": diff, "old": old, "new": new}
    return render(request, "catalog/history.html", context)


def standard_pdf(request: HttpRequest, region_slug: str, code: str) -> HttpResponseBase:
    version = request.GET.get("version", "")
    if not (version.isascii() and version.isdigit()):
        version = ""
    known = pdf.known_file(region_slug, code, version)
    if known is not None:
        try:
            return _pdf_response(default_storage.open(known.name, "rb"), known.download_name)
        except FileNotFoundError:  # removed from the storage since: found and stored again below
            pass
    region = region_for(request.user, region_slug)
    service = selectors.get_service(request.user, region, code)
    if version:
        standard: ServiceStandard | None = _version(request, service, int(version))
    else:
        standard = selectors.standard_in_force(service, dates.today(region.time_zone))
    if standard is None:
        raise Http404
    content, stored = pdf.standard_pdf_file(request, service, standard)
    filename = f"standar-pelayanan-{slugify(region.slug)}-{slugify(service.code)}-v{standard.version}.pdf"
    if standard.published_at is not None and not request.user.is_authenticated:
        pdf.remember_file(service, standard, version, filename)
    return _pdf_response(content, filename, stored=stored)


def _pdf_response(content: Any, filename: str, *, stored: bool = True) -> HttpResponseBase:
    response: HttpResponseBase = (
        FileResponse(content, content_type="application/pdf") if stored else HttpResponse(content, content_type="application/pdf")
    )
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


def export(request: HttpRequest, region_slug: str, fmt: str) -> HttpResponse:
    """The region's published catalogue as one file (what anyone may see; drafts are for the officer pages)."""
    region = region_for(request.user, region_slug)
    services = visible_to(None, Service.objects.filter(region=region))
    document = catalog_file.catalog_document(region, services, include_drafts=False)
    return _file_response(document, fmt, f"katalog-{region.slug}")


def _file_response(document: dict[str, object], fmt: str, stem: str) -> HttpResponse:
    if fmt == "json":
        response = HttpResponse(catalog_file.to_json(document), content_type="application/json; charset=utf-8")
    elif fmt == "yaml":
        response = HttpResponse(catalog_file.to_yaml(document), content_type="application/yaml; charset=utf-8")
    else:
        raise Http404(_("Unknown format."))
    response["Content-Disposition"] = f'attachment; filename="{stem}.{fmt}"'
    return response
