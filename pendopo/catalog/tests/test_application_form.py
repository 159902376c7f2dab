"""The application form built from a standard's definition: types, validation, NIK and phone numbers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from pendopo.catalog.application_form import build_application_form, build_form_class, form_data_to_json
from pendopo.catalog.tests.factories import make_service
from pendopo.catalog.validators import validate_nik, validate_phone
from pendopo.regions.models import District, Village

pytestmark = pytest.mark.django_db

# Born 12 May 1990 (a man) and 52 → 12 for a woman, registered in district 35.10.01.
NIK_MAN = "3510011205900001"
NIK_WOMAN = "3510015205900002"

DEFINITION = {
    "fields": [
        {"key": "nik", "type": "nik", "label_id": "NIK", "label_en": "NIK", "required": True},
        {"key": "phone", "type": "phone", "label_id": "Nomor HP", "label_en": "Mobile", "required": True},
        {"key": "email", "type": "email", "label_id": "Surel", "label_en": "Email", "required": False},
        {"key": "born", "type": "date", "label_id": "Tanggal lahir", "label_en": "Born", "required": True},
        {
            "key": "area",
            "type": "number",
            "label_id": "Luas",
            "label_en": "Area",
            "required": True,
            "validation": {"min": 1, "max": 100},
        },
        {
            "key": "plate",
            "type": "text",
            "label_id": "Nomor polisi",
            "label_en": "Plate",
            "required": False,
            "validation": {"regex": "^[A-Z]{1,2} \\d{1,4}$", "max_length": 12},
        },
        {
            "key": "reason",
            "type": "choice",
            "label_id": "Alasan",
            "label_en": "Reason",
            "required": True,
            "validation": {"choices": [{"value": "new", "label_id": "Baru", "label_en": "New"}]},
        },
        {
            "key": "scan",
            "type": "file",
            "label_id": "Pindaian",
            "label_en": "Scan",
            "required": False,
            "validation": {"extensions": ["pdf"], "max_size_kb": 1},
        },
    ]
}

GOOD = {
    "nik": NIK_MAN,
    "phone": "+62 812-3456-7890",
    "email": "",
    "born": "1990-05-12",
    "area": "12.5",
    "plate": "P 1234",
    "reason": "new",
}


def form(data, files=None, definition=DEFINITION):
    return build_form_class(definition)(data, files)


def test_valid_input_is_cleaned_and_serialised():
    f = form(GOOD)
    assert f.is_valid(), f.errors
    assert f.cleaned_data["phone"] == "081234567890"
    assert form_data_to_json(f) == {
        "nik": NIK_MAN,
        "phone": "081234567890",
        "email": "",
        "born": "1990-05-12",
        "area": "12.5",
        "plate": "P 1234",
        "reason": "new",
    }


@pytest.mark.parametrize(
    ("key", "value", "words"),
    [
        ("nik", "35100112059000", "16 digits"),
        ("nik", "3510013205900001", "birth date"),  # day 32
        ("nik", "3510011213900001", "birth date"),  # month 13
        ("nik", "3510011205900000", "never 0000"),
        ("phone", "12345", "Indonesian phone number"),
        ("area", "0", "greater than or equal to 1"),
        ("area", "101", "less than or equal to 100"),
        ("plate", "p-1234", "expected format"),
        ("reason", "other", "Select a valid choice"),
        ("born", "kemarin", "valid date"),
    ],
)
def test_invalid_values_get_a_message_on_their_field(key, value, words):
    f = form({**GOOD, key: value})
    assert not f.is_valid()
    assert list(f.errors) == [key]
    assert words in " ".join(f.errors[key])


def test_a_woman_s_nik_adds_40_to_the_day():
    assert validate_nik(NIK_WOMAN) == NIK_WOMAN
    assert validate_nik("3510 0152 0590 0002") == NIK_WOMAN


def test_the_nik_district_must_exist_once_the_areas_are_loaded(world):
    assert validate_nik("9999011205900001") == "9999011205900001"  # no districts loaded: format only
    District.objects.create(code="35.10.01", regency=world.region_a.regency, name="Pesanggaran")
    assert validate_nik(NIK_MAN) == NIK_MAN
    f = form({**GOOD, "nik": "3510021205900001"})
    assert not f.is_valid()
    assert "not a known district" in f.errors["nik"][0]


def test_phone_numbers_in_national_and_international_form():
    assert validate_phone("0812 3456 7890") == "081234567890"
    assert validate_phone("6281234567890") == "081234567890"
    assert validate_phone("(0333) 421234") == "0333421234"


def test_file_type_and_size_are_checked():
    big = SimpleUploadedFile("scan.pdf", b"%PDF" + b"x" * 2000, content_type="application/pdf")
    f = form(GOOD, {"scan": big})
    assert not f.is_valid()
    assert "larger than 1 KB" in f.errors["scan"][0]
    image = SimpleUploadedFile("scan.jpg", b"x", content_type="image/jpeg")
    f = form(GOOD, {"scan": image})
    assert "Allowed file types: pdf." in f.errors["scan"][0]


def test_required_fields_are_required():
    f = form({})
    assert not f.is_valid()
    assert set(f.errors) == {"nik", "phone", "born", "area", "reason"}


def test_a_required_choice_starts_blank_so_the_citizen_must_pick():
    field = form({}).fields["reason"]
    assert field.choices[0] == ("", "—")
    assert 'value="" selected' in str(form({})["reason"])
    f = form({**GOOD, "reason": ""})
    assert not f.is_valid()
    assert list(f.errors) == ["reason"]


def test_labels_follow_the_language():
    with translation.override("en"):
        assert form({}).fields["phone"].label == "Mobile"
    with translation.override("id"):
        assert form({}).fields["phone"].label == "Nomor HP"


def test_village_field_lists_the_region_s_villages_or_takes_a_code(world):
    service = make_service(
        world.admin_a,
        world.agency_a1,
        publish=False,
        standard={"form": {"fields": [{"key": "village", "type": "village", "label_id": "Desa", "label_en": "Village"}]}},
    )
    standard = service.standards.get()
    free_text = build_application_form(standard)({"village": "35.10.01.2001"})
    assert free_text.is_valid(), free_text.errors
    assert not build_application_form(standard)({"village": "Sarongan"}).is_valid()
    district = District.objects.create(code="35.10.01", regency=world.region_a.regency, name="Pesanggaran")
    Village.objects.create(code="35.10.01.2001", district=district, name="Sarongan", kind="desa")
    chooser = build_application_form(standard)({"village": "35.10.01.2001"})
    assert chooser.is_valid()
    assert chooser.fields["village"].choices[1] == ("35.10.01.2001", "Sarongan, Pesanggaran")
    assert not build_application_form(standard)({"village": "76.06.01.2001"}).is_valid()
