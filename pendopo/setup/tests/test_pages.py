"""The setup pages: only the region's administrator (and the platform team); every other persona 404."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from pendopo.complaints.models import ApiClient, ComplaintCategory, ResponseTemplate
from pendopo.regions.models import Agency, CalendarOverride, OfficeHours, Region, ServicePoint
from pendopo.regions.tests.factories import regency

pytestmark = pytest.mark.django_db

PAGES = [
    "",
    "profil/",
    "jam-layanan/",
    "kunci-open311/",
    "opd/",
    "opd/baru/",
    "tempat-layanan/",
    "tempat-layanan/baru/",
    "hari-libur/",
    "hari-libur/baru/",
    "kategori-pengaduan/",
    "kategori-pengaduan/baru/",
    "templat-jawaban/",
    "templat-jawaban/baru/",
]


@pytest.mark.parametrize("page", PAGES)
def test_only_the_regions_administrator_sees_each_page(client, world, page):
    url = f"/r/banyuwangi/atur/{page}"
    assert client.get(url).status_code == 302  # to the login page
    for persona in ("citizen", "officer_a1", "head_a1", "counter_officer_a", "admin_b"):
        client.force_login(getattr(world, persona))
        assert client.get(url).status_code == 404, persona
    client.force_login(world.admin_a)
    assert client.get(url).status_code == 200
    client.force_login(world.platform_admin)
    assert client.get(url).status_code == 200


def test_another_regions_records_are_404_in_every_form(client, world):
    client.force_login(world.admin_a)
    assert client.get(f"/r/banyuwangi/atur/opd/{world.agency_b1.pk}/").status_code == 404
    assert client.get(f"/r/mamuju-tengah/atur/opd/{world.agency_b1.pk}/").status_code == 404
    assert client.post(f"/r/banyuwangi/atur/opd/{world.agency_b1.pk}/hapus/").status_code == 404
    assert Agency.objects.filter(pk=world.agency_b1.pk).exists()
    assert client.get("/r/banyuwangi/atur/tidak-ada/").status_code == 404


def test_the_region_setup_is_in_the_administrators_menu(client, world):
    client.force_login(world.admin_a)
    assert 'href="/r/banyuwangi/atur/"' in client.get("/r/banyuwangi/").content.decode()
    client.force_login(world.officer_a1)
    assert 'href="/r/banyuwangi/atur/"' not in client.get("/r/banyuwangi/").content.decode()


def test_an_agency_is_added_and_a_duplicate_code_refused(client, world):
    client.force_login(world.admin_a)
    data = {"code": "DISHUB", "name": "Dinas Perhubungan", "short_name": "Dishub", "phone": "0333-424001", "is_active": "on"}
    response = client.post("/r/banyuwangi/atur/opd/baru/", data)
    assert response.status_code == 302
    agency = Agency.objects.get(region=world.region_a, code="DISHUB")
    assert agency.phone == "0333-424001"
    again = client.post("/r/banyuwangi/atur/opd/baru/", {**data, "name": "Lain"})
    assert again.status_code == 400
    assert "Daerah ini sudah memiliki data dengan nilai ini." in again.content.decode()
    assert Agency.objects.filter(region=world.region_a, code="DISHUB").count() == 1
    # The same code in another region is fine: codes are unique per region.
    client.force_login(world.admin_b)
    assert client.post("/r/mamuju-tengah/atur/opd/baru/", data).status_code == 302


def test_the_heads_nip_is_taken_as_written_on_the_card_and_kept_as_its_18_digits(client, world):
    client.force_login(world.admin_a)
    data = {"code": "DISHUB", "name": "Dinas Perhubungan", "short_name": "Dishub", "is_active": "on"}
    for bad in ("1970010119900310", "19700101 199003 1 00A", "١٩٧٠٠١٠١١٩٩٠٠٣١٠٠١"):
        response = client.post("/r/banyuwangi/atur/opd/baru/", {**data, "head_nip": bad})
        assert response.status_code == 400 and "NIP terdiri dari 18 angka." in response.content.decode()
    assert not Agency.objects.filter(region=world.region_a, code="DISHUB").exists()
    assert client.post("/r/banyuwangi/atur/opd/baru/", {**data, "head_nip": "19700101 199003 1 001"}).status_code == 302
    assert Agency.objects.get(region=world.region_a, code="DISHUB").head_nip == "197001011990031001"


def test_a_bad_email_or_phone_gets_a_message_per_field(client, world):
    client.force_login(world.admin_a)
    data = {"code": "X", "name": "X", "short_name": "X", "email": "bukan-email", "phone": "telepon saya"}
    response = client.post("/r/banyuwangi/atur/opd/baru/", data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Tulis nomor telepon dengan angka saja" in page
    assert 'id="id_email-errors"' in page
    assert not Agency.objects.filter(code="X").exists()


def test_a_service_point_with_coordinates_and_its_checks(client, world):
    client.force_login(world.admin_a)
    data = {
        "code": "MPP",
        "name": "Mal Pelayanan Publik Banyuwangi",
        "kind": "mall",
        "agency": world.agency_a1.pk,
        "address": "Jl. Ahmad Yani 1",
        "latitude": "-8.219233",
        "longitude": "114.369227",
        "is_active": "on",
    }
    assert client.post("/r/banyuwangi/atur/tempat-layanan/baru/", data).status_code == 302
    point = ServicePoint.objects.get(region=world.region_a, code="MPP")
    assert str(point.latitude) == "-8.219233"
    half = client.post("/r/banyuwangi/atur/tempat-layanan/baru/", {**data, "code": "MPP2", "longitude": ""})
    assert half.status_code == 400
    assert "Isi lintang dan bujur sekaligus, atau kosongkan keduanya." in half.content.decode()
    foreign = client.post("/r/banyuwangi/atur/tempat-layanan/baru/", {**data, "code": "MPP3", "agency": world.agency_b1.pk})
    assert foreign.status_code == 400
    assert not ServicePoint.objects.filter(code__in=["MPP2", "MPP3"]).exists()


def _week(**days: dict) -> dict:
    data = {"day-TOTAL_FORMS": "7", "day-INITIAL_FORMS": "7", "day-MIN_NUM_FORMS": "7", "day-MAX_NUM_FORMS": "7"}
    for day in range(7):
        data[f"day-{day}-weekday"] = str(day)
        values = days.get(str(day), {"is_open": "on", "opens": "07:30", "closes": "15:30"} if day < 5 else {})
        for key, value in values.items():
            data[f"day-{day}-{key}"] = value
    return data


def test_office_hours_with_a_friday_pattern(client, world):
    client.force_login(world.admin_a)
    point = world.counter_a
    friday = {"is_open": "on", "opens": "07:30", "closes": "15:00", "break_starts": "11:00", "break_ends": "13:00"}
    response = client.post(f"/r/banyuwangi/atur/tempat-layanan/{point.pk}/jam/", _week(**{"4": friday}))
    assert response.status_code == 302
    rows = {row.weekday: row for row in OfficeHours.objects.filter(service_point=point)}
    assert sorted(rows) == [0, 1, 2, 3, 4]
    assert (rows[4].break_starts, rows[4].break_ends) == (dt.time(11), dt.time(13))
    point.refresh_from_db()
    assert point.has_own_hours
    # The calendar of the counter follows at once (its cached copy is cleared).
    assert world.region_a.calendar(point).hours[4] == ((dt.time(7, 30), dt.time(11)), (dt.time(13), dt.time(15)))


def test_bad_hours_are_refused_per_field_and_nothing_changes(client, world):
    client.force_login(world.admin_a)
    before = list(OfficeHours.objects.filter(region=world.region_a, service_point=None).values_list("weekday", "closes"))
    bad = _week(
        **{
            "0": {"is_open": "on", "opens": "07:30", "closes": "25:00"},
            "4": {"is_open": "on", "opens": "07:30", "closes": "12:00", "break_starts": "13:00", "break_ends": "14:00"},
        }
    )
    response = client.post("/r/banyuwangi/atur/jam-layanan/", bad)
    assert response.status_code == 400
    page = response.content.decode()
    assert '<th scope="col">Buka</th><th scope="col">Tutup</th><th scope="col">Istirahat mulai</th>' in page
    assert "Istirahat harus berada di dalam jam kerja." in page
    assert "Masukkan waktu yang valid." in page  # Django's own message for 25:00
    after = list(OfficeHours.objects.filter(region=world.region_a, service_point=None).values_list("weekday", "closes"))
    assert after == before


@time_machine.travel(dt.datetime(2026, 12, 1, 3, tzinfo=dt.UTC), tick=False)
def test_a_regional_day_off(client, world):
    client.force_login(world.admin_a)
    data = {"date": "2026-12-18", "kind": "holiday", "name": "Hari Jadi Banyuwangi"}
    assert client.post("/r/banyuwangi/atur/hari-libur/baru/", data).status_code == 302
    assert CalendarOverride.objects.get(region=world.region_a).name == "Hari Jadi Banyuwangi"
    assert dt.date(2026, 12, 18) not in world.region_a.calendar().working_days
    assert client.post("/r/banyuwangi/atur/hari-libur/baru/", data).status_code == 400
    # The list says the day as the calendar on the wall does, weekday first.
    assert "Jumat, 18 Desember 2026" in client.get("/r/banyuwangi/atur/hari-libur/").content.decode()


@time_machine.travel(dt.datetime(2026, 12, 1, 3, tzinfo=dt.UTC), tick=False)
def test_a_calendar_change_far_from_this_year_is_a_typing_error(client, world):
    """1900, or 2062 typed for 2026: refused with the years that are accepted, in the form and in an import."""
    client.force_login(world.admin_a)
    for day in ("1900-08-17", "2020-12-31", "2029-01-01", "2062-12-18"):
        response = client.post("/r/banyuwangi/atur/hari-libur/baru/", {"date": day, "kind": "holiday", "name": "Salah ketik"})
        assert response.status_code == 400
        assert "Isi tanggal dari 2021 sampai 2028" in response.content.decode()
    assert not CalendarOverride.objects.filter(region=world.region_a).exists()
    for day in ("2021-01-04", "2028-12-29"):
        response = client.post("/r/banyuwangi/atur/hari-libur/baru/", {"date": day, "kind": "holiday", "name": "Cuti"})
        assert response.status_code == 302
    assert CalendarOverride.objects.filter(region=world.region_a).count() == 2


def test_complaint_category_and_response_template(client, world):
    client.force_login(world.admin_a)
    category = {
        "code": "JALAN-RUSAK",
        "name": "Jalan rusak",
        "agency": world.agency_a2.pk,
        "verification_days": "3",
        "follow_up_days": "5",
        "tier": "supervision",
        "confirmation_days": "10",
        "open311_type": "realtime",
        "is_active": "on",
    }
    assert client.post("/r/banyuwangi/atur/kategori-pengaduan/baru/", category).status_code == 302
    created = ComplaintCategory.objects.get(region=world.region_a, code="JALAN-RUSAK")
    foreign = client.post(
        "/r/banyuwangi/atur/kategori-pengaduan/baru/", {**category, "code": "LAIN", "agency": world.agency_b1.pk}
    )
    assert foreign.status_code == 400
    template = {"category": created.pk, "title": "Terima kasih", "body": "Laporan Anda kami teruskan."}
    assert client.post("/r/banyuwangi/atur/templat-jawaban/baru/", template).status_code == 302
    assert ResponseTemplate.objects.get(region=world.region_a).category == created


def test_an_open311_key_is_shown_once_and_revoked(client, world):
    client.force_login(world.admin_a)
    response = client.post("/r/banyuwangi/atur/kunci-open311/", {"name": "Jembatan LAPOR!"})
    page = response.content.decode()
    client_row = ApiClient.objects.get(region=world.region_a, name="Jembatan LAPOR!")
    assert f"p311-{client_row.key_prefix}-" in page
    assert 'id="new-key"' not in client.get("/r/banyuwangi/atur/kunci-open311/").content.decode()
    client.force_login(world.admin_b)
    assert client.post(f"/r/mamuju-tengah/atur/kunci-open311/{client_row.pk}/cabut/").status_code == 404
    client.force_login(world.admin_a)
    assert client.post(f"/r/banyuwangi/atur/kunci-open311/{client_row.pk}/cabut/").status_code == 302
    client_row.refresh_from_db()
    assert client_row.revoked_at is not None


def test_pages_show_times_in_the_regions_zone(client, world):
    """A key issued at 01:30 UTC reads 09:30 in Mamuju Tengah (WITA), whatever the server's zone."""
    with time_machine.travel(dt.datetime(2026, 12, 3, 1, 30, tzinfo=dt.UTC), tick=False):
        client.force_login(world.admin_b)
        client.post("/r/mamuju-tengah/atur/kunci-open311/", {"name": "Aplikasi warga"})
        page = client.get("/r/mamuju-tengah/atur/kunci-open311/").content.decode()
    assert "3 Desember 2026 09:30" in page


