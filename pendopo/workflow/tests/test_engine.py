"""The engine: starting a case, its rules (role, state, version, note, document), events, hooks."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.utils import translation

from pendopo.lib import codes
from pendopo.workflow import actions
from pendopo.workflow.definition import default_service_workflow
from pendopo.workflow.engine import apply_action, assign_case, available_actions, reroute_case, start_case
from pendopo.workflow.errors import (
    Conflict,
    DefinitionNotActive,
    DocumentRequired,
    NotAllowed,
    NoteRequired,
    WrongState,
)
from pendopo.workflow.models import Case, CaseEvent, CaseKind, ImmutableEventError
from pendopo.workflow.registry import register_case_kind, unregister_case_kind

from .conftest import wib


@pytest.fixture
def case(open_application, frozen):
    frozen(wib(2026, 6, 2, 9, 0))  # a Tuesday
    return open_application()


@pytest.fixture
def recorded():
    """Register hooks for applications that record what they see; unregister afterwards."""
    seen: list[tuple[str, int, str]] = []
    register_case_kind(
        CaseKind.APPLICATION,
        on_timeout=lambda case, event: seen.append(("timeout", case.pk, event.action)),
        on_overdue=lambda case, event: seen.append(("overdue", case.pk, event.action)),
    )
    yield seen
    unregister_case_kind(CaseKind.APPLICATION)


def test_start_case_opens_in_the_start_state(world, case, service_definition):
    assert codes.is_valid(case.code) and case.code.startswith("BWI-")
    assert case.state == "submitted"
    assert case.definition == service_definition
    assert case.region == world.region_a and case.agency == world.agency_a1 and case.owner == world.citizen
    assert case.received_at == wib(2026, 6, 2, 9, 0)
    # 5 working days from Tuesday 2 June: Wed, Thu, Fri, Mon, Tue 9 June, closing 15:30.
    assert case.due_at == wib(2026, 6, 9, 15, 30)
    assert case.state_due_at == wib(2026, 6, 3, 15, 30)  # submitted: 1 working day
    assert case.lock_version == 1 and not case.is_closed and not case.is_paused
    (event,) = case.events.all()
    assert (event.seq, event.action, event.from_state, event.to_state, event.actor, event.actor_role) == (
        1,
        "start",
        "",
        "submitted",
        world.citizen,
        "applicant",
    )


def test_the_happy_path_to_completion_is_read_back_at_once(world, case):
    case = apply_action(case, "receive", world.officer_a1).case
    case = apply_action(case, "verify", world.officer_a1).case
    case = apply_action(case, "submit_for_approval", world.officer_a1, note="Draf izin siap.").case
    case = apply_action(case, "approve", world.head_a1).case
    fresh = Case.objects.get(pk=case.pk)  # a read right after the write sees it
    assert fresh.state == "completed" and fresh.outcome == "completed"
    assert fresh.closed_at == wib(2026, 6, 2, 9, 0)
    assert fresh.state_due_at is None
    assert fresh.lock_version == 5
    events = list(fresh.events.values_list("seq", "action", "from_state", "to_state", "actor__username", "actor_role"))
    assert events == [
        (1, "start", "", "submitted", "warga", "applicant"),
        (2, "receive", "submitted", "verification", "petugas_a1", "officer"),
        (3, "verify", "verification", "processing", "petugas_a1", "officer"),
        (4, "submit_for_approval", "processing", "approval", "petugas_a1", "officer"),
        (5, "approve", "approval", "completed", "kepala_a1", "head"),
    ]
    assert fresh.events.get(seq=4).note == "Draf izin siap."


def test_role_is_checked(world, case):
    with pytest.raises(NotAllowed):
        apply_action(case, "receive", world.citizen)  # the applicant may not receive their own application
    case = apply_action(case, "receive", world.officer_a1).case
    case = apply_action(case, "verify", world.officer_a1).case
    case = apply_action(case, "submit_for_approval", world.officer_a1).case
    with pytest.raises(NotAllowed):
        apply_action(case, "approve", world.officer_a1)  # approval is the head's
    assert Case.objects.get(pk=case.pk).state == "approval"


def test_state_is_checked(world, case):
    with pytest.raises(WrongState):
        apply_action(case, "approve", world.head_a1)
    with pytest.raises(WrongState):
        apply_action(case, "no_such_action", world.head_a1)
    case = apply_action(case, "withdraw", world.citizen).case
    assert case.is_closed and case.outcome == "withdrawn"
    with pytest.raises(WrongState):
        apply_action(case, "withdraw", world.citizen)


def test_note_is_required_and_nothing_is_half_saved(world, case):
    case = apply_action(case, "receive", world.officer_a1).case
    for note in ("", "   "):
        with pytest.raises(NoteRequired):
            apply_action(case, "return_for_revision", world.officer_a1, note=note)
    fresh = Case.objects.get(pk=case.pk)
    assert (fresh.state, fresh.lock_version, fresh.events.count()) == ("verification", 2, 2)
    case = apply_action(case, "return_for_revision", world.officer_a1, note="Fotokopi KK buram.").case
    assert case.state == "revision"


def test_document_is_required(world, open_application):
    data = default_service_workflow()
    next(a for a in data["actions"] if a["key"] == "resubmit")["requires_document"] = True
    definition = actions.create_definition(world.region_a, "with-documents", "Dengan berkas", data)
    case = open_application(definition=definition)
    case = apply_action(case, "receive", world.officer_a1).case
    case = apply_action(case, "return_for_revision", world.officer_a1, note="Unggah ulang KTP.").case
    with pytest.raises(DocumentRequired):
        apply_action(case, "resubmit", world.citizen)
    case = apply_action(case, "resubmit", world.citizen, documents=["DOC-1", {"id": 7, "name": "ktp.pdf"}]).case
    assert case.events.last().documents == ["DOC-1", {"id": 7, "name": "ktp.pdf"}]


def test_version_conflict(world, case):
    stale = Case.objects.get(pk=case.pk)
    apply_action(case, "receive", world.officer_a1)
    with pytest.raises(Conflict) as caught:
        apply_action(stale, "reject", world.head_a1, note="Tidak lengkap.")  # loaded before the change
    assert caught.value.code == "conflict" and caught.value.http_status == 409
    with pytest.raises(Conflict):
        apply_action(case.pk, "verify", world.officer_a1, expected_version=1)
    # With the id and no expected version, the action applies to whatever is current.
    assert apply_action(case.pk, "verify", world.officer_a1).case.state == "processing"


def test_errors_have_codes_and_translated_messages(world, case):
    with pytest.raises(WrongState) as caught:
        apply_action(case, "approve", world.head_a1)
    assert caught.value.code == "wrong_state"
    with translation.override("en"):
        error = WrongState()
    assert str(error) == "This action is not available in the current step of the case."
    assert {cls.code for cls in (NotAllowed, WrongState, Conflict, NoteRequired, DocumentRequired)} == {
        "not_allowed",
        "wrong_state",
        "conflict",
        "note_required",
        "document_required",
    }


def test_system_actions_are_the_systems_alone(world, complaint_definition):
    case = start_case(CaseKind.COMPLAINT, world.region_a, complaint_definition, agency=world.agency_a1, owner=world.citizen)
    case = apply_action(case, "postpone", world.admin_a, note="Lokasi kurang jelas.").case
    with pytest.raises(NotAllowed):
        apply_action(case, "archive_incomplete", world.admin_a)
    with pytest.raises(NotAllowed):
        apply_action(case, "complete_report", None, note="x", system=True)
    case = apply_action(case, "archive_incomplete", None, system=True).case
    assert case.state == "archived" and case.outcome == "rejected"
    event = case.events.last()
    assert event.actor is None and event.actor_role == "system"


def test_an_anonymous_applicant_acts_through_the_caller(world, complaint_definition):
    case = start_case(CaseKind.COMPLAINT, world.region_a, complaint_definition, agency=world.agency_a1, owner=None)
    assert case.events.get().actor_role == "applicant"
    with pytest.raises(NotAllowed):
        apply_action(case, "withdraw", None)
    case = apply_action(case, "withdraw", None, as_applicant=True).case
    assert case.outcome == "withdrawn" and case.events.last().actor is None


def test_an_action_runs_no_hook_the_returned_event_is_the_kinds_to_announce(world, case, recorded):
    """Each kind's action notifies directly with the event apply_action returns; hooks are for the sweep."""
    event = apply_action(case, "receive", world.officer_a1)
    assert recorded == []
    assert (event.seq, event.action, event.case.state) == (2, "receive", "verification")


