"""Why the engine refused an action: one exception per reason, each with a stable `code`.

Views and API handlers map them to responses with `http_status`; the message is translated
into the language active when the error is raised.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _


class WorkflowError(Exception):
    """Base of every refusal by the engine."""

    code = "workflow_error"
    http_status = 422
    default_message = _("The action could not be carried out.")

    def __init__(self, message: Any = None, **params: Any) -> None:
        self.params = params
        text = str(message if message is not None else self.default_message)
        if params:
            text = text % params
        self.message = text
        super().__init__(text)

    def __str__(self) -> str:
        return self.message


class NotAllowed(WorkflowError):
    """The actor holds none of the roles the action allows for this case."""

    code = "not_allowed"
    http_status = 403
    default_message = _("You may not take this action on this case.")


class WrongState(WorkflowError):
    """The action does not start from the case's current state (or does not exist)."""

    code = "wrong_state"
    http_status = 409
    default_message = _("This action is not available in the current step of the case.")


class Conflict(WorkflowError):
    """Someone else changed the case since the actor loaded it."""

    code = "conflict"
    http_status = 409
    default_message = _("Someone else has just changed this case. Reload it to see its current step, then try again.")


class AlreadyTaken(Conflict):
    """Someone else took the case ("I take it") since the actor loaded it."""

    code = "already_taken"
    default_message = _("%(name)s has just taken this case.")


class NoteRequired(WorkflowError):
    code = "note_required"
    http_status = 422
    default_message = _("This action needs a note.")


class DocumentRequired(WorkflowError):
    code = "document_required"
    http_status = 422
    default_message = _("This action needs at least one document.")


class DefinitionNotActive(WorkflowError):
    """A case can only start on an active workflow definition of its own region."""

    code = "definition_not_active"
    http_status = 422
    default_message = _("This workflow is not active in this region.")
