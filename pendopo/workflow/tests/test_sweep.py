"""The overdue sweep: marks once, escalates per the definition, runs timeouts, and a second run changes nothing."""

from __future__ import annotations

import json

import pytest
from django.apps import apps
from django.core.management import call_command

from pendopo.workflow.engine import apply_action, start_case
from pendopo.workflow.models import Case, CaseKind
from pendopo.workflow.registry import register_case_kind, unregister_case_kind
from pendopo.workflow.sweep import sweep_overdue

from .conftest import wib


@pytest.fixture
def hooks():
    calls: list[tuple] = []
    register_case_kind(
        CaseKind.APPLICATION,
        on_overdue=lambda case, event: calls.append(("overdue", case.pk, event.seq)),
        on_escalate=lambda case, event, rule: calls.append(("escalate", case.pk, event.data["level"])),
        url=lambda case: f"https://pendopo.example/permohonan/{case.code}/",
    )
    yield calls
    unregister_case_kind(CaseKind.APPLICATION)


def outbox() -> list:
    """The escalation emails in the notifications outbox (an empty list if that app is not installed)."""
    if not apps.is_installed("pendopo.notifications"):
        return []
    from pendopo.notifications.models import Message

    return list(Message.objects.filter(event_key__startswith="workflow:").order_by("pk"))


needs_outbox = pytest.mark.skipif(not apps.is_installed("pendopo.notifications"), reason="pendopo.notifications is not installed")


def snapshot(case_id):
    case = Case.objects.get(pk=case_id)
    fields = ("state", "is_overdue", "overdue_since", "escalation_level", "assigned_to_id", "lock_version", "updated_at")
    return {name: getattr(case, name) for name in fields}, list(case.events.values_list("seq", flat=True))


def test_marks_once_escalates_and_is_idempotent(world, open_application, frozen, hooks):
    frozen(wib(2026, 6, 2, 9, 0))  # Tuesday
    case = open_application(overall=(5, "working_days"))
    assert case.state_due_at == wib(2026, 6, 3, 15, 30)

    frozen(wib(2026, 6, 3, 15, 0))  # not yet late
    assert sweep_overdue().marked_overdue == 0

    frozen(wib(2026, 6, 3, 16, 0))
    result = sweep_overdue()
    assert (result.marked_overdue, result.escalations) == (1, 1)
    case.refresh_from_db()
    assert case.is_overdue and case.overdue_since == wib(2026, 6, 3, 15, 30)
    assert case.escalation_level == 1
    overdue, escalate = case.events.filter(seq__gt=1).order_by("seq")
    assert (overdue.action, overdue.actor, overdue.actor_role, overdue.data["which"]) == ("overdue", None, "system", "step")
    assert escalate.action == "escalate"
    assert escalate.data["recipients"] == [world.head_a1.pk] and escalate.data["reassigned_to"] is None

    before = snapshot(case.pk)
    again = sweep_overdue()
    assert (again.marked_overdue, again.escalations, again.timed_out) == (0, 0, 0)
    assert snapshot(case.pk) == before
    assert hooks == [("overdue", case.pk, 2), ("escalate", case.pk, 1)]

    # Two more working days overdue (Thu, Fri; Monday morning counts as the 2nd): level 2.
    frozen(wib(2026, 6, 8, 10, 0))
    result = sweep_overdue()
    assert (result.marked_overdue, result.escalations) == (0, 1)
    case.refresh_from_db()
    assert case.escalation_level == 2 and case.assigned_to == world.head_a1
    last = case.events.order_by("seq").last()
    assert last.data["level"] == 2 and last.data["reassigned_to"] == world.head_a1.pk
    assert set(last.data["recipients"]) == {world.head_a1.pk, world.admin_a.pk}
    before = snapshot(case.pk)
    sweep_overdue()
    assert snapshot(case.pk) == before


@needs_outbox
def test_escalations_email_the_recipients_once(world, open_application, frozen, hooks):
    frozen(wib(2026, 6, 2, 9, 0))
    case = open_application()
    frozen(wib(2026, 6, 3, 16, 0))
    sweep_overdue()
    (message,) = outbox()
    assert message.to_email == world.head_a1.email
    assert case.code in message.body_text and f"https://pendopo.example/permohonan/{case.code}/" in message.body_text
    assert case.code in message.subject
    sweep_overdue()
    assert len(outbox()) == 1
    frozen(wib(2026, 6, 8, 10, 0))
    sweep_overdue()
    sweep_overdue()
    assert sorted(m.to_email for m in outbox()) == sorted([world.head_a1.email, world.head_a1.email, world.admin_a.email])


def test_overall_deadline_and_clearing_after_an_action(world, open_application, frozen):
    frozen(wib(2026, 6, 2, 9, 0))
    case = open_application(overall=(0, "working_days"))
    frozen(wib(2026, 6, 2, 16, 0))  # past the overall deadline (closing today); the step's is tomorrow
    sweep_overdue()
    case.refresh_from_db()
    assert case.is_overdue and case.events.get(action="overdue").data["which"] == "overall"
    # Moving on does not make it punctual: the overall deadline is still past.
    case = apply_action(case, "receive", world.officer_a1).case
    assert case.is_overdue and case.escalation_level == 1

    frozen(wib(2026, 6, 8, 9, 0))
    other = open_application(overall=(10, "working_days"))
    frozen(wib(2026, 6, 9, 16, 0))  # its first step (1 working day) is late
    sweep_overdue()
    other.refresh_from_db()
    assert other.is_overdue
    other = apply_action(other, "receive", world.officer_a1).case  # a fresh step deadline: no longer late
    assert (other.is_overdue, other.overdue_since, other.escalation_level) == (False, None, 0)


