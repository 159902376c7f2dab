"""Which workflow an application runs on, and its overall time limit.

A service runs on the region's active workflow whose code is `service-<service code in lower
case>` (a workflow of its own), else on the region's default service workflow
(`default-service`, created with the region: pendopo.workflow.actions.set_up_region). The
application keeps the version it started with. The overall deadline is the service standard's
time limit (jangka waktu pelayanan) in the region's working days or working minutes.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from pendopo.catalog.models import TimeUnit as StandardTimeUnit
from pendopo.workflow.actions import DEFAULT_SERVICE_CODE
from pendopo.workflow.definition import TimeLimit, TimeUnit
from pendopo.workflow.selectors import definition_for

if TYPE_CHECKING:
    from pendopo.catalog.models import Service, ServiceStandard
    from pendopo.workflow.models import WorkflowDefinition

SERVICE_WORKFLOW_PREFIX = "service-"


def service_workflow_code(service: Service) -> str:
    return f"{SERVICE_WORKFLOW_PREFIX}{service.code.lower()}"


def service_workflows_q() -> Q:
    """The workflow definitions that applications may run on (not complaints')."""
    return Q(code=DEFAULT_SERVICE_CODE) | Q(code__startswith=SERVICE_WORKFLOW_PREFIX)


def workflow_for(service: Service) -> WorkflowDefinition:
    """The active workflow version a new application of `service` starts on (read fresh every time)."""
    return definition_for(service.region_id, [service_workflow_code(service), DEFAULT_SERVICE_CODE])


def overall_time_limit(standard: ServiceStandard) -> TimeLimit:
    unit = TimeUnit.WORKING_MINUTES if standard.time_limit_unit == StandardTimeUnit.MINUTES else TimeUnit.WORKING_DAYS
    return TimeLimit(value=standard.time_limit_value, unit=unit)
