from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "pendopo.cooperation"
    label = "cooperation"
    verbose_name = _("Regional cooperation")

    def ready(self) -> None:
        from pendopo.cooperation import actions, demo, price_interventions, selectors  # noqa: F401 -- scopes, demo step, prices' agreements
        from pendopo.workflow.registry import register_case_kind

        register_case_kind(actions.AGREEMENT_KIND)
