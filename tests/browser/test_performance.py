"""SAKIP in the browser: an officer enters a quarter's realisation with evidence, the head verifies it,
and the head's dashboard and the LKjIP show it — at phone and at desktop size."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from pendopo.applications.tests.conftest import pdf_bytes
from pendopo.lib import dates
from pendopo.performance.models import Indicator, PlanningPeriod, Realisation, Status, Target
from tests.browser.conftest import PHONE, RESULTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def indicator(world):
    today = dates.today(world.region_a.time_zone)
    period = PlanningPeriod.objects.create(
        region=world.region_a, name="RPJMD", start_year=today.year - 1, end_year=today.year + 3, is_published=True
    )
    item = Indicator.objects.create(
        region=world.region_a, period=period, agency=world.agency_a1, code="DUK-3", unit="%", polarity="higher",
        name="Persentase penduduk wajib KTP-el yang memiliki KTP-el",
    )  # fmt: skip
    for quarter in range(5):
        Target.objects.create(region=world.region_a, indicator=item, year=today.year, quarter=quarter, value=Decimal(80))
    return item


def _fits(page, name: str) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"performance-{name}.png"), full_page=True)
    assert overflow <= 0, f"{name} is {overflow}px wider than the screen"


@pytest.mark.parametrize("size", ["phone", "desktop"])
def test_officer_enters_head_verifies_dashboard_and_lkjip_show_it(page, log_in, world, indicator, size):
    page.set_viewport_size(PHONE if size == "phone" else DESKTOP)
    year = dates.today(world.region_a.time_zone).year

    log_in(world.officer_a1.username)
    page.goto("/r/banyuwangi/sakip/")
    row = page.locator("tr", has_text="DUK-3")
    row.get_by_role("link", name="isi", exact=True).click()
    page.locator("#id_value").fill("70")
    page.locator("#id_explanation").fill("Perekaman KTP-el keliling di 12 desa.")
    page.locator("#id_evidence").set_input_files(
        files=[{"name": "rekap-ktp-el.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}]
    )
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/indikator/DUK-3/**")
    assert page.get_by_text("menunggu verifikasi").first.is_visible()
    assert page.get_by_role("link", name="rekap-ktp-el.pdf").is_visible()
    assert Realisation.objects.get(indicator=indicator).status == Status.SUBMITTED

    page.context.clear_cookies()
    log_in(world.head_a1.username)
    page.goto("/r/banyuwangi/sakip/kepala/")
    _fits(page, f"head-dashboard-before-{size}")
    page.locator("tr", has_text="DUK-3").get_by_role("link", name="rincian", exact=True).click()
    page.locator("#id_decision").select_option("verify")
    page.get_by_role("button", name="Simpan keputusan").click()
    page.wait_for_load_state()
    assert page.get_by_text("terverifikasi").first.is_visible()
    assert Realisation.objects.get(indicator=indicator).status == Status.VERIFIED

    page.goto("/r/banyuwangi/sakip/kepala/")
    risk = page.locator("section[aria-labelledby=risk] tr", has_text="DUK-3")
    # 70 / 80 × 100 = 87,50, below 90: at risk; every figure in the page's language (Indonesian decimal comma)
    assert "70,00" in risk.inner_text() and "87,50" in risk.inner_text() and "80,00" in risk.inner_text()
    assert page.locator("svg[role=img]").count() >= 2  # the charts, drawn on the server
    _fits(page, f"head-dashboard-{size}")

    with page.expect_download() as download:
        page.get_by_role("link", name="PDF").first.click()
    data = download.value.path().read_bytes()
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(data)).pages)
    assert f"(LKjIP) {year}" in text and "DUK-3" in text and "70,00" in text and "87,50" in text
    assert "keliling di 12 desa." in text  # the quarter's explanation (the PDF breaks lines at its hyphens)
