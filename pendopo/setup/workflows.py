"""The workflow editor of the region setup: a definition as two formsets (states, actions), back to JSON.

The editor writes nothing of its own: the definition it builds goes through the workflow app's
`parse_definition` (the same validation and messages as the JSON import and the admin) and is
saved with `workflow.actions.revise_definition` as a new active version; running cases keep the
version they started with. What the forms do not show (escalation rules) is carried over from
the version being edited.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from pendopo.lib.fields import ModelMultipleChoiceField
from pendopo.workflow.definition import ActorRole, Outcome, StateKind, TimeUnit, WorkflowSpec

_KIND_LABELS = {
    StateKind.START: _("start"),
    StateKind.NORMAL: _("in progress"),
    StateKind.WAITING_APPLICANT: _("waiting for the applicant (clock stops)"),
    StateKind.TERMINAL: _("final"),
}
_ROLE_LABELS = {
    ActorRole.APPLICANT: _("applicant"),
    ActorRole.OFFICER: _("officer"),
    ActorRole.HEAD: _("agency head"),
    ActorRole.REGION_ADMIN: _("region administrator"),
    ActorRole.SYSTEM: _("system (timeout)"),
}
_OUTCOME_LABELS = {Outcome.COMPLETED: _("completed"), Outcome.REJECTED: _("rejected"), Outcome.WITHDRAWN: _("withdrawn")}
_UNIT_LABELS = {TimeUnit.WORKING_DAYS: _("working days"), TimeUnit.WORKING_MINUTES: _("working minutes")}


class StateForm(forms.Form):
    key = forms.CharField(label=_("Key"), max_length=50)
    label_id = forms.CharField(label=_("Name (Indonesian)"), max_length=120)
    label_en = forms.CharField(label=_("Name (English)"), max_length=120)
    kind = forms.ChoiceField(label=_("Kind"), choices=list(_KIND_LABELS.items()), initial=StateKind.NORMAL)
    limit = forms.IntegerField(label=_("Time limit"), min_value=0, required=False)
    unit = forms.ChoiceField(label=_("Unit"), choices=list(_UNIT_LABELS.items()), initial=TimeUnit.WORKING_DAYS)
    outcome = forms.ChoiceField(label=_("Outcome"), choices=[("", "—"), *_OUTCOME_LABELS.items()], required=False)
    timeout_action = forms.CharField(label=_("Action on timeout"), max_length=50, required=False)


class ActionForm(forms.Form):
    key = forms.CharField(label=_("Key"), max_length=50)
    label_id = forms.CharField(label=_("Name (Indonesian)"), max_length=120)
    label_en = forms.CharField(label=_("Name (English)"), max_length=120)
    from_states = forms.CharField(label=_("From states"), help_text=_("State keys, separated by commas."), max_length=500)
    to = forms.CharField(label=_("To state"), max_length=50)
    roles = forms.MultipleChoiceField(
        label=_("Who may take it"), choices=list(_ROLE_LABELS.items()), widget=forms.CheckboxSelectMultiple
    )
    requires_note = forms.BooleanField(label=_("a note is required"), required=False)
    requires_document = forms.BooleanField(label=_("a document is required"), required=False)


StateFormSet = forms.formset_factory(StateForm, extra=1, can_delete=True)
ActionFormSet = forms.formset_factory(ActionForm, extra=1, can_delete=True)


def initial_of(spec: WorkflowSpec) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    states = [
        {
            "key": s.key,
            "label_id": s.label_id,
            "label_en": s.label_en,
            "kind": s.kind.value,
            "limit": s.time_limit.value if s.time_limit else None,
            "unit": s.time_limit.unit.value if s.time_limit else TimeUnit.WORKING_DAYS.value,
            "outcome": s.outcome.value if s.outcome else "",
            "timeout_action": s.timeout_action or "",
        }
        for s in spec.states
    ]
    actions = [
        {
            "key": a.key,
            "label_id": a.label_id,
            "label_en": a.label_en,
            "from_states": ", ".join(a.from_),
            "to": a.to,
            "roles": [r.value for r in a.roles],
            "requires_note": a.requires_note,
            "requires_document": a.requires_document,
        }
        for a in spec.actions
    ]
    return states, actions


def _kept(formset: forms.BaseFormSet) -> list[dict[str, Any]]:
    return [f.cleaned_data for f in formset.forms if f.cleaned_data and not f.cleaned_data.get("DELETE")]


def definition_from(states: forms.BaseFormSet, actions: forms.BaseFormSet, current: WorkflowSpec) -> dict[str, Any]:
    """The JSON definition the two (valid) formsets describe, with the current version's escalation rules."""
    state_rows = []
    for row in _kept(states):
        state: dict[str, Any] = {
            "key": row["key"].strip(),
            "label_id": row["label_id"],
            "label_en": row["label_en"],
            "kind": row["kind"],
        }
        if row.get("limit") is not None:
            state["time_limit"] = {"value": row["limit"], "unit": row["unit"]}
        if row.get("outcome"):
            state["outcome"] = row["outcome"]
        if row.get("timeout_action"):
            state["timeout_action"] = row["timeout_action"].strip()
        state_rows.append(state)
    action_rows = [
        {
            "key": row["key"].strip(),
            "label_id": row["label_id"],
            "label_en": row["label_en"],
            "from": [key.strip() for key in row["from_states"].split(",") if key.strip()],
            "to": row["to"].strip(),
            "roles": row["roles"],
            "requires_note": row["requires_note"],
            "requires_document": row["requires_document"],
        }
        for row in _kept(actions)
    ]
    return {
        "states": state_rows,
        "actions": action_rows,
        "escalation": [rule.model_dump(mode="json") for rule in current.escalation],
    }