def test_the_profile_is_saved_with_a_letterhead(client, world):
    client.force_login(world.admin_b)
    data = {
        "tagline": "Maju bersama",
        "address": "Jl. Poros Tobadak",
        "contact_email": "diskominfo@mamujutengahkab.go.id",
        "contact_phone": "(0426) 21001",
        "time_zone": "Asia/Makassar",
        "letterhead": "PEMERINTAH KABUPATEN MAMUJU TENGAH\nJl. Poros Tobadak",
    }
    assert client.post("/r/mamuju-tengah/atur/profil/", data).status_code == 302
    world.region_b.refresh_from_db()
    assert world.region_b.letterhead.startswith("PEMERINTAH")
    assert world.region_b.contact_phone == "(0426) 21001"


def test_a_logo_that_is_no_image_is_refused(client, world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(world.admin_b)
    fake = SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", content_type="image/png")
    response = client.post("/r/mamuju-tengah/atur/profil/", {"time_zone": "Asia/Makassar", "logo": fake})
    assert response.status_code == 400
    assert "Berkas ini bukan gambar PNG, JPEG, atau WebP." in response.content.decode()


def test_the_platform_team_adds_a_region_by_name(client, world):
    regency("35.09", "Kabupaten Jember", "Jawa Timur")
    client.force_login(world.admin_a)
    assert client.get("/wilayah-baru/?q=Jember").status_code == 404
    client.force_login(world.platform_admin)
    page = client.get("/wilayah-baru/?q=jember").content.decode()
    assert "Kabupaten Jember" in page and "35.09" in page
    form = client.get("/wilayah-baru/?q=jember&kode=35.09").content.decode()
    assert 'value="jember"' in form and 'value="JMB"' in form
    response = client.post(
        "/wilayah-baru/?q=jember&kode=35.09",
        {"regency": "35.09", "slug": "jember", "prefix": "jmb", "time_zone": "Asia/Jakarta"},
    )
    assert response.status_code == 302
    region = Region.objects.get(regency_id="35.09")
    assert (region.slug, region.prefix, region.is_active) == ("jember", "JMB", False)
    assert response["Location"] == "/r/jember/atur/"
    # Already switched on: no longer offered; a taken prefix is refused.
    assert "35.09" not in client.get("/wilayah-baru/?q=jember").content.decode()
    regency("35.08", "Kabupaten Lumajang", "Jawa Timur")
    taken = client.post("/wilayah-baru/?kode=35.08", {"regency": "35.08", "slug": "lumajang", "prefix": "JMB"})
    assert taken.status_code == 400


def test_the_letterhead_heads_the_service_standard_pdf(world):
    from pendopo.catalog.pdf import _file_name, render_standard_html
    from pendopo.catalog.tests.factories import make_service

    service = make_service(world.admin_b, world.agency_b1)
    standard = service.published_standard
    before = _file_name(service, standard)
    html = render_standard_html(None, service, standard)
    assert "PEMERINTAH KABUPATEN MAMUJU TENGAH" not in html
    Region.objects.filter(pk=world.region_b.pk).update(letterhead="PEMERINTAH KABUPATEN MAMUJU TENGAH\nJl. Poros Tobadak")
    service = type(service).objects.select_related("region__regency", "agency").get(pk=service.pk)
    html = render_standard_html(None, service, standard)
    assert '<p class="gov">PEMERINTAH KABUPATEN MAMUJU TENGAH</p>' in html
    assert '<p class="address">Jl. Poros Tobadak</p>' in html
    assert _file_name(service, standard) != before  # the stored PDF is made again


def test_a_list_runs_a_fixed_number_of_queries(client, world, django_assert_max_num_queries):
    from pendopo.regions.tests.factories import AgencyFactory, ServicePointFactory

    client.force_login(world.admin_a)
    client.get("/r/banyuwangi/atur/tempat-layanan/")
    for n in range(15):
        agency = AgencyFactory(region=world.region_a, code=f"X{n}")
        ServicePointFactory(region=world.region_a, code=f"SP{n}", agency=agency)
    with django_assert_max_num_queries(12):
        page = client.get("/r/banyuwangi/atur/tempat-layanan/").content.decode()
    assert page.count("/jam/") == 16
    assert 'href="/r/banyuwangi/atur/impor/tempat-layanan/"' in page


def test_the_pages_speak_english_after_switching(client, world):
    client.force_login(world.admin_b)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    page = client.get("/r/mamuju-tengah/atur/").content.decode()
    assert "Setting up Kabupaten Mamuju Tengah" in page and "Before going live" in page
    assert "Pengaturan Kabupaten" not in page
