from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApplicationsConfig(AppConfig):
    name = "pendopo.applications"
    label = "applications"
    verbose_name = _("Applications")

    def ready(self) -> None:
        # Registers the permission scopes, the hooks of the "application" case kind and the demo step.
        # And the periodic removal of files kept for forms never sent again (tasks).
        from pendopo.applications import demo, hooks, selectors, tasks  # noqa: F401
