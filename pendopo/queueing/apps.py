from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "pendopo.queueing"
    label = "queueing"
    verbose_name = _("Service mall queue")

    def ready(self) -> None:
        from datetime import timedelta

        from pendopo.queueing import demo, selectors  # noqa: F401 -- register the demo step and the permission scopes
        from pendopo.queueing.tasks import expire_bookings
        from pendopo.worker.periodic import periodic

        periodic(name="queueing.expire_bookings", every=timedelta(minutes=5), task=expire_bookings)
