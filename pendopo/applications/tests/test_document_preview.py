"""Documents open in an inline preview on the application page (PDF and images), for those who may see them."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_the_officer_previews_a_pdf_inline(client, world, apply):
    application = apply()
    document = application.documents.get()
    client.force_login(world.officer_a1)
    url = reverse("applications:document", args=[application.code, document.key])

    page = client.get(application.get_absolute_url()).content.decode()
    preview = client.get(url + "?lihat=1")
    download = client.get(url)

    assert f'<iframe src="{url}?lihat=1"' in page
    assert preview["Content-Disposition"].startswith("inline") and preview["Content-Type"] == "application/pdf"
    assert preview["X-Frame-Options"] == "SAMEORIGIN"
    assert download["Content-Disposition"].startswith("attachment")


def test_no_preview_for_another_regions_officer(client, world, apply):
    application = apply()
    document = application.documents.get()
    client.force_login(world.officer_b1)
    url = reverse("applications:document", args=[application.code, document.key])
    assert client.get(url + "?lihat=1").status_code == 404
