"""The printable receipt (tanda terima): an A5 PDF with the tracking code and a QR code to the tracking page.

Rendered by WeasyPrint from `applications/receipt_pdf.html`; the QR code (segno) is inline SVG,
so the document fetches nothing. The receipt shows the applicant's name and the NIK masked —
never in full, since receipts are printed and handed around.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from pendopo.applications import links, selectors
from pendopo.applications.hooks import local_text
from pendopo.catalog.versions import fee_text, time_limit_text
from pendopo.lib.pdf import html_to_pdf
from pendopo.lib.qr import qr_svg

if TYPE_CHECKING:
    from django.http import HttpRequest

    from pendopo.applications.models import Application


def receipt_context(application: Application, request: HttpRequest | None = None) -> dict[str, Any]:
    case = application.case
    url = links.tracking_url(case.code, request)
    # The survey is answered after the service; the receipt carries its code so that nobody has to type it.
    survey = links.survey_url(application, request)
    agency = case.agency
    region = application.region
    contact = [part for part in (agency.phone, agency.email) if part] if agency else []
    if not contact:
        contact = [part for part in (region.contact_phone, region.contact_email) if part]
    return {
        "application": application,
        "case": case,
        "region": application.region,
        "service": application.service,
        "standard": application.standard,
        "agency": case.agency,
        "tracking_url": url,
        "survey_url": survey,
        # segno escapes the URL it embeds; the SVG is our own markup.
        "qr": mark_safe(qr_svg(url)),
        "survey_qr": mark_safe(qr_svg(survey)) if survey else "",
        "contact": " · ".join(contact),
        **selectors.pickup_details(application),
        "received": local_text(application.region, case.received_at),
        "expected": local_text(application.region, case.expected_completion),
        "time_limit": time_limit_text(application.standard),
        "fee": fee_text(application.standard),
        "documents": list(application.documents.filter(event_seq=1).order_by("slot", "pk")),
    }


def render_receipt_html(application: Application, request: HttpRequest | None = None) -> str:
    return render_to_string("applications/receipt_pdf.html", receipt_context(application, request), request=request)


def render_receipt_pdf(application: Application, request: HttpRequest | None = None) -> bytes:
    return html_to_pdf(render_receipt_html(application, request))
