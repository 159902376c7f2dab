"""Writes to workflow definitions: create, revise (a new version), activate, retire, defaults.

Writes to cases are in engine.py (start_case, apply_action, assign_case, reroute_case) and
sweep.py (sweep_overdue).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import Max

from pendopo.lib import dates
from pendopo.workflow.definition import default_complaint_workflow, default_service_workflow
from pendopo.workflow.models import WorkflowDefinition

if TYPE_CHECKING:
    from pendopo.regions.models import Region, User

DEFAULT_SERVICE_CODE = "default-service"
DEFAULT_COMPLAINT_CODE = "default-complaint"

Status = WorkflowDefinition.Status


def create_definition(
    region: Region,
    code: str,
    name: str,
    definition: dict[str, Any],
    *,
    actor: User | None = None,
    activate: bool = True,
) -> WorkflowDefinition:
    """A new version of the workflow `code` (version 1 if it is new); active unless `activate=False`.

    Raises ValidationError (listing every problem) if the definition is not valid.
    """
    with transaction.atomic():
        _lock_versions(region, code)
        latest = WorkflowDefinition.objects.filter(region=region, code=code).aggregate(v=Max("version"))["v"] or 0
        new = WorkflowDefinition(
            region=region, code=code, name=name, definition=definition, version=latest + 1, created_by=actor, status=Status.DRAFT
        )
        new.save()
        if activate:
            _activate(new)
    return new


def revise_definition(
    current: WorkflowDefinition,
    definition: dict[str, Any] | None = None,
    *,
    name: str | None = None,
    actor: User | None = None,
    activate: bool = True,
) -> WorkflowDefinition:
    """Change a workflow: a draft is edited in place; an active or retired version gets a new version.

    Cases already running keep the version they started with.
    """
    if current.status == Status.DRAFT:
        with transaction.atomic():
            current.definition = definition if definition is not None else current.definition
            current.name = name or current.name
            current.save()
            if activate:
                _activate(current)
        return current
    return create_definition(
        current.region,
        current.code,
        name or current.name,
        definition if definition is not None else current.definition,
        actor=actor,
        activate=activate,
    )


def activate_definition(definition: WorkflowDefinition) -> WorkflowDefinition:
    """Make this version the active one of its workflow (the previously active version retires)."""
    with transaction.atomic():
        _activate(definition)
    return definition


def retire_definition(definition: WorkflowDefinition) -> WorkflowDefinition:
    """No new case starts on it; running cases carry on."""
    definition.status = Status.RETIRED
    definition.save(update_fields=["status"])
    return definition


def ensure_default_definitions(region: Region) -> dict[str, WorkflowDefinition]:
    """The region's default service and complaint workflows, created (active) if missing. Idempotent."""
    defaults = {
        DEFAULT_SERVICE_CODE: ("Alur layanan standar", default_service_workflow),
        DEFAULT_COMPLAINT_CODE: ("Alur pengaduan SP4N-LAPOR!", default_complaint_workflow),
    }
    found: dict[str, WorkflowDefinition] = {}
    for code, (name, build) in defaults.items():
        active = WorkflowDefinition.objects.filter(region=region, code=code, status=Status.ACTIVE).first()
        found[code] = active or create_definition(region, code, name, build())
    return found


def set_up_region(sender: type[Region], instance: Region, created: bool = False, raw: bool = False, **kwargs: Any) -> None:
    """A new region gets its default workflows in the transaction that creates it (connected by WorkflowConfig.ready)."""
    if created and not raw:
        ensure_default_definitions(instance)


def _activate(definition: WorkflowDefinition) -> None:
    _lock_versions(definition.region, definition.code)
    WorkflowDefinition.objects.filter(region_id=definition.region_id, code=definition.code, status=Status.ACTIVE).exclude(
        pk=definition.pk
    ).update(status=Status.RETIRED)
    definition.status = Status.ACTIVE
    definition.activated_at = dates.now()
    definition.save(update_fields=["status", "activated_at", "definition"])


def _lock_versions(region: Region, code: str) -> None:
    # Serialise the versioning of one workflow: two admins saving at once get consecutive versions.
    list(WorkflowDefinition.objects.select_for_update().filter(region=region, code=code).values_list("pk", flat=True))
