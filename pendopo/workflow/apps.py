from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkflowConfig(AppConfig):
    name = "pendopo.workflow"
    label = "workflow"
    verbose_name = _("Workflows and cases")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from pendopo.regions.models import Region
        from pendopo.workflow import actions, permissions, tasks  # noqa: F401 -- registers the scopes and the periodic sweep

        # A region is set up with its default workflows, so that no request ever has to create them.
        post_save.connect(actions.set_up_region, sender=Region, dispatch_uid="workflow.set_up_region")
