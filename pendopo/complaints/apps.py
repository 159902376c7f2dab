from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "pendopo.complaints"
    label = "complaints"
    verbose_name = _("Complaints")

    def ready(self) -> None:
        # Registers the permission scopes, the hooks of the "complaint" case kind and the demo step.
        from pendopo.complaints import demo, hooks, selectors  # noqa: F401
        from pendopo.complaints.open311.render import refuse_hostile_input
        from pendopo.lib.middleware import register_refuser

        register_refuser("/open311/", refuse_hostile_input)
