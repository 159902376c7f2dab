from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "pendopo.performance"
    label = "performance"
    verbose_name = _("Performance accountability (SAKIP)")

    def ready(self) -> None:
        from pendopo.performance import demo, selectors  # noqa: F401 -- register the demo step and the permission scopes
