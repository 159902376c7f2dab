"""Reads of workflow data, scoped through pendopo.regions.permissions."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from pendopo.regions.permissions import Action, get_for_user, visible_to
from pendopo.workflow.models import Case, CaseEvent, WorkflowDefinition

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import Region, User


def active_definition(region: Region, code: str) -> WorkflowDefinition | None:
    """The active version of a region's workflow, read fresh (no cache: a new version applies at once)."""
    return WorkflowDefinition.objects.filter(region=region, code=code, status=WorkflowDefinition.Status.ACTIVE).first()


def cases_visible_to(user: User | AnonymousUser | None, action: Action = Action.VIEW) -> QuerySet[Case]:
    return visible_to(user, Case.objects.select_related("definition", "agency", "service_point"), action)


def get_case_for_user(user: User | AnonymousUser | None, code: str, action: Action = Action.VIEW) -> Case:
    """The case with this tracking code if the user may see (or `action`) it; else 404."""
    return get_for_user(
        user, Case.objects.select_related("definition", "region__regency", "agency", "service_point"), action, code=code
    )


def timeline(case: Case) -> QuerySet[CaseEvent]:
    """A case's events in order (the caller has checked the case is visible)."""
    return CaseEvent.objects.filter(case=case).select_related("actor").order_by("seq")
