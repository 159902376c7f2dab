"""The printable standard: an A4 PDF in the layout agencies publish (a numbered table of the components).

It is the annex of the agency head's decree, so it is always in Bahasa Indonesia whatever the
reader's language, carries the region's emblem when one is uploaded, the signatory's name and NIP,
and a QR code to the online version (the service's public page).

WeasyPrint takes a good part of a second and tens of megabytes per document, so a published
version is rendered once (per language and per change of what the page prints about its agency
and region) and kept as a file in the default storage (`MEDIA_ROOT/catalog/standards/`); every
later request is served from that file. Drafts (for the staff) are rendered each time.

Finding that file takes two queries (the region, the service with its agency and standard), which
cost ten times serving it: the PDF is what a front desk prints and what the QR code on every
service page and receipt opens, so which file answers a public address (`/r/<region>/layanan/<code>/
standar.pdf`, with or without `?version=`) is kept in Django's cache for `FILE_TTL_SECONDS`
(`remember_file`, `known_file`). Only what an anonymous visitor may see is kept, so the answer holds
for everyone. Saving a service, a standard, an agency or a region, by any path, clears what is
kept for its services at once and again on commit (`forget_files`, through `post_save` as the
region calendars are); what no save announces (a service's old code after a change of code, a row
changed by `QuerySet.update`) shows within `FILE_TTL_SECONDS`. The answer for the standard in force
is kept for one day of the region's calendar only, so a version taking effect at midnight is served
from midnight.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from pendopo.catalog import versions
from pendopo.catalog.models import DELIVERY_COMPONENTS, MANAGEMENT_COMPONENTS
from pendopo.lib import dates
from pendopo.lib.pdf import html_to_pdf, picture_data_url
from pendopo.lib.qr import qr_svg

FILE_TTL_SECONDS = 60
MAX_KEY_LENGTH = 250  # what Django's cache framework accepts from every backend without a warning

# The language of the document: a decree's annex is in the state language (UU 24/2009 art. 33).
LANGUAGE = "id"

if TYPE_CHECKING:
    from django.db.models import QuerySet
    from django.http import HttpRequest

    from pendopo.catalog.models import Service, ServiceStandard


def standard_sections(standard: ServiceStandard) -> list[tuple[str, list[tuple[str, str, list[str]]]]]:
    texts = {key: (label, lines) for key, label, lines in versions.component_texts(standard)}
    delivery = [(key, *texts[key]) for key, _label, _fields in DELIVERY_COMPONENTS]
    management = [(key, *texts[key]) for key, _label, _fields in MANAGEMENT_COMPONENTS]
    return [("A", delivery), ("B", management)]


def online_url(service: Service) -> str:
    """The service's public page, where the standard in force is read online (the QR code's target)."""
    path = reverse("catalog:service", args=[service.region.slug, service.code])
    return settings.PENDOPO_BASE_URL.rstrip("/") + path


def _emblem(service: Service) -> str:
    logo = service.region.logo
    if not logo:
        return ""
    try:
        with logo.open("rb") as stream:
            return picture_data_url(stream.read())
    except OSError:  # the file is gone from the storage: the document is printed without it
        return ""


def render_standard_html(request: HttpRequest | None, service: Service, standard: ServiceStandard) -> str:
    url = online_url(service)
    with translation.override(LANGUAGE):
        context = {
            "region": service.region,
            "service": service,
            "agency": service.agency,
            "standard": standard,
            "sections": standard_sections(standard),
            "emblem": _emblem(service),
            "online_url": url,
            # segno writes the markup itself, of our own address: nothing typed by anyone reaches it.
            "qr": mark_safe(qr_svg(url, scale=2, title="QR")),
        }
        return render_to_string("catalog/standard_pdf.html", context, request=request)


def render_standard_pdf(request: HttpRequest | None, service: Service, standard: ServiceStandard) -> bytes:
    html = render_standard_html(request, service, standard)
    return html_to_pdf(html)


def _file_name(service: Service, standard: ServiceStandard) -> str:
    """The stored file of a published version: it changes with everything the document prints besides the standard."""
    agency, region = service.agency, service.region
    printed = (
        standard.pk,
        standard.version,
        str(standard.published_at),
        LANGUAGE,
        settings.PENDOPO_BASE_URL,
        service.code,
        service.name,
        region.name,
        region.regency.name,
        region.letterhead,
        region.logo.name if region.logo else "",
        *(getattr(agency, field, "") for field in ("name", "head_name", "head_title", "head_nip", "phone", "email", "address")),
    )
    digest = hashlib.sha256(repr(printed).encode()).hexdigest()[:20]
    return f"catalog/standards/{region.pk}/{standard.pk}-v{standard.version}-{digest}.pdf"


def standard_pdf_file(request: HttpRequest | None, service: Service, standard: ServiceStandard) -> tuple[Any, bool]:
    """(an open file or bytes of the PDF, whether it came from the stored file); renders and stores it once."""
    if standard.published_at is None:
        return render_standard_pdf(request, service, standard), False
    name = _file_name(service, standard)
    if default_storage.exists(name):
        return default_storage.open(name, "rb"), True
    content = render_standard_pdf(request, service, standard)
    if not default_storage.exists(name):  # two first requests at once: the second keeps the first's file
        default_storage.save(name, ContentFile(content))
    return content, False


@dataclass(frozen=True)
class KnownFile:
    """Which stored file answers a public address of a standard's PDF, and on which day of which calendar."""

    name: str  # in the default storage
    download_name: str
    time_zone: str
    day: str  # ISO date in `time_zone`


