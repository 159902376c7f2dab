"""The revision step names what to fix and lets the applicant replace the document marked invalid (issue #11 item 8):
the new file is current, the old one stays in the history, and the officer sees it marked "diganti pada …"."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pendopo.applications import actions, selectors
from pendopo.applications.models import Document

from .conftest import exe_bytes, pdf_bytes, png_bytes, upload, wib

pytestmark = pytest.mark.django_db


@pytest.fixture
def returned(world, apply, frozen):
    """An application whose KK the officer marked invalid and returned for revision."""
    application = apply()
    actions.take_action(application, "receive", world.officer_a1)
    actions.check_requirement(application, "req-1", "invalid", world.officer_a1, note="Fotokopi KK terpotong")
    actions.take_action(application, "return_for_revision", world.officer_a1, note="Unggah ulang KK yang utuh")
    frozen(wib(2026, 2, 3, 10, 30))
    return application


def replace_url(application, slot="req-1"):
    return reverse("applications:replace_document", args=[application.code, slot])


def test_the_revision_page_names_what_to_fix_and_offers_to_replace_that_document(client, world, returned):
    client.force_login(world.citizen)
    page = client.get(returned.get_absolute_url()).content.decode()

    assert "Yang harus diperbaiki" in page
    assert "Unggah ulang KK yang utuh" in page and "Fotokopi KK terpotong" in page
    assert f'action="{replace_url(returned)}"' in page
    assert "paling besar 5 MB" in page  # the limit, shown before uploading
    assert f'action="{replace_url(returned, "req-2")}"' not in page  # not marked: not offered


def test_the_citizen_replaces_the_invalid_document_and_the_officer_sees_it_replaced(client, world, returned):
    old = returned.documents.get(slot="req-1")
    client.force_login(world.citizen)

    response = client.post(replace_url(returned), {"req-1-document": upload("kk-baru.png", png_bytes(), "image/png")})

    assert response.status_code == 302
    current, earlier = Document.objects.filter(application=returned, slot="req-1").order_by("-uploaded_at")
    assert earlier == old and current.original_name == "kk-baru.png" and current.content_type == "image/png"
    assert current.uploaded_by == world.citizen
    row = next(r for r in selectors.requirement_rows(returned) if r.slot == "req-1")
    assert row.document == current and row.earlier == [old]
    assert row.status == "replaced" and not row.to_fix
    # The case still waits for the applicant until they send the revision.
    returned.case.refresh_from_db()
    assert returned.case.state == "revision"

    client.force_login(world.officer_a1)
    page = client.get(returned.get_absolute_url()).content.decode()
    assert "diganti pada 3 Februari 2026 10:30" in page
    assert "diganti, perlu diperiksa lagi" in page
    assert "1 versi sebelumnya" in page and "sudah diganti, bukan yang berlaku" in page
    assert reverse("applications:document", args=[returned.code, old.key]) in page  # kept, in the history


def test_the_citizen_then_resubmits_and_the_officer_checks_it_again(client, world, returned):
    actions.replace_document(returned, "req-1", _checked(pdf_bytes()), world.citizen)
    actions.take_action(returned, "resubmit", world.citizen)
    actions.check_requirement(returned, "req-1", "valid", world.officer_a1)
    row = next(r for r in selectors.requirement_rows(returned) if r.slot == "req-1")
    assert row.status == "valid" and row.replaced_at is not None


def _checked(content, name="kk.pdf", content_type="application/pdf"):
    from pendopo.applications.uploads import check_upload

    return check_upload(upload(name, content, content_type))


def test_a_refused_file_keeps_the_old_document_and_says_why(client, world, returned):
    client.force_login(world.citizen)
    response = client.post(replace_url(returned), {"req-1-document": upload("kk.pdf", exe_bytes())})
    assert response.status_code == 422
    assert "yang diperiksa isinya, bukan namanya" in response.content.decode()
    assert returned.documents.filter(slot="req-1").count() == 1


def test_only_a_document_marked_invalid_is_replaced_and_only_during_revision(world, returned, apply):
    with pytest.raises(ValidationError):
        actions.replace_document(returned, "req-2", _checked(pdf_bytes()), world.citizen)
    with pytest.raises(ValidationError):
        actions.replace_document(returned, "req-3", _checked(pdf_bytes()), world.citizen)  # not an upload
    other = apply()
    actions.check_requirement(other, "req-1", "invalid", world.officer_a1, note="Buram")
    with pytest.raises(ValidationError):  # not returned for revision
        actions.replace_document(other, "req-1", _checked(pdf_bytes()), world.citizen)
    assert Document.objects.filter(application__in=[returned, other]).count() == 2


def test_nobody_else_replaces_the_citizens_document(client, world, returned):
    with pytest.raises(PermissionDenied):
        actions.replace_document(returned, "req-1", _checked(pdf_bytes()), world.officer_a1)
    for user in (world.officer_b1, world.officer_a2):
        client.force_login(user)
        assert client.post(replace_url(returned), {"req-1-document": upload("kk.pdf", pdf_bytes())}).status_code == 404
    assert returned.documents.filter(slot="req-1").count() == 1


def test_the_revision_cannot_be_sent_while_a_document_marked_invalid_is_not_replaced(client, world, returned):
    from pendopo.applications.actions import DocumentsToFix

    with pytest.raises(DocumentsToFix, match="Fotokopi Kartu Keluarga"):
        actions.take_action(returned, "resubmit", world.citizen)
    returned.case.refresh_from_db()
    assert returned.case.state == "revision"

    client.force_login(world.citizen)
    response = client.post(
        reverse("applications:actions", args=[returned.code]),
        {"action": "resubmit", "note": "", "version": returned.case.lock_version},
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "Perbaiki yang ditandai sebelum mengirim ulang permohonan: Fotokopi Kartu Keluarga." in page
    returned.case.refresh_from_db()
    assert returned.case.state == "revision"

    # Withdrawing is still the citizen's choice; replacing the document lets the revision go.
    actions.replace_document(returned, "req-1", _checked(pdf_bytes()), world.citizen)
    actions.take_action(returned, "resubmit", world.citizen)
    assert returned.case.state == "verification"


def test_the_revision_message_lists_the_documents_to_fix_with_the_officers_notes(world, returned):
    from pendopo.notifications.models import Message

    messages = Message.objects.filter(event_key__startswith=f"applications:{returned.code}:").order_by("-pk")
    email = next(m for m in messages if m.channel == "email")
    assert "Yang harus diperbaiki:" in email.body_text
    assert "- Fotokopi Kartu Keluarga: Fotokopi KK terpotong" in email.body_text
    assert "Unggah ulang KK yang utuh" in email.body_text


def test_a_form_file_field_keeps_its_own_types_when_replaced(world, service):
    from pendopo.applications.forms import ReplaceDocumentForm

    standard = service.standards.first()
    standard.form = {
        **(standard.form or {}),
        "fields": [
            *(standard.form or {}).get("fields", []),
            {"key": "photo", "type": "file", "label_id": "Pas foto", "label_en": "Photo", "validation": {"extensions": ["png"]}},
        ],
    }
    pdf = ReplaceDocumentForm(
        data={}, files={"photo-document": upload("foto.pdf", pdf_bytes())}, prefix="photo", standard=standard, slot="photo"
    )
    assert not pdf.is_valid() and "PNG" in str(pdf.errors["document"])
    assert 'accept=".png' in str(pdf["document"]) or "image/png" in str(pdf["document"])
    png = ReplaceDocumentForm(
        data={},
        files={"photo-document": upload("foto.png", png_bytes(), "image/png")},
        prefix="photo",
        standard=standard,
        slot="photo",
    )
    assert png.is_valid(), png.errors
    # A requirement of the standard takes any type Pendopo accepts, as when applying.
    kk = ReplaceDocumentForm(
        data={}, files={"req-1-document": upload("kk.pdf", pdf_bytes())}, prefix="req-1", standard=standard, slot="req-1"
    )
    assert kk.is_valid(), kk.errors


def test_the_officer_reopens_an_answer_and_the_citizen_corrects_it_before_resubmitting(client, world, apply, frozen):
    from pendopo.applications.actions import DocumentsToFix
    from pendopo.workflow.models import CaseEvent

    application = apply(children="2")
    actions.take_action(application, "receive", world.officer_a1)
    client.force_login(world.officer_a1)
    page = client.get(application.get_absolute_url()).content.decode()
    assert reverse("applications:check_requirement", args=[application.code, "answer-reason"]) in page
    assert reverse("applications:check_requirement", args=[application.code, "answer-nik"]) not in page  # kept encrypted
    response = client.post(
        reverse("applications:check_requirement", args=[application.code, "answer-children"]),
        {"answer-children-status": "invalid", "answer-children-note": "Jumlah anak tidak sesuai KK"},
    )
    assert response.status_code == 302 and response["Location"].endswith("#req-answer-children")
    with pytest.raises(ValidationError):
        actions.check_requirement(application, "answer-nik", "invalid", world.officer_a1, note="Salah")
    actions.take_action(application, "return_for_revision", world.officer_a1, note="Periksa jumlah anak")
    frozen(wib(2026, 2, 3, 10, 30))

    client.force_login(world.citizen)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Jawaban yang dibuka kembali untuk Anda perbaiki:" in page and "Jumlah anak tidak sesuai KK" in page
    assert 'name="correct-children"' in page and 'name="correct-reason"' not in page
    with pytest.raises(DocumentsToFix, match="Jumlah anak"):
        actions.take_action(application, "resubmit", world.citizen)
    with pytest.raises(ValidationError):  # only what was reopened
        actions.correct_answers(application, {"reason": "lost"}, world.citizen)
    bad = client.post(reverse("applications:correct_answers", args=[application.code]), {"correct-children": "dua"})
    assert bad.status_code == 422 and "errorlist" in bad.content.decode() and "dua" in bad.content.decode()

    response = client.post(reverse("applications:correct_answers", args=[application.code]), {"correct-children": "3"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.form_data["children"] == 3 and application.form_data["reason"] == "new"
    event = CaseEvent.objects.filter(case_id=application.case_id).order_by("-seq").first()
    assert event.action == "correct" and event.data == {"fields": ["children"]}
    assert "3" not in str(event.data) and event.note == ""  # the event names the field, not the value

    actions.take_action(application, "resubmit", world.citizen)
    client.force_login(world.officer_a1)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "diperbaiki, perlu diperiksa lagi" in page and "Jawaban diperbaiki" in page


def test_nobody_else_corrects_the_citizens_answers(client, world, apply):
    application = apply(children="2")
    actions.take_action(application, "receive", world.officer_a1)
    actions.check_requirement(application, "answer-children", "invalid", world.officer_a1, note="Salah")
    actions.take_action(application, "return_for_revision", world.officer_a1, note="Perbaiki")
    with pytest.raises(PermissionDenied):
        actions.correct_answers(application, {"children": 3}, world.officer_a1)
    client.force_login(world.officer_b1)
    assert (
        client.post(reverse("applications:correct_answers", args=[application.code]), {"correct-children": "3"}).status_code
        == 404
    )
    application.refresh_from_db()
    assert application.form_data["children"] == 2
