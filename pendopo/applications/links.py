"""Absolute links for messages and receipts (which leave the browser, so a path is not enough).

The site's address comes from the setting PENDOPO_BASE_URL (e.g. https://layanan.banyuwangikab.go.id);
in a request, the request's own address is used instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.apps import apps
from django.urls import NoReverseMatch, reverse

from pendopo.regions.links import absolute

if TYPE_CHECKING:
    from django.http import HttpRequest

    from pendopo.applications.models import Application


def tracking_url(code: str, request: HttpRequest | None = None) -> str:
    return absolute(reverse("applications:track", args=[code]), request)


def survey_path(application: Application) -> str:
    """The path of the satisfaction survey for this application (surveys.links), or '' without the surveys app."""
    if not apps.is_installed("pendopo.surveys"):
        return ""
    try:
        from pendopo.surveys.links import application_survey_url
    except ImportError:
        return ""
    try:
        return application_survey_url(
            application.region, application.case.code, application.service, application.case.service_point
        )
    except NoReverseMatch:
        return ""


def survey_url(application: Application, request: HttpRequest | None = None) -> str:
    path = survey_path(application)
    return absolute(path, request) if path else ""
