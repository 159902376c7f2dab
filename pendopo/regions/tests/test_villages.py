"""Every form that offers villages offers those of the region's own regency, and only those; a
complaint filed by any path (the page, the API, Open311) with another regency's village is refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pendopo.catalog.application_form import build_application_form
from pendopo.catalog.tests.factories import make_service
from pendopo.complaints.forms import FilingForm
from pendopo.complaints.models import Complaint, ComplaintCategory
from pendopo.complaints.tests.conftest import file
from pendopo.regions.models import District, Village
from pendopo.setup.forms import ServicePointForm


def _villages(world) -> tuple[Village, Village]:
    """A village of region A's regency and one of region B's."""
    own = District.objects.create(code=world.region_a.regency_id + ".01", regency=world.region_a.regency, name="Pesanggaran")
    other = District.objects.create(code=world.region_b.regency_id + ".01", regency=world.region_b.regency, name="Tobadak")
    return (
        Village.objects.create(code=own.code + ".2001", district=own, name="Sarongan", kind="desa"),
        Village.objects.create(code=other.code + ".2001", district=other, name="Mahahe", kind="desa"),
    )


def test_the_forms_offer_the_villages_of_the_region_s_regency_only(world):
    own, other = _villages(world)
    assert list(Village.objects.of_regency(world.region_a.regency_id)) == [own]

    category = ComplaintCategory.objects.create(region=world.region_a, code="JALAN", name="Jalan rusak", agency=world.agency_a1)
    complaint = FilingForm(region=world.region_a, category=category)
    assert [code for code, _ in complaint.fields["village"].choices] == ["", own.code]

    point = ServicePointForm(region=world.region_a)
    assert list(point.fields["village"].queryset) == [own]

    service = make_service(
        world.admin_a,
        world.agency_a1,
        publish=False,
        standard={"form": {"fields": [{"key": "village", "type": "village", "label_id": "Desa", "label_en": "Village"}]}},
    )
    application = build_application_form(service.standards.get())
    assert [code for code, _ in application().fields["village"].choices][1:] == [own.code]
    assert application({"village": own.code}).is_valid()
    assert not application({"village": other.code}).is_valid()


def test_a_complaint_is_filed_with_a_village_of_the_region_only(world):
    own, other = _villages(world)
    category = ComplaintCategory.objects.create(region=world.region_a, code="JALAN", name="Jalan rusak", agency=world.agency_a1)
    with pytest.raises(ValidationError) as refused:
        file(world.region_a, category, village_code=other.code)
    assert [e.code for e in refused.value.error_dict["village"]] == ["unknown_village"]
    assert not Complaint.objects.exists()
    assert file(world.region_a, category, village_code=own.code).complaint.village == own
