"""The officer's requirements list shows exactly the saved requirements; a blank row for a new one appears only when asked for.

The page is submitted as a browser would submit it: every input as rendered, untouched unless the test says so.
"""

from __future__ import annotations

import re

import pytest

from pendopo.catalog.tests.factories import draft_of, make_service, standard_data
from pendopo.catalog.tests.test_form_builder import browser_data, field_rows

pytestmark = pytest.mark.django_db

DRAFT = "/r/banyuwangi/layanan/kelola/KTP-EL/draf/"
SAVED = [
    {"text": "Fotokopi Kartu Keluarga", "required": True, "is_document_upload": True},
    {"text": "Surat pengantar RT/RW", "required": False, "is_document_upload": True},
]


def requirement_rows(html: str) -> list[str]:
    """Each row of the requirements list, in order: the text of a saved one, or "New requirement" for the blank row."""
    rows = []
    for row in re.findall(r'<(?:li|fieldset) class="formset-row requirement-row[^"]*".*?</(?:li|fieldset)>', html, re.S):
        if row.startswith("<fieldset"):
            found = re.search(r"<legend>([^<]*)</legend>", row)
        else:
            found = re.search(r'name="req-\d+-text"[^>]*value="([^"]*)"', row)
        assert found is not None, row
        rows.append(found.group(1))
    return rows


@pytest.fixture
def service(world):
    return make_service(world.officer_a1, world.agency_a1, publish=False)


def test_after_each_save_the_page_shows_exactly_the_saved_requirements(client, world, service):
    client.force_login(world.officer_a1)
    assert draft_of(service).requirements == SAVED
    for _ in range(3):
        html = client.get(DRAFT).content.decode()
        assert requirement_rows(html) == ["Fotokopi Kartu Keluarga", "Surat pengantar RT/RW"]
        assert "New requirement" not in html and 'name="req-2-text"' not in html
        data = browser_data(html)
        assert data["req-TOTAL_FORMS"] == ["2"]
        response = client.post(DRAFT, data | {"save": ""})
        assert response.status_code == 302 and response["Location"] == DRAFT
        assert draft_of(service).requirements == SAVED


def test_save_and_add_a_requirement_gives_one_blank_row_that_is_not_saved_if_left_empty(client, world, service):
    client.force_login(world.officer_a1)
    html = client.get(DRAFT).content.decode()
    # "Save draft" comes first in the form, so Enter in any input still just saves.
    assert html.index('name="save"') < html.index('name="add_requirement"') < html.index('name="add_field"')
    response = client.post(DRAFT, browser_data(html) | {"add_requirement": ""})
    assert response.status_code == 302 and response["Location"] == f"{DRAFT}?add_requirement=1#new-requirement"
    assert draft_of(service).requirements == SAVED

    html = client.get(f"{DRAFT}?add_requirement=1").content.decode()
    assert requirement_rows(html) == ["Fotokopi Kartu Keluarga", "Surat pengantar RT/RW", "New requirement"]
    assert field_rows(html) == ["Field 1", "Field 2", "Field 3"]  # the form builder gets no blank row
    new_row = re.search(r'<fieldset[^>]*id="new-requirement".*?</fieldset>', html, re.S).group(0)
    assert 'aria-describedby="new-requirement-help"' in new_row and "Left empty, it is not saved." in new_row
    assert re.search(r'<input[^>]*name="req-2-text"[^>]*autofocus', new_row)
    assert 'name="req-2-DELETE"' not in html  # nothing to remove yet: an empty row is simply not saved
    # Left empty (its "Required" box still ticked, as rendered), the row is not saved and does not come back.
    data = browser_data(html)
    assert data["req-TOTAL_FORMS"] == ["3"]
    assert data["req-2-text"] == [""] and data["req-2-required"] == ["on"]
    response = client.post(f"{DRAFT}?add_requirement=1", data | {"save": ""})
    assert response.status_code == 302 and response["Location"] == DRAFT
    assert draft_of(service).requirements == SAVED
    assert requirement_rows(client.get(DRAFT).content.decode()) == ["Fotokopi Kartu Keluarga", "Surat pengantar RT/RW"]


def test_a_new_requirement_filled_in_is_saved_and_shown_as_a_saved_one(client, world, service):
    client.force_login(world.officer_a1)
    client.post(DRAFT, browser_data(client.get(DRAFT).content.decode()) | {"add_requirement": ""})
    data = browser_data(client.get(f"{DRAFT}?add_requirement=1").content.decode())
    data |= {"req-2-text": ["Pas foto 3x4"], "req-2-is_document_upload": ["on"]}
    response = client.post(f"{DRAFT}?add_requirement=1", data | {"save": ""})
    assert response.status_code == 302 and response["Location"] == DRAFT
    assert draft_of(service).requirements == [*SAVED, {"text": "Pas foto 3x4", "required": True, "is_document_upload": True}]
    html = client.get(DRAFT).content.decode()
    assert requirement_rows(html) == ["Fotokopi Kartu Keluarga", "Surat pengantar RT/RW", "Pas foto 3x4"]
    assert 'name="req-2-DELETE"' in html  # now a saved requirement, it can be removed


def test_a_removed_requirement_is_gone_from_the_draft_and_the_page(client, world, service):
    client.force_login(world.officer_a1)
    data = browser_data(client.get(DRAFT).content.decode()) | {"req-0-DELETE": ["on"], "save": ""}
    assert client.post(DRAFT, data).status_code == 302
    assert draft_of(service).requirements == SAVED[1:]
    assert requirement_rows(client.get(DRAFT).content.decode()) == ["Surat pengantar RT/RW"]


def test_a_standard_without_requirements_shows_none_until_one_is_asked_for(client, world):
    service = make_service(world.officer_a1, world.agency_a1, publish=False, standard=standard_data(requirements=[]))
    client.force_login(world.officer_a1)
    html = client.get(DRAFT).content.decode()
    assert requirement_rows(html) == []
    assert "No requirements yet." in html
    response = client.post(DRAFT, browser_data(html) | {"add_requirement": ""})
    assert response["Location"] == f"{DRAFT}?add_requirement=1#new-requirement"
    html = client.get(f"{DRAFT}?add_requirement=1").content.decode()
    assert requirement_rows(html) == ["New requirement"]
    assert "No requirements yet." not in html
    response = client.post(DRAFT, browser_data(html) | {"save": ""})
    assert response.status_code == 302 and draft_of(service).requirements == []


def test_publishing_still_needs_at_least_one_requirement(client, world):
    service = make_service(world.officer_a1, world.agency_a1, publish=False, standard=standard_data(requirements=[]))
    client.force_login(world.head_a1)
    response = client.post(f"{DRAFT}terbitkan/", {"effective_from": ""}, follow=True)
    assert "List at least one requirement before publishing." in response.content.decode()
    assert draft_of(service).status == "draft" and not service.standards.filter(status="published").exists()
    assert requirement_rows(response.content.decode()) == []  # the draft page it returns to still shows no blank row
