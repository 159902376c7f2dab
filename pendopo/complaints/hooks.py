"""What the complaint kind of case plugs into the shared workflow engine (pendopo.workflow.registry).

- after_step (called by actions.take_action, and by on_timeout when the sweep takes a timeout
  action): when a complaint is first forwarded to its agency, the answer deadline becomes the end
  of the agency's follow-up period; the complainant hears of each step (when identified).
- url: the staff page of the complaint, used in the escalation emails of the overdue sweep.

Overdue complaints are marked and escalated by the workflow's own sweep, with the escalation
rules of the complaint workflow: the same mechanism as applications.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pendopo.complaints import notify
from pendopo.complaints.models import Complaint, Verification
from pendopo.workflow.models import CaseEvent, CaseKind
from pendopo.workflow.registry import register_case_kind

if TYPE_CHECKING:
    from pendopo.workflow.models import Case

# Steps announced to the complainant (a response has its own message, so "respond" is not here).
ANNOUNCED = frozenset(
    {"verify", "postpone", "not_our_authority", "archive", "archive_incomplete", "resolve", "close_unconfirmed"}
)


def after_step(complaint: Complaint, event: CaseEvent) -> None:
    """What follows a step of a complaint, in its transaction: the agency's answer deadline and the complainant's message.

    Called by actions.take_action with the event apply_action returned, and by the sweep's
    timeout hook below."""
    case = complaint.case
    # Only the first forwarding sets the agency's answer deadline; a complaint returned as "wrong
    # agency" and forwarded again keeps it (the region, not the complainant, lost the time).
    first_forwarding = event.action == "verify" and CaseEvent.objects.filter(case_id=case.pk, action="verify").count() == 1
    if first_forwarding and case.state_due_at is not None:
        complaint.response_due_at = case.state_due_at
        Complaint.objects.filter(pk=complaint.pk).update(response_due_at=case.state_due_at)
    if event.action == "verify":
        _verified_by_step(complaint, event)
    if event.action in ANNOUNCED:
        notify.step(complaint, event)


def _verified_by_step(complaint: Complaint, event: CaseEvent) -> None:
    """The workflow's "verify and forward" step also verifies a report still waiting: it becomes public."""
    if complaint.verification != Verification.PENDING:
        return
    complaint.verification, complaint.verified_at, complaint.verified_by_id = Verification.VERIFIED, event.at, event.actor_id
    Complaint.objects.filter(pk=complaint.pk, verification=Verification.PENDING).update(
        verification=Verification.VERIFIED, verified_at=event.at, verified_by_id=event.actor_id
    )


def on_timeout(case: Case, event: CaseEvent) -> None:
    """The sweep took a timeout action (the complainant did not complete the report in time)."""
    complaint = Complaint.objects.select_related("region__regency", "category").filter(case_id=case.pk).first()
    if complaint is None:
        return
    complaint.case = case
    after_step(complaint, event)


def staff_url(case: Case) -> str:
    from pendopo.regions.links import absolute

    complaint = Complaint.objects.select_related("region").filter(case_id=case.pk).first()
    return absolute(notify.tracking_path(complaint)) if complaint else ""


register_case_kind(CaseKind.COMPLAINT, on_timeout=on_timeout, url=staff_url)
