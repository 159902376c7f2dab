"""The pages: apply, walk-in, tracking, my applications, the application page with htmx steps, receipt, documents."""

from __future__ import annotations

import pytest
from django.urls import reverse

from pendopo.applications import actions
from pendopo.applications.models import Application
from pendopo.applications.tests.conftest import NIK, files, form_data, pdf_bytes, upload, valid_form
from pendopo.workflow.models import CaseEvent

pytestmark = pytest.mark.django_db
EN = {"accept-language": "en"}


def test_a_citizen_applies_online_and_lands_on_the_application(client, world, service):
    client.force_login(world.citizen)
    url = reverse("applications:apply", args=["banyuwangi", service.code])
    page = client.get(url, headers=EN)
    assert page.status_code == 200
    assert 'name="doc-1"' in page.content.decode() and 'accept=".pdf,.jpg,.png' in page.content.decode()

    response = client.post(url, {**form_data(), **files()}, headers=EN)

    application = Application.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/permohonan/{application.code}/"
    detail = client.get(response["Location"], headers=EN).content.decode()
    assert application.code in detail and "Submitted" in detail
    # The owner sees the NIK masked; it is shown in full only to the officers allowed on it.
    assert NIK not in detail and "3510********0001" in detail


def test_tracking_page_shows_progress_and_no_personal_data(client, world, apply):
    application = apply()
    actions.take_action(application, "receive", world.officer_a1, note="Catatan internal: NIK 3510015203900001")

    page = client.get(f"/lacak/{application.code}/", headers=EN).content.decode()

    assert "Document verification" in page and "Receive for verification" in page
    assert "5 February 2026" in page  # expected completion, Thursday 15:30 WIB
    for secret in ("Siti Rahayu", NIK, "3510********0001", "081234567890", "siti@example.id", "Catatan internal", "kk.pdf"):
        assert secret not in page


def test_tracking_search_normalises_a_typed_code(client, apply):
    application = apply()
    typed = application.code.lower().replace("-", " ")
    response = client.get("/lacak/", {"code": typed})
    assert response.status_code == 302 and response["Location"] == f"/lacak/{application.code}/"


def test_my_applications_lists_only_mine(client, world, apply, service):
    mine = apply()
    other = actions.submit_application(world.officer_a2, service, valid_form(service).to_input())
    client.force_login(world.citizen)
    page = client.get("/permohonan/").content.decode()
    assert mine.code in page and other.code not in page
    # On a phone each application is a block whose cells name their column (the current step was cut off).
    assert '<table class="stack">' in page and 'data-label="Tahap saat ini"' in page


def test_a_document_is_described_by_its_kind_not_its_media_type(client, world, apply):
    application = apply()
    client.force_login(world.citizen)
    page = client.get(f"/permohonan/{application.code}/").content.decode()
    assert "PDF, " in page and "application/pdf, " not in page  # the accept attribute of the upload keeps it


def test_the_officer_takes_a_step_with_htmx_and_gets_the_fragments(client, world, apply):
    application = apply()
    client.force_login(world.officer_a1)
    page = client.get(f"/permohonan/{application.code}/", headers=EN).content.decode()
    assert 'id="case-actions"' in page and "Receive for verification" in page
    assert NIK in page  # the officer of the agency sees it in full

    response = client.post(
        f"/permohonan/{application.code}/langkah/",
        {"action": "receive", "note": "", "version": application.case.lock_version},
        headers={"HX-Request": "true", "HX-Target": "case-actions", **EN},
    )

    assert response.status_code == 200
    fragment = response.content.decode()
    assert "<html" not in fragment
    assert 'id="case-actions"' in fragment and 'id="timeline" hx-swap-oob="true"' in fragment
    assert "Documents complete: process" in fragment  # the next actions
    assert "Done: the application is now at “Document verification”." in fragment  # the officer is told
    assert CaseEvent.objects.filter(case=application.case).count() == 2
    again = client.get(f"/permohonan/{application.code}/", headers=EN).content.decode()
    assert "Done: the application" not in again  # said once, not on every later view


def test_an_officer_is_told_a_returned_application_waits_for_the_applicant(client, world, apply):
    application = actions.take_action(apply(), "receive", world.officer_a1)
    client.force_login(world.officer_a1)

    response = client.post(
        f"/permohonan/{application.code}/langkah/",
        {"action": "return_for_revision", "note": "Foto KK buram", "version": application.case.lock_version},
        headers={"HX-Request": "true", "HX-Target": "case-actions", **EN},
    )

    fragment = response.content.decode()
    assert "waiting for the applicant to correct it" in fragment
    assert "with the next person in the workflow" not in fragment


