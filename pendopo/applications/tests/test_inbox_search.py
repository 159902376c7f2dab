"""The inbox's search: by tracking code, by name, by NIK (its keyed hash, never in a URL or a log);
and each overdue badge beside the deadline it describes."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import reverse

from pendopo.applications import actions
from pendopo.applications.selectors import InboxFilters, inbox
from pendopo.applications.tests.conftest import NIK, form_data, valid_form, wib
from pendopo.regions import personal

pytestmark = pytest.mark.django_db
OTHER_NIK = "3510015203900002"


@pytest.fixture
def two(world, service):
    siti = actions.submit_application(world.citizen, service, valid_form(service).to_input())
    data = form_data(**{"applicant-name": "Budi Santoso", "nik": OTHER_NIK})
    budi = actions.submit_application(world.citizen, service, valid_form(service, data=data).to_input())
    return siti, budi


def _codes(page):
    return [row.code for row in page.rows]


def test_search_by_code_name_and_nik(world, two):
    siti, budi = two
    officer, region = world.officer_a1, world.region_a
    assert _codes(inbox(officer, region, InboxFilters(q=budi.code.lower().replace("-", "")))) == [budi.code]
    assert _codes(inbox(officer, region, InboxFilters(q="santoso"))) == [budi.code]
    assert _codes(inbox(officer, region, InboxFilters(nik=personal.lookup_hash(NIK)))) == [siti.code]


def test_the_search_box_turns_a_nik_into_its_keyed_hash_and_logs_nothing_of_it(client, world, two, caplog):
    siti, _budi = two
    caplog.set_level(logging.DEBUG)
    client.force_login(world.officer_a1)

    response = client.post(
        reverse("applications:inbox_search", args=[world.region_a.slug]), {"q": "3510 0152 0390 0001", "filters": "sort=due"}
    )

    assert response.status_code == 302
    location = response["Location"]
    assert NIK not in location and "3510" not in location
    assert parse_qs(urlsplit(location).query) == {"sort": ["due"], "nik": [personal.lookup_hash(NIK)]}
    page = client.get(location).content.decode()
    assert siti.code in page and _budi.code not in page
    assert all(NIK not in record.getMessage() for record in caplog.records)


def test_the_search_box_keeps_a_name_as_text(client, world, two):
    client.force_login(world.officer_a1)
    response = client.post(reverse("applications:inbox_search", args=[world.region_a.slug]), {"q": "Budi"})
    assert parse_qs(urlsplit(response["Location"]).query) == {"q": ["Budi"]}


def test_another_regions_officer_cannot_search_here(client, world, two):
    client.force_login(world.officer_b1)
    assert client.post(reverse("applications:inbox_search", args=[world.region_a.slug]), {"q": "Budi"}).status_code == 404


def test_the_overdue_badge_stands_by_the_step_deadline_when_only_the_step_is_late(world, two, frozen):
    frozen(wib(2026, 2, 3, 16, 0))  # the step's day (1 working day) is past, the 3-day deadline not yet
    [row, *_rest] = inbox(world.officer_a1, world.region_a, InboxFilters()).rows
    assert row.step_overdue and not row.due_overdue
    frozen(wib(2026, 2, 9, 9, 0))
    [row, *_rest] = inbox(world.officer_a1, world.region_a, InboxFilters()).rows
    assert row.step_overdue and row.due_overdue


def test_the_search_box_carries_the_filters_changed_in_place(client, world, two):
    """A filter changed with htmx swaps only the results; the search must still send it."""
    client.force_login(world.officer_a1)
    url = reverse("applications:inbox", args=[world.region_a.slug])
    partial = client.get(url + "?sort=-received&closed=on", headers={"HX-Request": "true", "HX-Target": "inbox-results"})
    html = partial.content.decode()
    assert 'id="inbox-results"' in html and "<h1>" not in html  # only the results were sent
    [carried] = [line for line in html.splitlines() if 'name="filters"' in line]
    assert 'form="inbox-search"' in carried
    filters = carried.split('value="', 1)[1].split('"', 1)[0].replace("&amp;", "&")

    response = client.post(reverse("applications:inbox_search", args=[world.region_a.slug]), {"q": "Budi", "filters": filters})

    assert parse_qs(urlsplit(response["Location"]).query) == {"sort": ["-received"], "closed": ["on"], "q": ["Budi"]}


def test_a_search_says_when_finished_applications_are_left_out(client, world, two):
    client.force_login(world.officer_a1)
    url = reverse("applications:inbox", args=[world.region_a.slug])
    assert "tidak ikut dicari" not in client.get(url).content.decode()  # no search, no hint
    open_only = client.get(url + "?q=Budi").content.decode()
    assert "Permohonan yang sudah selesai tidak ikut dicari" in open_only
    assert "tidak ikut dicari" not in client.get(url + "?q=Budi&closed=on").content.decode()
