"""What each kind of case (applications, complaints) plugs into the shared engine.

An app registers its kind once, from its AppConfig.ready():

    register_case_kind(
        CaseKind.APPLICATION,
        is_owner=lambda case, user: ...,        # optional; default: case.owner_id == user.pk
        on_timeout=...,                          # (case, event) when the sweep takes a timeout action
        on_overdue=...,                          # (case, event) when the sweep marks the case overdue
        on_escalate=...,                         # (case, event, rule) at each escalation level
        url=lambda case: ...,                    # the staff page of the case, for notification emails
    )

Hooks are only for what the sweep starts: an action taken by a person goes through the kind's own
action (applications.actions.take_action, complaints.actions.take_action), which gets the event
from `apply_action` and notifies directly. A hook runs inside the sweep's transaction, after the
case and its event are written, so a hook that writes (an outbox row) commits or rolls back with
it; anything that must happen only after the commit goes through transaction.on_commit.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from pendopo.regions.models import User
    from pendopo.workflow.definition import EscalationRule
    from pendopo.workflow.models import Case, CaseEvent

OwnerCheck = Callable[["Case", "User"], bool]
EventHook = Callable[["Case", "CaseEvent"], Any]
EscalationHook = Callable[["Case", "CaseEvent", "EscalationRule"], Any]
UrlHook = Callable[["Case"], str]


@dataclass(frozen=True)
class CaseKindHooks:
    is_owner: OwnerCheck | None = None
    on_timeout: EventHook | None = None
    on_overdue: EventHook | None = None
    on_escalate: EscalationHook | None = None
    url: UrlHook | None = None


_KINDS: dict[str, CaseKindHooks] = {}


def register_case_kind(
    kind: str,
    *,
    is_owner: OwnerCheck | None = None,
    on_timeout: EventHook | None = None,
    on_overdue: EventHook | None = None,
    on_escalate: EscalationHook | None = None,
    url: UrlHook | None = None,
) -> None:
    """Register (or replace) the hooks of one kind of case."""
    _KINDS[str(kind)] = CaseKindHooks(is_owner, on_timeout, on_overdue, on_escalate, url)


def unregister_case_kind(kind: str) -> None:
    """For tests that register a kind temporarily."""
    _KINDS.pop(str(kind), None)


def hooks_for(kind: str) -> CaseKindHooks:
    return _KINDS.get(str(kind), CaseKindHooks())
