"""The officer's form builder shows exactly the saved fields; a blank row for a new field appears only when asked for.

The page is submitted as a browser would submit it: every input as rendered, untouched unless the test says so.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

from pendopo.catalog.tests.factories import draft_of, make_service, standard_data

pytestmark = pytest.mark.django_db

DRAFT = "/r/banyuwangi/layanan/kelola/KTP-EL/draf/"


class _FormData(HTMLParser):
    """What a browser sends for the page's standard form (without any submit button)."""

    def __init__(self) -> None:
        super().__init__()
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._options: list[tuple[str, bool]] = []
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if tag == "form" and "standard-form" in (a.get("class") or ""):
            self.inside = True
        if not self.inside or (not a.get("name") and tag != "option"):
            return
        if tag == "input" and a.get("type") not in ("submit", "button"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(a["name"] or "", []).append(a.get("value") or ("on" if a.get("type") == "checkbox" else ""))
        elif tag == "select":
            self._select, self._options = a["name"], []
        elif tag == "option" and self._select:
            self._options.append((a.get("value") or "", "selected" in a))
        elif tag == "textarea":
            self._textarea, self._text = a["name"], ""

    def handle_data(self, data: str) -> None:
        if self._textarea:
            self._text += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.inside = False
        elif tag == "select" and self._select:
            chosen = [value for value, selected in self._options if selected] or [self._options[0][0]]
            self.data.setdefault(self._select, []).append(chosen[0])
            self._select = None
        elif tag == "textarea" and self._textarea:
            # A browser drops the one newline that follows <textarea>.
            self.data.setdefault(self._textarea, []).append(self._text.removeprefix("\n"))
            self._textarea = None


def browser_data(html: str) -> dict[str, list[str]]:
    parser = _FormData()
    parser.feed(html)
    return parser.data


def field_rows(html: str) -> list[str]:
    """The legend of each row of the form builder, in order."""
    return re.findall(r'<fieldset class="formset-row form-field-row[^"]*"[^>]*>\s*<legend>([^<]*)</legend>', html)


def saved_keys(service) -> list[str]:
    return [field["key"] for field in draft_of(service).form["fields"]]


@pytest.fixture
def service(world):
    return make_service(world.officer_a1, world.agency_a1, publish=False)


def test_after_each_save_the_page_shows_exactly_the_saved_fields(client, world, service):
    client.force_login(world.officer_a1)
    saved = draft_of(service).form
    for _ in range(3):
        html = client.get(DRAFT).content.decode()
        assert field_rows(html) == ["Field 1", "Field 2", "Field 3"]
        data = browser_data(html)
        assert data["field-TOTAL_FORMS"] == ["3"]
        response = client.post(DRAFT, data | {"save": ""})
        assert response.status_code == 302 and response["Location"] == DRAFT
        assert draft_of(service).form == saved


def test_save_and_add_a_field_gives_one_blank_row_that_is_not_saved_if_left_empty(client, world, service):
    client.force_login(world.officer_a1)
    html = client.get(DRAFT).content.decode()
    # "Save draft" comes first in the form, so Enter in any input still just saves.
    assert html.index('name="save"') < html.index('name="add_field"')
    response = client.post(DRAFT, browser_data(html) | {"add_field": ""})
    assert response.status_code == 302 and response["Location"] == f"{DRAFT}?add_field=1#new-field"

    html = client.get(f"{DRAFT}?add_field=1").content.decode()
    assert field_rows(html) == ["Field 1", "Field 2", "Field 3", "New field"]
    assert 'id="new-field"' in html and "Left empty, it is not saved." in html
    assert 'name="field-3-DELETE"' not in html  # nothing to remove yet: an empty row is simply not saved
    # Left empty (its "Required" box still ticked, as rendered), the row is not saved and does not come back.
    data = browser_data(html)
    assert data["field-3-key"] == [""] and data["field-3-required"] == ["on"]
    response = client.post(f"{DRAFT}?add_field=1", data | {"save": ""})
    assert response.status_code == 302 and response["Location"] == DRAFT
    assert saved_keys(service) == ["nik", "phone", "reason"]
    assert field_rows(client.get(DRAFT).content.decode()) == ["Field 1", "Field 2", "Field 3"]

    # Filled in, it is saved as the fourth field and shown as one.
    client.post(DRAFT, browser_data(html) | {"add_field": ""})
    data = browser_data(client.get(f"{DRAFT}?add_field=1").content.decode())
    data |= {"field-3-key": ["birth_date"], "field-3-type": ["date"], "field-3-label_id": ["Tanggal lahir"]}
    data |= {"field-3-label_en": ["Date of birth"]}
    response = client.post(f"{DRAFT}?add_field=1", data | {"save": ""})
    assert response.status_code == 302 and response["Location"] == DRAFT
    assert saved_keys(service) == ["nik", "phone", "reason", "birth_date"]
    assert field_rows(client.get(DRAFT).content.decode()) == ["Field 1", "Field 2", "Field 3", "Field 4"]


def test_a_form_without_fields_shows_no_rows_until_one_is_asked_for(client, world):
    service = make_service(world.officer_a1, world.agency_a1, publish=False, standard=standard_data(form={"fields": []}))
    client.force_login(world.officer_a1)
    html = client.get(DRAFT).content.decode()
    assert field_rows(html) == []
    assert "No fields yet." in html
    response = client.post(DRAFT, browser_data(html) | {"add_field": ""})
    assert response["Location"] == f"{DRAFT}?add_field=1#new-field"
    html = client.get(f"{DRAFT}?add_field=1").content.decode()
    assert field_rows(html) == ["New field"]
    assert "No fields yet." not in html
    response = client.post(DRAFT, browser_data(html) | {"save": ""})
    assert response.status_code == 302 and draft_of(service).form == {"fields": []}


def test_a_removed_field_is_gone_from_the_draft_and_the_page(client, world, service):
    client.force_login(world.officer_a1)
    data = browser_data(client.get(DRAFT).content.decode()) | {"field-1-DELETE": ["on"], "save": ""}
    assert client.post(DRAFT, data).status_code == 302
    assert saved_keys(service) == ["nik", "reason"]
    assert field_rows(client.get(DRAFT).content.decode()) == ["Field 1", "Field 2"]
