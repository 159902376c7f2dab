"""The API documentation works offline: Swagger UI comes from django-ninja's bundled static files."""

from __future__ import annotations

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_swagger_ui_renders_from_local_assets(page, world, external_requests):
    page.goto("/api/v1/docs")
    page.wait_for_selector(".opblock-summary-path")  # rendered from /api/v1/openapi.json
    paths = page.locator(".opblock-summary-path").all_inner_texts()
    assert "/api/v1/regions" in paths
    assert external_requests == []  # the page fixture also fails the test on any other host
