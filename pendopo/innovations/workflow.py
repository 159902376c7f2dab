"""Submission and verification of an innovation on the shared workflow engine (pendopo/workflow).

An innovation is a case of kind `innovation` from its first submission on. Its workflow is data,
`data/verification_workflow.json` (code `innovation-verification`), created for every region
when it is set up (`set_up_region`, a `post_save` of a new Region) and for regions that existed
before by migration `0002` (a frozen copy of that file beside the migration). A region may revise
it like any workflow (a new version; running cases keep theirs).

    submitted (start; the team verifies within 20 working days)
      --approve (region_admin)--> verified (terminal, completed)
      --return_for_revision (region_admin, note)--> returned (waiting for the agency: paused)
    returned --resubmit (applicant)--> submitted

The case belongs to the region, not to an agency (`case.agency` is empty), so that an agency's
inbox and its head's dashboard, which list the agency's applications and complaints, do not list
the region's verification work. The agency's staff who may act on the innovation
(`can(user, ACT, innovation)`) hold the `applicant` role on its case through the kind's
`is_owner` hook; the region's innovation team are its region administrators.

`Innovation.status` mirrors the case's state (draft until the first submission) for the
register's filters and the index; it changes only here, after the engine's transition.
"""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError

from pendopo.innovations.models import Innovation, Status
from pendopo.regions.models import Role
from pendopo.workflow import engine
from pendopo.workflow.errors import NotAllowed, WorkflowError
from pendopo.workflow.models import Case, CaseEvent, CaseKind
from pendopo.workflow.registry import register_case_kind
from pendopo.workflow.selectors import definition_for

if TYPE_CHECKING:
    from pendopo.regions.models import Region, User

DATA = Path(__file__).parent / "data" / "verification_workflow.json"
CODE = "innovation-verification"

# The case's state -> the register's status.
STAFF = (Role.OFFICER, Role.HEAD)
STATUS_OF_STATE = {"submitted": Status.SUBMITTED, "returned": Status.RETURNED, "verified": Status.VERIFIED}


@cache
def default() -> dict[str, Any]:
    return json.loads(DATA.read_text(encoding="utf-8"))


def ensure_definition(region: Region) -> None:
    """Give `region` the verification workflow if it has no active version of it (idempotent)."""
    from pendopo.workflow import actions as workflow_actions
    from pendopo.workflow.selectors import active_definition

    if active_definition(region, CODE) is None:
        data = default()
        workflow_actions.create_definition(region, CODE, data["name"], data["definition"])


def set_up_region(sender: type[Region], instance: Region, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    if created and not raw:
        ensure_definition(instance)


def _innovation_of(case: Case) -> Innovation | None:
    return Innovation.objects.filter(case=case).select_related("region", "agency").first()


def is_owner(case: Case, user: User) -> bool:
    """The agency's staff who may act on the innovation (`can(user, ACT, innovation)`) hold the applicant role.

    Read from the user's memberships already loaded, as `can` does (one small query for the innovation).
    """
    if user.is_platform_admin:
        return True
    place = Innovation.objects.filter(case=case).values_list("region_id", "agency_id").first()
    if place is None:
        return False
    region_id, agency_id = place
    return any(
        m.region_id == region_id and (m.role == Role.REGION_ADMIN or (m.agency_id == agency_id and m.role in STAFF))
        for m in user.active_memberships
    )


def _sync_status(case: Case) -> None:
    """The innovation's status follows its case (called by the actions below, which take every step)."""
    status = STATUS_OF_STATE.get(case.state)
    if status is not None:
        Innovation.objects.filter(case=case).exclude(status=status).update(status=status)


def staff_url(case: Case) -> str:
    innovation = _innovation_of(case)
    return innovation.get_absolute_url() if innovation else ""


def _raise(exc: WorkflowError) -> None:
    if isinstance(exc, NotAllowed):
        raise PermissionDenied(str(exc)) from exc
    raise ValidationError(str(exc), code=exc.code) from exc


def submit(innovation: Innovation, actor: User) -> CaseEvent | Case:
    """Open the innovation's case (first submission) or resubmit it after a return."""
    try:
        if innovation.case_id is None:
            case = engine.start_case(
                CaseKind.INNOVATION, innovation.region, definition_for(innovation.region, [CODE]), actor=actor
            )
            innovation.case = case
            innovation.status = STATUS_OF_STATE[case.state]
            return case
        event = engine.apply_action(innovation.case_id, "resubmit", actor)
    except WorkflowError as exc:
        _raise(exc)
    _sync_status(event.case)
    innovation.status = STATUS_OF_STATE[event.case.state]
    return event


def decide(innovation: Innovation, actor: User, action: str, note: str = "") -> CaseEvent:
    """The team's decision: `approve` or `return_for_revision` (with a note)."""
    try:
        case = innovation.case
        if case is None:
            # Submitted before verification moved onto the engine (migration 0002): open its case now.
            case = innovation.case = engine.start_case(
                CaseKind.INNOVATION, innovation.region, definition_for(innovation.region, [CODE]), actor=actor
            )
        event = engine.apply_action(case.pk, action, actor, note=note)
    except WorkflowError as exc:
        _raise(exc)
    _sync_status(event.case)
    innovation.status = STATUS_OF_STATE[event.case.state]
    return event


def steps(innovation: Innovation) -> list[Any]:
    """The verification timeline (the engine's events, labelled in the reader's language)."""
    if innovation.case is None:
        return []
    from pendopo.workflow.selectors import timeline

    return timeline(innovation.case, private=True)


register_case_kind(CaseKind.INNOVATION, is_owner=is_owner, url=staff_url)