def _address_key(region_slug: str, code: str, version: str) -> str:
    return f"catalog:standard-pdf:{region_slug}:{code}:{version or 'in-force'}"


def known_file(region_slug: str, code: str, version: str) -> KnownFile | None:
    """The file remembered for this address, if it is still today's answer in the region's calendar."""
    key = _address_key(region_slug, code, version)
    if len(key) > MAX_KEY_LENGTH:  # no such address is ever remembered (slugs, codes and versions are short)
        return None
    found = cache.get(key)
    if found is None or dates.today(found.time_zone).isoformat() != found.day:
        return None
    return found


def remember_file(service: Service, standard: ServiceStandard, version: str, download_name: str) -> None:
    """Keep which file answers the address (call it only with what an anonymous visitor may see)."""
    region = service.region
    day = dates.today(region.time_zone).isoformat()
    known = KnownFile(_file_name(service, standard), download_name, str(region.time_zone), day)
    cache.set(_address_key(region.slug, service.code, version), known, FILE_TTL_SECONDS)


def forget_files(services: QuerySet[Service]) -> None:
    """Drop what is remembered for every address of these services' PDFs, now and once the transaction commits."""
    rows = services.annotate(last=Max("standards__version")).values_list("region__slug", "code", "last")
    keys = [_address_key(slug, code, str(number or "")) for slug, code, last in rows for number in range((last or 0) + 1)]
    if keys:
        cache.delete_many(keys)
        transaction.on_commit(lambda: cache.delete_many(keys))


def _changed(sender: type, instance: Any, **kwargs: Any) -> None:
    from pendopo.catalog.models import Service

    name = sender.__name__
    if name == "ServiceStandard":
        services = Service.objects.filter(pk=instance.service_id)
    else:
        services = Service.objects.filter(**{{"Service": "pk", "Agency": "agency_id", "Region": "region_id"}[name]: instance.pk})
    forget_files(services)


def connect_signals() -> None:
    """Whatever the PDF prints, saved by any path (the catalogue's actions, the setup pages, the admin), clears it."""
    from django.db.models.signals import post_save

    from pendopo.catalog.models import Service, ServiceStandard
    from pendopo.regions.models import Agency, Region

    for model in (Service, ServiceStandard, Agency, Region):
        post_save.connect(_changed, sender=model, dispatch_uid=f"catalog.pdf.{model.__name__}.saved")
