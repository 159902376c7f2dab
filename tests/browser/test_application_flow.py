"""A citizen applies with an upload, officers verify and complete it with htmx, the citizen sees the timeline."""

from __future__ import annotations

import re

import pytest

from pendopo.applications.models import Application
from pendopo.applications.tests.conftest import pdf_bytes, service_standard
from pendopo.catalog.tests.factories import make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def take_step(page, label):
    """Choose a step on the application page and carry it out; htmx swaps the fragments in place."""
    actions = page.locator("#case-actions")
    actions.get_by_label(label).check()
    with page.expect_response(re.compile(r"/langkah/$")):
        actions.locator("button[type=submit]").first.click()
    page.locator("#case-actions").wait_for()


def test_citizen_applies_officers_complete_citizen_follows(page, log_in, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    service = make_service(
        world.head_a1, world.agency_a1, standard=service_standard(), channels=["online", "service_mall"], effective_from=None
    )

    # The citizen applies online with the family card as a PDF.
    log_in("warga")
    page.goto(f"/r/banyuwangi/ajukan/{service.code}/")
    page.locator("#id_applicant-name").fill("Siti Rahayu")
    page.locator("#id_applicant-email").fill("siti@example.id")
    page.locator("#id_nik").fill("3510015203900001")
    page.locator("#id_phone").fill("0812 3456 7890")
    page.locator("#id_reason").select_option("new")
    page.locator("#id_doc-1").set_input_files(files=[{"name": "kk.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()}])
    page.locator("#apply-form button[type=submit]").click()
    page.wait_for_url(re.compile(r"/permohonan/BWI-[0-9A-Z]{4}-[0-9A-Z]{4}/$"))
    code = page.url.rstrip("/").rsplit("/", 1)[1]
    assert code in page.locator("h1").inner_text()
    assert page.locator("#requirements a[href*='/dokumen/']").count() == 1

    # The officer of the agency finds it in the inbox and takes the steps without reloading the page.
    page.context.clear_cookies()
    log_in("petugas_a1")
    page.goto("/r/banyuwangi/kotak-masuk/")
    page.locator(f"#inbox-results a:text('{code}')").click()
    page.wait_for_url(f"**/permohonan/{code}/")
    assert "3510015203900001" in page.locator("main").inner_text()  # in full for the officer
    page.evaluate("window.__sameDocument = true")
    take_step(page, "Terima untuk verifikasi")
    page.locator("#current-step", has_text="Verifikasi berkas").wait_for()
    take_step(page, "Berkas lengkap, proses")
    page.locator("#current-step", has_text="Diproses").wait_for()
    take_step(page, "Ajukan persetujuan")
    page.locator("#current-step", has_text="Menunggu persetujuan").wait_for()
    assert page.evaluate("window.__sameDocument") is True  # htmx: no full reload
    assert page.locator("#timeline li").count() == 4

    # The head approves: the application is complete.
    page.context.clear_cookies()
    log_in("kepala_a1")
    page.goto(f"/permohonan/{code}/")
    asked: list[str] = []
    page.once("dialog", lambda dialog: (asked.append(dialog.message), dialog.accept()))  # an irreversible step asks first
    take_step(page, "Setujui")
    page.locator("#current-step", has_text="Selesai").wait_for()
    assert asked and "menyelesaikan permohonan" in asked[0]
    assert Application.objects.get(case__code=code).case.outcome == "completed"

    # The citizen sees the whole timeline on the public tracking page, without personal data.
    page.context.clear_cookies()
    page.goto("/lacak/")
    page.locator("#track-code").fill(code.lower())
    page.locator("main form button[type=submit]").click()
    page.wait_for_url(f"**/lacak/{code}/")
    timeline = page.locator("#timeline").inner_text()
    for label in ("Terima untuk verifikasi", "Berkas lengkap, proses", "Ajukan persetujuan", "Setujui"):
        assert label in timeline
    assert "Selesai" in page.locator("#current-step").inner_text()
    body = page.locator("main").inner_text()
    assert "Siti Rahayu" not in body and "3510015203900001" not in body
