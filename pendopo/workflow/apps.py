from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "pendopo.workflow"
    label = "workflow"
    verbose_name = _("Workflows and cases")

    def ready(self) -> None:
        from pendopo.workflow import permissions, tasks  # noqa: F401 -- registers the scopes and the periodic sweep
