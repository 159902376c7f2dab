"""A revision with a replaced document: the officer marks the family card invalid and returns the application,
the citizen replaces that document, the officer sees it marked replaced (issue #11 items 8, 9, 12); an answer the
officer reopened is corrected, and the revision is sent back only once everything marked is fixed."""

from __future__ import annotations

import re

import pytest

from pendopo.applications import actions
from pendopo.applications.models import Document
from pendopo.applications.tests.conftest import form_data, pdf_bytes, png_bytes, service_standard, upload
from pendopo.catalog.tests.factories import make_service

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_officer_marks_invalid_citizen_replaces_officer_sees_it_replaced(page, log_in, world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    service = make_service(
        world.head_a1, world.agency_a1, standard=service_standard(), channels=["online", "service_mall"], effective_from=None
    )
    from pendopo.applications.forms import application_form_class

    form = application_form_class(service.published_standard)(form_data(), {"doc-1": upload("kk.pdf", pdf_bytes())})
    assert form.is_valid(), form.errors
    application = actions.submit_application(world.citizen, service, form.to_input())
    code = application.code

    # The officer opens the case, sees the preview, marks the family card invalid with a note.
    log_in("petugas_a1")
    page.goto(f"/permohonan/{code}/")
    card = page.locator("#req-req-1")
    # (Not opened here: Chromium's own PDF viewer loads its internal resources, which the guard counts.)
    frame_src = card.locator(".preview iframe").get_attribute("src")
    preview = page.request.get(frame_src)
    assert preview.headers["content-disposition"].startswith("inline")
    assert "frame-ancestors 'self'" in preview.headers["content-security-policy"]
    card.get_by_label("tidak sah", exact=True).check()
    card.locator("input[name='req-1-note']").fill("Fotokopi KK terpotong di bawah")
    card.locator(".check-form button[type=submit]").click()
    page.locator("#req-req-1 .badge-closed").wait_for()
    # It reopens the number of children too, an answer of the form.
    answer = page.locator("dd:has(form[action*='answer-children'])")
    answer.locator("summary").click()
    answer.get_by_label("tidak sah", exact=True).check()
    answer.locator("input[name='answer-children-note']").fill("Jumlah anak tidak sesuai KK")
    answer.locator(".check-form button[type=submit]").click()
    page.locator("dd:has(form[action*='answer-children']) .badge-closed").wait_for()
    # and returns it for revision.
    actions_box = page.locator("#case-actions")
    actions_box.get_by_label("Terima untuk verifikasi").check()
    actions_box.locator("button[type=submit]").first.click()
    page.locator("#current-step", has_text="Verifikasi berkas").wait_for()
    page.reload()
    page.locator("#case-actions").get_by_label("Kembalikan untuk perbaikan").check()
    page.locator("#case-actions textarea").fill("Unggah ulang KK yang utuh")
    page.locator("#case-actions button[type=submit]").first.click()
    page.locator("#current-step", has_text="Perlu perbaikan").wait_for()

    # The citizen sees what to fix and replaces that document.
    page.context.clear_cookies()
    log_in("warga")
    page.goto(f"/permohonan/{code}/")
    revision = page.locator("#revision").inner_text()
    assert "Fotokopi KK terpotong di bawah" in revision and "Unggah ulang KK yang utuh" in revision
    assert "Jumlah anak tidak sesuai KK" in revision
    # Sending it back before fixing anything is refused, naming what is still to fix.
    page.locator("#case-actions").get_by_label("Kirim ulang perbaikan").check()
    page.locator("#case-actions button[type=submit]").first.click()
    page.locator("#case-actions", has_text="Perbaiki yang ditandai").wait_for()
    assert "Jumlah anak" in page.locator("#case-actions").inner_text()
    # The reopened answer is corrected in the revision's own form.
    page.locator("#revision input[name='correct-children']").fill("3")
    page.locator("#revision .correct-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/permohonan/{code}/"))
    assert "Jumlah anak" not in page.locator("#revision").inner_text()
    application.refresh_from_db()
    assert application.form_data["children"] == 3
    page.locator("#req-req-1 input[type=file]").set_input_files(
        files=[{"name": "kk-utuh.png", "mimeType": "image/png", "buffer": png_bytes(4, 4)}]
    )
    page.locator("#req-req-1 .replace-form button[type=submit]").click()
    page.wait_for_url(re.compile(rf"/permohonan/{code}/"))
    page.locator("#req-req-1 .badge-replaced").first.wait_for()
    assert Document.objects.filter(application=application, slot="req-1").count() == 2
    # Everything marked is fixed: the revision goes back to the officer.
    page.locator("#case-actions").get_by_label("Kirim ulang perbaikan").check()
    page.locator("#case-actions button[type=submit]").first.click()
    page.locator("#current-step", has_text="Verifikasi berkas").wait_for()

    # The officer sees the replaced mark, the new file previewed as an image, the old one in the history.
    page.context.clear_cookies()
    log_in("petugas_a1")
    page.goto(f"/permohonan/{code}/")
    card = page.locator("#req-req-1")
    assert "diganti pada" in card.inner_text()
    assert "kk-utuh.png" in card.inner_text()
    card.locator(".preview summary").click()
    image = card.locator(".preview img")
    image.wait_for()
    page.wait_for_function("img => img.complete && img.naturalWidth === 4", arg=image.element_handle())
    card.locator("details.earlier summary").click()
    assert "kk.pdf" in card.locator("details.earlier").inner_text()
