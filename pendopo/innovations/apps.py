from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationsConfig(AppConfig):
    name = "pendopo.innovations"
    label = "innovations"
    verbose_name = _("Regional innovations")

    def ready(self) -> None:
        from django.db.models.signals import post_save

        from pendopo.innovations import demo, selectors, workflow  # noqa: F401 -- the demo step, the scopes, the case kind
        from pendopo.regions.models import Region

        post_save.connect(workflow.set_up_region, sender=Region, dispatch_uid="innovations.set_up_region")
