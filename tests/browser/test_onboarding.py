"""The measure of issue #12: a fresh regency onboarded in the browser, counting the form submissions.

From a regency that has no region yet (Kabupaten Jember, found by name), the platform team adds
the region, fills its profile, imports 40 agencies, 20 service points, their office hours and 30
staff invitations from spreadsheets, adopts Banyuwangi's bundle of 25 services with their agency
mapping suggested by name, sets one decree for all drafts and publishes them, adds a complaint
category, goes live and opens the survey QR poster. It prints the number of form submissions
(at most 30) and the wall time.
"""

from __future__ import annotations

import time

import pytest

from pendopo.catalog.models import Service
from pendopo.catalog.tests.factories import make_service
from pendopo.regions.models import Agency, OfficeHours, Region, ServicePoint
from pendopo.regions.tests.factories import regency
from pendopo.setup.models import ServiceBundle
from tests.browser.conftest import RESULTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MODEL_AGENCIES = [("Dinas Kependudukan dan Pencatatan Sipil", "Disdukcapil"), ("Dinas Kesehatan", "Dinkes")]


def _model_bundle(world) -> ServiceBundle:
    services = [
        make_service(world.admin_a, world.agency_a1 if n % 2 else world.agency_a2, f"LAYANAN-{n:02d}", f"Layanan Contoh {n:02d}")
        for n in range(25)
    ]
    bundle = ServiceBundle.objects.create(region=world.region_a, code="dasar", name="Layanan dasar", is_published=True)
    bundle.services.set(services)
    return bundle


def _files(tmp_path) -> dict[str, str]:
    agencies = ["kode,nama,nama_singkat,telepon"]
    agencies += [f"OPD{n:02d},Badan Contoh Nomor {n:02d},BCN{n:02d},0331-4870{n:02d}" for n in range(38)]
    agencies += [f"OPD{38 + i},{name},{short},0331-487099" for i, (name, short) in enumerate(MODEL_AGENCIES)]
    points = [
        "kode,nama,jenis,mpp_induk,opd,alamat,lintang,bujur",
        "MPP,Mal Pelayanan Publik Jember,mpp,,,Jl. Sudarman 1,-8.1724,113.7003",
    ]
    points += [f"L{n:02d},Loket {n:02d},loket,MPP,OPD{n:02d},,," for n in range(1, 20)]
    hours = ["tempat_layanan,hari,buka,tutup,istirahat_mulai,istirahat_selesai"]
    hours += [f",{day},07:30,15:30,12:00,12:30" for day in ("Senin", "Selasa", "Rabu", "Kamis")] + [
        ",Jumat,07:30,14:00,11:00,13:00"
    ]
    hours += [f"MPP,{day},08:00,16:00,," for day in ("Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu")]
    staff = ["nama,email,peran,opd,jabatan"]
    staff += [f"Petugas {n:02d},petugas{n:02d}@jemberkab.go.id,petugas,OPD{n:02d},Petugas layanan" for n in range(30)]
    written = {}
    for name, lines in (("opd", agencies), ("tempat-layanan", points), ("jam-layanan", hours), ("staf", staff)):
        path = tmp_path / f"{name}.csv"
        path.write_text("\n".join(lines) + "\n")
        written[name] = str(path)
    return written


def test_a_new_regency_goes_live_in_at_most_30_submissions(page, log_in, world, tmp_path):
    regency("35.09", "Kabupaten Jember", "Jawa Timur")
    bundle = _model_bundle(world)
    files = _files(tmp_path)
    submissions: list[str] = []
    page.on("request", lambda request: submissions.append(request.url) if request.method == "POST" else None)
    started = time.monotonic()

    log_in("admin_platform")
    page.goto("/wilayah-baru/")
    page.locator("#id_q").fill("Jember")
    page.get_by_role("button", name="Cari").click()
    page.locator("#regency-results a", has_text="Kabupaten Jember").click()
    page.get_by_role("button", name="Tambahkan daerah").click()
    page.wait_for_url("**/r/jember/atur/")
    region = Region.objects.get(regency_id="35.09")
    assert not region.is_active

    page.goto("/r/jember/atur/profil/")
    page.locator("#id_address").fill("Jl. Sudarman 1, Jember")
    page.locator("#id_contact_email").fill("diskominfo@jemberkab.go.id")
    page.locator("#id_letterhead").fill("PEMERINTAH KABUPATEN JEMBER\nJl. Sudarman 1, Jember")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_selector(".messages")

    for kind in ("opd", "tempat-layanan", "jam-layanan", "staf"):
        page.goto(f"/r/jember/atur/impor/{kind}/")
        page.locator("#id_file").set_input_files(files[kind])
        page.get_by_role("button", name="Periksa dan impor").click()
        page.wait_for_selector(".messages")
    assert Agency.objects.filter(region=region).count() == 40
    assert ServicePoint.objects.filter(region=region).count() == 20
    assert OfficeHours.objects.filter(region=region).count() == 11

    page.goto("/r/jember/atur/paket/")
    page.locator("#offered-bundles a", has_text="Adopsi").click()
    page.get_by_role("button", name="Adopsi paket").click()  # the agencies are suggested by name
    page.wait_for_url("**/atur/adopsi/*/")
    page.locator("#id_decree_number").fill("188.45/101/1.12/2026")
    page.locator("#id_decree_date").fill("2026-12-01")
    page.get_by_role("button", name="Tetapkan SK dan terbitkan semua").click()
    page.wait_for_selector(".messages")
    assert Service.objects.filter(region=region, published_standard__isnull=False).count() == 25

    page.goto("/r/jember/atur/kategori-pengaduan/baru/")
    page.locator("#id_code").fill("UMUM")
    page.locator("#id_name").fill("Pengaduan umum")
    page.locator("#id_agency").select_option(label="Badan Contoh Nomor 00")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/atur/kategori-pengaduan/")

    page.goto("/r/jember/atur/")
    page.get_by_role("button", name="Tayangkan").click()
    page.wait_for_selector(".messages")
    # Live, the region's survey QR poster is printed by the administrator: the checklist's last item clears.
    page.goto("/r/jember/skm/poster/?tempat=MPP")
    assert page.locator("svg").count() >= 1
    page.goto("/r/jember/atur/")
    missing = page.locator(".checklist [data-done='0']").count()
    page.screenshot(path=str(RESULTS / "onboarding-setup-home.png"), full_page=True)

    elapsed = time.monotonic() - started
    print(f"\nonboarding: {len(submissions)} form submissions, {elapsed:.1f} s wall time, {missing} checklist items missing")
    assert missing == 0
    assert len(submissions) <= 30
    region.refresh_from_db()
    assert region.is_active
    assert bundle.adoptions.filter(region=region, published_at__isnull=False).exists()
