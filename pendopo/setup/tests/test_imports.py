"""Spreadsheet imports of the region setup: templates, bad rows reported per row and cell, nothing half-saved."""

from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

from pendopo.accounts.models import Invitation
from pendopo.regions.models import Agency, CalendarOverride, OfficeHours, ServicePoint
from pendopo.setup import importing

pytestmark = pytest.mark.django_db


def _csv(text: str, name: str = "data.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode(), content_type="text/csv")


def _xlsx(rows: list[list]) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return SimpleUploadedFile("data.xlsx", out.getvalue())


def _post(client, kind: str, upload, mode: str = "all"):
    return client.post(f"/r/mamuju-tengah/atur/impor/{kind}/", {"file": upload, "mode": mode})


@pytest.mark.parametrize("kind", sorted(importing.SHEETS))
@pytest.mark.parametrize("fmt", ["xlsx", "csv"])
def test_each_template_downloads_and_imports_back(client, world, kind, fmt):
    """The template's own example rows import cleanly (the agencies and mall they name exist)."""
    client.force_login(world.admin_b)
    response = client.get(f"/r/mamuju-tengah/atur/impor/{kind}/templat.{fmt}")
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="templat-{kind}.{fmt}"'
    if kind == "staf":  # its example names an agency the region has (DISDUKCAPIL)
        assert world.agency_b1.code == "DISDUKCAPIL"
    if kind == "opd":
        Agency.objects.filter(pk=world.agency_b1.pk).update(code="DISDUKCAPIL-LAMA")
    upload = SimpleUploadedFile(f"templat.{fmt}", response.content)
    imported = _post(client, kind, upload)
    assert imported.status_code == 302, imported.content.decode()[-3000:]


def test_permissions_of_the_import_pages(client, world):
    for persona in ("officer_b1", "admin_a"):
        client.force_login(getattr(world, persona))
        assert client.get("/r/mamuju-tengah/atur/impor/").status_code == 404
        assert client.get("/r/mamuju-tengah/atur/impor/opd/templat.xlsx").status_code == 404
        assert _post(client, "opd", _csv("kode,nama,nama_singkat\nX,X,X\n")).status_code == 404
    assert not Agency.objects.filter(code="X").exists()
    client.force_login(world.admin_b)
    assert client.get("/r/mamuju-tengah/atur/impor/").status_code == 200
    assert client.get("/r/mamuju-tengah/atur/impor/tidak-ada/").status_code == 404


def test_agencies_from_xlsx(client, world):
    client.force_login(world.admin_b)
    rows = [["Kode", "Nama", "Nama singkat", "Telepon"]]
    rows += [[f"OPD{n:02d}", f"Dinas Nomor {n}", f"D{n}", "0426-21001"] for n in range(40)]
    response = _post(client, "opd", _xlsx(rows))
    assert response.status_code == 302
    assert Agency.objects.filter(region=world.region_b, code__startswith="OPD").count() == 40


def test_the_heads_nip_is_imported_as_its_digits_and_a_bad_one_named(client, world):
    client.force_login(world.admin_b)
    text = "kode,nama,nama_singkat,kepala,nip_kepala\nBKD,Badan Kepegawaian,BKD,Aras,19700101 199003 1 001\nX,Dinas X,DX,B,123\n"
    response = _post(client, "opd", _csv(text))
    assert response.status_code == 400 and "Baris 3, kolom nip_kepala: NIP terdiri dari 18 angka." in response.content.decode()
    assert not Agency.objects.filter(region=world.region_b, code="BKD").exists()
    assert _post(client, "opd", _csv(text), mode="valid").status_code in (200, 302)
    assert Agency.objects.get(region=world.region_b, code="BKD").head_nip == "197001011990031001"


def test_a_wrong_header_is_refused_before_any_row(client, world):
    client.force_login(world.admin_b)
    response = _post(client, "opd", _csv("kode,nama,singkatan_salah\nX,Dinas X,DX\n"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Baris 1, kolom singkatan_salah: Kolom tidak dikenal." in page
    assert "Baris 1, kolom nama_singkat: Kolom ini tidak ada" in page
    assert not Agency.objects.filter(code="X").exists()


BAD_POINTS = (
    "kode,nama,jenis,mpp_induk,opd,lintang,bujur\n"
    "MPP,Mal Pelayanan Publik,mpp,,,-2.06,119.35\n"
    "L1,Loket 1,loket,MPP,DISDUKCAPIL,,\n"
    "L1,Loket 1 lagi,loket,MPP,DISDUKCAPIL,,\n"
    "L2,Loket 2,loket,MPP,DINSOS,,\n"
    "L3,Loket 3,menara,,,,\n"
    "L4,Loket 4,loket,,,-2.06,\n"
)


def test_bad_service_point_rows_all_or_nothing(client, world):
    client.force_login(world.admin_b)
    response = _post(client, "tempat-layanan", _csv(BAD_POINTS))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Tidak ada yang diimpor: 4 baris bermasalah." in page
    assert "Baris 4, kolom kode: Daerah ini sudah memiliki data dengan nilai ini." in page  # duplicate in the file
    assert "Baris 5, kolom opd: Tidak ada perangkat daerah di daerah ini dengan kode “DINSOS”." in page
    assert "Baris 6, kolom jenis: “menara” bukan salah satu kata yang diterima." in page
    assert "Baris 7, kolom bujur: Isi lintang dan bujur sekaligus, atau kosongkan keduanya." in page
    assert not ServicePoint.objects.filter(region=world.region_b).exists()


def test_bad_rows_left_out_with_valid_rows_only(client, world):
    client.force_login(world.admin_b)
    response = _post(client, "tempat-layanan", _csv(BAD_POINTS), mode="valid")
    assert response.status_code == 200
    assert "2 dari 6 baris diimpor" in response.content.decode()
    codes = set(ServicePoint.objects.filter(region=world.region_b).values_list("code", flat=True))
    assert codes == {"MPP", "L1"}
    counter = ServicePoint.objects.get(region=world.region_b, code="L1")
    assert counter.parent.code == "MPP" and counter.agency == world.agency_b1


def test_office_hours_with_bad_times(client, world):
    client.force_login(world.admin_b)
    ServicePoint.objects.create(region=world.region_b, code="MPP", name="MPP", kind="mall")
    text = (
        "tempat_layanan;hari;buka;tutup;istirahat_mulai;istirahat_selesai\n"
        ";Senin;07:30;16:00;12:00;13:00\n"
        "MPP;Jumat;07:30;25:00;;\n"
        "MPP;Sabtu;08:00;12:00;13:00;14:00\n"
        "MPP;Hari Libur;08:00;12:00;;\n"
    )
    response = _post(client, "jam-layanan", _csv(text))
    page = response.content.decode()
    assert "Baris 3, kolom tutup: Masukkan waktu yang valid." in page
    assert "Baris 4, kolom istirahat_mulai: Istirahat harus berada di dalam jam kerja." in page
    assert "Baris 5, kolom hari:" in page
    assert not OfficeHours.objects.filter(region=world.region_b).exists()
    good = (
        "tempat_layanan,hari,buka,tutup,istirahat_mulai,istirahat_selesai\nMPP,Jumat,07:30,15:00,11:00,13:00\n,1,07:30,16:00,,\n"
    )
    assert _post(client, "jam-layanan", _csv(good)).status_code == 302
    friday = OfficeHours.objects.get(region=world.region_b, service_point__code="MPP", weekday=4)
    assert (friday.break_starts, friday.break_ends) == (dt.time(11), dt.time(13))
    assert OfficeHours.objects.get(region=world.region_b, service_point=None).weekday == 0


def test_staff_are_invited_and_bad_addresses_reported(client, world):
    client.force_login(world.admin_b)
    text = (
        "nama,email,telepon,peran,opd,jabatan\n"
        "Andi,andi@example.go.id,,petugas,DISDUKCAPIL,Petugas loket\n"
        "Budi,bukan-email,,petugas,DISDUKCAPIL,\n"
        "Citra,,12345,kepala,DISDUKCAPIL,\n"
        "Dewi,dewi@example.go.id,,raja,DISDUKCAPIL,\n"
        "Eka,eka@example.go.id,,petugas,,\n"
    )
    response = _post(client, "staf", _csv(text))
    page = response.content.decode()
    assert response.status_code == 400
    assert "Baris 3, kolom email:" in page
    assert "Baris 4, kolom telepon:" in page
    assert "12345" not in page.split('id="import-report"')[1].split("</section>")[0]  # the number is not echoed
    assert "Baris 5, kolom peran:" in page
    assert "Baris 6, kolom opd: Petugas atau kepala perangkat daerah terikat pada perangkat daerah atau tempat layanan." in page
    assert not Invitation.objects.filter(region=world.region_b).exists()
    response = _post(client, "staf", _csv(text), mode="valid")
    assert list(Invitation.objects.filter(region=world.region_b).values_list("full_name", flat=True)) == ["Andi"]


@time_machine.travel(dt.datetime(2026, 12, 1, 3, tzinfo=dt.UTC), tick=False)
def test_days_off_and_formulas(client, world):
    client.force_login(world.admin_b)
    rows = [["tanggal", "jenis", "keterangan"], [dt.date(2026, 12, 18), "libur", "Hari Jadi"], ["2026-12-19", "libur", "=1+1"]]
    response = _post(client, "hari-libur", _xlsx(rows))
    assert "Baris 3, kolom keterangan: Rumus tidak diimpor" in response.content.decode()
    assert not CalendarOverride.objects.exists()
    response = _post(client, "hari-libur", _xlsx(rows[:2]))
    assert response.status_code == 302
    assert CalendarOverride.objects.get(region=world.region_b).date == dt.date(2026, 12, 18)
    # A year typed wrong is reported on its row, and nothing of the sheet is saved.
    response = _post(client, "hari-libur", _xlsx([rows[0], ["2026-12-24", "libur", "Cuti"], ["1900-12-25", "libur", "Natal"]]))
    assert "Baris 3, kolom tanggal: Isi tanggal dari 2021 sampai 2028" in response.content.decode()
    assert CalendarOverride.objects.filter(region=world.region_b).count() == 1


def test_a_file_that_is_no_spreadsheet(client, world):
    client.force_login(world.admin_b)
    response = _post(client, "opd", SimpleUploadedFile("data.xlsx", b"PK\x03\x04 not a zip"))
    assert response.status_code == 400
    assert "Ini bukan berkas XLSX yang dapat dibaca." in response.content.decode()
    response = _post(client, "opd", SimpleUploadedFile("data.pdf", b"%PDF-1.4"))
    assert response.status_code == 400
