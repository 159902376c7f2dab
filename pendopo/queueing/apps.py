from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "pendopo.queueing"
    label = "queueing"
    verbose_name = _("Service mall queue")

    def ready(self) -> None:
        from pendopo.queueing import selectors  # noqa: F401 -- registers the permission scopes
