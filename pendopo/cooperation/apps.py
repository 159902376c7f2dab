from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CooperationConfig(AppConfig):
    name = "pendopo.cooperation"
    label = "cooperation"
    verbose_name = _("Regional cooperation")

    def ready(self) -> None:
        from pendopo.cooperation import actions, demo, selectors  # noqa: F401 -- scopes, demo step
        from pendopo.workflow.registry import register_case_kind

        register_case_kind(actions.AGREEMENT_KIND)
