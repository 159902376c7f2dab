from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "pendopo.cooperation"
    label = "cooperation"
    verbose_name = _("Regional cooperation")

    def ready(self) -> None:
        from pendopo.cooperation import actions, demo, price_interventions, selectors  # noqa: F401 -- scopes, demo step, prices' agreements
        from pendopo.cooperation.tasks import send_reminders
        from pendopo.worker.periodic import periodic
        from pendopo.workflow.registry import register_case_kind

        register_case_kind(actions.AGREEMENT_KIND)
        periodic(name="cooperation.send_reminders", every=timedelta(hours=1), task=send_reminders)
