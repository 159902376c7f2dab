"""A citizen finds a service by searching the catalogue, reads its standard and downloads it as a PDF;
an agency head corrects a draft (the error shows beside the field) and publishes it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfReader

from pendopo.catalog.models import Service
from pendopo.catalog.tests.factories import make_service
from pendopo.regions.tests.factories import AgencyFactory
from tests.browser.conftest import PHONE, wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def catalogue(world):
    make_service(world.admin_a, world.agency_a1, "KTP-EL", "Penerbitan KTP Elektronik")
    return make_service(
        world.admin_a,
        world.agency_a2,
        "SK-SEHAT",
        "Surat Keterangan Sehat",
        category="health",
        keywords="puskesmas, surat sehat, melamar kerja",
        channels=["service_mall"],
    )


def test_find_a_service_read_its_standard_and_download_the_pdf(page, catalogue):
    page.goto("/r/banyuwangi/layanan/")
    assert page.locator("#catalog-results li").count() == 2
    page.evaluate("window.__marker = 'same page'")

    page.locator("#catalog-q").fill("puskesmas")
    wait_for(page, "document.querySelectorAll('#catalog-results li').length === 1")
    assert page.evaluate("window.__marker") == "same page"  # htmx replaced the results in place
    assert "q=puskesmas" in page.url

    page.locator("#catalog-results a", has_text="Surat Keterangan Sehat").click()
    page.wait_for_url("**/layanan/SK-SEHAT/")
    assert page.locator("h1").inner_text() == "Surat Keterangan Sehat"
    delivery = page.locator("section[aria-labelledby=delivery-heading]").inner_text()
    assert "Fotokopi Kartu Keluarga" in delivery and "SP4N-LAPOR!" in delivery
    management = page.locator("section[aria-labelledby=management-heading]").inner_text()
    assert "Atasan langsung dan Inspektorat" in management

    with page.expect_download() as download_info:
        page.locator("a[href*='standar.pdf']").click()
    download = download_info.value
    assert download.suggested_filename == "standar-pelayanan-banyuwangi-sk-sehat-v1.pdf"
    content = open(download.path(), "rb").read()  # noqa: SIM115 -- Playwright's temporary file
    assert content.startswith(b"%PDF-")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)
    assert "Surat Keterangan Sehat" in text and "188/123/KEP/429.011/2026" in text


def test_the_head_fixes_a_draft_and_publishes_it(page, log_in, world, catalogue):
    log_in("kepala_a1")
    page.goto("/r/banyuwangi/layanan/kelola/KTP-EL/")
    page.locator("form[action$='/draf/baru/'] button").click()
    page.wait_for_url("**/KTP-EL/draf/")

    page.locator("#id_fee").fill("5000")
    page.locator("#id_fee_basis").fill("")
    with page.expect_navigation():
        page.locator("button[name=save]").click()
    assert page.locator("#id_fee_basis").get_attribute("aria-invalid") == "true"
    assert page.locator("#id_fee_basis-errors").is_visible()

    page.locator("#id_fee_basis").fill("Peraturan Daerah Nomor 1 Tahun 2024")
    page.locator("button[name=preview]").click()
    page.wait_for_url("**/KTP-EL/draf/pratinjau/")
    assert "Rp 5.000" in page.locator("main").inner_text()

    page.once("dialog", lambda dialog: dialog.accept())  # publishing cannot be undone: it asks first
    page.locator(".publish-form button[type=submit]").click()
    page.wait_for_url("**/layanan/KTP-EL/")
    assert "Rp 5.000" in page.locator("main").inner_text()
    page.goto("/r/banyuwangi/layanan/KTP-EL/riwayat/")
    assert "Rp 5.000" in page.locator(".diff").first.inner_text()


def test_on_a_phone_a_citizen_goes_from_the_region_home_to_applying_online(page, catalogue):
    page.set_viewport_size(PHONE)
    page.goto("/r/banyuwangi/")
    page.locator(".site-nav").get_by_role("link", name="Layanan", exact=True).click()
    page.wait_for_url("**/r/banyuwangi/layanan/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    assert page.locator(".site-nav a[aria-current=page]").inner_text() == "Layanan"

    page.locator("#catalog-results a", has_text="Penerbitan KTP Elektronik").click()
    page.wait_for_url("**/layanan/KTP-EL/")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    page.get_by_role("link", name="Ajukan permohonan daring").click()
    page.wait_for_url("**/r/banyuwangi/ajukan/KTP-EL/**")


def test_an_administrator_copies_a_whole_agency_from_another_region(page, log_in, world, catalogue):
    """The "all services of an agency" box ticks its services (a few lines of the page's own script)."""
    AgencyFactory(region=world.region_b, code="DINKES", name="Dinas Kesehatan", short_name="Dinkes")
    make_service(world.admin_a, world.agency_a2, "LAIK-HIGIENE", "Sertifikat Laik Higiene", category="health")
    log_in("admin_b")
    page.goto("/r/mamuju-tengah/layanan/kelola/salin/")
    page.locator("#id_source").select_option("banyuwangi")
    page.get_by_role("button", name="Tampilkan katalognya").click()
    page.wait_for_url("**/salin/?source=banyuwangi")

    page.locator("[data-agency-toggle=DINKES]").check()
    assert page.locator("input[name=pick]:checked").count() == 2  # both Dinkes services, not the KTP
    page.get_by_role("button", name="Salin layanan yang dipilih").click()
    page.wait_for_url("**/mamuju-tengah/layanan/kelola/")
    assert "2 layanan disalin sebagai draf" in page.locator(".messages").inner_text()
    copies = Service.objects.filter(region=world.region_b, source_region=world.region_a)
    assert sorted(copies.values_list("code", flat=True)) == ["LAIK-HIGIENE", "SK-SEHAT"]
