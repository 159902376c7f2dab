from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SetupConfig(AppConfig):
    name = "pendopo.setup"
    label = "setup"
    verbose_name = _("Region setup")

    def ready(self) -> None:
        from pendopo.setup import selectors  # noqa: F401 -- registers the permission scopes
