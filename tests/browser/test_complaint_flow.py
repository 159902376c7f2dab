"""A citizen files a complaint with a photo; it is public only once the region administrator verifies it; the
officer answers, the citizen sees the answer and confirms."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from pendopo.complaints.models import Complaint, ComplaintCategory
from tests.browser.conftest import wait_for

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _jpeg(path):  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    Image.new("RGB", (64, 48), (180, 60, 20)).save(out, format="JPEG")
    path.write_bytes(out.getvalue())
    return path


def _log_out(page) -> None:  # type: ignore[no-untyped-def]
    page.locator("form[action='/keluar/'] button[type=submit]").click()
    page.wait_for_load_state()


def test_citizen_files_officer_answers_citizen_confirms(page, log_in, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    ComplaintCategory.objects.create(region=world.region_a, code="JALAN-RUSAK", name="Jalan rusak", agency=world.agency_a1)

    # The citizen files, with a photo.
    log_in("warga")
    page.goto("/r/banyuwangi/pengaduan/baru/")
    page.get_by_role("link", name="Jalan rusak").click()
    page.locator("#id_description").fill("Jalan berlubang besar di depan SDN 1, berbahaya untuk motor.")
    page.locator("#id_latitude").fill("-8.2192")
    page.locator("#id_longitude").fill("114.3691")
    page.locator("#id_photos").set_input_files(str(_jpeg(tmp_path / "lubang.jpg")))
    page.locator("main form button[type=submit]").last.click()
    page.wait_for_selector("#secret-box")
    code = page.locator("#tracking-code").inner_text().strip()
    complaint = Complaint.objects.get()
    assert complaint.code == code and complaint.case.owner == world.citizen
    assert page.locator("figure img").count() == 1
    page.locator("figure img").scroll_into_view_if_needed()
    wait_for(page, "document.querySelector('figure img').naturalWidth > 0")
    assert page.evaluate("document.querySelector('figure img').naturalWidth") == 64  # the photo is served

    # Not public yet: the public list does not show it until the region's administration verifies it.
    _log_out(page)
    page.goto("/r/banyuwangi/pengaduan/")
    assert code not in page.content()
    # The region administrator verifies and forwards it to the agency (SP4N-LAPOR!), after confirming.
    log_in("admin_a")
    page.goto(f"/r/banyuwangi/pengaduan/{code}/")
    assert "menunggu verifikasi" in page.locator("#verification").inner_text()
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator("#verification form[action$='/verifikasi/'] button[type=submit]").click()
    page.wait_for_load_state()
    page.locator("#verification").wait_for(state="detached")
    complaint.refresh_from_db()
    assert complaint.verification == "verified" and complaint.case.state != "new"
    _log_out(page)
    page.goto("/r/banyuwangi/pengaduan/")
    assert code in page.content()

    # The officer answers and reports it resolved.
    log_in("petugas_a1")
    page.goto(f"/r/banyuwangi/pengaduan/{code}/")
    page.locator("#note-respond").fill("Tim perbaikan jalan dijadwalkan datang hari Kamis.")
    page.locator("button[value=respond]").click()
    page.wait_for_selector("button[value=resolve]")
    page.locator("#note-resolve").fill("Lubang sudah ditambal.")
    page.locator("button[value=resolve]").click()
    page.wait_for_selector("#messages >> text=Lubang sudah ditambal.")

    # The citizen sees the answer and confirms.
    _log_out(page)
    log_in("warga")
    page.goto(f"/r/banyuwangi/pengaduan/{code}/")
    messages = page.locator("#messages").inner_text()
    assert "Tim perbaikan jalan dijadwalkan datang hari Kamis." in messages and "Lubang sudah ditambal." in messages
    page.once("dialog", lambda dialog: dialog.accept())  # confirming the resolution ends the complaint: it asks first
    page.locator("button[value=confirm]").click()
    page.wait_for_selector(".badge-closed")
    complaint.case.refresh_from_db()
    assert complaint.case.state == "resolved"
