from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InnovationsConfig(AppConfig):
    name = "pendopo.innovations"
    label = "innovations"
    verbose_name = _("Regional innovations")

    def ready(self) -> None:
        from pendopo.innovations import demo, selectors  # noqa: F401 -- register the demo step and the permission scopes