def test_a_stale_page_gets_a_clear_conflict_message_in_the_fragment(client, world, apply):
    application = apply()
    stale = application.case.lock_version
    actions.take_action(application, "receive", world.head_a1)
    client.force_login(world.officer_a1)

    response = client.post(
        f"/permohonan/{application.code}/langkah/",
        {"action": "verify", "version": stale},
        headers={"HX-Request": "true", **EN},
    )

    fragment = response.content.decode()
    assert "Someone else has just changed this case" in fragment
    assert CaseEvent.objects.filter(case=application.case).count() == 2


def test_without_javascript_a_step_posts_and_redirects(client, world, apply):
    application = apply()
    client.force_login(world.officer_a1)
    response = client.post(f"/permohonan/{application.code}/langkah/", {"action": "receive", "version": 1})
    assert response.status_code == 302
    missing_note = client.post(f"/permohonan/{application.code}/langkah/", {"action": "reject", "version": 2}, headers=EN)
    assert missing_note.status_code == 422 and "This action needs a note." in missing_note.content.decode()


def test_the_actions_and_timeline_partials_render_alone(client, world, apply):
    application = apply()
    client.force_login(world.officer_a1)
    actions_html = client.get(f"/permohonan/{application.code}/langkah/").content.decode()
    timeline_html = client.get(f"/permohonan/{application.code}/riwayat/").content.decode()
    assert actions_html.startswith('<div id="case-actions"') and "<html" not in actions_html
    assert timeline_html.startswith('<ol class="timeline" id="timeline"')


def test_assign_to_me(client, world, apply):
    application = apply()
    client.force_login(world.officer_a1)
    client.post(f"/permohonan/{application.code}/tugaskan/")
    application.case.refresh_from_db()
    assert application.case.assigned_to == world.officer_a1


def test_the_receipt_is_a_pdf_with_the_code_and_a_qr_code_to_the_tracking_page(client, world, apply):
    from pendopo.applications.receipts import render_receipt_html

    application = apply()
    client.force_login(world.citizen)
    response = client.get(f"/permohonan/{application.code}/tanda-terima.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    html = render_receipt_html(application)
    assert application.code in html and "<svg" in html and f"https://layanan.example.id/lacak/{application.code}/" in html
    assert NIK not in html and "3510********0001" in html


def test_the_receipt_fits_one_page_with_the_pickup_place_the_contact_and_the_survey_qr(client, world, apply):
    import io

    from pypdf import PdfReader

    from pendopo.applications.receipts import receipt_context, render_receipt_html

    agency = world.agency_a1
    agency.address, agency.phone = "Jl. Jenderal Ahmad Yani No. 100, Banyuwangi", "0333-424001"
    agency.save()
    application = apply()
    client.force_login(world.citizen)
    reader = PdfReader(io.BytesIO(client.get(f"/permohonan/{application.code}/tanda-terima.pdf").content))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "Jl. Jenderal Ahmad Yani No. 100, Banyuwangi" in text and "0333-424001" in text
    assert "Senin–Kamis 07:30–15:30; Jumat 07:30–14:00" in text  # the region's hours, where the product is collected
    html = render_receipt_html(application)
    assert html.count("<svg") == 2  # the tracking code and the survey's
    assert "/skm/isi/a/" in receipt_context(application)["survey_url"]  # the survey tied to this application


def test_documents_are_served_only_through_the_checked_view(client, world, apply, settings):
    application = apply()
    document = application.documents.get()
    assert str(settings.MEDIA_ROOT) not in str(settings.STATIC_ROOT)
    url = f"/permohonan/{application.code}/dokumen/{document.key}/"
    client.force_login(world.officer_a1)
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content) == pdf_bytes()
    assert response["Content-Type"] == "application/pdf" and "attachment" in response["Content-Disposition"]
    for outsider in (world.officer_a2, world.officer_b1):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_walk_in_registration_at_the_counter(client, world, service):
    client.force_login(world.counter_officer_a)
    listing = client.get("/r/banyuwangi/loket/").content.decode()
    assert service.name in listing
    data = {**form_data(), "applicant-place": str(world.counter_a.pk), **files()}
    response = client.post(f"/r/banyuwangi/loket/{service.code}/", data)
    application = Application.objects.get()
    assert response.status_code == 302
    assert application.case.service_point == world.counter_a and application.case.owner is None
    assert client.get(f"/permohonan/{application.code}/tanda-terima.pdf").status_code == 200


def test_resubmission_with_a_document_from_the_page(client, world, apply):
    application = apply()
    actions.take_action(application, "receive", world.officer_a1)
    actions.take_action(application, "return_for_revision", world.officer_a1, note="Unggah ulang KK")
    client.force_login(world.citizen)
    response = client.post(
        f"/permohonan/{application.code}/langkah/",
        {"action": "resubmit", "version": application.case.lock_version, "document": upload("kk-baru.pdf", pdf_bytes())},
    )
    assert response.status_code == 302
    application.case.refresh_from_db()
    assert application.case.state == "verification"
    assert application.documents.filter(kind="action", original_name="kk-baru.pdf").exists()
