"""The demo catalogue asks for each document once: its requirements are the list of uploads (issue #11 item 8)."""

from __future__ import annotations

import pytest

from pendopo.applications.forms import application_form_class
from pendopo.catalog.demo import load_demo_catalog
from pendopo.catalog.models import Service

pytestmark = pytest.mark.django_db


def test_every_demo_form_uploads_each_requirement_once(world):
    load_demo_catalog()
    services = list(Service.objects.filter(published_standard__isnull=False).select_related("published_standard"))
    assert len(services) > 20
    for service in services:
        standard = service.published_standard
        form = application_form_class(standard)()
        uploads = [name for name, field in form.fields.items() if getattr(field.widget, "input_type", "") == "file"]
        documents = [item for item in standard.requirements if item.get("is_document_upload")]
        assert len(uploads) == len(documents), service.code
        assert [str(form.fields[name].label) for name in uploads] == [item["text"] for item in documents], service.code
