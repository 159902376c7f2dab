"""The upload limit is shown before uploading and is the same for every file of a form."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pendopo.applications.forms import application_form_class
from pendopo.applications.tests.conftest import files, form_data, pdf_bytes, upload

pytestmark = pytest.mark.django_db


def test_the_limit_is_shown_before_uploading(client, world, service, settings):
    settings.PENDOPO_UPLOAD_MAX_KB = 2048
    client.force_login(world.citizen)
    page = client.get(reverse("applications:apply", args=["banyuwangi", service.code]), headers={"accept-language": "en"})
    assert '<p class="muted" id="upload-limit">At most 2 MB per file.</p>' in page.content.decode()


def test_every_file_of_the_form_has_the_same_limit(service, settings):
    settings.PENDOPO_UPLOAD_MAX_KB = 1
    big = upload("rt.pdf", pdf_bytes() + b"%" * 2048)
    form = application_form_class(service.published_standard)(form_data(), files(**{"doc-2": big}))
    assert not form.is_valid()
    assert "paling besar 1 KB" in " ".join(form.errors["doc-2"])  # in the default language, Bahasa Indonesia
