"""Which workflow an application runs on, and its overall time limit.

A service runs on the workflow the region administrator chose for it in the workflow editor
(`Service.workflow_code`), else on the one chosen as the region's default for services
(`Region.service_workflow_code`), else on `default-service` (created with the region:
pendopo.workflow.actions.set_up_region); the first of them that has an active version. The choice
is data, not a naming rule; workflows made for services get codes starting `service-` only so that
the editor can tell them from complaints' and innovations' workflows. The application keeps the
version it started with. The overall deadline is the service standard's
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


def new_service_workflow_code(name: str) -> str:
    """The code of a new service workflow the editor makes from its name (`service-<slug>`, at most 50)."""
    from django.utils.text import slugify

    return f"{SERVICE_WORKFLOW_PREFIX}{slugify(name)}"[:50].rstrip("-")


def workflow_codes(service: Service) -> list[str]:
    """The workflows a new application of `service` may start on, the first active one wins."""
    codes = [service.workflow_code, service.region.service_workflow_code, DEFAULT_SERVICE_CODE]
    return list(dict.fromkeys(code for code in codes if code))


def service_workflows_q() -> Q:
    """The workflow definitions that applications may run on (not complaints')."""
    return Q(code=DEFAULT_SERVICE_CODE) | Q(code__startswith=SERVICE_WORKFLOW_PREFIX)


def workflow_for(service: Service) -> WorkflowDefinition:
    """The active workflow version a new application of `service` starts on (read fresh every time)."""
    return definition_for(service.region_id, workflow_codes(service))


def overall_time_limit(standard: ServiceStandard) -> TimeLimit:
    unit = TimeUnit.WORKING_MINUTES if standard.time_limit_unit == StandardTimeUnit.MINUTES else TimeUnit.WORKING_DAYS
    return TimeLimit(value=standard.time_limit_value, unit=unit)
