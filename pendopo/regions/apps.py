from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RegionsConfig(AppConfig):
    name = "pendopo.regions"
    label = "regions"
    verbose_name = _("Regions and agencies")

    def ready(self) -> None:
        from pendopo.regions import calendars

        # Saving or deleting what a calendar is built from clears the cached calendars of its region.
        calendars.connect_signals()
