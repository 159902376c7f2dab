"""Reads of workflow data, scoped through pendopo.regions.permissions: the one read side of cases.

The timeline of a case and the labels of its events and steps are read here for every kind of
case (applications, complaints), as the engine writes them for every kind.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet
from django.utils.translation import get_language

from pendopo.regions.permissions import Action, get_for_user, visible_to
from pendopo.workflow.definition import WorkflowSpec
from pendopo.workflow.models import Case, CaseEvent, WorkflowDefinition

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from pendopo.regions.models import Region, User


def active_definition(region: Region, code: str) -> WorkflowDefinition | None:
    """The active version of a region's workflow, read fresh (no cache: a new version applies at once)."""
    return WorkflowDefinition.objects.filter(region=region, code=code, status=WorkflowDefinition.Status.ACTIVE).first()


def definition_for(region: Region | int, codes: list[str]) -> WorkflowDefinition:
    """The workflow version a new case starts on: the active version of the first of `codes` the region has.

    The one place that chooses a case's workflow (applications: the service's own, else the
    default service workflow; complaints: the default complaint workflow). It never creates one:
    a region gets its defaults when it is set up (actions.set_up_region, the demo, migration 0004).
    Raises DefinitionNotActive when the region has none of them.
    """
    from pendopo.workflow.errors import DefinitionNotActive

    region_id = region if isinstance(region, int) else region.pk
    active = {
        definition.code: definition
        for definition in WorkflowDefinition.objects.filter(
            region_id=region_id, status=WorkflowDefinition.Status.ACTIVE, code__in=codes
        )
    }
    for code in codes:
        if code in active:
            return active[code]
    raise DefinitionNotActive


def cases_visible_to(user: User | AnonymousUser | None, action: Action = Action.VIEW) -> QuerySet[Case]:
    return visible_to(user, Case.objects.select_related("definition", "agency", "service_point"), action)


def get_case_for_user(user: User | AnonymousUser | None, code: str, action: Action = Action.VIEW) -> Case:
    """The case with this tracking code if the user may see (or `action`) it; else 404."""
    return get_for_user(
        user, Case.objects.select_related("definition", "region__regency", "agency", "service_point"), action, code=code
    )


# --- the timeline (every kind of case) -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    seq: int
    at: dt.datetime
    label: str
    state_label: str
    is_system: bool
    note: str = ""
    actor: str = ""
    documents: list[Any] = field(default_factory=list)


def event_label(spec: WorkflowSpec, action: str) -> str:
    if action in CaseEvent.SYSTEM_LABELS:
        return str(CaseEvent.SYSTEM_LABELS[action])
    found = spec.action(action)
    return found.label if found else action


def state_label(spec: WorkflowSpec, key: str) -> str:
    return spec.state(key).label if key and spec.has_state(key) else ""


def timeline(case: Case, *, private: bool) -> list[Step]:
    """The case's events in order; `private` adds notes, who acted and documents (owner and staff only)."""
    spec = case.spec
    events = CaseEvent.objects.filter(case_id=case.pk).order_by("seq")
    events = events.select_related("actor") if private else events.only("seq", "at", "action", "to_state", "actor_role")
    steps = []
    for event in events:
        label = event_label(spec, event.action)
        if private:
            actor = str(event.actor) if event.actor_id else ""
            steps.append(
                Step(
                    event.seq,
                    event.at,
                    label,
                    state_label(spec, event.to_state),
                    event.actor_role == "system",
                    event.note,
                    actor,
                    list(event.documents),
                )
            )
        else:
            steps.append(Step(event.seq, event.at, label, state_label(spec, event.to_state), event.actor_role == "system"))
    return steps


def state_labels(definition: dict[str, Any]) -> dict[str, str]:
    """{state key: label in the active language} straight from a stored (already validated) definition."""
    english = (get_language() or "id").startswith("en")
    return {state["key"]: state["label_en" if english else "label_id"] for state in definition.get("states", [])}
