"""The printable standard: an A4 PDF in the layout agencies publish (a numbered table of the components)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, NoReturn

from django.template.loader import render_to_string

from pendopo.catalog import versions
from pendopo.catalog.models import DELIVERY_COMPONENTS, MANAGEMENT_COMPONENTS

if TYPE_CHECKING:
    from django.http import HttpRequest

    from pendopo.catalog.models import Service, ServiceStandard


def _no_fetch(url: str, *args: Any, **kwargs: Any) -> NoReturn:
    # The document is self-contained; WeasyPrint must never reach out to the network or disk.
    raise ValueError(f"refusing to fetch {url}")


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
    from weasyprint import HTML

    html = render_standard_html(request, service, standard)
    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()
