"""The workflow engine's rules as applied to applications: who may take which step, notes, documents, conflicts."""

from __future__ import annotations

import pytest

from pendopo.applications import actions
from pendopo.applications.models import Document
from pendopo.applications.tests.conftest import pdf_bytes, upload, wib
from pendopo.applications.uploads import check_upload
from pendopo.workflow.engine import available_actions
from pendopo.workflow.errors import Conflict, NotAllowed, NoteRequired, WrongState
from pendopo.workflow.models import CaseEvent

pytestmark = pytest.mark.django_db


def steps(application):
    return list(CaseEvent.objects.filter(case=application.case).order_by("seq").values_list("action", "to_state"))


def test_an_application_goes_through_the_default_workflow_to_completion(world, apply, frozen):
    application = apply()

    actions.take_action(application, "receive", world.officer_a1)
    actions.take_action(application, "verify", world.officer_a1)
    actions.take_action(application, "submit_for_approval", world.officer_a1)
    frozen(wib(2026, 2, 3, 10, 0))
    actions.take_action(application, "approve", world.head_a1, note="KTP siap diambil")

    case = application.case
    case.refresh_from_db()
    assert case.state == "completed" and case.outcome == "completed"
    assert case.closed_at == wib(2026, 2, 3, 10, 0)
    assert steps(application) == [
        ("start", "submitted"),
        ("receive", "verification"),
        ("verify", "processing"),
        ("submit_for_approval", "approval"),
        ("approve", "completed"),
    ]


def test_only_the_roles_of_the_definition_may_take_a_step(world, apply):
    application = apply()
    actions.take_action(application, "receive", world.officer_a1)
    actions.take_action(application, "verify", world.officer_a1)
    actions.take_action(application, "submit_for_approval", world.officer_a1)

    # Approval is the head's: the officer of the same agency is refused, and is offered nothing.
    assert [a.key for a in available_actions(application.case, world.officer_a1)] == []
    with pytest.raises(NotAllowed):
        actions.take_action(application, "approve", world.officer_a1)
    # Officers of another agency or region, and the applicant, hold no role for the approval.
    for outsider in (world.officer_a2, world.officer_b1, world.admin_b):
        with pytest.raises(NotAllowed):
            actions.take_action(application, "approve", outsider)
    with pytest.raises(NotAllowed):
        actions.take_action(application, "approve", world.citizen)
    assert [a.key for a in available_actions(application.case, world.head_a1)] == ["approve", "send_back", "reject_at_approval"]
    assert [a.key for a in available_actions(application.case, world.citizen)] == ["withdraw"]


def test_a_step_that_does_not_leave_the_current_state_is_refused(world, apply):
    application = apply()
    with pytest.raises(WrongState):
        actions.take_action(application, "approve", world.head_a1)


def test_rejection_and_return_need_a_note_and_nothing_is_written_without_it(world, apply):
    application = apply()
    actions.take_action(application, "receive", world.officer_a1)

    with pytest.raises(NoteRequired):
        actions.take_action(application, "reject", world.officer_a1, note="   ")
    with pytest.raises(NoteRequired):
        actions.take_action(application, "return_for_revision", world.officer_a1)

    application.case.refresh_from_db()
    assert application.case.state == "verification"
    assert len(steps(application)) == 2


def test_a_stale_version_is_a_conflict(world, apply):
    application = apply()
    loaded_version = application.case.lock_version
    actions.take_action(application, "receive", world.officer_a1, expected_version=loaded_version)

    with pytest.raises(Conflict) as refused:
        actions.take_action(application, "reject", world.head_a1, note="dobel", expected_version=loaded_version)
    assert "Someone else" in str(refused.value) or "Orang lain" in str(refused.value)
    application.case.refresh_from_db()
    assert application.case.state == "verification"


def test_a_document_attached_to_a_step_is_stored_and_named_on_the_event(world, apply):
    application = apply()
    checked = check_upload(upload("berita-acara.pdf", pdf_bytes()))

    actions.take_action(application, "receive", world.officer_a1, note="Berkas diterima", upload=checked)

    event = CaseEvent.objects.get(case=application.case, seq=2)
    [reference] = event.documents
    document = Document.objects.get(key=reference["key"])
    assert (document.kind, document.event_seq, reference["name"]) == ("action", 2, "berita-acara.pdf")
    assert document.uploaded_by == world.officer_a1


def test_a_read_right_after_a_step_sees_it(world, apply, client):
    application = apply()
    actions.take_action(application, "receive", world.officer_a1)

    client.force_login(world.officer_a1)
    response = client.get("/api/v1/applications?state=verification")
    assert [item["code"] for item in response.json()["items"]] == [application.code]
