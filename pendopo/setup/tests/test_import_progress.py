"""A long setup file shows its progress while it is imported, then the same report as a short one.

The page is streamed (`lib/progress.py`, shared with the survey import): the top at once, a
progress bar every `PROGRESS_EVERY` rows with rows done / total, then the report. The import
stays one transaction: all or nothing saves nothing when a row is bad, valid rows only keeps
the good ones, and a browser that goes away mid-way leaves nothing saved.
"""

from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.signals import request_finished
from django.db import close_old_connections

from pendopo.accounts.models import Invitation
from pendopo.regions.models import Agency, ServicePoint
from pendopo.setup import importing, views_import

pytestmark = pytest.mark.django_db

ROWS = 300


def agencies_csv(rows: int = ROWS, bad: dict[int, str] | None = None) -> bytes:
    """`rows` agencies; `bad` replaces the line of a spreadsheet row number (header = row 1)."""
    lines = ["kode,nama,nama_singkat,email"]
    lines += [f"OPD{n:04d},Dinas Nomor {n},D{n},opd{n}@example.go.id" for n in range(1, rows + 1)]
    for number, line in (bad or {}).items():
        lines[number - 1] = line
    return ("\n".join(lines) + "\n").encode()


def post(client, kind: str, data: bytes, mode: str = "all", name: str = "data.csv"):
    return client.post(f"/r/mamuju-tengah/atur/impor/{kind}/", {"file": SimpleUploadedFile(name, data), "mode": mode})


def streamed(response) -> list[str]:
    assert response.status_code == 200 and response.streaming
    assert response["X-Accel-Buffering"] == "no" and response["Cache-Control"] == "no-store"
    return [chunk.decode() for chunk in response.streaming_content]


def progress_of(chunks: list[str]) -> list[tuple[int, int]]:
    """(rows done, total) of each progress element, in the order they came."""
    steps = [chunk for chunk in chunks if 'class="progress-step"' in chunk]
    found = [re.search(r'max="(\d+)" value="(\d+)"', step) for step in steps]
    assert all(found), steps
    return [(int(m.group(2)), int(m.group(1))) for m in found if m]


def report_of(page: str) -> str:
    return page.split('id="import-report"', 1)[1].split("</section>", 1)[0]


BAD = {
    5: "OPD0001,Dinas Kembar,DK,kembar@example.go.id",  # the code of row 2 again
    120: "OPD0119,Dinas 119,D119,bukan-email",
}


def test_a_long_file_streams_its_progress_then_the_outcome(client, world):
    client.force_login(world.admin_b)
    chunks = streamed(post(client, "opd", agencies_csv()))
    # The top of the page at once (no progress yet), then every 50 rows of the 300, then the end.
    assert "Impor: Perangkat daerah" in chunks[0] and 'class="progress-step"' not in chunks[0]
    assert progress_of(chunks) == [
        (0, ROWS),
        (50, ROWS),
        (100, ROWS),
        (150, ROWS),
        (200, ROWS),
        (250, ROWS),
        (300, ROWS),
        (300, ROWS),
    ]
    assert "Baris diperiksa: 150 / 300" in "".join(chunks)
    page = "".join(chunks)
    assert page.index("300 / 300") < page.index("300 baris diimpor.") < page.rindex("</html>")
    assert Agency.objects.filter(region=world.region_b, code__startswith="OPD").count() == ROWS


def test_bad_rows_in_all_or_nothing_save_nothing_and_are_reported_per_row(client, world):
    client.force_login(world.admin_b)
    data = agencies_csv(bad=BAD)
    chunks = streamed(post(client, "opd", data))
    assert progress_of(chunks)[-1] == (ROWS, ROWS)
    report = report_of("".join(chunks))
    assert "Tidak ada yang diimpor: 2 baris bermasalah." in report
    assert "Baris 5, kolom kode: Daerah ini sudah memiliki data dengan nilai ini." in report
    assert "Baris 120, kolom email: Masukkan alamat email yang benar." in report
    assert not Agency.objects.filter(region=world.region_b, code__startswith="OPD").exists()
    # The same per-row messages as the import itself reports (a short file's page lists these).
    expected = importing.run_import(world.admin_b, world.region_b, importing.SHEETS["opd"], data, "data.csv", "all")
    assert [f"<li>{problem}</li>" for problem in expected.problems] == re.findall(r"<li>.*?</li>", report)


def test_valid_rows_only_keeps_the_valid_rows_of_a_long_file(client, world):
    client.force_login(world.admin_b)
    chunks = streamed(post(client, "opd", agencies_csv(bad=BAD), mode="valid"))
    report = report_of("".join(chunks))
    assert "298 dari 300 baris diimpor; baris di bawah ini tidak diimpor." in report
    assert "Baris 5, kolom kode:" in report and "Baris 120, kolom email:" in report
    codes = set(Agency.objects.filter(region=world.region_b, code__startswith="OPD").values_list("code", flat=True))
    assert len(codes) == 298 and "OPD0004" not in codes and "OPD0119" not in codes


