"""Each requirement of an application has a received / valid / invalid check with a note (issue #11 item 9),
set by the staff on the case page; a walk-in's originals are marked checked by the counter officer."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import escape

from pendopo.applications import actions, selectors
from pendopo.applications.models import RequirementCheck

from .conftest import valid_form

pytestmark = pytest.mark.django_db


def check_url(application, slot="req-1"):
    return reverse("applications:check_requirement", args=[application.code, slot])


def rows(application):
    return {row.slot: row for row in selectors.requirement_rows(application)}


def test_the_officer_marks_a_requirement_invalid_with_a_note_on_the_case_page(client, world, apply):
    application = apply()
    client.force_login(world.officer_a1)

    response = client.post(check_url(application), {"req-1-status": "invalid", "req-1-note": "Fotokopi KK buram"})

    assert response.status_code == 302
    check = RequirementCheck.objects.get(application=application, slot="req-1")
    assert (check.status, check.note, check.checked_by) == ("invalid", "Fotokopi KK buram", world.officer_a1)
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Fotokopi KK buram" in page
    assert '<span class="badge badge-closed">tidak sah</span>' in page


def test_every_requirement_is_listed_and_checks_are_kept_as_history(world, apply):
    application = apply()
    actions.check_requirement(application, "req-1", "received", world.officer_a1)
    actions.check_requirement(application, "req-1", "valid", world.head_a1)
    actions.check_requirement(application, "req-3", "valid", world.officer_a1, note="Datang sendiri, dicek")

    found = rows(application)

    assert list(found) == ["req-1", "req-2", "req-3"]
    assert found["req-1"].status == "valid" and found["req-1"].check.checked_by == world.head_a1
    assert found["req-1"].document is not None and found["req-2"].document is None
    assert not found["req-3"].is_upload and found["req-3"].status == "valid"
    # The checks are the audit trail: the earlier one is still there, in order.
    assert list(RequirementCheck.objects.filter(slot="req-1").values_list("status", flat=True)) == ["received", "valid"]


def test_invalid_without_a_note_is_refused_with_a_message_and_nothing_saved(client, world, apply):
    application = apply()
    client.force_login(world.officer_a1)

    response = client.post(check_url(application), {"req-1-status": "invalid", "req-1-note": "  "})

    assert response.status_code == 422
    assert "supaya pemohon tahu apa yang harus diperbaiki" in response.content.decode()
    assert not RequirementCheck.objects.exists()
    with pytest.raises(ValidationError):
        actions.check_requirement(application, "req-1", "invalid", world.officer_a1)


def test_an_unknown_requirement_or_status_is_refused(client, world, apply):
    application = apply()
    client.force_login(world.officer_a1)
    assert client.post(check_url(application, "req-9"), {"req-9-status": "valid"}).status_code == 422
    assert client.post(check_url(application), {"req-1-status": "lovely"}).status_code == 422
    assert not RequirementCheck.objects.exists()


def test_a_citizen_cannot_check_and_another_regions_officer_gets_404(client, world, apply):
    application = apply()
    for user in (world.citizen, world.officer_b1, world.officer_a2):
        client.force_login(user)
        response = client.post(check_url(application), {"req-1-status": "valid"})
        assert response.status_code == 404, user
    with pytest.raises(PermissionDenied):
        actions.check_requirement(application, "req-1", "valid", world.citizen)
    assert not RequirementCheck.objects.exists()
    client.force_login(world.citizen)
    assert 'name="req-1-status"' not in client.get(application.get_absolute_url()).content.decode()


def test_a_finished_application_is_not_checked_any_more(world, apply):
    application = apply()
    actions.take_action(application, "reject", world.officer_a1, note="Bukan warga")
    with pytest.raises(ValidationError):
        actions.check_requirement(application, "req-1", "valid", world.officer_a1)


def walk_in(world, service):
    form = valid_form(
        service,
        places=actions.walk_in_places(world.counter_officer_a, service),
        data={**valid_form(service).data, "applicant-place": str(world.counter_a.pk)},
    )
    return actions.register_walk_in(world.counter_officer_a, service, form.to_input())


def test_the_counter_officer_marks_a_walk_ins_originals_checked_once(client, world, service):
    application = walk_in(world, service)
    client.force_login(world.counter_officer_a)
    url = reverse("applications:originals_checked", args=[application.code])
    assert 'action="' + url + '"' in client.get(application.get_absolute_url()).content.decode()

    assert client.post(url).status_code == 302
    application.refresh_from_db()
    first = application.originals_checked_at
    assert application.originals_checked_by == world.counter_officer_a and first is not None

    client.force_login(world.officer_a1)
    client.post(url)
    application.refresh_from_db()
    assert (application.originals_checked_by, application.originals_checked_at) == (world.counter_officer_a, first)
    page = client.get(application.get_absolute_url()).content.decode()
    assert '<span class="badge badge-open">Dokumen asli sudah diperiksa</span>' in page
    assert escape(str(world.counter_officer_a)) in page


def test_originals_are_not_marked_on_online_applications_nor_by_others(client, world, apply, service):
    online = apply()
    with pytest.raises(ValidationError):
        actions.mark_originals_checked(online, world.officer_a1)
    application = walk_in(world, service)
    client.force_login(world.officer_b1)
    assert client.post(reverse("applications:originals_checked", args=[application.code])).status_code == 404
    application.refresh_from_db()
    assert application.originals_checked_at is None


def test_the_document_preview_may_be_framed_by_the_site_itself(client, world, apply):
    application = apply()
    document = application.documents.get()
    client.force_login(world.officer_a1)
    response = client.get(reverse("applications:document", args=[application.code, document.key]) + "?lihat=1")
    policy = response["Content-Security-Policy"]
    assert "frame-ancestors 'self'" in policy and "'none'" not in policy.split("frame-ancestors")[1].split(";")[0]
    assert response["X-Frame-Options"] == "SAMEORIGIN"
    page = client.get(application.get_absolute_url())
    assert "frame-ancestors 'none'" in page["Content-Security-Policy"]
