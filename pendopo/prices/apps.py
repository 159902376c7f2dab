from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PricesConfig(AppConfig):
    name = "pendopo.prices"
    label = "prices"
    verbose_name = _("Staple-food prices (TPID)")

    def ready(self) -> None:
        from pendopo.prices import demo, selectors  # noqa: F401 -- register the demo step and the permission scopes
        from pendopo.prices.tasks import check_alerts, send_weekly_briefs
        from pendopo.worker.periodic import periodic

        periodic(name="prices.check_alerts", every=timedelta(hours=1), task=check_alerts)
        periodic(name="prices.send_weekly_briefs", every=timedelta(hours=1), task=send_weekly_briefs)
