"""Submission and verification on the shared workflow engine: the definition, the case, the roles."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from pendopo.innovations import actions, workflow
from pendopo.innovations.models import Status
from pendopo.regions.models import User
from pendopo.regions.permissions import Action, can
from pendopo.regions.tests.factories import RegionFactory
from pendopo.workflow import engine
from pendopo.workflow.definition import ActorRole
from pendopo.workflow.errors import NotAllowed
from pendopo.workflow.models import CaseEvent, CaseKind, WorkflowDefinition
from pendopo.workflow.permissions import roles_for
from pendopo.workflow.selectors import definition_for

from .conftest import filled


def test_every_region_gets_the_verification_workflow_as_data(world):
    region = RegionFactory()
    definition = WorkflowDefinition.objects.get(region=region, code=workflow.CODE, status="active")
    assert [a.key for a in definition.spec.actions] == [a["key"] for a in workflow.default()["definition"]["actions"]]
    assert {state.key for state in definition.spec.states} == {"submitted", "returned", "verified"}
    workflow.ensure_definition(region)  # idempotent
    assert WorkflowDefinition.objects.filter(region=region, code=workflow.CODE).count() == 1
    assert definition_for(world.region_a, [workflow.CODE]).status == "active"


def test_submit_return_resubmit_approve_runs_on_the_engine(world):
    innovation = filled(world.officer_a1, world.region_a, world.agency_a1)
    assert innovation.case is None and innovation.status == Status.DRAFT

    actions.submit(world.officer_a1, innovation)
    innovation.refresh_from_db()
    case = innovation.case
    assert (case.kind, case.state, case.agency_id, innovation.status) == (CaseKind.INNOVATION, "submitted", None, "submitted")
    assert case.state_due_at is not None  # the team's 20 working days

    with pytest.raises(ValidationError) as caught:
        actions.finish_verification(world.admin_a, innovation, approve=False, note="")
    assert "note" in caught.value.message_dict
    actions.finish_verification(world.admin_a, innovation, approve=False, note="Lengkapi bukti baris 33.")
    innovation.refresh_from_db()
    innovation.case.refresh_from_db()
    assert innovation.status == Status.RETURNED and innovation.case.state == "returned"
    assert innovation.case.paused_at is not None  # waiting for the agency: the team's clock stops

    actions.submit(world.officer_a1, innovation)
    for score in innovation.scores.all():
        actions.verify_row(world.admin_a, score, "accepted")
    actions.finish_verification(world.admin_a, innovation, approve=True)
    innovation.refresh_from_db()
    innovation.case.refresh_from_db()
    assert innovation.status == Status.VERIFIED and innovation.is_published
    assert innovation.case.state == "verified" and innovation.case.outcome == "completed"
    events = list(CaseEvent.objects.filter(case=innovation.case).order_by("seq").values_list("action", "actor_role"))
    assert events == [
        ("start", "applicant"),
        ("return_for_revision", "region_admin"),
        ("resubmit", "applicant"),
        ("approve", "region_admin"),
    ]
    assert [step.label for step in workflow.steps(innovation)][-1] == "Setujui dan terbitkan"


def test_roles_on_the_case_follow_the_register(world):
    innovation = filled(world.officer_a1, world.region_a, world.agency_a1)
    innovation = actions.submit(world.officer_a1, innovation)
    case = innovation.case
    assert roles_for(case, world.officer_a1) == {ActorRole.APPLICANT}
    assert roles_for(case, world.head_a1) == {ActorRole.APPLICANT}
    assert ActorRole.REGION_ADMIN in roles_for(case, world.admin_a)
    assert roles_for(case, world.officer_a2) == set()  # another agency of the region
    assert roles_for(case, world.officer_b1) == set()
    users = [value for value in vars(world).values() if isinstance(value, User)]
    assert len(users) > 5
    for user in users:
        assert (ActorRole.APPLICANT in roles_for(case, user)) == can(user, Action.ACT, innovation), user.username
    # The agency cannot approve its own innovation, even through the engine directly.
    with pytest.raises(NotAllowed):
        engine.apply_action(case.pk, "approve", world.officer_a1)
    with pytest.raises(PermissionDenied):
        actions.finish_verification(world.officer_a1, innovation, approve=True)


def test_an_agency_inbox_does_not_list_the_regions_verification_work(world):
    innovation = filled(world.officer_a1, world.region_a, world.agency_a1)
    actions.submit(world.officer_a1, innovation)
    from pendopo.workflow.models import Case

    assert not Case.objects.filter(region=world.region_a, agency=world.agency_a1).exists()
