"""A standard and its form definition are validated when saved; bad input names the field and saves nothing."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pendopo.catalog import actions
from pendopo.catalog.forms_schema import form_errors, form_issues, requirement_errors, validate_for_publication
from pendopo.catalog.models import Service, ServiceStandard
from pendopo.catalog.tests.factories import make_service, standard_data

pytestmark = pytest.mark.django_db


def field(**overrides):
    spec = {"key": "name", "type": "text", "label_id": "Nama", "label_en": "Name", "required": True}
    spec.update(overrides)
    return spec


def test_a_complete_form_definition_is_valid():
    assert form_errors(standard_data()["form"]) == []
    assert form_errors({}) == []


@pytest.mark.parametrize(
    ("spec", "attribute", "words"),
    [
        (field(type="colour"), "type", "type must be one of"),
        (field(key="Nama Lengkap"), "key", "the key must start"),
        (field(label_en=""), "label_en", "label_en is required"),
        (field(validation={"regex": "([a-z"}), "regex", "regex is not valid"),
        (field(validation={"min_length": 10, "max_length": 5}), "min_length", "greater than max_length"),
        (field(validation={"min": 1}), "min", "does not apply to a text field"),
        (field(type="choice"), "choices", "needs a list of choices"),
        (field(type="choice", validation={"choices": [{"value": "a", "label_id": "A"}]}), "choices", "choice 1 needs"),
        (field(type="number", validation={"min": 10, "max": 1}), "min", "min is greater than max"),
        (field(type="file", validation={"extensions": ["p d f"]}), "extensions", "extensions must be a list"),
        (field(type="file", validation={"max_size_kb": 0}), "max_size_kb", "max_size_kb must be"),
        (field(required="yes"), "required", "required must be true or false"),
        (field(colour="red"), None, "unknown keys colour"),
    ],
)
def test_an_invalid_field_is_reported_with_its_position_key_and_attribute(spec, attribute, words):
    issues = form_issues({"fields": [field(key="first"), spec]})
    assert len(issues) == 1, issues
    assert issues[0].index == 1
    assert issues[0].attribute == attribute
    assert issues[0].message.startswith("Field 2")
    assert words in issues[0].message


def test_a_key_used_twice_is_refused():
    messages = form_errors({"fields": [field(), field(label_id="Nama lagi")]})
    assert messages == ["Field 2 (name): the key is used twice."]


def test_a_form_that_is_not_a_mapping_of_fields_is_refused():
    assert form_errors(["name"]) == ["The form must be a mapping with one key, fields."]
    assert form_errors({"fields": "name"}) == ["The form's fields must be a list."]


def test_requirements_are_an_ordered_list_of_items():
    assert requirement_errors(standard_data()["requirements"]) == []
    assert requirement_errors("KTP") == ["Requirements must be a list of items."]
    messages = requirement_errors([{"text": "KTP"}, {"text": ""}, {"text": "KK", "required": "ya"}, {"txt": "x"}])
    assert "Requirement 2: the text is required (up to 500 characters)." in messages
    assert "Requirement 3: required must be true or false." in messages
    assert "Requirement 4: unknown keys txt." in messages


@pytest.mark.parametrize(
    ("overrides", "field_name"),
    [
        ({"fee": -5000}, "fee"),
        ({"time_limit_value": 0}, "time_limit_value"),
        ({"fee": 10000, "fee_basis": ""}, "fee_basis"),
        ({"officer_count": 0}, "officer_count"),
        ({"form": {"fields": [field(type="colour")]}}, "form"),
        ({"requirements": [{"text": ""}]}, "requirements"),
        ({"time_limit_unit": "fortnights"}, "time_limit_unit"),
    ],
)
def test_bad_standard_content_is_refused_naming_the_field_and_nothing_is_saved(world, overrides, field_name):
    with pytest.raises(ValidationError) as caught:
        actions.create_service(
            world.admin_a,
            world.region_a,
            agency=world.agency_a1,
            code="KTP-EL",
            name="KTP",
            standard=standard_data(**overrides),
        )
    assert field_name in caught.value.message_dict
    assert not Service.objects.exists()
    assert not ServiceStandard.objects.exists()


def test_a_negative_fee_on_a_draft_update_leaves_the_draft_unchanged(world):
    service = make_service(world.admin_a, world.agency_a1, publish=False)
    draft = service.standards.get()
    with pytest.raises(ValidationError) as caught:
        actions.update_draft(world.officer_a1, draft, {"fee": -1, "procedure": "changed"})
    assert "fee" in caught.value.message_dict
    draft.refresh_from_db()
    assert draft.fee == 0
    assert draft.procedure.startswith("1. Pemohon")


def test_an_unknown_agency_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        actions.create_service(world.admin_a, world.region_a, agency=world.agency_b1, code="X", name="X")
    assert "agency" in caught.value.message_dict
    assert not Service.objects.exists()


def test_a_bad_service_code_or_a_duplicate_is_refused(world):
    with pytest.raises(ValidationError) as caught:
        actions.create_service(world.admin_a, world.region_a, agency=world.agency_a1, code="ktp el!", name="KTP")
    assert "code" in caught.value.message_dict
    make_service(world.admin_a, world.agency_a1, code="KTP-EL", publish=False)
    with pytest.raises(ValidationError) as caught:
        actions.create_service(world.admin_a, world.region_a, agency=world.agency_a1, code="KTP-EL", name="Lain")
    assert caught.value.message_dict["code"] == ["This region already has a service with this code."]


def test_publication_needs_all_fourteen_components_and_the_decree(world):
    service = make_service(world.admin_a, world.agency_a1, publish=False, standard={"procedure": "Datang ke loket"})
    draft = service.standards.get()
    with pytest.raises(ValidationError) as caught:
        validate_for_publication(draft)
    missing = set(caught.value.message_dict)
    assert {
        "requirements",
        "product",
        "complaint_handling",
        "legal_basis",
        "facilities",
        "officer_competence",
        "internal_supervision",
        "officer_count",
        "service_guarantee",
        "security_guarantee",
        "performance_evaluation",
        "decree_number",
        "decree_date",
    } <= missing
    assert "procedure" not in missing
    with pytest.raises(ValidationError):
        actions.publish_standard(world.admin_a, draft)
    draft.refresh_from_db()
    assert draft.status == "draft"
    service.refresh_from_db()
    assert service.published_standard is None


def test_the_database_refuses_a_zero_time_limit_even_past_the_actions(world):
    from django.db import IntegrityError, transaction

    service = make_service(world.admin_a, world.agency_a1, publish=False)
    with pytest.raises(IntegrityError), transaction.atomic():
        ServiceStandard.objects.filter(service=service).update(time_limit_value=0)