@dataclass(frozen=True)
class Change:
    what: str  # "state" or "action"
    key: str
    change: str  # "added", "removed", "changed"


def diff(old: WorkflowSpec | None, new: WorkflowSpec) -> list[Change]:
    """What a version changed against the one before it, state by state and action by action."""
    if old is None:
        return []
    changes: list[Change] = []
    for what, before, after in (
        ("state", {s.key: s for s in old.states}, {s.key: s for s in new.states}),
        ("action", {a.key: a for a in old.actions}, {a.key: a for a in new.actions}),
    ):
        for key in after:
            if key not in before:
                changes.append(Change(what, key, "added"))
            elif before[key] != after[key]:
                changes.append(Change(what, key, "changed"))
        changes.extend(Change(what, key, "removed") for key in before if key not in after)
    return changes


def preview_run(spec: WorkflowSpec) -> list[tuple[str, str]]:
    """A preview of one case through the workflow: the shortest way from the start to a completed case
    (or, failing that, to any final state), as (state, action taken) pairs."""
    start = spec.start_state.key
    terminal = [s.key for s in spec.states if s.is_terminal]
    goals = [k for k in terminal if spec.state(k).outcome == Outcome.COMPLETED] or terminal
    came_from: dict[str, tuple[str, str] | None] = {start: None}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        if key in goals:
            break
        for action in spec.actions_from(key):
            if action.to not in came_from and spec.has_state(action.to):
                came_from[action.to] = (key, action.key)
                queue.append(action.to)
    end = next((k for k in goals if k in came_from), start)
    steps: list[tuple[str, str]] = [(spec.state(end).label, "")]
    while (link := came_from[end]) is not None:
        end, action_key = link
        found = spec.action(action_key)
        steps.append((spec.state(end).label, found.label if found else action_key))
    return list(reversed(steps))


# The diagram: states as boxes in rows by their distance from the start, actions as arrows.
NODE_W, NODE_H, GAP_X, GAP_Y, MARGIN = 168, 44, 28, 64, 16


@dataclass(frozen=True)
class Node:
    key: str
    label: str
    kind: str
    x: int
    y: int
    reachable: bool

    @property
    def cx(self) -> int:
        return self.x + NODE_W // 2

    @property
    def lines(self) -> tuple[str, str]:
        return _two_lines(self.label)


@dataclass(frozen=True)
class Edge:
    label: str
    path: str
    label_x: int
    label_y: int
    back: bool


@dataclass(frozen=True)
class Diagram:
    width: int
    height: int
    node_w: int
    node_h: int
    nodes: list[Node]
    edges: list[Edge]


def _two_lines(label: str, width: int = 24) -> tuple[str, str]:
    """A state's name on at most two lines of about `width` characters (the second shortened if need be)."""
    if len(label) <= width:
        return label, ""
    cut = label.rfind(" ", 0, width + 1)
    cut = cut if cut > 0 else width
    rest = label[cut:].strip()
    return label[:cut].strip(), rest if len(rest) <= width else rest[: width - 1] + "…"