def test_sweep_hooks_run_in_its_transaction(world, case, recorded, frozen):
    from pendopo.workflow.sweep import sweep_overdue

    def boom(case, event):
        raise RuntimeError("hook failed")

    register_case_kind(CaseKind.APPLICATION, on_overdue=boom)
    frozen(wib(2026, 6, 4, 9, 0))  # past the step deadline (Wednesday 3 June, 15:30)
    with pytest.raises(RuntimeError):
        sweep_overdue()
    fresh = Case.objects.get(pk=case.pk)
    assert not fresh.is_overdue and fresh.events.count() == 1  # rolled back with the hook


def test_on_commit_in_a_hook_runs_after_the_commit(world, case, frozen, django_capture_on_commit_callbacks):
    from pendopo.workflow.sweep import sweep_overdue

    sent = []
    register_case_kind(CaseKind.APPLICATION, on_overdue=lambda c, e: transaction.on_commit(lambda: sent.append(e.action)))
    try:
        frozen(wib(2026, 6, 4, 9, 0))
        with django_capture_on_commit_callbacks(execute=True):
            sweep_overdue()
        assert sent == ["overdue"]
    finally:
        unregister_case_kind(CaseKind.APPLICATION)


def test_events_are_append_only(case):
    event = case.events.get()
    event.note = "changed"
    with pytest.raises(ImmutableEventError):
        event.save()
    with pytest.raises(ImmutableEventError):
        event.delete()
    with pytest.raises(ImmutableEventError):
        CaseEvent.objects.filter(pk=event.pk).update(note="changed")
    with pytest.raises(ImmutableEventError):
        CaseEvent.objects.filter(pk=event.pk).delete()
    assert CaseEvent.objects.get(pk=event.pk).note == ""


