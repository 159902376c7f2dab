"""The import page shows its progress while it checks and saves, and a file is imported once only.

Both steps are streamed: the top of the page first, then one progress element per batch of rows,
then the outcome. The import itself stays one transaction: a browser that goes away mid-way
leaves nothing saved and the upload ready to be confirmed again; a second click on "Import"
while the first runs is refused instead of importing the file twice.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections
from django.urls import reverse

from pendopo.surveys import actions, importing
from pendopo.surveys.models import ImportBatch, SurveyResponse
from pendopo.surveys.tests.sheets import HEADER, csv_bytes, xlsx_bytes

ROWS = 10


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture(autouse=True)
def _small_batches(monkeypatch):
    # Report progress every 3 rows read and save 4 rows per batch, so that 10 rows show several steps.
    monkeypatch.setattr(importing, "PROGRESS_EVERY", 3)
    monkeypatch.setattr(actions, "IMPORT_BATCH_SIZE", 4)


def url(world):
    return reverse("surveys:import", args=[world.region_a.slug])


def check(client, world, data, name="survei.csv"):
    fields = {"service": "KTP-EL", "service_point": "", "survey_date": "2026-02-10", "file": SimpleUploadedFile(name, data)}
    response = client.post(url(world), fields, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert response.streaming
    return [chunk.decode() for chunk in response.streaming_content]


def token_of(chunks):
    return re.search(r'name="token" value="([^"]+)"', "".join(chunks)).group(1)


def confirm(client, world, token, choice="all"):
    return client.post(url(world), {"token": token, "choice": choice}, HTTP_ACCEPT_LANGUAGE="en")


@pytest.mark.parametrize(("build", "name"), [(csv_bytes, "survei.csv"), (xlsx_bytes, "survei.xlsx")])
def test_checking_streams_the_count_of_rows_read(client, world, services, media, build, name):
    client.force_login(world.officer_a1)
    chunks = check(client, world, build([[4] * 9] * ROWS), name)
    steps = [chunk for chunk in chunks if 'class="progress-step"' in chunk]
    # At once (the file not yet open: no total), then every 3 rows and at the end, of the 10 rows it has.
    assert "<progress></progress> Checking the rows: 0" in steps[0]
    assert [re.search(r'value="(\d+)"', step).group(1) for step in steps[1:]] == ["3", "6", "9", "10"]
    assert all('max="10"' in step for step in steps[1:])
    page = "".join(chunks)
    # The page's top comes before the steps, the outcome after them, and the page ends properly.
    assert chunks[0].index("Import paper surveys") < len(chunks[0]) and 'class="progress-step"' not in chunks[0]
    assert page.index("10 / 10") < page.index("10 valid rows and 0 invalid rows") < page.index("</html>")
    assert not SurveyResponse.objects.exists()


def test_importing_streams_the_rows_saved_then_the_outcome(client, world, services, media):
    client.force_login(world.officer_a1)
    response = confirm(client, world, token_of(check(client, world, csv_bytes([[4] * 9] * ROWS))))
    assert response.streaming and response["X-Accel-Buffering"] == "no"
    page = b"".join(response.streaming_content).decode()
    saved = re.findall(r"Saving the responses: (\d+) / 10", page)
    assert saved == ["4", "8", "10"]
    assert page.index("Saving the responses: 10 / 10") < page.index("10 responses imported.")
    assert SurveyResponse.objects.count() == ROWS
    assert ImportBatch.objects.get().imported == ROWS
    assert list(media.joinpath("surveys-imports").iterdir()) == []


def test_only_the_valid_rows_with_progress(client, world, services, media):
    client.force_login(world.head_a1)
    rows = [[4] * 9] * 6 + [[5] * 9] + [[3] * 9] * 2
    response = confirm(client, world, token_of(check(client, world, csv_bytes(rows))), "valid")
    page = b"".join(response.streaming_content).decode()
    assert "8 responses imported." in page and "1 invalid row was left out." in page
    assert SurveyResponse.objects.count() == 8


def test_a_second_click_while_the_first_import_runs_is_refused(client, world, services, media):
    client.force_login(world.officer_a1)
    token = token_of(check(client, world, csv_bytes([[4] * 9] * ROWS)))
    first = confirm(client, world, token)
    running = iter(first.streaming_content)
    next(running)  # the first import has started (its page is on the way)
    second = confirm(client, world, token)
    assert second.status_code == 409
    assert "already been imported" in second.content.decode()
    rest = b"".join(running).decode()
    assert "10 responses imported." in rest
    assert SurveyResponse.objects.count() == ROWS  # once, not twice
    third = confirm(client, world, token)
    assert third.status_code == 409
    assert SurveyResponse.objects.count() == ROWS


def test_a_browser_that_goes_away_mid_import_saves_nothing_and_can_confirm_again(client, rf, world, services, media):
    from pendopo.surveys.views_import import import_page

    client.force_login(world.officer_a1)
    token = token_of(check(client, world, csv_bytes([[4] * 9] * ROWS)))
    # The view itself (not the test client, which closes the response its own way), as a server runs it.
    request = rf.post(url(world), {"token": token, "choice": "all"})
    request.user = world.officer_a1
    response = import_page(request, world.region_a.slug)
    stream = iter(response.streaming_content)
    seen = ""
    while "Saving the responses: 4 / 10" not in seen:
        seen += next(stream).decode()
    assert SurveyResponse.objects.count() == 4  # inside the open transaction
    # The connection dropped: the server closes the response. (Without closing the test's
    # database connection, as Django's test client does around its own requests.)
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert SurveyResponse.objects.count() == 0
    assert not ImportBatch.objects.exists()
    again = confirm(client, world, token)
    assert "10 responses imported." in b"".join(again.streaming_content).decode()
    assert SurveyResponse.objects.count() == ROWS


def test_refusals_known_from_the_check_come_at_once(client, world, services, media):
    client.force_login(world.officer_a1)
    token = token_of(check(client, world, csv_bytes([[4] * 9, [5] * 9])))
    response = confirm(client, world, token, "all")
    assert response.status_code == 400 and not response.streaming
    assert "1 row(s) are not valid; nothing was imported." in response.content.decode()
    assert not SurveyResponse.objects.exists()


def test_the_total_of_a_streamed_xlsx_without_a_stated_size_is_counted():
    import io

    import openpyxl

    book = openpyxl.Workbook(write_only=True)  # writes no <dimension>: max_row is unknown when read back
    sheet = book.create_sheet()
    sheet.append([f"U{n}" for n in range(1, 10)])
    for _ in range(ROWS):
        sheet.append([4] * 9)
    out = io.BytesIO()
    book.save(out)
    parsing = importing.Parsing(out.getvalue(), "big.xlsx")
    counts = list(parsing)
    assert parsing.total == ROWS
    assert counts[0] == 0 and counts[-1] == ROWS
    assert parsing.result.ok and len(parsing.result.rows) == ROWS


def test_every_problem_can_be_downloaded_when_the_page_lists_only_the_first(client, world, services, media):
    """A file with 250 bad rows: the page lists 200; the CSV report has all 250, by row and column."""
    client.force_login(world.officer_a1)
    rows = [[4] * 9] * 5 + [[4] * 8 + [7]] * 250
    page = "".join(check(client, world, csv_bytes(rows)))
    assert "250 problems" in page and "the first 200 are listed" in page
    link = re.search(r'href="(/r/banyuwangi/skm/impor/masalah\.csv\?token=[^"]+)"', page).group(1).replace("&amp;", "&")
    report = client.get(link, HTTP_ACCEPT_LANGUAGE="en")
    assert report.status_code == 200 and report["Content-Type"].startswith("text/csv")
    lines = report.content.decode("utf-8-sig").strip().splitlines()
    assert lines[0] == "Row,Column,Problem"
    assert len(lines) == 1 + 250
    assert lines[1].startswith("7,U9,7 is not a score") and lines[-1].startswith("256,U9,")
    # Only the user who uploaded it may read it.
    client.force_login(world.admin_a)
    assert client.get(link).status_code == 404
    client.force_login(world.officer_b1)
    assert client.get(link).status_code == 404


def test_the_problems_csv_never_hands_excel_a_formula(client, world, services, media):
    """A column name that reads as a formula is quoted back as text, as the raw responses' CSV is."""
    client.force_login(world.officer_a1)
    page = "".join(check(client, world, csv_bytes([[4] * 9], header=[*HEADER, "@SUM(A1)"])))
    report = client.get(reverse("surveys:import_problems", args=[world.region_a.slug]), {"token": token_of(page)})
    assert report.status_code == 200
    columns = [line.split(",")[1] for line in report.content.decode("utf-8-sig").strip().splitlines()[1:]]
    assert columns == ["'@SUM(A1)"]


def test_a_failure_while_saving_is_said_on_the_page_and_nothing_is_saved(client, world, services, media, monkeypatch):
    """The page's status line went out before the import began: an error must still reach the reader."""
    client.force_login(world.officer_a1)
    token = token_of(check(client, world, csv_bytes([[4] * 9] * ROWS)))
    real = SurveyResponse.objects.bulk_create
    calls = []

    def failing(objs, *args, **kwargs):
        calls.append(len(objs))
        if len(calls) == 2:
            raise RuntimeError("disk full")
        return real(objs, *args, **kwargs)

    monkeypatch.setattr(SurveyResponse.objects, "bulk_create", failing)
    response = confirm(client, world, token)
    page = b"".join(response.streaming_content).decode()
    assert "Something went wrong while importing." in page and "Nothing was imported." in page
    assert page.rstrip().endswith("</html>")
    assert SurveyResponse.objects.count() == 0 and not ImportBatch.objects.exists()
    monkeypatch.setattr(SurveyResponse.objects, "bulk_create", real)
    again = confirm(client, world, token)  # the upload was given back
    assert "10 responses imported." in b"".join(again.streaming_content).decode()
