"""Links to the survey: from a completed application (signed, one response per application), by QR code, at a kiosk.

The applications app puts `application_survey_url(...)` in the final notification and on the
receipt of a completed application. The link carries the application's tracking code and the
service, signed so that nobody can forge a link for an application they did not receive; the
database allows one response per application code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import urlencode

from django.core import signing
from django.urls import reverse

if TYPE_CHECKING:
    from pendopo.catalog.models import Service
    from pendopo.regions.models import Region, ServicePoint

_SALT = "pendopo.surveys.application-link"


@dataclass(frozen=True)
class ApplicationLink:
    application_code: str
    service_code: str
    point_code: str


def application_token(region: Region, application_code: str, service: Service, point: ServicePoint | None = None) -> str:
    payload = {"r": region.prefix, "a": application_code, "s": service.code, "p": point.code if point else ""}
    return signing.dumps(payload, salt=_SALT, compress=True)


def application_survey_url(region: Region, application_code: str, service: Service, point: ServicePoint | None = None) -> str:
    """The path of the survey for one completed application (make it absolute with the site's address)."""
    token = application_token(region, application_code, service, point)
    return reverse("surveys:answer_application", args=[region.slug, token])


def read_application_token(region: Region, token: str) -> ApplicationLink | None:
    """What a link says, or None when it was not made by Pendopo for this region."""
    try:
        payload = signing.loads(token, salt=_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(payload, dict) or payload.get("r") != region.prefix or not payload.get("a"):
        return None
    return ApplicationLink(str(payload["a"]), str(payload.get("s", "")), str(payload.get("p", "")))


def qr_survey_url(region: Region, service: Service | None = None, point: ServicePoint | None = None) -> str:
    query = {}
    if service is not None:
        query["layanan"] = service.code
    if point is not None:
        query["tempat"] = point.code
    path = reverse("surveys:answer", args=[region.slug])
    return f"{path}?{urlencode(query)}" if query else path


def kiosk_url(region: Region, point: ServicePoint) -> str:
    return reverse("surveys:kiosk", args=[region.slug, point.code])
