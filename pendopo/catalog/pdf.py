"""The printable standard: an A4 PDF in the layout agencies publish (a numbered table of the components).

WeasyPrint takes a good part of a second and tens of megabytes per document, so a published
version is rendered once (per language and per change of what the page prints about its agency
and region) and kept as a file in the default storage (`MEDIA_ROOT/catalog/standards/`); every
later request is served from that file. Drafts (for the staff) are rendered each time.
"""

from __future__ import annotations

import hashlib
from typing import TYPE_CHECKING, Any

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils.translation import get_language

from pendopo.catalog import versions
from pendopo.catalog.models import DELIVERY_COMPONENTS, MANAGEMENT_COMPONENTS
from pendopo.lib.pdf import html_to_pdf

if TYPE_CHECKING:
    from django.http import HttpRequest

    from pendopo.catalog.models import Service, ServiceStandard


def standard_sections(standard: ServiceStandard) -> list[tuple[str, list[tuple[str, str, list[str]]]]]:
    texts = {key: (label, lines) for key, label, lines in versions.component_texts(standard)}
    delivery = [(key, *texts[key]) for key, _label, _fields in DELIVERY_COMPONENTS]
    management = [(key, *texts[key]) for key, _label, _fields in MANAGEMENT_COMPONENTS]
    return [("A", delivery), ("B", management)]


def render_standard_html(request: HttpRequest | None, service: Service, standard: ServiceStandard) -> str:
    context = {
        "region": service.region,
        "service": service,
        "agency": service.agency,
        "standard": standard,
        "sections": standard_sections(standard),
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
        get_language() or "",
        service.code,
        service.name,
        region.name,
        region.regency.name,
        region.letterhead,
        *(getattr(agency, field, "") for field in ("name", "head_name", "head_title", "phone", "email", "address")),
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
