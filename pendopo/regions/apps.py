from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "pendopo.regions"
    label = "regions"
    verbose_name = _("Regions and agencies")

    def ready(self) -> None:
        from pendopo.regions import access

        # Deletions (cascades included) renew the access stamps of the members concerned.
        access.connect_signals()
