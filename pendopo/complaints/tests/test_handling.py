"""Routing (verify, reroute, not our authority, archive), answering (responses, notes, replies,
confirm, reopen, templates) and moderation (hide a response, redact a photo)."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from pendopo.complaints import actions
from pendopo.complaints.models import ComplaintMessage, MessageKind
from pendopo.complaints.tests.conftest import file, photo
from pendopo.workflow.errors import NotAllowed, NoteRequired

pytestmark = pytest.mark.django_db


def url(world, complaint, name):
    return reverse(f"complaints:{name}", args=[world.region_a.slug, complaint.code])


@pytest.fixture
def complaint(world, setup):
    return file(world.region_a, setup.road_a, reporter_email="budi@example.id", user=world.citizen).complaint


def test_admin_verifies_and_the_agency_answers(client, world, complaint):
    client.force_login(world.admin_a)
    assert client.post(url(world, complaint, "act"), {"action": "verify"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.case.state == "follow_up"
    assert complaint.response_due_at == complaint.case.state_due_at  # the agency's 5 working days
    client.force_login(world.officer_a1)
    client.post(url(world, complaint, "act"), {"action": "respond", "note": "Akan diperbaiki pekan depan."})
    complaint.refresh_from_db()
    assert complaint.case.state == "answered" and complaint.first_response_at is not None
    response = ComplaintMessage.objects.get(kind=MessageKind.RESPONSE)
    assert response.body == "Akan diperbaiki pekan depan." and response.agency == world.agency_a1
    public = client.get(complaint.get_absolute_url())
    assert b"Akan diperbaiki" in public.content


def test_officer_cannot_verify_and_other_agency_cannot_respond(world, complaint):
    with pytest.raises(NotAllowed):
        actions.take_action(complaint, "verify", world.officer_a1)
    actions.take_action(complaint, "verify", world.admin_a)
    with pytest.raises(NotAllowed):
        actions.take_action(complaint, "respond", world.officer_a2, "Bukan kami.")
    with pytest.raises(NoteRequired):
        actions.take_action(complaint, "respond", world.officer_a1, "")


def test_not_our_authority_needs_a_referral_note_that_is_published(client, world, complaint):
    with pytest.raises(NoteRequired):
        actions.take_action(complaint, "not_our_authority", world.admin_a, "")
    actions.take_action(complaint, "not_our_authority", world.admin_a, "Kewenangan BPN; silakan lapor ke kantor pertanahan.")
    assert complaint.case.state == "not_our_authority" and complaint.case.outcome == "rejected"
    assert b"Kewenangan BPN" in client.get(complaint.get_absolute_url()).content


def test_archive_note_stays_internal(client, world, complaint):
    actions.take_action(complaint, "archive", world.admin_a, "Spam berulang dari nomor sama.")
    assert complaint.case.state == "archived"
    assert b"Spam berulang" not in client.get(complaint.get_absolute_url()).content
    client.force_login(world.admin_a)
    assert b"Spam berulang" in client.get(complaint.get_absolute_url()).content


def test_reroute_by_region_admin_only(client, world, complaint):
    client.force_login(world.officer_a1)
    assert client.post(url(world, complaint, "reroute"), {"agency": world.agency_a2.code}).status_code == 403
    client.force_login(world.admin_a)
    assert client.post(url(world, complaint, "reroute"), {"agency": world.agency_a2.code, "note": "Dinkes"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.case.agency == world.agency_a2
    assert complaint.case.events.filter(action="reroute").count() == 1
    # Another region's agency is not a choice.
    from pendopo.regions.tests.factories import AgencyFactory

    only_b = AgencyFactory(region=world.region_b, code="DLH-MTG")
    assert client.post(url(world, complaint, "reroute"), {"agency": only_b.code}).status_code == 400


def test_internal_notes_are_staff_only(client, world, complaint):
    actions.add_message(complaint, MessageKind.NOTE, "Cek anggaran pemeliharaan dulu.", actor=world.officer_a1)
    assert b"Cek anggaran" not in client.get(complaint.get_absolute_url()).content
    client.force_login(world.citizen)
    assert b"Cek anggaran" not in client.get(complaint.get_absolute_url()).content
    client.force_login(world.head_a1)
    assert b"Cek anggaran" in client.get(complaint.get_absolute_url()).content
    with pytest.raises(PermissionDenied):
        actions.add_message(complaint, MessageKind.NOTE, "x", actor=world.officer_a2)
    with pytest.raises(PermissionDenied):
        actions.add_message(complaint, MessageKind.RESPONSE, "x", actor=world.citizen)


def test_complainant_replies_confirms_or_reopens(client, world, complaint):
    actions.take_action(complaint, "verify", world.admin_a)
    actions.take_action(complaint, "respond", world.officer_a1, "Dijadwalkan.")
    actions.take_action(complaint, "resolve", world.officer_a1, "Sudah ditambal.")
    client.force_login(world.citizen)
    client.post(url(world, complaint, "message"), {"kind": "reply", "body": "Masih ada satu lubang."})
    reply = ComplaintMessage.objects.get(kind=MessageKind.REPLY)
    assert reply.author is None
    client.post(url(world, complaint, "act"), {"action": "reopen", "note": "Lubang kedua belum."})
    complaint.refresh_from_db()
    assert complaint.case.state == "answered"
    actions.take_action(complaint, "resolve", world.officer_a1, "Lubang kedua sudah.")
    client.post(url(world, complaint, "act"), {"action": "confirm"})
    complaint.refresh_from_db()
    assert complaint.case.state == "resolved" and complaint.case.is_closed
    # Closed: no more replies.
    with pytest.raises(ValidationError):
        actions.add_message(complaint, MessageKind.REPLY, "lagi", actor=world.citizen)


def test_strangers_cannot_confirm(client, world, complaint):
    actions.take_action(complaint, "verify", world.admin_a)
    actions.take_action(complaint, "resolve", world.officer_a1, "Selesai.")
    client.force_login(world.officer_b1)
    assert client.post(url(world, complaint, "act"), {"action": "confirm"}).status_code == 403
    client.logout()
    assert client.post(url(world, complaint, "act"), {"action": "confirm"}).status_code == 403
    complaint.refresh_from_db()
    assert complaint.case.state == "awaiting_confirmation"


def test_response_templates_of_the_category(client, world, complaint, setup):
    client.force_login(world.officer_a1)
    templates = client.get(complaint.get_absolute_url()).context["templates"]
    assert [t.title for t in templates] == ["Dijadwalkan"]
    client.force_login(world.citizen)
    assert "templates" not in client.get(complaint.get_absolute_url()).context


def test_response_emails_the_identified_complainant(world, complaint, django_capture_on_commit_callbacks, mailoutbox):
    from pendopo.notifications.delivery import deliver_due

    actions.take_action(complaint, "verify", world.admin_a)
    actions.add_message(complaint, MessageKind.RESPONSE, "Tim kami meluncur.", actor=world.officer_a1)
    deliver_due()
    bodies = [m.body for m in mailoutbox if m.to == ["budi@example.id"]]
    assert any("Tim kami meluncur." in body for body in bodies)
    assert any(complaint.code in body for body in bodies)


def test_moderator_hides_a_response(client, world, complaint):
    message = actions.add_message(complaint, MessageKind.RESPONSE, "Pelapor bernama X tinggal di Y.", actor=world.officer_a1)
    with pytest.raises(PermissionDenied):
        actions.hide_message(message, world.officer_a1, "alasan")
    client.force_login(world.admin_a)
    hide = reverse("complaints:hide_message", args=[world.region_a.slug, complaint.code])
    assert client.post(hide, {"message": message.pk, "reason": "Data pribadi"}).status_code == 302
    message.refresh_from_db()
    assert message.is_hidden and message.hidden_by == world.admin_a
    client.logout()
    assert b"tinggal di Y" not in client.get(complaint.get_absolute_url()).content


def test_redaction_removes_the_original_photo(client, world, setup, django_capture_on_commit_callbacks):
    complaint = file(world.region_a, setup.road_a, photos=[photo()]).complaint
    stored = complaint.photos.get()
    original_path, original_bytes = stored.file.path, stored.file.read()
    thumbnail = original_path.rsplit(".", 1)[0] + "_thumb.jpg"  # a file derived from the original, beside it
    with open(thumbnail, "wb") as handle:
        handle.write(original_bytes)
    with pytest.raises(PermissionDenied):
        actions.redact_photo(stored, world.officer_a1, "wajah")
    client.force_login(world.admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("complaints:redact_photo", args=[world.region_a.slug, complaint.code, stored.key]),
            {"reason": "Wajah terlihat"},
        )
    assert response.status_code == 302
    stored.refresh_from_db()
    import os

    assert stored.redacted_at is not None and not os.path.exists(original_path) and not os.path.exists(thumbnail)
    served = b"".join(client.get(stored.get_absolute_url()).streaming_content)
    assert served and served != original_bytes


def test_concurrent_step_gets_a_conflict(client, world, complaint):
    client.force_login(world.admin_a)
    version = complaint.case.lock_version
    client.post(url(world, complaint, "act"), {"action": "verify", "version": version})
    second = client.post(url(world, complaint, "act"), {"action": "archive", "note": "x", "version": version})
    assert second.status_code == 409


def test_moderator_hides_a_whole_complaint(client, world, complaint):
    client.force_login(world.officer_a1)
    hide = reverse("complaints:hide", args=[world.region_a.slug, complaint.code])
    assert client.post(hide, {"reason": "Menyebut nama"}).status_code == 404
    client.force_login(world.admin_a)
    assert client.post(hide, {"reason": ""}).status_code == 400
    assert client.post(hide, {"reason": "Menyebut nama tetangga"}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.hidden_at is not None and complaint.hidden_reason == "Menyebut nama tetangga"
    client.logout()
    assert client.get(complaint.get_absolute_url()).status_code == 404
    client.force_login(world.citizen)  # the complainant still follows it
    assert client.get(complaint.get_absolute_url()).status_code == 200


def test_anonymous_complainant_completes_a_postponed_complaint_with_the_secret(client, world, setup):
    from pendopo.complaints.models import Privacy

    filed = file(world.region_a, setup.road_a, privacy=Privacy.ANONYMOUS)
    complaint = filed.complaint
    actions.take_action(complaint, "postpone", world.admin_a, "Di ruas jalan mana tepatnya?")
    assert complaint.case.state == "postponed"
    act = url(world, complaint, "act")
    assert client.post(act, {"action": "complete_report", "note": "Jl. Gajah Mada km 3."}).status_code == 403
    client.post(url(world, complaint, "access"), {"secret": filed.secret})
    assert client.post(act, {"action": "complete_report", "note": "Jl. Gajah Mada km 3."}).status_code == 302
    complaint.refresh_from_db()
    assert complaint.case.state == "new"
    kinds = list(complaint.messages.values_list("kind", "author"))
    assert kinds == [(MessageKind.RESPONSE, world.admin_a.pk), (MessageKind.REPLY, None)]
    event = complaint.case.events.get(action="complete_report")
    assert event.actor is None and event.actor_role == "applicant"


def test_moderation_refuses_a_reason_in_html_and_changes_nothing(client, world, setup):
    complaint = file(world.region_a, setup.road_a, photos=[photo()]).complaint
    message = actions.add_message(complaint, MessageKind.RESPONSE, "Jawaban.", actor=world.officer_a1)
    stored = complaint.photos.get()
    client.force_login(world.admin_a)
    reason = {"reason": "<b>nama</b>", "message": message.pk}
    for name, args in (("hide_message", []), ("hide", []), ("redact_photo", [stored.key])):
        response = client.post(reverse(f"complaints:{name}", args=[world.region_a.slug, complaint.code, *args]), reason)
        assert response.status_code == 400, name
        assert "HTML" in response.content.decode(), name
    message.refresh_from_db()
    complaint.refresh_from_db()
    stored.refresh_from_db()
    assert message.hidden_at is None and complaint.hidden_at is None and stored.redacted_at is None
