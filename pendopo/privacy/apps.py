from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "pendopo.privacy"
    label = "privacy"
    verbose_name = _("Personal data")

    def ready(self) -> None:
        from pendopo.privacy import models  # noqa: F401 -- registers the permission scopes
        from pendopo.privacy.tasks import apply_retention
        from pendopo.worker.periodic import periodic

        periodic(name="privacy.apply_retention", every=timedelta(days=1), task=apply_retention)