def test_available_actions(world, case):
    def keys(user):
        return [action.key for action in available_actions(case, user)]

    assert keys(world.officer_a1) == ["receive", "reject"]
    assert keys(world.head_a1) == ["receive", "reject"]
    assert keys(world.citizen) == ["withdraw"]
    assert keys(world.officer_a2) == [] and keys(world.officer_b1) == [] and keys(None) == []
    case = apply_action(case, "receive", world.officer_a1).case
    case = apply_action(case, "verify", world.officer_a1).case
    case = apply_action(case, "submit_for_approval", world.officer_a1).case
    assert keys(world.officer_a1) == []
    assert keys(world.head_a1) == ["approve", "send_back", "reject_at_approval"]


def test_a_case_starts_only_on_an_active_definition_of_its_region(world, service_definition):
    other = actions.create_definition(world.region_b, "default-service", "Alur", default_service_workflow())
    with pytest.raises(DefinitionNotActive):
        start_case(CaseKind.APPLICATION, world.region_a, other, agency=world.agency_a1)
    actions.retire_definition(service_definition)
    with pytest.raises(DefinitionNotActive):
        start_case(CaseKind.APPLICATION, world.region_a, service_definition, agency=world.agency_a1)
    with pytest.raises(ValueError, match="does not belong"):
        start_case(CaseKind.APPLICATION, world.region_b, other, agency=world.agency_a1)


def test_assign(world, case):
    with pytest.raises(NotAllowed):
        assign_case(case, world.counter_officer_a, world.officer_a1)  # an officer only takes a case themselves
    assign_case(case, world.officer_a1, world.officer_a1)
    case.refresh_from_db()
    assert case.assigned_to == world.officer_a1
    with pytest.raises(NotAllowed):
        assign_case(case, world.officer_a2, world.head_a1)  # officer of another agency
    assign_case(case, world.head_a1, world.head_a1)
    case.refresh_from_db()
    # Each assignment is a change of the case: it moves the version on, as every action does (issue #18).
    assert case.assigned_to == world.head_a1 and case.lock_version == 3
    assert list(case.events.filter(action="assign").values_list("data__assigned_to", flat=True)) == [
        world.officer_a1.pk,
        world.head_a1.pk,
    ]


def test_reroute(world, complaint_definition):
    case = start_case(CaseKind.COMPLAINT, world.region_a, complaint_definition, agency=world.agency_a1, owner=world.citizen)
    with pytest.raises(NotAllowed):
        reroute_case(case, world.officer_a1, agency=world.agency_a2)
    with pytest.raises(NotAllowed):
        reroute_case(case, world.admin_a, agency=world.agency_b1)
    case = reroute_case(case, world.admin_a, agency=world.agency_a2, note="Urusan Dinkes.")
    case = apply_action(case, "verify", world.admin_a).case
    with pytest.raises(NotAllowed):
        apply_action(case, "respond", world.officer_a1, note="x")
    case = apply_action(case, "respond", world.officer_a2, note="Kami tindak lanjuti minggu ini.").case
    assert case.state == "answered"


def test_apply_action_returns_the_event_it_wrote(world, case):
    event = apply_action(case, "receive", world.officer_a1)
    assert event.pk == case.events.order_by("-seq").values_list("pk", flat=True).first()
    assert (event.action, event.from_state, event.to_state) == ("receive", "submitted", "verification")
    assert event.actor == world.officer_a1
    assert event.case.state == "verification" and event.case.lock_version == case.lock_version + 1


def test_every_event_counts_itself_on_its_case_whatever_the_clock_says(world, case, frozen):
    """`Case.last_seq` is the number of the last event; `updated_at` never goes back to an earlier event's time."""
    assert case.last_seq == 1
    case = apply_action(case, "receive", world.officer_a1).case
    frozen(wib(2026, 6, 2, 8, 0))  # another machine whose clock is an hour behind takes the next step
    assign_case(case, world.officer_a1, world.officer_a1)
    case.refresh_from_db()
    assert case.last_seq == 3 == case.events.count()
    assert list(case.events.values_list("seq", flat=True)) == [1, 2, 3]
    assert case.updated_at == wib(2026, 6, 2, 9, 0)  # the later of the two times, not the skewed clock's


def test_an_event_written_from_a_stale_copy_of_the_case_is_refused_not_misnumbered(world, case):
    from django.db import IntegrityError

    from pendopo.workflow.engine import append_event

    stale = Case.objects.get(pk=case.pk)
    apply_action(case, "receive", world.officer_a1)
    with pytest.raises(IntegrityError), transaction.atomic():
        append_event(stale, "note", None, "system", stale.state, stale.state, "", [], {}, stale.updated_at)
    assert list(case.events.values_list("seq", "action")) == [(1, "start"), (2, "receive")]
