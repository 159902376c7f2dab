"""Per-category deadlines and the overdue sweep's escalation (the workflow's shared mechanism)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail

from pendopo.complaints import actions
from pendopo.complaints.models import Tier
from pendopo.complaints.tests.conftest import MONDAY, file, wib
from pendopo.notifications.delivery import deliver_due
from pendopo.workflow.sweep import sweep_overdue

pytestmark = pytest.mark.django_db


def test_default_sp4n_lapor_deadlines(world, setup, frozen):
    complaint = file(world.region_a, setup.road_a).complaint
    # Verification: 3 working days from Monday 2 Feb 09:00 → Thursday 5 Feb at closing (15:30).
    assert complaint.case.state_due_at == wib(2026, 2, 5, 15, 30)
    # The answer is due 3 + 5 working days after receipt until the complaint is forwarded.
    assert complaint.response_due_at == wib(2026, 2, 12, 15, 30)
    frozen.move_to(wib(2026, 2, 3, 10, 0))
    actions.take_action(complaint, "verify", world.admin_a)
    # Forwarded on Tuesday: the agency has 5 working days → Tuesday 10 Feb, closing time.
    assert complaint.case.state_due_at == wib(2026, 2, 10, 15, 30)
    complaint.refresh_from_db()
    assert complaint.response_due_at == wib(2026, 2, 10, 15, 30)
    actions.take_action(complaint, "respond", world.officer_a1, "Ditindaklanjuti.")
    # "Needing supervision" tier: 14 working days to carry it out (16-17 Feb are holidays in 2026).
    assert complaint.case.time_limits["answered"] == {"value": 14, "unit": "working_days"}


def test_deadlines_are_configurable_per_category(world, setup, frozen):
    setup.road_a.verification_days, setup.road_a.follow_up_days, setup.road_a.tier = 1, 2, Tier.INVESTIGATION
    setup.road_a.confirmation_days = 5
    setup.road_a.save()
    complaint = file(world.region_a, setup.road_a).complaint
    assert complaint.case.state_due_at == wib(2026, 2, 3, 15, 30)
    assert complaint.case.time_limits == {
        "new": {"value": 1, "unit": "working_days"},
        "follow_up": {"value": 2, "unit": "working_days"},
        "answered": {"value": 60, "unit": "working_days"},
        "awaiting_confirmation": {"value": 5, "unit": "working_days"},
    }


def test_overdue_complaints_escalate_through_the_workflow_sweep(world, setup, django_capture_on_commit_callbacks):
    with time_machine.travel(MONDAY, tick=False):
        complaint = file(world.region_a, setup.road_a).complaint
        actions.take_action(complaint, "verify", world.admin_a)
    # The agency's 5 working days end Monday 9 Feb at 15:30; on Tuesday it is overdue.
    with time_machine.travel(wib(2026, 2, 10, 9, 0), tick=False):
        result = sweep_overdue()
    assert result.marked_overdue == 1 and result.escalations == 1
    complaint.case.refresh_from_db()
    assert complaint.case.is_overdue and complaint.case.escalation_level == 1
    assert complaint.case.events.filter(action="overdue").count() == 1
    escalate = complaint.case.events.get(action="escalate")
    assert escalate.data["recipients"] == [world.head_a1.pk]
    # Two working days later (the 16th and 17th are holidays), level 2 adds the region administrator.
    with time_machine.travel(wib(2026, 2, 19, 9, 0), tick=False):
        result = sweep_overdue()
    assert result.escalations == 1
    complaint.case.refresh_from_db()
    assert complaint.case.escalation_level == 2
    deliver_due()
    recipients = {address for message in mail.outbox for address in message.to}
    assert {world.head_a1.email, world.admin_a.email} <= recipients
    link = f"/r/banyuwangi/pengaduan/{complaint.code}/"
    assert any(link in message.body for message in mail.outbox)
    # Twice changes nothing.
    with time_machine.travel(wib(2026, 2, 19, 9, 0), tick=False):
        assert sweep_overdue().escalations == 0


def test_unconfirmed_resolution_closes_itself_after_the_period(world, setup):
    with time_machine.travel(MONDAY, tick=False):
        complaint = file(world.region_a, setup.lamp_a).complaint
        actions.take_action(complaint, "verify", world.admin_a)
        actions.take_action(complaint, "resolve", world.officer_a2, "Lampu sudah diganti.")
    assert complaint.case.state == "awaiting_confirmation" and complaint.case.is_paused
    with time_machine.travel(MONDAY + dt.timedelta(days=30), tick=False):
        assert sweep_overdue().timed_out == 1
    complaint.case.refresh_from_db()
    assert complaint.case.state == "closed"


def test_answered_on_time_in_statistics(world, setup):
    from pendopo.complaints.models import Complaint
    from pendopo.complaints.stats import agency_stats

    with time_machine.travel(MONDAY, tick=False):
        fast = file(world.region_a, setup.road_a).complaint
        slow = file(world.region_a, setup.road_a).complaint
        file(world.region_a, setup.road_a)  # never answered
        actions.take_action(fast, "verify", world.admin_a)
        actions.take_action(slow, "verify", world.admin_a)
    with time_machine.travel(wib(2026, 2, 3, 10, 0), tick=False):
        actions.take_action(fast, "respond", world.officer_a1, "Segera.")  # 1 working day
    with time_machine.travel(wib(2026, 2, 12, 10, 0), tick=False):
        actions.take_action(slow, "respond", world.officer_a1, "Maaf terlambat.")  # 8 working days, past 9 Feb
    rows = agency_stats(world.region_a, Complaint.objects.all())
    assert len(rows) == 1
    row = rows[0]
    assert (row.agency, row.received, row.answered, row.answered_on_time, row.open_unanswered) == (world.agency_a1, 3, 2, 1, 1)
    assert row.median_response_days == 4.5