def diagram(spec: WorkflowSpec) -> Diagram:
    """A top-down drawing of the workflow: row n holds the states n actions away from the start, the final
    states share the bottom row (unreachable states, drawn red, come after); an action to a lower row is a
    straight arrow named near its start, one back up (or within a row) a dashed curve on the right."""
    start = spec.start_state.key
    depth: dict[str, int] = {start: 0}
    queue = deque([start])
    while queue:
        key = queue.popleft()
        for action in spec.actions_from(key):
            if spec.has_state(action.to) and action.to not in depth:
                depth[action.to] = depth[key] + 1
                if not spec.state(action.to).is_terminal:
                    queue.append(action.to)
    inner = [depth[s.key] for s in spec.states if s.key in depth and not s.is_terminal]
    final_row = max(inner, default=0) + 1
    rows: dict[int, list[str]] = {}
    for state in spec.states:
        if state.key not in depth:
            row = final_row + 1
        elif state.is_terminal:
            row = final_row
        else:
            row = depth[state.key]
        rows.setdefault(row, []).append(state.key)
    widest = max(len(keys) for keys in rows.values())
    width = MARGIN * 2 + widest * NODE_W + (widest - 1) * GAP_X + 80  # room on the right for the curves back
    nodes: dict[str, Node] = {}
    for number, row in enumerate(sorted(rows)):
        keys = rows[row]
        row_width = len(keys) * NODE_W + (len(keys) - 1) * GAP_X
        left = MARGIN + (widest * NODE_W + (widest - 1) * GAP_X - row_width) // 2
        for i, key in enumerate(keys):
            state = spec.state(key)
            y = MARGIN + number * (NODE_H + GAP_Y)
            nodes[key] = Node(key, state.label, state.kind.value, left + i * (NODE_W + GAP_X), y, key in depth)
    edges: list[Edge] = []
    for action in spec.actions:
        for number, source in enumerate(action.from_):
            if source not in nodes or action.to not in nodes:
                continue
            a, b = nodes[source], nodes[action.to]
            # An action from several states (cancel, reject) is named on its first arrow only; the table names all.
            label = action.label if number == 0 else ""
            if b.y > a.y:
                x1, y1, x2, y2 = a.cx, a.y + NODE_H, b.cx, b.y
                path = f"M{x1},{y1} L{x2},{y2 - 2}"
                # Named a third of the way down, so that arrows leaving one state keep their names apart.
                edges.append(Edge(label, path, x1 + (x2 - x1) // 3 + 4, y1 + (y2 - y1) // 3 + 4, back=False))
            else:
                x1, y1, x2, y2 = a.x + NODE_W, a.y + NODE_H // 2, b.x + NODE_W, b.y + NODE_H // 2
                bend = max(x1, x2) + 48
                path = f"M{x1},{y1} C{bend},{y1} {bend},{y2} {x2 + 2},{y2}"
                edges.append(Edge(label, path, bend - 30, (y1 + y2) // 2, back=True))
    height = MARGIN * 2 + len(rows) * NODE_H + (len(rows) - 1) * GAP_Y
    return Diagram(width, height, NODE_W, NODE_H, list(nodes.values()), edges)


class UsageForm(forms.Form):
    """Which services run on a service workflow, and whether it is the region's default for the others."""

    services = ModelMultipleChoiceField(
        label=_("Services that run on this workflow"),
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    region_default = forms.BooleanField(
        label=_("The region's default for services without a workflow of their own"), required=False
    )

    def __init__(self, *args: Any, services: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["services"]
        field.queryset = services
        field.label_from_instance = lambda service: f"{service.name} ({service.code})"


class CopyForm(forms.Form):
    name = forms.CharField(label=_("Name of the new workflow"), max_length=200)


@dataclass(frozen=True)
class Transition:
    label: str
    sources: str
    to: str
    roles: str


def transitions(spec: WorkflowSpec) -> list[Transition]:
    """The diagram's arrows as a table: each action, the states it leaves, where it leads and who may take it."""

    def name(key: str) -> str:
        return spec.state(key).label if spec.has_state(key) else key

    return [
        Transition(
            action.label,
            ", ".join(name(key) for key in action.from_),
            name(action.to),
            ", ".join(str(_ROLE_LABELS.get(role, role)) for role in action.roles),
        )
        for action in spec.actions
    ]
