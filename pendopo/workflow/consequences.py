"""What an irreversible step does, in the words of the confirmation asked before it is sent.

An action that ends a case (its target state is terminal: completed, rejected, withdrawn) cannot
be undone, so the page asks first and names the consequence; other actions need no question.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from pendopo.workflow.definition import Outcome

if TYPE_CHECKING:
    from pendopo.workflow.definition import ActionSpec, WorkflowSpec


def _texts(kind: str) -> dict[str, str]:
    if kind == "complaint":
        return {
            Outcome.COMPLETED: _("“%(action)s” closes the complaint as finished. This cannot be undone."),
            Outcome.REJECTED: _(
                "“%(action)s” archives the complaint: it is closed without follow-up and the complainant is told."
                " This cannot be undone."
            ),
            Outcome.WITHDRAWN: _(
                "“%(action)s” withdraws the complaint: nobody follows it up any more and it cannot be reopened."
            ),
        }
    return {
        Outcome.COMPLETED: _(
            "“%(action)s” finishes the application: it is marked completed and the applicant is told. This cannot be undone."
        ),
        Outcome.REJECTED: _(
            "“%(action)s” rejects the application: it is closed and the applicant receives your note as the reason."
            " This cannot be undone."
        ),
        Outcome.WITHDRAWN: _(
            "“%(action)s” cancels the application: the agency stops working on it and it cannot be reopened."
            " To apply again you send a new application."
        ),
    }


def consequence(spec: WorkflowSpec, action: ActionSpec, *, kind: str = "application") -> str:
    """The question to ask before `action` ("" when it can be undone, i.e. it does not end the case)."""
    target = spec.state(action.to)
    if not target.is_terminal or target.outcome is None:
        return ""
    return _texts(kind)[target.outcome] % {"action": action.label}


def choices(spec: WorkflowSpec, actions: list[ActionSpec], *, kind: str = "application") -> list[dict[str, object]]:
    """The actions as a form offers them: each with its confirmation, and which one is chosen beforehand.

    The one step that can be undone, when there is exactly one, is chosen beforehand; an
    irreversible one never is: the page never puts a cancellation (or a rejection, an approval)
    forward as the thing to do.
    """
    rows = [{"action": action, "confirm": consequence(spec, action, kind=kind)} for action in actions]
    reversible = [row for row in rows if not row["confirm"]]
    for row in rows:
        row["preselect"] = len(reversible) == 1 and row is reversible[0]
    return rows