def test_closed_cases_are_left_alone(world, open_application, frozen):
    frozen(wib(2026, 6, 2, 9, 0))
    case = open_application()
    apply_action(case, "withdraw", world.citizen)
    frozen(wib(2026, 7, 1, 9, 0))
    assert sweep_overdue().checked == 0


def test_timeout_closes_an_unconfirmed_complaint(world, complaint_definition, frozen):
    frozen(wib(2026, 6, 1, 9, 0))
    case = start_case(CaseKind.COMPLAINT, world.region_a, complaint_definition, agency=world.agency_a1, owner=world.citizen)
    case = apply_action(case, "verify", world.admin_a).case
    case = apply_action(case, "resolve", world.officer_a1, note="Lampu jalan sudah diganti.").case
    assert case.state == "awaiting_confirmation" and case.is_paused
    # Monday 1 June is a holiday, so day 0 is Tuesday 2; 10 working days, skipping 16 June.
    assert case.state_due_at == wib(2026, 6, 17, 15, 30)

    frozen(wib(2026, 6, 17, 15, 0))
    assert sweep_overdue().timed_out == 0
    frozen(wib(2026, 6, 17, 16, 0))
    assert sweep_overdue().timed_out == 1
    case.refresh_from_db()
    assert (case.state, case.outcome, case.is_paused) == ("closed", "completed", False)
    event = case.events.order_by("seq").last()
    assert (event.action, event.actor_role, event.data["timeout"]) == ("close_unconfirmed", "system", True)
    before = snapshot(case.pk)
    assert sweep_overdue().timed_out == 0
    assert snapshot(case.pk) == before


def test_the_complainant_can_reopen_within_the_period(world, complaint_definition, frozen):
    frozen(wib(2026, 6, 2, 9, 0))
    case = start_case(CaseKind.COMPLAINT, world.region_a, complaint_definition, agency=world.agency_a1, owner=world.citizen)
    case = apply_action(case, "verify", world.admin_a).case
    case = apply_action(case, "resolve", world.officer_a1, note="Sudah diperbaiki.").case
    frozen(wib(2026, 6, 4, 9, 0))
    case = apply_action(case, "reopen", world.citizen, note="Lampu masih mati.").case
    assert case.state == "answered" and not case.is_paused


def test_the_command(open_application, frozen, capsys):
    frozen(wib(2026, 6, 2, 9, 0))
    open_application()
    frozen(wib(2026, 6, 4, 9, 0))
    call_command("sweep_overdue", "--json")
    assert json.loads(capsys.readouterr().out) == {"checked": 1, "marked_overdue": 1, "escalations": 1, "timed_out": 0}
    call_command("sweep_overdue")
    assert "0" in capsys.readouterr().out


def test_the_sweep_is_a_periodic_job():
    periodic = pytest.importorskip("pendopo.worker.periodic")
    from pendopo.workflow.tasks import SWEEP_EVERY, sweep_overdue_task

    job = periodic.registered()["workflow.sweep_overdue"]
    assert job.task_path == sweep_overdue_task.module_path and job.every == SWEEP_EVERY


def test_the_task_runs_the_sweep(open_application, frozen):
    from pendopo.workflow.tasks import sweep_overdue_task

    frozen(wib(2026, 6, 2, 9, 0))
    open_application()
    frozen(wib(2026, 6, 4, 9, 0))
    assert sweep_overdue_task.call() == {"checked": 1, "marked_overdue": 1, "escalations": 1, "timed_out": 0}


def test_batches_write_every_event_escalation_and_email(world, open_application, frozen):
    """Five late cases in batches of two: three transactions, and everything the case-by-case sweep wrote."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    frozen(wib(2026, 6, 2, 9, 0))
    cases = [open_application() for _ in range(5)]
    frozen(wib(2026, 6, 3, 16, 0))
    with CaptureQueriesContext(connection) as captured:
        result = sweep_overdue(batch_size=2)
    assert (result.checked, result.marked_overdue, result.escalations) == (5, 5, 5)
    for case in cases:
        case.refresh_from_db()
        assert case.is_overdue and case.escalation_level == 1
        assert list(case.events.order_by("seq").values_list("seq", "action")) == [(1, "start"), (2, "overdue"), (3, "escalate")]
        assert case.events.get(action="escalate").data["recipients"] == [world.head_a1.pk]
    if apps.is_installed("pendopo.notifications"):
        assert sorted(m.to_email for m in outbox()) == [world.head_a1.email] * 5
    batch_reads = [q["sql"] for q in captured if 'FROM "workflow_case"' in q["sql"] and '"workflow_case"."id" IN' in q["sql"]]
    assert len(batch_reads) == 3  # 2 + 2 + 1 cases, each batch locked and read at once
    if connection.vendor == "postgresql":
        # A case an officer holds at this moment is left to the next run rather than waited for.
        assert all("FOR UPDATE OF" in sql and "SKIP LOCKED" in sql for sql in batch_reads)
    before = [snapshot(case.pk) for case in cases]
    assert sweep_overdue(batch_size=2).escalations == 0
    assert [snapshot(case.pk) for case in cases] == before
