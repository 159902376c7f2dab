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


# --- inbox rows (every kind of case) --------------------------------------------------------------------------


def is_late(
    now: dt.datetime,
    *,
    closed_at: dt.datetime | None,
    is_overdue: bool,
    state_due_at: dt.datetime | None,
    paused_at: dt.datetime | None,
    due_at: dt.datetime | None,
) -> bool:
    """Open and past a deadline: marked by the sweep, or past it since the last sweep ran."""
    if closed_at is not None:
        return False
    return (
        is_overdue
        or (state_due_at is not None and state_due_at < now)
        or (paused_at is None and due_at is not None and due_at < now)
    )


@dataclass(frozen=True)
class CaseRow:
    """One row of an inbox, whatever the kind of case: what the case table holds, plus the kind's `extra` columns."""

    code: str
    state: str
    state_label: str
    received_at: dt.datetime
    state_due_at: dt.datetime | None
    due_at: dt.datetime | None
    is_overdue: bool
    is_paused: bool
    is_closed: bool
    assigned_to: str
    agency: str
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    total: int
    page: int
    pages: int
    page_size: int
    more: bool = False  # more rows than counted (`max_pages` pages): the count is a floor

    @property
    def has_next(self) -> bool:
        return self.page < self.pages

    @property
    def has_previous(self) -> bool:
        return self.page > 1


_CASE_COLUMNS = (
    "code",
    "state",
    "definition_id",
    "received_at",
    "state_due_at",
    "due_at",
    "is_overdue",
    "paused_at",
    "closed_at",
    "assigned_to__username",
    "assigned_to__full_name",
    "agency__short_name",
)


def case_page(
    queryset: QuerySet[Any],
    *,
    page: int,
    page_size: int,
    max_pages: int,
    prefix: str = "",
    extra: dict[str, str] | None = None,
    labels: dict[int, dict[str, str]] | None = None,
    now: dt.datetime | None = None,
) -> CasePage:
    """One page of an inbox of cases (applications, complaints), in two queries at any data size.

    `queryset` is already filtered by permission and sorted; `prefix` leads from its model to the
    case (`""` for Case itself, `"case__"` for a kind's model). The count reads at most
    `max_pages` pages of rows, so its cost stays bounded however many cases are open. `extra`
    names the kind's own columns ({name: ORM path}); `labels` are the step labels already known
    ({definition id: {step: label}}); the labels of other workflow versions take one more query.
    """
    from pendopo.lib import dates

    now = now or dates.now()
    limit = page_size * max_pages
    total = queryset[: limit + 1].count()
    more = total > limit
    total = min(total, limit)
    pages = max(1, -(-total // page_size))
    page = min(max(1, page), pages)
    offset = (page - 1) * page_size
    names = list((extra or {}).keys())
    paths = [prefix + column for column in _CASE_COLUMNS] + list((extra or {}).values())
    values = list(queryset.values_list(*paths)[offset : offset + page_size])
    known = dict(labels or {})
    missing = {row[2] for row in values} - known.keys()
    if missing:
        found = WorkflowDefinition.objects.filter(pk__in=missing).order_by().values_list("pk", "definition")
        known.update((pk, state_labels(definition)) for pk, definition in found)
    rows = []
    for row in values:
        (code, state, definition_id, received, state_due, due, overdue, paused, closed, username, full_name, agency) = row[
            : len(_CASE_COLUMNS)
        ]
        rows.append(
            CaseRow(
                code=code,
                state=state,
                state_label=known[definition_id].get(state, state),
                received_at=received,
                state_due_at=state_due,
                due_at=due,
                is_overdue=is_late(
                    now, closed_at=closed, is_overdue=overdue, state_due_at=state_due, paused_at=paused, due_at=due
                ),
                is_paused=paused is not None,
                is_closed=closed is not None,
                assigned_to=full_name or username or "",
                agency=agency or "",
                extra=dict(zip(names, row[len(_CASE_COLUMNS) :], strict=True)),
            )
        )
    return CasePage(rows=rows, total=total, page=page, pages=pages, page_size=page_size, more=more)