def test_long_files_of_service_points_and_staff_stream_too(client, world):
    client.force_login(world.admin_b)
    points = "kode,nama,jenis,mpp_induk,opd\nMPP,Mal Pelayanan Publik,mpp,,\n"
    points += "".join(f"L{n:03d},Loket {n},loket,MPP,DISDUKCAPIL\n" for n in range(1, 150))
    chunks = streamed(post(client, "tempat-layanan", points.encode()))
    assert progress_of(chunks)[1:4] == [(50, 150), (100, 150), (150, 150)]
    assert "150 baris diimpor." in report_of("".join(chunks))
    assert ServicePoint.objects.filter(region=world.region_b, parent__code="MPP").count() == 149
    staff = "nama,email,peran,opd\n" + "".join(f"Petugas {n},petugas{n}@example.go.id,petugas,DISDUKCAPIL\n" for n in range(120))
    chunks = streamed(post(client, "staf", staff.encode(), name="staf.csv"))
    assert (100, 120) in progress_of(chunks)
    assert "120 baris diimpor." in report_of("".join(chunks))
    assert Invitation.objects.filter(region=world.region_b).count() == 120


def test_a_long_xlsx_streams_with_its_total(client, world):
    import io

    import openpyxl

    book = openpyxl.Workbook()
    book.active.append(["kode", "nama", "nama_singkat"])
    for n in range(1, 121):
        book.active.append([f"X{n}", f"Dinas {n}", f"X{n}"])
    out = io.BytesIO()
    book.save(out)
    client.force_login(world.admin_b)
    chunks = streamed(post(client, "opd", out.getvalue(), name="opd.xlsx"))
    assert progress_of(chunks)[:3] == [(0, 120), (50, 120), (100, 120)]
    assert Agency.objects.filter(region=world.region_b, code__startswith="X").count() == 120


def test_a_short_file_still_answers_at_once(client, world):
    client.force_login(world.admin_b)
    response = post(client, "opd", agencies_csv(views_import.STREAM_ABOVE, bad={5: "OPD0001,Dinas Kembar,DK,"}))
    assert not response.streaming and response.status_code == 400
    assert "Baris 5, kolom kode:" in response.content.decode()


def test_another_regions_admin_gets_no_stream(client, world):
    client.force_login(world.admin_a)
    response = post(client, "opd", agencies_csv())
    assert response.status_code == 404 and not response.streaming
    assert not Agency.objects.filter(code__startswith="OPD").exists()


def test_a_browser_that_goes_away_mid_import_saves_nothing(rf, world):
    request = rf.post(
        "/r/mamuju-tengah/atur/impor/opd/",
        {"file": SimpleUploadedFile("data.csv", agencies_csv()), "mode": "valid"},
    )
    request.user = world.admin_b
    response = views_import.import_sheet(request, world.region_b.slug, "opd")
    stream = iter(response.streaming_content)
    seen = ""
    while "Baris diperiksa: 100 / 300" not in seen:
        seen += next(stream).decode()
    assert Agency.objects.filter(code__startswith="OPD").count() == 100  # inside the open transaction
    # The connection dropped: the server closes the response (keeping the test's connection open).
    request_finished.disconnect(close_old_connections)
    try:
        response.close()
    finally:
        request_finished.connect(close_old_connections)
    assert not Agency.objects.filter(code__startswith="OPD").exists()


def test_a_failure_mid_import_is_said_on_the_page_and_nothing_is_saved(client, world, monkeypatch):
    client.force_login(world.admin_b)
    real = importing._import_row
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 200:
            raise RuntimeError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(importing, "_import_row", failing)
    page = "".join(streamed(post(client, "opd", agencies_csv(), mode="valid")))
    assert "Terjadi kesalahan saat mengimpor. Tidak ada yang diimpor." in report_of(page)
    assert page.rstrip().endswith("</html>")
    assert not Agency.objects.filter(code__startswith="OPD").exists()


def send(client, kind: str, data: bytes, token: str, mode: str = "all"):
    fields = {"file": SimpleUploadedFile("data.csv", data), "mode": mode, "idempotency_token": token}
    return client.post(f"/r/mamuju-tengah/atur/impor/{kind}/", fields)


def test_a_form_sent_twice_imports_its_file_once(client, world):
    """A double click on a long file while its first import still runs, and a resend after it: refused."""
    client.force_login(world.admin_b)
    page = client.get("/r/mamuju-tengah/atur/impor/staf/").content.decode()
    token = re.search(r'name="idempotency_token" value="([^"]+)"', page).group(1)
    assert "data-once" in page
    staff = "nama,email,peran,opd\n" + "".join(f"Petugas {n},petugas{n}@example.go.id,petugas,DISDUKCAPIL\n" for n in range(120))
    first = send(client, "staf", staff.encode(), token)
    running = iter(first.streaming_content)
    next(running)  # the first import has started
    second = send(client, "staf", staff.encode(), token)
    assert second.status_code == 409 and not second.streaming
    assert "Formulir ini sudah dikirim" in second.content.decode()
    assert "120 baris diimpor." in b"".join(running).decode()
    assert send(client, "staf", staff.encode(), token).status_code == 409
    assert Invitation.objects.filter(region=world.region_b).count() == 120  # once, not twice


def test_a_form_whose_import_saved_nothing_may_be_sent_again(client, world):
    client.force_login(world.admin_b)
    token = "t" * 32
    bad = send(client, "opd", agencies_csv(bad=BAD), token)
    assert "Tidak ada yang diimpor" in "".join(streamed(bad))
    short = send(client, "opd", agencies_csv(20, bad={5: "OPD0001,Dinas Kembar,DK,"}), token)
    assert short.status_code == 400  # nothing saved either: the same form is still good
    fresh = re.search(r'name="idempotency_token" value="([^"]+)"', short.content.decode()).group(1)
    assert fresh != token  # the form shown again is a new one
    assert "300 baris diimpor." in "".join(streamed(send(client, "opd", agencies_csv(), token)))
    assert Agency.objects.filter(region=world.region_b, code__startswith="OPD").count() == ROWS
    assert send(client, "opd", agencies_csv(), token).status_code == 409
