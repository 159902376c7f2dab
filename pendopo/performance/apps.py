from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PerformanceConfig(AppConfig):
    name = "pendopo.performance"
    label = "performance"
    verbose_name = _("Performance accountability (SAKIP)")

    def ready(self) -> None:
        from pendopo.performance import demo, selectors, tasks  # noqa: F401 -- the demo step, the permission scopes, the weekly digest
