from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QueueingConfig(AppConfig):
    name = "pendopo.queueing"
    label = "queueing"
    verbose_name = _("Service mall queue")

    def ready(self) -> None:
        from datetime import timedelta

        from pendopo.queueing import demo, selectors, visits  # noqa: F401 -- register the demo step and the permission scopes
        from pendopo.queueing.tasks import expire_bookings
        from pendopo.worker.periodic import periodic

        visits.connect()  # a walk-in registered from a called ticket records that ticket
        periodic(name="queueing.expire_bookings", every=timedelta(minutes=5), task=expire_bookings)
