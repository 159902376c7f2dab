"""The import page: check the file first (nothing saved), then import all, only the valid rows, or nothing."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from pendopo.surveys.models import ImportBatch, SurveyResponse
from pendopo.surveys.tests.sheets import HEADER, csv_bytes, xlsx_bytes


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def html(response) -> str:
    """The page's text, whether it was streamed (the checking and importing pages are) or not."""
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def upload(client, world, data, name="survei.csv", **extra):
    fields = {"service": "KTP-EL", "service_point": "", "survey_date": "2026-02-10"} | extra
    fields["file"] = SimpleUploadedFile(name, data)
    response = client.post(reverse("surveys:import", args=[world.region_a.slug]), fields, HTTP_ACCEPT_LANGUAGE="en")
    response.page = html(response)
    return response


def confirm(client, world, page, choice):
    token = re.search(r'name="token" value="([^"]+)"', page.page).group(1)
    url = reverse("surveys:import", args=[world.region_a.slug])
    response = client.post(url, {"token": token, "choice": choice}, HTTP_ACCEPT_LANGUAGE="en")
    response.page = html(response)
    return response


def test_check_then_import(client, world, services, media):
    client.force_login(world.officer_a1)
    page = upload(client, world, xlsx_bytes([[4] * 9, [3] * 9]), "survei.xlsx")
    assert page.status_code == 200
    assert "2 valid rows and 0 invalid rows" in page.page
    assert not SurveyResponse.objects.exists()  # checking saves nothing
    done = confirm(client, world, page, "all")
    assert "2 responses imported." in done.page
    assert SurveyResponse.objects.count() == 2
    assert list(media.joinpath("surveys-imports").iterdir()) == []  # the upload is gone


def test_per_row_errors_then_only_the_valid_rows(client, world, services, media):
    client.force_login(world.head_a1)
    page = upload(client, world, csv_bytes([[4] * 9, [5, 4, 4, 4, 4, 4, 4, 4, 4], [3] * 8 + [""]]))
    html = page.page
    assert "1 valid rows and 2 invalid rows" in html
    assert '<td class="num">3</td><td>U1</td>' in html and '<td class="num">4</td><td>U9</td>' in html
    assert 'value="all"' not in html  # all-or-nothing: "all" is not offered while rows are invalid
    done = confirm(client, world, page, "valid")
    assert "1 responses imported." in done.page
    assert ImportBatch.objects.get().skipped == 2


def test_import_nothing(client, world, services, media):
    client.force_login(world.officer_a1)
    page = upload(client, world, csv_bytes([[4] * 9, [5] * 9]))
    done = confirm(client, world, page, "cancel")
    assert "Nothing was imported." in done.page
    assert not SurveyResponse.objects.exists()


def test_forcing_all_with_invalid_rows_imports_nothing(client, world, services, media):
    client.force_login(world.officer_a1)
    page = upload(client, world, csv_bytes([[4] * 9, [5] * 9]))
    response = confirm(client, world, page, "all")
    assert response.status_code == 400
    assert not SurveyResponse.objects.exists()


def test_a_bad_file_offers_no_import(client, world, services, media):
    client.force_login(world.officer_a1)
    page = upload(client, world, csv_bytes([[4] * 9], header=[*HEADER[:8], "U10"]))
    html = page.page
    assert "This file cannot be imported" in html and 'value="valid"' not in html
    assert confirm(client, world, page, "valid").status_code == 400
    assert not SurveyResponse.objects.exists()


def test_wrong_file_type_is_refused(client, world, services, media):
    client.force_login(world.officer_a1)
    page = upload(client, world, b"hello", name="survei.pdf")
    assert page.status_code == 400


def test_another_users_token_is_not_found(client, world, services, media):
    client.force_login(world.officer_a1)
    page = upload(client, world, csv_bytes([[4] * 9]))
    client.force_login(world.admin_a)
    assert confirm(client, world, page, "all").status_code == 404
    assert not SurveyResponse.objects.exists()


def test_only_services_of_the_users_agencies(client, world, services, media):
    client.force_login(world.officer_a2)
    page = upload(client, world, csv_bytes([[4] * 9]))  # KTP-EL belongs to agency A1
    assert page.status_code == 400
    assert not SurveyResponse.objects.exists()


@pytest.mark.parametrize("name", ["citizen", "officer_b1", "admin_b", "counter_officer_a"])
def test_no_import_page_for_others(client, world, services, media, name):
    client.force_login(getattr(world, name))
    assert client.get(reverse("surveys:import", args=[world.region_a.slug])).status_code == 404


def test_anonymous_is_sent_to_log_in(client, world, services):
    response = client.get(reverse("surveys:import", args=[world.region_a.slug]))
    assert response.status_code == 302 and "masuk" in response["Location"]


def test_a_survey_date_in_the_future_is_refused_before_the_file_is_read(client, world, services, media):
    client.force_login(world.officer_a1)
    with time_machine.travel(dt.datetime(2026, 2, 10, 3, 0, tzinfo=dt.UTC), tick=False):
        page = upload(client, world, csv_bytes([[4] * 9]), survey_date="2026-02-11")
    assert page.status_code == 400 and not page.streaming
    assert "The survey date cannot be in the future." in page.page
    assert not SurveyResponse.objects.exists()
