"""A region administrator sets Mamuju Tengah up in the browser: checklist, an agency, office hours, an
import with a bad row — at phone and desktop size, with no sideways scrolling."""

from __future__ import annotations

import pytest

from pendopo.regions.models import Agency, OfficeHours
from tests.browser.conftest import PHONE, RESULTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}
PAGES = [
    "/r/mamuju-tengah/atur/",
    "/r/mamuju-tengah/atur/jam-layanan/",
    "/r/mamuju-tengah/atur/opd/baru/",
    "/r/mamuju-tengah/atur/impor/",
    "/r/mamuju-tengah/atur/paket/",
    "/r/mamuju-tengah/atur/alur/default-service/",
]


def _fits(page) -> int:  # type: ignore[no-untyped-def]
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth")


@pytest.mark.parametrize(("size", "name"), [(PHONE, "phone"), (DESKTOP, "desktop")])
def test_setup_pages_fit_and_work(page, log_in, world, tmp_path, size, name):
    page.set_viewport_size(size)
    log_in("admin_b")
    for path in PAGES:
        page.goto(path)
        assert _fits(page) <= 0, f"{path} is wider than the {name} screen"
    RESULTS.mkdir(exist_ok=True)
    page.screenshot(path=str(RESULTS / f"{name}-setup-workflow.png"), full_page=True)

    # The checklist shows office hours as missing; the link leads to the page that fixes it.
    page.goto("/r/mamuju-tengah/atur/")
    assert page.locator("#check-office_hours").get_attribute("data-done") == "0"
    page.screenshot(path=str(RESULTS / f"{name}-setup-home.png"), full_page=True)
    page.locator("#check-office_hours a").click()
    page.wait_for_url("**/atur/jam-layanan/")

    # Monday to Thursday 07:30–16:00, Friday with a long break for Friday prayers.
    for day in range(5):
        page.locator(f"#id_day-{day}-is_open").check()
        page.locator(f"#id_day-{day}-opens").fill("07:30")
        page.locator(f"#id_day-{day}-closes").fill("16:00" if day < 4 else "15:00")
    page.locator("#id_day-4-break_starts").fill("11:00")
    page.locator("#id_day-4-break_ends").fill("13:00")
    page.screenshot(path=str(RESULTS / f"{name}-setup-hours.png"), full_page=True)
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_selector(".messages")
    assert OfficeHours.objects.filter(region=world.region_b, service_point=None).count() == 5
    page.goto("/r/mamuju-tengah/atur/")
    assert page.locator("#check-office_hours").get_attribute("data-done") == "1"

    # An agency through its form, then a spreadsheet with a bad row: nothing is saved, the cell is named.
    page.goto("/r/mamuju-tengah/atur/opd/baru/")
    page.locator("#id_code").fill("DINKES")
    page.locator("#id_name").fill("Dinas Kesehatan")
    page.locator("#id_short_name").fill("Dinkes")
    page.get_by_role("button", name="Simpan").click()
    page.wait_for_url("**/atur/opd/")
    assert "Dinas Kesehatan" in page.locator("table").inner_text()

    sheet = tmp_path / "opd.csv"
    sheet.write_text("kode,nama,nama_singkat,email\nDINSOS,Dinas Sosial,Dinsos,\nDINKES,Dinas Kesehatan Lagi,Dinkes,salah\n")
    page.goto("/r/mamuju-tengah/atur/impor/opd/")
    page.locator("#id_file").set_input_files(str(sheet))
    page.get_by_role("button", name="Periksa dan impor").click()
    report = page.locator("#import-report").inner_text()
    assert "Baris 3, kolom kode" in report and "Baris 3, kolom email" in report
    assert not Agency.objects.filter(region=world.region_b, code="DINSOS").exists()
    assert _fits(page) <= 0
    page.screenshot(path=str(RESULTS / f"{name}-setup-import.png"), full_page=True)
